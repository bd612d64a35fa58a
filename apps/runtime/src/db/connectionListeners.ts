import type { Db } from './openDatabase.ts';

/**
 * Listeners kept per database connection, so that whoever holds the same `db` reaches them without
 * being handed the listener (see `onDeliveriesEnqueued`, `onEnvironmentChange`).
 */
export function createConnectionListeners() {
  const listeners = new WeakMap<Db, Set<() => void>>();
  return {
    /** Adds `listener` for `db`; returns the unsubscribe. */
    add(db: Db, listener: () => void): () => void {
      let set = listeners.get(db);
      if (!set) {
        set = new Set();
        listeners.set(db, set);
      }
      set.add(listener);
      return () => set.delete(listener);
    },
    /** The listeners of `db` (none: undefined or empty). */
    of(db: Db): ReadonlySet<() => void> | undefined {
      return listeners.get(db);
    },
  };
}
