import type { Db } from './openDatabase.ts';

// Per database connection, like the delivery wake-ups: whoever holds the same `db` sees the change.
const generations = new WeakMap<Db, number>();

/**
 * A number that changes whenever this process moves an environment pointer on `db`, so readers may
 * cache pointers and re-read them only after a change. The runtime process owns its database: pointers
 * are only moved through its API.
 */
export function environmentGeneration(db: Db): number {
  return generations.get(db) ?? 0;
}

/** Marks the environment pointers of `db` as changed (call inside the transaction that moves one). */
export function bumpEnvironmentGeneration(db: Db): void {
  generations.set(db, environmentGeneration(db) + 1);
}
