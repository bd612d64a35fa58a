import { type CompiledRouting, compileRouting, RoutingDefinitionError } from '@orderloom/engine';
import { type Report, type RoutingDefinition, routingDefinitionSchema, validate } from '@orderloom/schema';
import type { Environment } from '../apiSchemas.ts';
import { createDefinitionsRepository } from '../db/definitionsRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { createDefinitionResolver, type ResolvedDefinition } from '../definitionResolver.ts';

/** A compiled strategy version (or draft) chosen by number. */
export type StrategyLookup =
  | { ok: true; compiled: CompiledRouting; version: number | 'draft'; draftRevision?: number }
  | { ok: false; reason: 'definition-not-found' | 'version-not-found' }
  | { ok: false; reason: 'lint-errors'; reports: Report[] };

/** Compiled routing strategies for decisions, replays and backtests. See {@link createRoutingStrategies}. */
export type RoutingStrategies = ReturnType<typeof createRoutingStrategies>;

const maxCachedVersions = 64;

/**
 * One per process: resolves what an environment serves (through `createDefinitionResolver`, so a
 * publish takes effect on the next decision) and compiles any version or the current draft for
 * replays and backtests. Versions are immutable and compiled once; a draft is compiled once per
 * draft revision.
 */
export function createRoutingStrategies(db: Db) {
  const resolver = createDefinitionResolver<CompiledRouting>(db, {
    compile: (definition) => compileRouting(definition as RoutingDefinition),
  });
  const definitions = createDefinitionsRepository(db);
  const exists = db
    .prepare<[string], number>(`SELECT 1 FROM definitions WHERE kind = 'routing' AND id = ?`)
    .pluck();
  const versions = new Map<string, CompiledRouting>();
  let draft: { key: string; compiled: CompiledRouting } | undefined;

  const compile = (json: unknown): StrategyLookup & { ok: true | false } => {
    try {
      return { ok: true, compiled: compileRouting(routingDefinitionSchema.parse(json)), version: 'draft' };
    } catch (error) {
      if (error instanceof RoutingDefinitionError)
        return { ok: false, reason: 'lint-errors', reports: error.reports };
      throw error;
    }
  };

  return {
    /**
     * The version `environment` serves now, compiled; undefined when it serves none.
     *
     * @throws RoutingDefinitionError when the published version does not compile.
     */
    published(id: string, environment: Environment): ResolvedDefinition<CompiledRouting> | undefined {
      return resolver.resolvePublished('routing', id, environment);
    },

    /** True when a routing definition (draft or versions) with this id exists. */
    exists(id: string): boolean {
      return exists.get(id) !== undefined;
    },

    /** A version, or the current draft (linted first: a draft with errors is refused with its reports). */
    lookup(id: string, version: number | 'draft'): StrategyLookup {
      if (version === 'draft') {
        const current = definitions.getDraft('routing', id);
        if (!current) return { ok: false, reason: 'definition-not-found' };
        const key = `${id}\u0000${current.draftRevision}`;
        if (draft?.key === key) {
          return {
            ok: true,
            compiled: draft.compiled,
            version: 'draft',
            draftRevision: current.draftRevision,
          };
        }
        const reports = validate('routing', current.draft);
        if (reports.some((r) => r.severity === 'error')) return { ok: false, reason: 'lint-errors', reports };
        const compiled = compile(current.draft);
        if (!compiled.ok) return compiled;
        draft = { key, compiled: compiled.compiled };
        return {
          ok: true,
          compiled: compiled.compiled,
          version: 'draft',
          draftRevision: current.draftRevision,
        };
      }
      const key = `${id}\u0000${version}`;
      const cached = versions.get(key);
      if (cached) return { ok: true, compiled: cached, version };
      const record = definitions.getVersion('routing', id, version);
      if (!record) {
        return {
          ok: false,
          reason: exists.get(id) === undefined ? 'definition-not-found' : 'version-not-found',
        };
      }
      const compiled = compile(record.definition);
      if (!compiled.ok) return compiled;
      if (versions.size >= maxCachedVersions) {
        const oldest = versions.keys().next().value;
        if (oldest !== undefined) versions.delete(oldest);
      }
      versions.set(key, compiled.compiled);
      return { ok: true, compiled: compiled.compiled, version };
    },

    /** Compiles a definition given as JSON (e.g. a backtest's frozen draft). */
    compileDefinition(json: unknown): StrategyLookup {
      return compile(json);
    },
  };
}
