import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { bumpEnvironmentGeneration } from '../db/environmentGeneration.ts';
import type { FactCollection } from '../db/factsRepository.ts';
import type { RankingMode } from './decisionAnswer.ts';
import { createDecisionService, type PrepareResult } from './decisionService.ts';
import { createFactsStore } from './factsStore.ts';
import type { RouteRequest } from './routingApiSchemas.ts';
import { createRoutingStrategies } from './routingStrategies.ts';

/** What the decision thread is started with. */
export interface DecisionThreadData {
  /** The runtime's SQLite file, read (never written) by this thread. */
  file: string;
}

/** Main thread → decision thread. Handled strictly in order, so a change is seen by every later decision. */
export type DecisionThreadRequest =
  | { type: 'prepare'; id: number; request: RouteRequest; at: number; mode: RankingMode }
  | { type: 'facts'; collection: FactCollection; ids: string[] | null }
  | { type: 'environments' }
  | { type: 'close' };

/** Decision thread → main thread. */
export type DecisionThreadReply =
  | { type: 'prepared'; id: number; result: PrepareResult }
  | { type: 'failed'; id: number; message: string };

const port = parentPort;
if (!port) throw new Error('decisionThreadMain runs in a worker thread');
const { file } = workerData as DecisionThreadData;
const post = (reply: DecisionThreadReply) => port.postMessage(reply);

const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const facts = createFactsStore(db);
const decisions = createDecisionService({
  db,
  facts,
  strategies: createRoutingStrategies(db),
  // Decisions here are only prepared, at the time the main thread gives.
  clock: { now: () => Date.now() },
});

port.on('message', (message: DecisionThreadRequest) => {
  switch (message.type) {
    case 'prepare': {
      const { id, request, at, mode } = message;
      try {
        post({ type: 'prepared', id, result: decisions.prepare(request, { at, mode }) });
      } catch (error) {
        post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    case 'facts':
      facts.reload(message.collection, message.ids);
      return;
    case 'environments':
      bumpEnvironmentGeneration(db);
      return;
    case 'close':
      db.close();
      port.close();
      return;
  }
});
