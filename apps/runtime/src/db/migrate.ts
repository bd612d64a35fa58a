import type { Db } from './openDatabase.ts';

/** One schema change; `version`s are applied in ascending order, each exactly once. */
interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The database schema, as an append-only list. Never edit an applied migration: add a new one.
 * JSON columns hold the definition exactly as the analyst saved it (defaults not applied), so
 * diffs show what people wrote.
 */
const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'definitions, versions, environments, publications, api keys',
    sql: `
      CREATE TABLE definitions (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        draft TEXT NOT NULL,
        draft_revision INTEGER NOT NULL CHECK (draft_revision >= 1),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) STRICT;

      CREATE TABLE definition_versions (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        definition TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        PRIMARY KEY (kind, id, version),
        FOREIGN KEY (kind, id) REFERENCES definitions (kind, id)
      ) STRICT;

      CREATE TRIGGER definition_versions_immutable BEFORE UPDATE ON definition_versions
      BEGIN
        SELECT RAISE(ABORT, 'definition versions are immutable');
      END;

      CREATE TABLE environments (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('sandbox', 'production')),
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (kind, id, environment),
        FOREIGN KEY (kind, id, version) REFERENCES definition_versions (kind, id, version)
      ) STRICT;

      CREATE TABLE publications (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        actor_key_id TEXT,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('sandbox', 'production')),
        from_version INTEGER,
        to_version INTEGER NOT NULL,
        FOREIGN KEY (kind, id, to_version) REFERENCES definition_versions (kind, id, version)
      ) STRICT;
      CREATE INDEX publications_by_definition ON publications (kind, id, seq);

      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'service')),
        secret_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];

/**
 * Brings the database schema up to date inside one transaction and records each applied
 * migration in `schema_migrations`.
 *
 * @returns the versions applied by this call (empty when already current).
 * @throws Error when the database was written by a newer runtime than this one.
 */
export function migrate(db: Db): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((v) => Number(v)),
  );
  const latest = migrations.at(-1)?.version ?? 0;
  const newest = Math.max(0, ...applied);
  if (newest > latest) {
    throw new Error(`Database schema version ${newest} is newer than this runtime supports (${latest}).`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const pending = migrations.filter((m) => !applied.has(m.version));
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    }
  }).immediate();
  return pending.map((m) => m.version);
}
