import type { DefinitionKind, Report } from '@orderloom/schema';
import type {
  DefinitionDetail,
  DefinitionSummary,
  EnvironmentPointers,
  VersionInfo,
  VersionRecord,
} from '../apiSchemas.ts';
import type { Db } from './openDatabase.ts';

/** Who performed a write: a key's name (and id), or `system` for seeding. */
export interface Actor {
  name: string;
  keyId: string | null;
}

/** Outcome of {@link DefinitionsRepository.saveDraft}. */
export type SaveDraftResult =
  | { ok: true; draftRevision: number }
  | { ok: false; reason: 'stale-revision'; currentRevision: number };

/** Outcome of {@link DefinitionsRepository.createVersion}. */
export type CreateVersionResult =
  | { ok: true; version: VersionInfo; reports: Report[] }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'lint-errors'; reports: Report[] };

interface DefinitionRow {
  kind: DefinitionKind;
  id: string;
  draft: string;
  draft_revision: number;
  updated_at: string;
  updated_by: string;
}

interface SummaryRow extends Omit<DefinitionRow, 'draft'> {
  name: string | null;
  latest: number | null;
  sandbox: number | null;
  production: number | null;
}

interface VersionRow {
  version: number;
  definition: string;
  note: string;
  created_at: string;
  created_by: string;
}

/** Storage of drafts and immutable versions; every write is one committed transaction. */
export type DefinitionsRepository = ReturnType<typeof createDefinitionsRepository>;

/**
 * Creates the repository of drafts and versions over a migrated database, with its statements
 * prepared once.
 */
export function createDefinitionsRepository(db: Db) {
  const selectDefinition = db.prepare<[string, string], DefinitionRow>(
    'SELECT kind, id, draft, draft_revision, updated_at, updated_by FROM definitions WHERE kind = ? AND id = ?',
  );
  const selectRevision = db
    .prepare<[string, string], number>('SELECT draft_revision FROM definitions WHERE kind = ? AND id = ?')
    .pluck();
  const listAll = db.prepare<[], SummaryRow>(listSql(''));
  const listByKind = db.prepare<[string], SummaryRow>(listSql('WHERE d.kind = ?'));
  const countAll = db.prepare<[], number>('SELECT count(*) FROM definitions').pluck();
  const insertDefinition = db.prepare(
    `INSERT INTO definitions (kind, id, draft, draft_revision, created_at, updated_at, updated_by)
     VALUES (@kind, @id, @draft, 1, @at, @at, @actor)`,
  );
  const updateDraft = db.prepare(
    `UPDATE definitions SET draft = @draft, draft_revision = draft_revision + 1, updated_at = @at, updated_by = @actor
     WHERE kind = @kind AND id = @id`,
  );
  const selectVersions = db.prepare<[string, string], Omit<VersionRow, 'definition'>>(
    'SELECT version, note, created_at, created_by FROM definition_versions WHERE kind = ? AND id = ? ORDER BY version',
  );
  const selectVersion = db.prepare<[string, string, number], VersionRow>(
    'SELECT version, definition, note, created_at, created_by FROM definition_versions WHERE kind = ? AND id = ? AND version = ?',
  );
  const selectLatestVersion = db
    .prepare<[string, string], number | null>(
      'SELECT max(version) FROM definition_versions WHERE kind = ? AND id = ?',
    )
    .pluck();
  const insertVersion = db.prepare(
    `INSERT INTO definition_versions (kind, id, version, definition, note, created_at, created_by)
     VALUES (@kind, @id, @version, @definition, @note, @at, @actor)`,
  );
  const selectEnvironments = db.prepare<[string, string], { environment: string; version: number }>(
    'SELECT environment, version FROM environments WHERE kind = ? AND id = ?',
  );

  const saveDraftTx = db.transaction(
    (
      kind: DefinitionKind,
      id: string,
      definition: unknown,
      baseRevision: number,
      actor: Actor,
    ): SaveDraftResult => {
      const current = selectRevision.get(kind, id) ?? 0;
      if (current !== baseRevision) return { ok: false, reason: 'stale-revision', currentRevision: current };
      const row = {
        kind,
        id,
        draft: JSON.stringify(definition),
        at: new Date().toISOString(),
        actor: actor.name,
      };
      if (current === 0) insertDefinition.run(row);
      else updateDraft.run(row);
      return { ok: true, draftRevision: current + 1 };
    },
  );

  const createVersionTx = db.transaction(
    (
      kind: DefinitionKind,
      id: string,
      note: string,
      actor: Actor,
      lint: (draft: unknown) => Report[],
    ): CreateVersionResult => {
      const row = selectDefinition.get(kind, id);
      if (!row) return { ok: false, reason: 'not-found' };
      const draft: unknown = JSON.parse(row.draft);
      const reports = lint(draft);
      if (reports.some((r) => r.severity === 'error')) return { ok: false, reason: 'lint-errors', reports };
      const version = (selectLatestVersion.get(kind, id) ?? 0) + 1;
      const at = new Date().toISOString();
      insertVersion.run({ kind, id, version, definition: row.draft, note, at, actor: actor.name });
      return { ok: true, version: { version, createdAt: at, createdBy: actor.name, note }, reports };
    },
  );

  function environmentsOf(kind: string, id: string): EnvironmentPointers {
    const pointers: EnvironmentPointers = { sandbox: null, production: null };
    for (const row of selectEnvironments.all(kind, id)) {
      if (row.environment === 'sandbox' || row.environment === 'production')
        pointers[row.environment] = row.version;
    }
    return pointers;
  }

  return {
    /** Number of definitions stored (drafts included). */
    count(): number {
      return countAll.get() ?? 0;
    },

    /** Lists definitions, optionally of one kind, ordered by kind then id. */
    list(kind?: DefinitionKind): DefinitionSummary[] {
      const rows = kind ? listByKind.all(kind) : listAll.all();
      return rows.map((row) => ({
        kind: row.kind,
        id: row.id,
        name: row.name,
        draftRevision: row.draft_revision,
        updatedAt: row.updated_at,
        updatedBy: row.updated_by,
        latestVersion: row.latest,
        environments: { sandbox: row.sandbox, production: row.production },
      }));
    },

    /** The definition with its draft, version list and environment pointers, or undefined. */
    get(kind: DefinitionKind, id: string): DefinitionDetail | undefined {
      const row = selectDefinition.get(kind, id);
      if (!row) return undefined;
      return {
        id: row.id,
        kind: row.kind,
        draft: JSON.parse(row.draft),
        draftRevision: row.draft_revision,
        versions: selectVersions.all(kind, id).map((v) => ({
          version: v.version,
          createdAt: v.created_at,
          createdBy: v.created_by,
          note: v.note,
        })),
        environments: environmentsOf(kind, id),
      };
    },

    /** The current draft and its revision, or undefined. */
    getDraft(kind: DefinitionKind, id: string): { draft: unknown; draftRevision: number } | undefined {
      const row = selectDefinition.get(kind, id);
      return row ? { draft: JSON.parse(row.draft), draftRevision: row.draft_revision } : undefined;
    },

    /** One immutable version, or undefined. */
    getVersion(kind: DefinitionKind, id: string, version: number): VersionRecord | undefined {
      const row = selectVersion.get(kind, id, version);
      if (!row) return undefined;
      return {
        kind,
        id,
        version: row.version,
        createdAt: row.created_at,
        createdBy: row.created_by,
        note: row.note,
        definition: JSON.parse(row.definition),
      };
    },

    /**
     * Saves the draft if `baseRevision` equals the current draft revision (0 when the definition
     * does not exist yet, which creates it). A stale base saves nothing.
     */
    saveDraft(input: {
      kind: DefinitionKind;
      id: string;
      definition: unknown;
      baseRevision: number;
      actor: Actor;
    }): SaveDraftResult {
      return saveDraftTx.immediate(input.kind, input.id, input.definition, input.baseRevision, input.actor);
    },

    /**
     * Freezes the current draft as the next version unless `lint` reports an error; the draft is
     * read and linted inside the same transaction that writes the version.
     */
    createVersion(input: {
      kind: DefinitionKind;
      id: string;
      note: string;
      actor: Actor;
      lint: (draft: unknown) => Report[];
    }): CreateVersionResult {
      return createVersionTx.immediate(input.kind, input.id, input.note, input.actor, input.lint);
    },
  };
}

function listSql(where: string): string {
  return `SELECT d.kind, d.id, d.draft_revision, d.updated_at, d.updated_by,
      CASE WHEN json_type(d.draft, '$.name') = 'text' THEN json_extract(d.draft, '$.name') END AS name,
      (SELECT max(v.version) FROM definition_versions v WHERE v.kind = d.kind AND v.id = d.id) AS latest,
      (SELECT e.version FROM environments e WHERE e.kind = d.kind AND e.id = d.id AND e.environment = 'sandbox') AS sandbox,
      (SELECT e.version FROM environments e WHERE e.kind = d.kind AND e.id = d.id AND e.environment = 'production') AS production
    FROM definitions d ${where} ORDER BY d.kind, d.id`;
}
