import type { Clock } from '@orderloom/engine';
import type { Router } from 'express';
import type { Logger } from 'pino';
import { type BacktestsRepository, createBacktestsRepository } from '../db/backtestsRepository.ts';
import { onEnvironmentChange } from '../db/environmentGeneration.ts';
import type { Db } from '../db/openDatabase.ts';
import { backtestsRouter } from '../http/backtestsRouter.ts';
import { decisionsRouter } from '../http/decisionsRouter.ts';
import { factsRouter } from '../http/factsRouter.ts';
import { type BacktestRunner, createBacktestRunner } from './backtestRunner.ts';
import { createDecisionMaker, type DecisionMaker } from './decisionMaker.ts';
import { createDecisionService, type DecisionService } from './decisionService.ts';
import { createDecisionThread } from './decisionThread.ts';
import { createFactsStore, type FactsStore } from './factsStore.ts';
import { createRoutingStrategies, type RoutingStrategies } from './routingStrategies.ts';

/** Everything routing needs at run time, created once per process. See {@link createRoutingRuntime}. */
export interface RoutingRuntime {
  facts: FactsStore;
  strategies: RoutingStrategies;
  decisions: DecisionService;
  /** Makes the decisions `POST /api/route` asks for (on the decision thread, when there is one). */
  decide: DecisionMaker;
  backtests: BacktestsRepository;
  runner: BacktestRunner;
  /** The `/api` routers: facts, decisions (`/route`, `/decisions`) and backtests. */
  routers(): Router[];
  /** Stops the backtest runner and the decision thread (call before closing the database). */
  stop(): Promise<void>;
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
  /**
   * Let a decision thread prepare `POST /api/route` decisions under load (see `createDecisionMaker`);
   * needs a database file. Default false: all on the calling thread.
   */
  decisionThread?: boolean;
}): RoutingRuntime {
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  const facts = createFactsStore(db);
  const strategies = createRoutingStrategies(db);
  const decisions = createDecisionService({ db, facts, strategies, clock });
  const decide = createDecisionMaker({
    decisions,
    clock,
    thread: deps.decisionThread
      ? createDecisionThread({
          db,
          facts,
          logger: deps.logger,
          onEnvironmentChange: (listener) => onEnvironmentChange(db, listener),
        })
      : undefined,
  });
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
    decide,
    backtests,
    runner,
    routers: () => [
      decisionsRouter({ decisions, decide }),
      factsRouter({ facts }),
      backtestsRouter({ backtests, decisions: decisions.decisions, strategies, runner }),
    ],
    stop: () => {
      runner.stop();
      return decide.close();
    },
  };
}
