import type { Db } from './openDatabase.ts';

/** One item stored by a {@link createGroupCommit} batch, with what its store returned. */
export interface Committed<Item, Stored> {
  item: Item;
  stored: Stored;
}

/**
 * Creates a group commit: items submitted in the same turn of the event loop are stored in one
 * immediate transaction (at most `maxBatch` per transaction), each in its own savepoint, so a throw
 * undoes only that item. Each promise settles only once the shared transaction has committed (or
 * rejects with the error of its own item, or of the commit).
 *
 * @param options.store stores one item; runs inside the batch transaction.
 * @param options.batch computed once per batch before its transaction begins (e.g. the batch's time)
 *   and passed to every `store` of that batch.
 * @param options.committed runs after the commit with the items that were stored.
 * @example
 * const commit = createGroupCommit({ db, store: (order: Order) => orders.insert(order) });
 * await commit(order); // stored and committed
 */
export function createGroupCommit<Item, Stored, Batch = undefined>(options: {
  db: Db;
  store: (item: Item, batch: Batch) => Stored;
  batch?: () => Batch;
  committed?: (committed: readonly Committed<Item, Stored>[]) => void;
  maxBatch?: number;
}): (item: Item) => Promise<Stored> {
  const { db, store, committed } = options;
  const maxBatch = options.maxBatch ?? 256;

  interface Queued {
    item: Item;
    resolve: (stored: Stored) => void;
    reject: (err: unknown) => void;
  }
  const queue: Queued[] = [];
  let flushScheduled = false;
  const batchTx = db.transaction((batch: readonly Queued[], context: Batch) =>
    batch.map((q): { ok: true; stored: Stored } | { ok: false; err: unknown } => {
      try {
        // Nested in the batch transaction this is a savepoint: a throw undoes only this item.
        return { ok: true, stored: store(q.item, context) };
      } catch (err) {
        return { ok: false, err };
      }
    }),
  );
  const flush = (): void => {
    flushScheduled = false;
    const batch = queue.splice(0, maxBatch);
    if (queue.length > 0) {
      flushScheduled = true;
      setImmediate(flush);
    }
    if (batch.length === 0) return;
    let results: ReturnType<typeof batchTx>;
    try {
      results = batchTx.immediate(batch, options.batch?.() as Batch);
    } catch (err) {
      for (const q of batch) q.reject(err);
      return;
    }
    const stored: Committed<Item, Stored>[] = [];
    results.forEach((r, i) => {
      const q = batch[i] as Queued;
      if (!r.ok) {
        q.reject(r.err);
        return;
      }
      stored.push({ item: q.item, stored: r.stored });
      q.resolve(r.stored);
    });
    committed?.(stored);
  };

  return (item) =>
    new Promise<Stored>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    });
}
