import { createConnectionListeners } from './connectionListeners.ts';
import type { Db } from './openDatabase.ts';

// Per database connection, like the delivery wake-ups: whoever holds the same `db` sees the change.
const generations = new WeakMap<Db, number>();
const listeners = createConnectionListeners();

/**
 * A number that changes whenever this process moves an environment pointer on `db`, so readers may
 * cache pointers and re-read them only after a change. The runtime process owns its database: pointers
 * are only moved through its API (its decision thread follows them through {@link onEnvironmentChange}).
 */
export function environmentGeneration(db: Db): number {
  return generations.get(db) ?? 0;
}

/** Marks the environment pointers of `db` as changed (call inside the transaction that moves one). */
export function bumpEnvironmentGeneration(db: Db): void {
  generations.set(db, environmentGeneration(db) + 1);
  const waiting = listeners.of(db);
  // After the synchronous transaction has ended, so a listener never sees the pointer uncommitted.
  if (!waiting || waiting.size === 0) return;
  queueMicrotask(() => {
    for (const listener of waiting) listener();
  });
}

/** Calls `listener` after each change of the environment pointers of `db`; returns the unsubscribe. */
export function onEnvironmentChange(db: Db, listener: () => void): () => void {
  return listeners.add(db, listener);
}
