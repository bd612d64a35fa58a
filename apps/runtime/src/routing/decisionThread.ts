import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from '../db/openDatabase.ts';
import type { RankingMode } from './decisionAnswer.ts';
import type { PrepareResult } from './decisionService.ts';
import type { DecisionThreadData, DecisionThreadReply, DecisionThreadRequest } from './decisionThreadMain.ts';
import type { FactsStore } from './factsStore.ts';
import type { RouteRequest } from './routingApiSchemas.ts';

const entry = new URL('./decisionThread.mjs', import.meta.url);

/** A thread that prepares decisions (see {@link createDecisionThread}). */
export interface DecisionThread {
  /** As `DecisionService.prepare`, on the thread. */
  prepare(request: RouteRequest, options: { at: number; mode: RankingMode }): Promise<PrepareResult>;
  close(): Promise<void>;
}

/**
 * Prepares routing decisions (ranking, explanation, the stored record and the answer's JSON) on a
 * worker thread with its own read-only connection to `db`'s file; the caller stores them.
 *
 * The thread keeps its own copy of the facts and of the strategy pointers. The main thread tells it of
 * every committed change (`facts.onChange`, `onEnvironmentChange`) before it answers the request that
 * made the change, and the thread handles messages in order, so every decision asked for afterwards
 * sees the change. The thread starts on first use and again after a crash (the decisions it was
 * preparing then fail with a 500; none of them was stored or acknowledged).
 */
export function createDecisionThread(deps: {
  db: Db;
  facts: FactsStore;
  onEnvironmentChange: (listener: () => void) => () => void;
  logger?: Logger | undefined;
}): DecisionThread {
  const { db, logger } = deps;
  let worker: Worker | undefined;
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (result: PrepareResult) => void; reject: (err: Error) => void }
  >();

  const post = (message: DecisionThreadRequest) => worker?.postMessage(message);
  const unsubscribe = [
    deps.facts.onChange((collection, ids) => post({ type: 'facts', collection, ids })),
    deps.onEnvironmentChange(() => post({ type: 'environments' })),
  ];

  function start(): Worker {
    const data: DecisionThreadData = { file: db.name };
    const started = new Worker(entry, { workerData: data, execArgv: [] });
    // Decisions in flight keep the process busy anyway; an idle thread must not keep it alive.
    started.unref();
    started.on('message', (reply: DecisionThreadReply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.type === 'failed') waiting.reject(new Error(`decision thread: ${reply.message}`));
      else waiting.resolve(reply.result);
    });
    const lost = (err: Error) => {
      if (worker !== started) return;
      worker = undefined;
      logger?.error({ err }, 'decision thread stopped; it restarts when next needed');
      for (const waiting of pending.values()) waiting.reject(err);
      pending.clear();
    };
    started.on('error', lost);
    started.on('exit', (code) => lost(new Error(`decision thread exited with code ${code}`)));
    return started;
  }

  return {
    prepare(request, { at, mode }) {
      worker ??= start();
      const id = ++nextId;
      return new Promise<PrepareResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        post({ type: 'prepare', id, request, at, mode });
      });
    },

    async close() {
      for (const stop of unsubscribe) stop();
      const stopping = worker;
      worker = undefined;
      if (!stopping) return;
      const exited = new Promise<void>((resolve) => stopping.once('exit', () => resolve()));
      stopping.postMessage({ type: 'close' } satisfies DecisionThreadRequest);
      await exited;
    },
  };
}
