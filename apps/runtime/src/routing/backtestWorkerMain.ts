import { parentPort, workerData } from 'node:worker_threads';
import { compileRouting } from '@orderloom/engine';
import { routingDefinitionSchema } from '@orderloom/schema';
import Database from 'better-sqlite3';
import { createDecisionsRepository } from '../db/decisionsRepository.ts';
import { type BacktestPartial, emptyPartial, evaluateDecision, laneSetCache } from './backtestEvaluation.ts';

/** What a backtest worker is started with. */
export interface BacktestWorkerData {
  /** The SQLite database file (WAL: the worker reads while the runtime writes). */
  file: string;
  candidateDefinition: unknown;
  baselineDefinition: unknown;
  baselineVersion: number;
}

/** Parent → worker: evaluate these decisions. */
export interface BacktestChunkMessage {
  type: 'chunk';
  index: number;
  seqs: number[];
}

/** Worker → parent. */
export type BacktestWorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; index: number; partial: BacktestPartial }
  | { type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('backtestWorkerMain runs in a worker thread');
const data = workerData as BacktestWorkerData;
const post = (message: BacktestWorkerMessage) => port.postMessage(message);

try {
  const db = new Database(data.file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const decisions = createDecisionsRepository(db);
  const strategies = {
    candidate: compileRouting(routingDefinitionSchema.parse(data.candidateDefinition)),
    baseline: compileRouting(routingDefinitionSchema.parse(data.baselineDefinition)),
    baselineVersion: data.baselineVersion,
  };
  const laneSets = laneSetCache((hash) => decisions.laneSet(hash));
  port.on('message', (message: BacktestChunkMessage | { type: 'close' }) => {
    if (message.type === 'close') {
      db.close();
      port.close();
      return;
    }
    try {
      const partial = emptyPartial();
      for (const row of decisions.listBySeqs(message.seqs))
        evaluateDecision(partial, row, strategies, laneSets);
      post({ type: 'done', index: message.index, partial });
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
