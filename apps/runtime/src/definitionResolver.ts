import type { Definition, DefinitionKind } from '@orderloom/schema';
import { definitionSchemas } from '@orderloom/schema';
import type { Environment } from './apiSchemas.ts';
import { environmentGeneration } from './db/environmentGeneration.ts';
import type { Db } from './db/openDatabase.ts';

/** What an environment currently serves for one definition. */
export interface ResolvedDefinition<C> {
  kind: DefinitionKind;
  id: string;
  environment: Environment;
  version: number;
  /** The version parsed by its kind's schema (defaults applied); frozen. */
  definition: Definition;
  /** The result of the resolver's `compile` for this version, shared by every request using it. */
  compiled: C;
}

/** Looks up published definitions per request; see {@link createDefinitionResolver}. */
export interface DefinitionResolver<C> {
  /**
   * The version `environment` points at right now, or undefined when it points nowhere (or the
   * definition does not exist). Call once per request and keep the result for that request.
   */
  resolvePublished(
    kind: DefinitionKind,
    id: string,
    environment: Environment,
  ): ResolvedDefinition<C> | undefined;
}

/**
 * Creates the resolver the decision and event endpoints use to find what to run.
 *
 * Environment pointers are cached until this process moves one (see {@link environmentGeneration}), so
 * a publish, promotion or rollback takes effect on the next request without a restart. Versions are
 * immutable, so their parsed and compiled forms are cached by (kind, id, version); a request keeps
 * the object it resolved even if the environment moves meanwhile.
 *
 * @param compile turns a parsed definition into whatever the caller executes (e.g. the engine's
 *   compiled routing strategy); it runs once per version. Defaults to the definition itself.
 * @example
 * const resolver = createDefinitionResolver(db, { compile: (d) => compileRouting(d as RoutingDefinition) });
 * const resolved = resolver.resolvePublished('routing', 'peak-season', 'production');
 */
export function createDefinitionResolver<C = Definition>(
  db: Db,
  options: { compile?: (definition: Definition) => C; maxCachedVersions?: number } = {},
): DefinitionResolver<C> {
  const compile = options.compile ?? ((definition: Definition) => definition as C);
  const maxCached = options.maxCachedVersions ?? 256;
  const selectVersion = db
    .prepare<[string, string, number], string>(
      'SELECT definition FROM definition_versions WHERE kind = ? AND id = ? AND version = ?',
    )
    .pluck();
  const selectPointer = db
    .prepare<[string, string, string], number>(
      'SELECT version FROM environments WHERE kind = ? AND id = ? AND environment = ?',
    )
    .pluck();
  const cache = new Map<string, { definition: Definition; compiled: C }>();
  // Pointers as last read, valid while the environment generation is unchanged.
  const pointers = new Map<string, number>();
  let pointersGeneration = environmentGeneration(db);

  return {
    resolvePublished(kind, id, environment) {
      const generation = environmentGeneration(db);
      if (generation !== pointersGeneration) {
        pointers.clear();
        pointersGeneration = generation;
      }
      const pointerKey = `${kind}\u0000${id}\u0000${environment}`;
      let version = pointers.get(pointerKey);
      if (version === undefined) {
        version = selectPointer.get(kind, id, environment);
        // Only pointers that exist are kept, so unknown ids in requests cannot grow the map.
        if (version === undefined) return undefined;
        pointers.set(pointerKey, version);
      }
      const key = `${kind}\u0000${id}\u0000${version}`;
      let entry = cache.get(key);
      if (entry) {
        // Re-insert to keep the map in least-recently-used order.
        cache.delete(key);
      } else {
        const json = selectVersion.get(kind, id, version);
        // A foreign key ties every pointer to an existing version.
        if (json === undefined) throw new Error(`${kind} "${id}" points at missing version ${version}`);
        const definition = deepFreeze(definitionSchemas[kind].parse(JSON.parse(json)) as Definition);
        entry = { definition, compiled: compile(definition) };
      }
      cache.set(key, entry);
      if (cache.size > maxCached) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return { kind, id, environment, version, definition: entry.definition, compiled: entry.compiled };
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
