import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../createLogger.ts';
import { bumpEnvironmentGeneration } from '../db/environmentGeneration.ts';
import { openDatabase } from '../db/openDatabase.ts';
import { leaveCheckpointsToWorker } from '../db/walCheckpointer.ts';
import { createDeliveryWorker } from '../effects/deliveryWorker.ts';
import { createWebhookUrlPolicy } from '../effects/webhookUrlPolicy.ts';
import { createIngestStore, type IngestItem } from './createIngestStore.ts';
import type {
  StatusWriterData,
  StatusWriterMessage,
  StatusWriterRequest,
  StoredItem,
} from './startStatusWriterThread.ts';

const port = parentPort;
if (!port) throw new Error('statusWriterThreadMain runs in a worker thread');
const data = workerData as StatusWriterData;
const post = (message: StatusWriterMessage) => port.postMessage(message);
const outboxDelayMs = 2;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

try {
  const db = openDatabase(data.file);
  // The runtime's WAL checkpointer thread checkpoints; a commit here must not stall on one.
  leaveCheckpointsToWorker(db);
  const logger = createLogger(data.logLevel);
  const store = createIngestStore(db);
  // Each item is a savepoint in its batch's transaction, so a throw undoes only that item.
  const storeItems = (items: readonly IngestItem[]) =>
    items.map((item): StoredItem => {
      try {
        return { ok: true, outcome: store(item) };
      } catch (err) {
        return { ok: false, error: messageOf(err) };
      }
    });

  // One immediate transaction per turn of the event loop: the outbox worker's claims and attempt
  // records (which claim only rows committed earlier), then every batch that arrived meanwhile. Under
  // load the commit — the WAL write of every touched page — is shared by many events and deliveries.
  let waiting: { batch: number; items: IngestItem[] }[] = [];
  let tasks: (() => void)[] = [];
  let turnQueued = false;
  let outboxTimer: NodeJS.Timeout | undefined;
  const runTurn = db.transaction((todo: readonly (() => void)[], items: readonly IngestItem[]) => {
    for (const task of todo) {
      try {
        task();
      } catch (err) {
        logger.error({ err }, 'outbox step failed');
      }
    }
    return storeItems(items);
  });
  const turn = () => {
    turnQueued = false;
    clearTimeout(outboxTimer);
    outboxTimer = undefined;
    const batches = waiting;
    const todo = tasks;
    waiting = [];
    tasks = [];
    const items = batches.flatMap((b) => b.items);
    let results: StoredItem[];
    try {
      results = runTurn.immediate(todo, items);
    } catch (err) {
      const error = messageOf(err);
      results = items.map(() => ({ ok: false, error }));
    }
    let offset = 0;
    for (const b of batches) {
      post({ type: 'stored', batch: b.batch, results: results.slice(offset, offset + b.items.length) });
      offset += b.items.length;
    }
  };
  const queueTurn = () => {
    if (turnQueued) return;
    turnQueued = true;
    setImmediate(turn);
  };
  // Outbox steps alone wait a little for events to share a commit with: every commit writes its
  // touched pages to the WAL whole, and sends finish at all times.
  const queueOutboxStep = (task: () => void) => {
    tasks.push(task);
    if (!turnQueued && outboxTimer === undefined) outboxTimer = setTimeout(turn, outboxDelayMs);
  };

  const deliveries = createDeliveryWorker({
    db,
    ...data.delivery,
    webhookUrlPolicy: createWebhookUrlPolicy(data.webhookAllow),
    logger: logger.child({ component: 'deliveries' }),
    defer: queueOutboxStep,
  });

  port.on('message', (message: StatusWriterRequest) => {
    switch (message.type) {
      case 'store':
        waiting.push({ batch: message.batch, items: message.items });
        queueTurn();
        break;
      case 'environment':
        bumpEnvironmentGeneration(db);
        break;
      case 'wake':
        deliveries.wake();
        break;
      case 'drain':
        deliveries
          .drain()
          .catch((err: unknown) => logger.error({ err }, 'delivery drain failed'))
          .finally(() => post({ type: 'drained', id: message.id }));
        break;
      case 'stop':
        deliveries
          .stop()
          .catch((err: unknown) => logger.error({ err }, 'delivery worker stop failed'))
          .finally(() => {
            db.close();
            post({ type: 'stopped' });
          });
        break;
    }
  });
  deliveries.start();
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'error', message: messageOf(err) });
}
