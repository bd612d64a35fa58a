// The runtime's zod schemas are the one source of these shapes; the designer only borrows the inferred
// types (erased at build time), so nothing of the runtime reaches the bundle.

import type { Backtest } from '../../../../../runtime/src/routing/routingApiSchemas.ts';

export type {
  Backtest,
  BacktestKpis,
  BacktestRequest,
  BacktestResult,
} from '../../../../../runtime/src/routing/routingApiSchemas.ts';

/** `POST /api/backtests` (202): the new backtest's id and state. */
export type BacktestAccepted = Pick<Backtest, 'id' | 'state'>;
