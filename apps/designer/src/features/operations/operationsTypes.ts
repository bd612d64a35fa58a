// The runtime's zod schemas are the one source of these shapes; the designer only borrows the inferred
// types (erased at build time), so nothing of the runtime reaches the bundle.

export type { Delivery, Subscription } from '../../../../runtime/src/effects/subscriptionSchemas.ts';
export type {
  DecisionRecord,
  DecisionSummary,
  ReplayResponse,
} from '../../../../runtime/src/routing/routingApiSchemas.ts';
export type {
  Alert,
  HistoryEntry,
  OrderDetail,
  OrderSummary,
  VerifyResult,
} from '../../../../runtime/src/status/statusApiSchemas.ts';

/** One page of a cursor-paginated list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
