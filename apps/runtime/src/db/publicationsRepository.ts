import type { DefinitionKind } from '@orderloom/schema';
import type { Environment, Publication } from '../apiSchemas.ts';
import type { Actor } from './definitionsRepository.ts';
import { bumpEnvironmentGeneration } from './environmentGeneration.ts';
import type { Db } from './openDatabase.ts';

/** Outcome of {@link PublicationsRepository.setEnvironment}. */
export type SetEnvironmentResult =
  | { ok: true; fromVersion: number | null; toVersion: number; changed: boolean }
  | { ok: false; reason: 'definition-not-found' | 'version-not-found' | 'not-in-sandbox' };

interface PublicationRow {
  seq: number;
  at: string;
  actor: string;
  actor_key_id: string | null;
  kind: DefinitionKind;
  id: string;
  environment: Environment;
  from_version: number | null;
  to_version: number;
}

/** Environment pointers and their audit trail. */
export type PublicationsRepository = ReturnType<typeof createPublicationsRepository>;

/**
 * Creates the repository of environment pointers and the publication audit over a migrated
 * database, with its statements prepared once.
 */
export function createPublicationsRepository(db: Db) {
  const definitionExists = db
    .prepare<[string, string], number>('SELECT 1 FROM definitions WHERE kind = ? AND id = ?')
    .pluck();
  const versionExists = db
    .prepare<[string, string, number], number>(
      'SELECT 1 FROM definition_versions WHERE kind = ? AND id = ? AND version = ?',
    )
    .pluck();
  const wasInSandbox = db
    .prepare<[string, string, number], number>(
      `SELECT 1 FROM publications WHERE kind = ? AND id = ? AND environment = 'sandbox' AND to_version = ? LIMIT 1`,
    )
    .pluck();
  const selectPointer = db
    .prepare<[string, string, string], number>(
      'SELECT version FROM environments WHERE kind = ? AND id = ? AND environment = ?',
    )
    .pluck();
  const upsertPointer = db.prepare(
    `INSERT INTO environments (kind, id, environment, version, updated_at, updated_by)
     VALUES (@kind, @id, @environment, @version, @at, @actor)
     ON CONFLICT (kind, id, environment) DO UPDATE
       SET version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  );
  const insertPublication = db.prepare(
    `INSERT INTO publications (at, actor, actor_key_id, kind, id, environment, from_version, to_version)
     VALUES (@at, @actor, @actorKeyId, @kind, @id, @environment, @fromVersion, @version)`,
  );
  const listPublications = db.prepare<
    { kind: string | null; id: string | null; before: number | null; limit: number },
    PublicationRow
  >(
    `SELECT seq, at, actor, actor_key_id, kind, id, environment, from_version, to_version FROM publications
     WHERE (@kind IS NULL OR kind = @kind) AND (@id IS NULL OR id = @id) AND (@before IS NULL OR seq < @before)
     ORDER BY seq DESC LIMIT @limit`,
  );

  const setEnvironmentTx = db.transaction(
    (
      kind: DefinitionKind,
      id: string,
      environment: Environment,
      version: number,
      actor: Actor,
    ): SetEnvironmentResult => {
      if (!definitionExists.get(kind, id)) return { ok: false, reason: 'definition-not-found' };
      if (!versionExists.get(kind, id, version)) return { ok: false, reason: 'version-not-found' };
      if (environment === 'production' && !wasInSandbox.get(kind, id, version)) {
        return { ok: false, reason: 'not-in-sandbox' };
      }
      const fromVersion = selectPointer.get(kind, id, environment) ?? null;
      if (fromVersion === version) return { ok: true, fromVersion, toVersion: version, changed: false };
      const at = new Date().toISOString();
      upsertPointer.run({ kind, id, environment, version, at, actor: actor.name });
      bumpEnvironmentGeneration(db);
      insertPublication.run({
        at,
        actor: actor.name,
        actorKeyId: actor.keyId,
        kind,
        id,
        environment,
        fromVersion,
        version,
      });
      return { ok: true, fromVersion, toVersion: version, changed: true };
    },
  );

  return {
    /**
     * The version an environment points at, read fresh on every call so a change takes effect on
     * the next request.
     */
    getPointer(kind: DefinitionKind, id: string, environment: Environment): number | null {
      return selectPointer.get(kind, id, environment) ?? null;
    },

    /**
     * Points an environment at a version and records the change. Production only accepts a
     * version that has been published to sandbox at some point. Pointing at the current version
     * changes nothing and records nothing.
     */
    setEnvironment(input: {
      kind: DefinitionKind;
      id: string;
      environment: Environment;
      version: number;
      actor: Actor;
    }): SetEnvironmentResult {
      return setEnvironmentTx.immediate(input.kind, input.id, input.environment, input.version, input.actor);
    },

    /**
     * Environment changes, newest first. Page with `before` = the `seq` of the last item seen.
     */
    list(filter: { kind?: DefinitionKind; id?: string; before?: number; limit: number }): Publication[] {
      return listPublications
        .all({
          kind: filter.kind ?? null,
          id: filter.id ?? null,
          before: filter.before ?? null,
          limit: filter.limit,
        })
        .map((row) => ({
          seq: row.seq,
          at: row.at,
          actor: row.actor,
          actorKeyId: row.actor_key_id,
          kind: row.kind,
          id: row.id,
          environment: row.environment,
          fromVersion: row.from_version,
          toVersion: row.to_version,
        }));
    },
  };
}
