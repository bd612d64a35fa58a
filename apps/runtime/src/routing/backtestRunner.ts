import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompiledRouting } from '@orderloom/engine';
import type { Logger } from 'pino';
import type { BacktestJob, BacktestsRepository } from '../db/backtestsRepository.ts';
import type { DecisionForBacktest, DecisionsRepository } from '../db/decisionsRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import {
  type BacktestPartial,
  backtestResult,
  emptyPartial,
  evaluateDecision,
  laneSetCache,
  mergePartial,
} from './backtestEvaluation.ts';
import type {
  BacktestChunkMessage,
  BacktestWorkerData,
  BacktestWorkerMessage,
} from './backtestWorkerMain.ts';
import type { RoutingStrategies, StrategyLookup } from './routingStrategies.ts';

/** Runs backtests one after another in the background. See {@link createBacktestRunner}. */
export type BacktestRunner = ReturnType<typeof createBacktestRunner>;

/** Live progress of the running backtest (the database copy is refreshed every `persistEveryMs`). */
export interface BacktestProgress {
  processed: number;
  total: number;
}

interface Strategies {
  candidate: CompiledRouting;
  baseline: CompiledRouting;
  baselineVersion: number;
}

class Stopped extends Error {
  override readonly name = 'Stopped';
}

// A worker that failed before it could take work: the runner falls back to the main thread.
class WorkersUnavailable extends Error {
  override readonly name = 'WorkersUnavailable';
}

const workerEntry = new URL('./backtestWorker.mjs', import.meta.url);

/**
 * Creates the runner of backtests. Backtests run one at a time, in the order they were submitted. The
 * decisions a backtest covers are listed once and cut into chunks of `chunkSize`; the chunks are
 * evaluated by `workers` worker threads (each with its own read connection), or — with `workers: 0`, or
 * when workers cannot start — on the main thread in slices of about `sliceMs` followed by
 * `setImmediate`, so HTTP requests are served between slices. Partial results merge in chunk order, so
 * a result does not depend on the mode or on timing.
 *
 * A stop (or crash) leaves a running backtest `running` in the database;
 * {@link BacktestsRepository.failInterrupted} at the next start marks it failed.
 */
export function createBacktestRunner(deps: {
  db: Db;
  strategies: RoutingStrategies;
  decisions: DecisionsRepository;
  backtests: BacktestsRepository;
  logger?: Logger | undefined;
  /** Worker threads per backtest; default: the available parallelism, at most 4. */
  workers?: number;
  chunkSize?: number;
  sliceMs?: number;
  persistEveryMs?: number;
}) {
  const { db, strategies, decisions, backtests, logger } = deps;
  const chunkSize = deps.chunkSize ?? 500;
  const sliceMs = deps.sliceMs ?? 10;
  const persistEveryMs = deps.persistEveryMs ?? 250;
  let workers = deps.workers ?? Math.min(4, availableParallelism());
  const queue: string[] = [];
  let current: { id: string; progress: BacktestProgress } | undefined;
  let stopped = false;
  const running = new Set<Worker>();
  const idleWaiters: Array<() => void> = [];

  async function drain(): Promise<void> {
    for (let id = queue.shift(); id !== undefined && !stopped; id = queue.shift()) {
      try {
        await run(id);
      } catch (error) {
        if (error instanceof Stopped) break;
        logger?.error({ err: error, backtest: id }, 'backtest failed');
        if (db.open) backtests.fail(id, error instanceof Error ? error.message : String(error));
      } finally {
        current = undefined;
      }
    }
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  async function run(id: string): Promise<void> {
    const job = backtests.job(id);
    if (!job) return;
    const candidate: StrategyLookup =
      job.candidateVersion === null
        ? strategies.compileDefinition(job.candidateDefinition)
        : strategies.lookup(job.strategy, job.candidateVersion);
    const baseline = strategies.lookup(job.strategy, job.baseline);
    if (!candidate.ok || !baseline.ok) {
      const which = !candidate.ok
        ? `candidate ${job.candidateVersion ?? 'draft'}`
        : `baseline ${job.baseline}`;
      backtests.fail(id, `the ${which} cannot be evaluated`);
      return;
    }
    const started = performance.now();
    backtests.markRunning(id);
    const seqs = decisions.seqs(
      { strategy: job.strategy, from: job.from, to: job.to, maxSeq: job.maxSeq },
      job.limit ?? -1,
    );
    const chunks: number[][] = [];
    for (let i = 0; i < seqs.length; i += chunkSize) chunks.push(seqs.slice(i, i + chunkSize));
    const progress: BacktestProgress = { processed: 0, total: seqs.length };
    current = { id, progress };
    const persist = setInterval(() => {
      if (db.open) backtests.progress(id, progress.processed);
    }, persistEveryMs);
    persist.unref();
    try {
      const compiled = {
        candidate: candidate.compiled,
        baseline: baseline.compiled,
        baselineVersion: job.baseline,
      };
      let parts: BacktestPartial[] | undefined;
      if (workers > 0 && chunks.length > 1) {
        try {
          parts = await inWorkers(chunks, job, compiled, progress);
        } catch (error) {
          if (!(error instanceof WorkersUnavailable)) throw error;
          logger?.warn({ err: error }, 'backtest workers unavailable; evaluating on the main thread');
          workers = 0;
          progress.processed = 0;
        }
      }
      parts ??= await inThread(chunks, compiled, progress);
      const merged = emptyPartial();
      for (const part of parts) mergePartial(merged, part);
      if (!db.open) throw new Stopped();
      backtests.succeed(id, merged.decisions, backtestResult(merged, performance.now() - started));
    } finally {
      clearInterval(persist);
    }
  }

  function inThread(
    chunks: number[][],
    compiled: Strategies,
    progress: BacktestProgress,
  ): Promise<BacktestPartial[]> {
    const parts: BacktestPartial[] = [];
    const laneSets = laneSetCache((hash) => decisions.laneSet(hash));
    let rows: DecisionForBacktest[] | undefined;
    let next = 0;
    let partial = emptyPartial();
    return new Promise((resolve, reject) => {
      const step = () => {
        if (stopped || !db.open) {
          reject(new Stopped());
          return;
        }
        try {
          const deadline = performance.now() + sliceMs;
          while (performance.now() < deadline) {
            if (!rows) {
              const chunk = chunks[parts.length];
              if (!chunk) {
                resolve(parts);
                return;
              }
              rows = decisions.listBySeqs(chunk);
              next = 0;
              partial = emptyPartial();
            }
            // Row by row, so a slice ends close to its deadline whatever the chunk size.
            while (next < rows.length && performance.now() < deadline) {
              evaluateDecision(partial, rows[next++] as DecisionForBacktest, compiled, laneSets);
              progress.processed++;
            }
            if (next >= rows.length) {
              parts.push(partial);
              rows = undefined;
            }
          }
          setImmediate(step);
        } catch (error) {
          reject(error);
        }
      };
      setImmediate(step);
    });
  }

  function inWorkers(
    chunks: number[][],
    job: BacktestJob,
    compiled: Strategies,
    progress: BacktestProgress,
  ): Promise<BacktestPartial[]> {
    const data: BacktestWorkerData = {
      file: db.name,
      candidateDefinition: compiled.candidate.definition,
      baselineDefinition: compiled.baseline.definition,
      baselineVersion: job.baseline,
    };
    const parts = new Array<BacktestPartial>(chunks.length);
    const pool: Worker[] = [];
    let nextChunk = 0;
    let done = 0;
    let anyReady = false;
    let settled = false;
    return new Promise((resolve, reject) => {
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        for (const worker of pool) {
          running.delete(worker);
          void worker.terminate();
        }
        if (error) reject(error);
        else resolve(parts);
      };
      const fail = (message: string) =>
        finish(anyReady ? new Error(message) : new WorkersUnavailable(message));
      const count = Math.min(workers, chunks.length);
      for (let w = 0; w < count; w++) {
        const worker = new Worker(workerEntry, { workerData: data, execArgv: [] });
        pool.push(worker);
        running.add(worker);
        const feed = () => {
          if (stopped) {
            finish(new Stopped());
            return;
          }
          const index = nextChunk++;
          const seqs = chunks[index];
          if (seqs) worker.postMessage({ type: 'chunk', index, seqs } satisfies BacktestChunkMessage);
        };
        worker.on('message', (message: BacktestWorkerMessage) => {
          switch (message.type) {
            case 'ready':
              anyReady = true;
              feed();
              feed();
              break;
            case 'done':
              parts[message.index] = message.partial;
              progress.processed += message.partial.decisions;
              done++;
              if (done === chunks.length) finish();
              else feed();
              break;
            case 'error':
              fail(message.message);
              break;
          }
        });
        worker.on('error', (error) => fail(error.message));
        worker.on('exit', (code) => {
          if (!settled) fail(`backtest worker exited with code ${code}`);
        });
      }
    });
  }

  return {
    /** Queues a stored backtest (state `queued`); it starts when the ones before it have finished. */
    submit(id: string): void {
      queue.push(id);
      if (!current && queue.length === 1) {
        // Claimed synchronously, so a second submit in the same tick does not start a second drain.
        current = { id, progress: { processed: 0, total: 0 } };
        setImmediate(() => void drain());
      }
    },

    /** Live progress when `id` is the running backtest. */
    progress(id: string): BacktestProgress | undefined {
      return current?.id === id ? { ...current.progress } : undefined;
    },

    /** Resolves when nothing is running or queued (tests, shutdown). */
    idle(): Promise<void> {
      if (!current && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    /** Stops now: workers are terminated; the running backtest stays `running` until the next start marks it failed. */
    stop(): void {
      stopped = true;
      queue.length = 0;
      for (const worker of running) void worker.terminate();
      running.clear();
    },
  };
}
