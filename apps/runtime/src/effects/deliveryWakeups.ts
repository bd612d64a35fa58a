import { createConnectionListeners } from '../db/connectionListeners.ts';
import type { Db } from '../db/openDatabase.ts';

// Per database connection, so every producer holding the same `db` reaches the worker sending from
// it without being handed the worker.
const listeners = createConnectionListeners();
const scheduled = new WeakSet<Db>();

/** Calls `listener` soon after deliveries were enqueued on `db`; returns the unsubscribe. */
export function onDeliveriesEnqueued(db: Db, listener: () => void): () => void {
  return listeners.add(db, listener);
}

/**
 * Wakes the delivery worker of `db`. Enqueuing happens inside the producer's synchronous
 * better-sqlite3 transaction, so the wake-up runs on a later turn of the event loop: after the
 * commit (or the rollback, in which case the worker simply finds nothing new).
 */
export function notifyDeliveriesEnqueued(db: Db): void {
  if (scheduled.has(db)) return;
  scheduled.add(db);
  setImmediate(() => {
    scheduled.delete(db);
    for (const listener of listeners.of(db) ?? []) listener();
  });
}
