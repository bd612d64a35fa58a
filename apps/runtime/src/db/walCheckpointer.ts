import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './openDatabase.ts';

/** A background WAL checkpointer; see {@link startWalCheckpointer}. */
export interface WalCheckpointer {
  /** Stops the worker and closes its connection. */
  stop(): Promise<void>;
}

// Plain CommonJS, run with `eval`, so the worker needs no TypeScript loader.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const fs = require('node:fs');
const walFile = workerData.file + '-wal';
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    // Under steady writes a passive checkpoint never catches up at the instant a writer starts, so
    // the WAL would not restart; past restartBytes, RESTART makes the next writer start it over (it
    // holds writers back only while copying what arrived since the passive pass).
    if (fs.statSync(walFile, { throwIfNoEntry: false })?.size > workerData.restartBytes) {
      db.pragma('wal_checkpoint(RESTART)');
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
  parentPort.close();
});
`;

/**
 * Moves WAL checkpoints off the request path. With SQLite's automatic checkpoint, every ~1,000 pages
 * one committing request copies the WAL into the database file and fsyncs it, which took that request
 * (and those queued behind it) 5–15 ms here — the p99 of decisions. Instead, a worker thread with its own
 * connection runs a PASSIVE checkpoint every `intervalMs` (it never blocks writers) — and a RESTART
 * one when the WAL has grown past `restartBytes` — while the main connection only checkpoints by itself
 * past `backstopPages` (should the worker ever stop).
 * Durability is unchanged: a commit is in the WAL before it returns, whoever checkpoints it later.
 */
export function startWalCheckpointer(
  db: Db,
  options: {
    intervalMs?: number;
    /** WAL size past which the worker forces the WAL to start over (default 64 MiB). */
    restartBytes?: number;
    backstopPages?: number;
    onError?: (message: string) => void;
  } = {},
): WalCheckpointer {
  leaveCheckpointsToWorker(db, options.backstopPages);
  // Once restarted, the WAL file is cut back to this size instead of staying at its largest.
  db.pragma(`journal_size_limit = ${options.restartBytes ?? 64 * 1024 * 1024}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      file: db.name,
      driver,
      intervalMs: options.intervalMs ?? 250,
      restartBytes: options.restartBytes ?? 64 * 1024 * 1024,
    },
  });
  worker.unref();
  worker.on('message', (message: { error?: string }) => {
    if (message.error) options.onError?.(message.error);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        // A worker stuck in a checkpoint still ends with the process.
        setTimeout(() => void worker.terminate(), 5000).unref();
      });
      return stopping;
    },
  };
}

/**
 * Makes a connection that writes beside the main one (a writer thread's) leave checkpoints to the
 * checkpointer's worker too, checkpointing by itself only past `backstopPages`.
 */
export function leaveCheckpointsToWorker(db: Db, backstopPages = 50_000): void {
  db.pragma(`wal_autocheckpoint = ${backstopPages}`);
}
