import type { CompiledStatusGraph } from '@orderloom/engine';
import type { StatusGraphDefinition } from '@orderloom/schema';
import type { Environment } from '../apiSchemas.ts';
import type { Db } from '../db/openDatabase.ts';
import type { DefinitionResolver, ResolvedDefinition } from '../definitionResolver.ts';

/** A published status graph, compiled. */
export type ResolvedStatusGraph = ResolvedDefinition<CompiledStatusGraph>;

/** Picks the status graph an order runs under; see {@link createStatusGraphSelector}. */
export interface StatusGraphSelector {
  /** The version `environment` serves of the graph an existing order was created under. */
  forOrder(graphId: string, environment: Environment): ResolvedStatusGraph | undefined;
  /**
   * The graph for a new order: among the status graphs published in `environment`, the first (by id)
   * whose `channels` include the order's channel; else the first whose `channels` is empty (the default
   * graph); else none.
   */
  forNewOrder(channel: string | undefined, environment: Environment): ResolvedStatusGraph | undefined;
}

/**
 * Graph selection. A new order gets the status graph whose `channels` list its channel (taken from the
 * event), or else the default graph (empty `channels`); ties go to the smallest definition id. The
 * order remembers the graph id, and every later event runs under the version that environment serves
 * *now*, so publishing a new version applies to orders in flight. The environment is production unless
 * the event is posted with `?environment=sandbox`.
 */
export function createStatusGraphSelector(
  db: Db,
  resolver: DefinitionResolver<CompiledStatusGraph>,
): StatusGraphSelector {
  const selectPublished = db
    .prepare<[string], string>(
      `SELECT id FROM environments WHERE kind = 'status-graph' AND environment = ? ORDER BY id`,
    )
    .pluck();
  return {
    forOrder(graphId, environment) {
      return resolver.resolvePublished('status-graph', graphId, environment);
    },
    forNewOrder(channel, environment) {
      let fallback: ResolvedStatusGraph | undefined;
      for (const id of selectPublished.all(environment)) {
        const resolved = resolver.resolvePublished('status-graph', id, environment);
        if (!resolved) continue;
        const channels = (resolved.definition as StatusGraphDefinition).channels;
        if (channel !== undefined && channels.includes(channel)) return resolved;
        if (channels.length === 0) fallback ??= resolved;
      }
      return fallback;
    },
  };
}
