import type { Clock } from '@orderloom/engine';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { type BacktestsRepository, createBacktestsRepository } from '../db/backtestsRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { backtestsRouter } from '../http/backtestsRouter.ts';
import { decisionsRouter } from '../http/decisionsRouter.ts';
import { factsRouter } from '../http/factsRouter.ts';
import { type BacktestRunner, createBacktestRunner } from './backtestRunner.ts';
import { createDecisionService, type DecisionService } from './decisionService.ts';
import { createFactsStore, type FactsStore } from './factsStore.ts';
import { createRoutingStrategies, type RoutingStrategies } from './routingStrategies.ts';

/** Everything routing needs at run time, created once per process. See {@link createRoutingRuntime}. */
export interface RoutingRuntime {
  facts: FactsStore;
  strategies: RoutingStrategies;
  decisions: DecisionService;
  backtests: BacktestsRepository;
  runner: BacktestRunner;
  /** The `/api` routers: facts, decisions (`/route`, `/decisions`) and backtests. */
  routers(): Router[];
  /** Stops the backtest runner (call before closing the database). */
  stop(): void;
}

const systemClock: Clock = { now: () => Date.now() };

/**
 * Wires the routing part of the runtime over a migrated database: the in-memory facts store, the
 * strategy resolver and compile caches, the decision service and the backtest runner.
 */
export function createRoutingRuntime(deps: {
  db: Db;
  clock?: Clock;
  logger?: Logger;
  /** Worker threads per backtest (0: the main thread, in slices); default: available parallelism, ≤ 4. */
  backtestWorkers?: number;
}): RoutingRuntime {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  const facts = createFactsStore(db);
  const strategies = createRoutingStrategies(db);
  const decisions = createDecisionService({ db, facts, strategies, clock });
  const backtests = createBacktestsRepository(db);
  const runner = createBacktestRunner({
    db,
    strategies,
    decisions: decisions.decisions,
    backtests,
    logger: deps.logger?.child({ component: 'backtests' }),
    ...(deps.backtestWorkers === undefined ? {} : { workers: deps.backtestWorkers }),
  });
  return {
    facts,
    strategies,
    decisions,
    backtests,
    runner,
    routers: () => [
      decisionsRouter({ decisions }),
      factsRouter({ facts }),
      backtestsRouter({ backtests, decisions: decisions.decisions, strategies, runner }),
    ],
    stop: () => runner.stop(),
  };
}
