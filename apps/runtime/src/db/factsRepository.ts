import type { AlertFact, LaneFact, WarehouseFact } from '@orderloom/schema';
import type { Actor } from './definitionsRepository.ts';
import type { Db } from './openDatabase.ts';

/** The three fact collections the company's systems push. */
export const factCollections = ['warehouses', 'lanes', 'alerts'] as const;
/** A fact collection name, as in `/api/facts/:collection`. */
export type FactCollection = (typeof factCollections)[number];

/** The fact type of each collection. */
export interface FactOf {
  warehouses: WarehouseFact;
  lanes: LaneFact;
  alerts: AlertFact;
}

/** Any fact; every fact has an `id`. */
export type AnyFact = FactOf[FactCollection];

/** Outcome of {@link FactsRepository.update}. */
export type UpdateFactResult<T> =
  | { ok: true; fact: T }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'rejected'; detail: string; path: string };

/** Outcome of {@link FactsRepository.bulk}. */
export interface BulkResult {
  created: number;
  updated: number;
  deleted: number;
}

interface FactRow {
  id: string;
  body: string;
}

/** Storage of warehouse, lane and alert facts; every write is one committed transaction. */
export type FactsRepository = ReturnType<typeof createFactsRepository>;

/**
 * Creates the facts repository over a migrated database. Facts are stored as validated JSON, one row
 * per (collection, id); the caller validates before writing.
 */
export function createFactsRepository(db: Db) {
  const selectAll = db.prepare<[string], FactRow>(
    'SELECT id, body FROM facts WHERE collection = ? ORDER BY id',
  );
  const selectBody = db
    .prepare<[string, string], string>('SELECT body FROM facts WHERE collection = ? AND id = ?')
    .pluck();
  const exists = db
    .prepare<[string, string], number>('SELECT 1 FROM facts WHERE collection = ? AND id = ?')
    .pluck();
  const countAll = db.prepare<[], number>('SELECT count(*) FROM facts').pluck();
  const upsert = db.prepare<{ collection: string; id: string; body: string; at: string; actor: string }>(
    `INSERT INTO facts (collection, id, body, updated_at, updated_by) VALUES (@collection, @id, @body, @at, @actor)
     ON CONFLICT (collection, id) DO UPDATE
       SET body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const deleteOne = db.prepare<[string, string]>('DELETE FROM facts WHERE collection = ? AND id = ?');
  const selectIds = db.prepare<[string], string>('SELECT id FROM facts WHERE collection = ?').pluck();

  const putTx = db.transaction((collection: FactCollection, fact: AnyFact, actor: Actor): boolean => {
    const created = exists.get(collection, fact.id) === undefined;
    upsert.run({
      collection,
      id: fact.id,
      body: JSON.stringify(fact),
      at: new Date().toISOString(),
      actor: actor.name,
    });
    return created;
  });

  const updateTx = db.transaction(
    <T extends AnyFact>(
      collection: FactCollection,
      id: string,
      change: (current: T) => { ok: true; fact: T } | { ok: false; detail: string; path: string },
      actor: Actor,
    ): UpdateFactResult<T> => {
      const body = selectBody.get(collection, id);
      if (body === undefined) return { ok: false, reason: 'not-found' };
      const next = change(JSON.parse(body) as T);
      if (!next.ok) return { ok: false, reason: 'rejected', detail: next.detail, path: next.path };
      upsert.run({
        collection,
        id,
        body: JSON.stringify(next.fact),
        at: new Date().toISOString(),
        actor: actor.name,
      });
      return { ok: true, fact: next.fact };
    },
  );

  const bulkTx = db.transaction(
    (collection: FactCollection, facts: readonly AnyFact[], replace: boolean, actor: Actor): BulkResult => {
      const before = new Set(selectIds.all(collection));
      const at = new Date().toISOString();
      let created = 0;
      for (const fact of facts) {
        if (!before.has(fact.id)) created++;
        upsert.run({ collection, id: fact.id, body: JSON.stringify(fact), at, actor: actor.name });
      }
      let deleted = 0;
      if (replace) {
        const kept = new Set(facts.map((f) => f.id));
        for (const id of before) {
          if (!kept.has(id)) deleted += deleteOne.run(collection, id).changes;
        }
      }
      return { created, updated: facts.length - created, deleted };
    },
  );

  return {
    /** Number of facts stored, all collections together. */
    count(): number {
      return countAll.get() ?? 0;
    },

    /** Every fact of a collection, ordered by id. */
    list<C extends FactCollection>(collection: C): FactOf[C][] {
      return selectAll.all(collection).map((row) => JSON.parse(row.body) as FactOf[C]);
    },

    /** One fact, or undefined. */
    get<C extends FactCollection>(collection: C, id: string): FactOf[C] | undefined {
      const body = selectBody.get(collection, id);
      return body === undefined ? undefined : (JSON.parse(body) as FactOf[C]);
    },

    /** Creates or replaces one (validated) fact. */
    put<C extends FactCollection>(collection: C, fact: FactOf[C], actor: Actor): { created: boolean } {
      return { created: putTx.immediate(collection, fact, actor) };
    },

    /**
     * Reads, changes and writes one fact inside a single immediate transaction, so concurrent updates
     * (stock deltas from several systems, or several runtime processes) never lose each other's writes.
     * `change` returns the complete new fact (validated by the caller) or a rejection that stores nothing.
     */
    update<C extends FactCollection>(
      collection: C,
      id: string,
      change: (
        current: FactOf[C],
      ) => { ok: true; fact: FactOf[C] } | { ok: false; detail: string; path: string },
      actor: Actor,
    ): UpdateFactResult<FactOf[C]> {
      return updateTx.immediate(collection, id, change as never, actor) as UpdateFactResult<FactOf[C]>;
    },

    /** Deletes one fact; false when it did not exist. */
    delete(collection: FactCollection, id: string): boolean {
      return deleteOne.run(collection, id).changes > 0;
    },

    /**
     * Upserts many (validated) facts in one transaction: all or nothing. With `replace`, facts of the
     * collection that are not in `facts` are deleted, so the collection becomes exactly the snapshot.
     */
    bulk<C extends FactCollection>(
      collection: C,
      facts: readonly FactOf[C][],
      options: { replace: boolean; actor: Actor },
    ): BulkResult {
      return bulkTx.immediate(collection, facts, options.replace, options.actor);
    },
  };
}
