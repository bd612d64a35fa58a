import { type IndexedFacts, indexFacts } from '@orderloom/engine';
import { jsonPointer, type WarehouseFact, warehouseFactSchema } from '@orderloom/schema';
import type { Actor } from '../db/definitionsRepository.ts';
import {
  type AnyFact,
  type BulkResult,
  createFactsRepository,
  type FactCollection,
  type FactOf,
  type FactsRepository,
  type UpdateFactResult,
} from '../db/factsRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import type { WarehousePatch } from './routingApiSchemas.ts';

/** The facts a decision routes over, with the lane generation they were indexed at. */
export interface FactsView {
  indexed: IndexedFacts;
  /** Changes whenever any lane changes; decisions use it to reuse stored lane sets. */
  lanesGeneration: number;
}

/** The runtime's facts: stored in SQLite, served from memory. See {@link createFactsStore}. */
export type FactsStore = ReturnType<typeof createFactsStore>;

/**
 * A write-through cache of the facts tables. Every write commits to the database first and then
 * updates the in-memory maps; the engine's index (`indexFacts`) is rebuilt lazily on the next
 * decision after a change, so a decision never reads the database for facts.
 *
 * The cache belongs to one process: run one runtime per data directory (facts written to the same
 * file by another process are seen after a restart).
 */
export function createFactsStore(db: Db) {
  const repository: FactsRepository = createFactsRepository(db);
  const maps: { [C in FactCollection]: Map<string, FactOf[C]> } = {
    warehouses: new Map(repository.list('warehouses').map((f) => [f.id, f])),
    lanes: new Map(repository.list('lanes').map((f) => [f.id, f])),
    alerts: new Map(repository.list('alerts').map((f) => [f.id, f])),
  };
  let view: FactsView | undefined;
  let lanesGeneration = 0;
  const listeners = new Set<(collection: FactCollection, ids: string[] | null) => void>();

  // `ids` null: the whole collection may have changed.
  const changed = (collection: FactCollection, ids: string[] | null) => {
    view = undefined;
    if (collection === 'lanes') lanesGeneration++;
    for (const listener of listeners) listener(collection, ids);
  };

  const byId = (a: AnyFact, b: AnyFact) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  return {
    repository,

    /**
     * The facts indexed for routing. The object is replaced (never mutated) when a fact changes, so
     * a decision holding it reads one consistent state.
     */
    view(): FactsView {
      if (!view) {
        // Sorted by id: candidate order must not depend on the order facts arrived in.
        view = {
          indexed: indexFacts({
            warehouses: new Map([...maps.warehouses.values()].sort(byId).map((w) => [w.id, w])),
            lanes: [...maps.lanes.values()].sort(byId),
            alerts: [...maps.alerts.values()].sort(byId),
          }),
          lanesGeneration,
        };
      }
      return view;
    },

    /** Number of facts in a collection. */
    size(collection: FactCollection): number {
      return maps[collection].size;
    },

    /** Every fact of a collection, ordered by id. */
    list<C extends FactCollection>(collection: C): FactOf[C][] {
      return [...maps[collection].values()].sort(byId) as FactOf[C][];
    },

    /** One fact, or undefined. */
    get<C extends FactCollection>(collection: C, id: string): FactOf[C] | undefined {
      return maps[collection].get(id) as FactOf[C] | undefined;
    },

    /** Creates or replaces one validated fact. */
    put<C extends FactCollection>(collection: C, fact: FactOf[C], actor: Actor): { created: boolean } {
      const result = repository.put(collection, fact, actor);
      (maps[collection] as Map<string, FactOf[C]>).set(fact.id, fact);
      changed(collection, [fact.id]);
      return result;
    },

    /**
     * Applies a partial update to a warehouse inside one immediate transaction (see
     * {@link applyWarehousePatch}): concurrent stock and load deltas never overwrite each other.
     */
    patchWarehouse(id: string, patch: WarehousePatch, actor: Actor): UpdateFactResult<WarehouseFact> {
      const result = repository.update(
        'warehouses',
        id,
        (current) => applyWarehousePatch(current, patch),
        actor,
      );
      if (result.ok) {
        maps.warehouses.set(id, result.fact);
        changed('warehouses', [id]);
      }
      return result;
    },

    /** Deletes one fact; false when it did not exist. */
    delete(collection: FactCollection, id: string): boolean {
      const deleted = repository.delete(collection, id);
      if (deleted) {
        maps[collection].delete(id);
        changed(collection, [id]);
      }
      return deleted;
    },

    /** Upserts (or, with `replace`, replaces the collection by) many validated facts: all or nothing. */
    bulk<C extends FactCollection>(
      collection: C,
      facts: readonly FactOf[C][],
      options: { replace: boolean; actor: Actor },
    ): BulkResult {
      const result = repository.bulk(collection, facts, options);
      const map = maps[collection] as Map<string, FactOf[C]>;
      if (options.replace) map.clear();
      for (const fact of facts) map.set(fact.id, fact);
      changed(collection, options.replace ? null : facts.map((f) => f.id));
      return result;
    },

    /**
     * Calls `listener` after every committed change, with the ids written (null: the whole collection);
     * returns the unsubscribe.
     */
    onChange(listener: (collection: FactCollection, ids: string[] | null) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /**
     * Re-reads facts another connection has committed: the given ids of a collection, or all of it
     * (null). Used by the decision thread, whose copy follows the main thread's writes.
     */
    reload(collection: FactCollection, ids: readonly string[] | null): void {
      const map = maps[collection] as Map<string, AnyFact>;
      if (ids === null) {
        map.clear();
        for (const fact of repository.list(collection)) map.set(fact.id, fact);
      } else {
        for (const id of ids) {
          const fact = repository.get(collection, id);
          if (fact) map.set(id, fact);
          else map.delete(id);
        }
      }
      changed(collection, ids === null ? null : [...ids]);
    },
  };
}

/**
 * Applies a PATCH to a warehouse: fields are set, `null` removes `city`/`lat`/`lon`, `loadDelta` and
 * `stockDelta` add to the current values. A result that would leave negative stock or load is refused
 * (nothing is stored) with the JSON Pointer of the offending field.
 */
export function applyWarehousePatch(
  current: WarehouseFact,
  patch: WarehousePatch,
): { ok: true; fact: WarehouseFact } | { ok: false; detail: string; path: string } {
  const next: Record<string, unknown> = { ...current, stock: { ...current.stock } };
  const { loadDelta, stock, stockDelta, ...fields } = patch;
  for (const [key, value] of Object.entries(fields)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  if (loadDelta !== undefined) {
    const load = current.load + loadDelta;
    if (load < 0) {
      return { ok: false, path: '/loadDelta', detail: `load would become ${load} (it is ${current.load})` };
    }
    next.load = load;
  }
  const nextStock = next.stock as Record<string, number>;
  for (const [sku, qty] of Object.entries(stock ?? {})) nextStock[sku] = qty;
  for (const [sku, delta] of Object.entries(stockDelta ?? {})) {
    const has = current.stock[sku] ?? 0;
    if (has + delta < 0) {
      return {
        ok: false,
        path: jsonPointer(['stockDelta', sku]),
        detail: `${current.id} has ${has} of ${sku}; taking ${-delta} would leave ${has + delta}`,
      };
    }
    nextStock[sku] = has + delta;
  }
  const parsed = warehouseFactSchema.safeParse(next);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      path: jsonPointer(issue?.path ?? []),
      detail: issue?.message ?? 'the patched warehouse is invalid',
    };
  }
  return { ok: true, fact: parsed.data };
}
