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
  {
    version: 2,
    name: 'subscriptions, deliveries (outbox), delivery attempts',
    sql: `
      CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        topics TEXT NOT NULL CHECK (json_valid(topics)),
        target TEXT NOT NULL CHECK (json_valid(target)),
        secret TEXT,
        description TEXT NOT NULL,
        owner TEXT UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
        disabled_reason TEXT,
        disabled_at TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        topic TEXT NOT NULL,
        dedupe_key TEXT,
        message_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
        attempts INTEGER NOT NULL CHECK (attempts >= 0),
        next_attempt_at INTEGER NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        redeliveries INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        delivered_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX deliveries_dedupe ON deliveries (subscription_id, topic, dedupe_key);
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
      CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, seq);

      CREATE TABLE delivery_attempts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL CHECK (attempt >= 1),
        at TEXT NOT NULL,
        status INTEGER,
        error TEXT,
        duration_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, seq);
    `,
  },
  {
    version: 3,
    name: 'status: sources, orders, events, hash-chained history, checkpoints, alerts, SLA timers',
    sql: `
      CREATE TABLE sources (
        system TEXT PRIMARY KEY,
        public_keys TEXT NOT NULL CHECK (json_valid(public_keys)),
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE orders (
        order_id TEXT PRIMARY KEY,
        environment TEXT NOT NULL CHECK (environment IN ('sandbox', 'production')),
        graph_id TEXT NOT NULL,
        graph_version INTEGER NOT NULL,
        channel TEXT,
        status TEXT NOT NULL,
        since INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (json_valid(state)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX orders_by_status ON orders (status);
      CREATE INDEX orders_by_channel ON orders (channel);

      CREATE TABLE status_events (
        system TEXT NOT NULL,
        event_id TEXT NOT NULL,
        order_id TEXT NOT NULL REFERENCES orders (order_id),
        seq INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        result TEXT NOT NULL CHECK (json_valid(result)),
        PRIMARY KEY (system, event_id)
      ) STRICT;

      CREATE TABLE history (
        seq INTEGER PRIMARY KEY,
        order_id TEXT NOT NULL,
        type TEXT NOT NULL,
        entry TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX history_by_order ON history (order_id, seq);

      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL
      ) STRICT;

      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL CHECK (type IN ('sla', 'path-violation', 'invalid-signature')),
        order_id TEXT,
        level TEXT NOT NULL CHECK (level IN ('warning', 'breach', 'escalation')),
        state TEXT NOT NULL CHECK (state IN ('open', 'acked')),
        message TEXT NOT NULL,
        notify TEXT NOT NULL CHECK (json_valid(notify)),
        details TEXT NOT NULL CHECK (json_valid(details)),
        occurrences INTEGER NOT NULL DEFAULT 1,
        raised_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        acked_at INTEGER,
        acked_by TEXT
      ) STRICT;
      CREATE INDEX alerts_by_state ON alerts (state, id);
      CREATE INDEX alerts_by_order ON alerts (order_id, state);

      CREATE TABLE sla_timers (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        timer TEXT NOT NULL CHECK (json_valid(timer))
      ) STRICT;
      CREATE INDEX sla_timers_due ON sla_timers (due_at);
      CREATE INDEX sla_timers_by_order ON sla_timers (order_id);
    `,
  },
  {
    version: 4,
    name: 'routing: facts, decisions with snapshots, backtests',
    sql: `
      CREATE TABLE facts (
        collection TEXT NOT NULL CHECK (collection IN ('warehouses', 'lanes', 'alerts')),
        id TEXT NOT NULL,
        body TEXT NOT NULL CHECK (json_valid(body)),
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      ) STRICT;

      -- The candidate lanes a decision read, stored once per distinct content (sha256 of the JSON).
      CREATE TABLE decision_lane_sets (
        hash TEXT PRIMARY KEY,
        lanes TEXT NOT NULL
      ) STRICT;

      CREATE TABLE decisions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        strategy_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        environment TEXT NOT NULL CHECK (environment IN ('sandbox', 'production')),
        order_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        tier_used TEXT,
        parcels INTEGER NOT NULL,
        elapsed_ms REAL NOT NULL,
        lane_set TEXT NOT NULL REFERENCES decision_lane_sets (hash),
        record TEXT NOT NULL
      ) STRICT;
      -- Apart from the decisions, whose scans (lists, backtests) never read the ranking.
      CREATE TABLE decision_rankings (
        seq INTEGER PRIMARY KEY REFERENCES decisions (seq),
        ranking BLOB NOT NULL
      ) STRICT;
      CREATE INDEX decisions_by_at ON decisions (at, seq);
      CREATE INDEX decisions_by_order ON decisions (order_id, at, seq);
      CREATE INDEX decisions_by_strategy ON decisions (strategy_id, at, seq);

      CREATE TABLE backtests (
        id TEXT PRIMARY KEY,
        strategy_id TEXT NOT NULL,
        candidate_version INTEGER,
        candidate_draft_revision INTEGER,
        candidate_definition TEXT NOT NULL CHECK (json_valid(candidate_definition)),
        baseline INTEGER NOT NULL,
        from_at INTEGER,
        to_at INTEGER,
        max_decisions INTEGER,
        max_seq INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
        processed INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL,
        result TEXT CHECK (result IS NULL OR json_valid(result)),
        error TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        CHECK ((candidate_version IS NULL) <> (candidate_draft_revision IS NULL))
      ) STRICT;
      CREATE INDEX backtests_by_state ON backtests (state);
    `,
  },
  {
    version: 5,
    name: 'decisions: scores instead of stored rankings',
    sql: `
      -- A ranking is recomputed from the snapshot and the immutable strategy version; the scores
      -- recorded at decision time tell whether that recomputation still reproduces it.
      ALTER TABLE decisions ADD COLUMN scores BLOB;
      DROP TABLE decision_rankings;
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
