import { Worker } from 'node:worker_threads';
import type { Clock } from '@orderloom/engine';
import type { Config } from '../config.ts';
import { onEnvironmentChange } from '../db/environmentGeneration.ts';
import type { Db } from '../db/openDatabase.ts';
import { onDeliveriesEnqueued } from '../effects/deliveryWakeups.ts';
import type { DeliveryWorker } from '../effects/deliveryWorker.ts';
import type { IngestItem, StoreOutcome } from './createIngestStore.ts';
import type { StatusWriter } from './createStatusService.ts';

/** What the status writer thread is started with (structured-cloneable). */
export interface StatusWriterData {
  /** The SQLite database file; the thread opens its own connection to it. */
  file: string;
  delivery: Config['delivery'];
  webhookAllow: string[];
  logLevel: Config['logLevel'];
}

/** How one item of a batch ended in the thread. */
export type StoredItem = { ok: true; outcome: StoreOutcome } | { ok: false; error: string };

/** Parent → thread. */
export type StatusWriterRequest =
  | { type: 'store'; batch: number; items: IngestItem[] }
  | { type: 'environment' }
  | { type: 'wake' }
  | { type: 'drain'; id: number }
  | { type: 'stop' };

/** Thread → parent. */
export type StatusWriterMessage =
  | { type: 'ready' }
  | { type: 'stored'; batch: number; results: StoredItem[] }
  | { type: 'drained'; id: number }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

/** The status writer thread: the ingest write path and the outbox worker. */
export interface StatusWriterThread {
  writer: StatusWriter;
  /** The outbox worker running in the thread (stopping it stops the thread). */
  deliveries: DeliveryWorker;
}

const threadEntry = new URL('./statusWriterThread.mjs', import.meta.url);
const maxBatch = 256;

interface Pending {
  resolve: (outcome: StoreOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Starts the status writer: a worker thread with its own connection to `db`'s file that stores verified
 * status events (graph selection, engine transition, hash chain, order, timers, alerts, outbox,
 * idempotency record) and runs the outbox worker sending deliveries. The thread serving HTTP keeps the
 * request work (auth, parsing, signature check) and hands each event over; events handed over in the
 * same turn of the event loop go in one message and share one immediate transaction there (group
 * commit), and a promise resolves only once that transaction has committed.
 *
 * One thread writes all events and deliveries, so the chain is appended by one writer at a time and
 * the request thread never waits for SQLite's write lock on their account. Environment changes and
 * deliveries enqueued on `db` (decisions, SLA alerts) reach the thread as messages. Should the thread
 * die, what it had not answered fails (none of it was acknowledged), events are refused meanwhile, and
 * it is started again after `restartDelayMs`. Resolves once the thread runs; rejects if it cannot start.
 *
 * @example
 * const { writer, deliveries } = await startStatusWriterThread({ db, clock, delivery: config.delivery,
 *   webhookAllow: config.webhookAllow, logLevel: config.logLevel });
 * const status = createStatusService({ db, clock, writer, signingKey, checkpointIntervalMs });
 * // on shutdown, once no request is in flight:
 * await deliveries.stop();
 */
export function startStatusWriterThread(options: {
  db: Db;
  clock: Clock;
  delivery: Config['delivery'];
  webhookAllow: string[];
  logLevel: Config['logLevel'];
  /** Called when the thread fails after it started (it is then started again). */
  onError?: (err: unknown) => void;
  /** Wait before starting a failed thread again; default 1 s. */
  restartDelayMs?: number;
}): Promise<StatusWriterThread> {
  const { db, clock } = options;
  const data: StatusWriterData = {
    file: db.name,
    delivery: options.delivery,
    webhookAllow: options.webhookAllow,
    logLevel: options.logLevel,
  };
  const restartDelayMs = options.restartDelayMs ?? 1000;
  // The running thread; undefined while it is (re)starting or once stopped.
  let thread: Worker | undefined;
  let stopped = false;
  const post = (message: StatusWriterRequest) => thread?.postMessage(message);
  const batches = new Map<number, Pending[]>();
  const drains = new Map<number, () => void>();
  let nextBatch = 0;
  let nextDrain = 0;
  let queued: { item: Omit<IngestItem, 'now'>; pending: Pending }[] = [];
  const unsubscribe: Array<() => void> = [];
  let confirmStopped: () => void = () => {};
  const stoppedByThread = new Promise<void>((resolve) => {
    confirmStopped = resolve;
  });

  // What the thread had not answered is lost with it: nothing of it was acknowledged, so a sender's
  // retry is safe (and idempotent if the commit did happen).
  const failInFlight = (reason: string) => {
    for (const pending of batches.values()) for (const p of pending) p.reject(new Error(reason));
    batches.clear();
    for (const q of queued) q.pending.reject(new Error(reason));
    queued = [];
    for (const resolve of drains.values()) resolve();
    drains.clear();
  };

  const flush = () => {
    if (!thread) {
      failInFlight('the status writer is not running');
      return;
    }
    // One receive time per batch, by the runtime's clock (which may be a test's fake clock).
    const now = clock.now();
    while (queued.length > 0) {
      const part = queued.splice(0, maxBatch);
      const batch = nextBatch++;
      batches.set(
        batch,
        part.map((q) => q.pending),
      );
      post({ type: 'store', batch, items: part.map((q) => ({ ...q.item, now })) });
    }
  };

  const writer: StatusWriter = {
    store(item) {
      if (!thread) return Promise.reject(new Error('the status writer is not running'));
      return new Promise<StoreOutcome>((resolve, reject) => {
        if (queued.length === 0) setImmediate(flush);
        queued.push({ item, pending: { resolve, reject } });
      });
    },
  };

  let stopping: Promise<void> | undefined;
  const deliveries: DeliveryWorker = {
    start() {
      if (unsubscribe.length > 0) return;
      unsubscribe.push(
        onDeliveriesEnqueued(db, () => post({ type: 'wake' })),
        onEnvironmentChange(db, () => post({ type: 'environment' })),
      );
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        for (const off of unsubscribe.splice(0)) off();
        const last = thread;
        if (last) {
          // Held until it has closed its connection, even if nothing else keeps the process running.
          last.ref();
          post({ type: 'stop' });
          await stoppedByThread;
          thread = undefined;
          await last.terminate();
        }
        failInFlight('the status writer was stopped');
      })();
      return stopping;
    },
    wake() {
      post({ type: 'wake' });
    },
    drain() {
      if (!thread) return Promise.resolve();
      const id = nextDrain++;
      return new Promise<void>((resolve) => {
        drains.set(id, resolve);
        post({ type: 'drain', id });
      });
    },
  };

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const started = new Worker(threadEntry, { workerData: data, execArgv: [] });
      // The HTTP server keeps the process alive; a runtime that is never closed should not hang on this.
      started.unref();
      let ready = false;
      started.on('message', (message: StatusWriterMessage) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            if (stopped) void started.terminate();
            else thread = started;
            resolve();
            break;
          case 'stored': {
            const pending = batches.get(message.batch) ?? [];
            batches.delete(message.batch);
            message.results.forEach((r, i) => {
              const p = pending[i];
              if (!p) return;
              if (r.ok) p.resolve(r.outcome);
              else p.reject(new Error(r.error));
            });
            break;
          }
          case 'drained':
            drains.get(message.id)?.();
            drains.delete(message.id);
            break;
          case 'stopped':
            confirmStopped();
            break;
          case 'error':
            if (ready) options.onError?.(new Error(message.message));
            else {
              reject(new Error(message.message));
              void started.terminate();
            }
            break;
        }
      });
      started.on('error', (err) => {
        if (ready) options.onError?.(err);
        else reject(err);
      });
      started.on('exit', (code) => {
        if (!ready) {
          reject(new Error(`the status writer thread exited (${code}) before it started`));
          return;
        }
        if (thread === started) thread = undefined;
        if (stopped) {
          confirmStopped();
          return;
        }
        failInFlight('the status writer thread stopped unexpectedly');
        options.onError?.(new Error(`the status writer thread exited (${code}); starting it again`));
        restartLater();
      });
    });
  const restartLater = () => {
    setTimeout(() => {
      if (stopped) return;
      spawn().catch((err: unknown) => {
        options.onError?.(err);
        restartLater();
      });
    }, restartDelayMs).unref();
  };

  return spawn().then(() => {
    deliveries.start();
    return { writer, deliveries };
  });
}
