import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@orderloom/schema';
import { demoDefinitions, peakSeasonRouting } from '@orderloom/schema/fixtures';
import { describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/openDatabase.ts';
import { adminSecret, startTestRuntime, tempDataDir } from './testRuntime.ts';

describe('admin key bootstrap', () => {
  it('creates an admin key with exactly ORDERLOOM_ADMIN_KEY when no key exists, and writes no file', async () => {
    const t = await startTestRuntime({ env: { ORDERLOOM_ADMIN_KEY: 'my-chosen-admin-secret' } });
    try {
      expect((await t.api('GET', '/api/me', { key: 'my-chosen-admin-secret' })).body).toMatchObject({
        role: 'admin',
      });
      expect((await t.api('GET', '/api/me', { key: adminSecret })).status).toBe(401);
      expect(existsSync(join(t.dataDir, 'admin-key.txt'))).toBe(false);
      expect(t.printed).toEqual([]);
      expect(t.runtime.adminKey).toMatchObject({ created: true, source: 'environment' });
    } finally {
      await t.close();
    }
  });

  it('generates a random admin key when the variable is unset: printed once, saved 0600, kept across restarts', async () => {
    const dataDir = tempDataDir();
    const first = await startTestRuntime({ dataDir, env: { ORDERLOOM_ADMIN_KEY: '' } });
    let secret: string;
    try {
      const file = join(dataDir, 'admin-key.txt');
      secret = readFileSync(file, 'utf8').trim();
      expect(secret).toMatch(/^olk_[A-Za-z0-9_-]{43}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.printed).toHaveLength(1);
      expect(first.printed[0]).toContain(secret);
      expect((await first.api('GET', '/api/me', { key: secret })).body).toMatchObject({
        name: 'admin',
        role: 'admin',
      });
    } finally {
      await first.close();
    }

    // A later start with ORDERLOOM_ADMIN_KEY set changes nothing: keys already exist.
    const second = await startTestRuntime({ dataDir, env: { ORDERLOOM_ADMIN_KEY: 'late-secret' } });
    try {
      expect(second.printed).toEqual([]);
      expect(second.runtime.adminKey).toEqual({ created: false });
      expect((await second.api('GET', '/api/me', { key: secret })).status).toBe(200);
      expect((await second.api('GET', '/api/me', { key: 'late-secret' })).status).toBe(401);
      expect((await second.api('GET', '/api/keys', { key: secret })).body.items).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('demo data', () => {
  it('ships demo definitions without lint errors, including peak routing and the shipped-evidence status graph', () => {
    const kinds = demoDefinitions.map((d) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['routing', 'status-graph']));
    for (const definition of demoDefinitions) {
      expect(
        validate(definition.kind, definition).filter((r) => r.severity === 'error'),
        definition.id,
      ).toEqual([]);
    }
  });

  it('is loaded on first start, versioned and published by system, and not duplicated on the next start', async () => {
    const dataDir = tempDataDir();
    const first = await startTestRuntime({ dataDir, demoDefinitions });
    try {
      expect(first.runtime.seeded).toBe(demoDefinitions.length);
      const list = await first.api('GET', '/api/definitions');
      expect(list.body.items).toHaveLength(demoDefinitions.length);
      for (const definition of demoDefinitions) {
        const detail = await first.api('GET', `/api/definitions/${definition.kind}/${definition.id}`);
        expect(detail.status).toBe(200);
        expect(detail.body).toMatchObject({
          draft: JSON.parse(JSON.stringify(definition)),
          draftRevision: 1,
          versions: [
            { version: 1, createdBy: 'system', createdAt: expect.any(String), note: expect.any(String) },
          ],
          environments: { sandbox: 1, production: 1 },
        });
      }
      const audit = await first.api('GET', '/api/audit/publications?limit=500');
      expect(audit.body.items).toHaveLength(demoDefinitions.length * 2);
      expect(new Set(audit.body.items.map((p: { actor: string }) => p.actor))).toEqual(new Set(['system']));
      const sandboxFirst = [...audit.body.items]
        .reverse()
        .map((p: { id: string; environment: string }) => `${p.id}:${p.environment}`);
      for (const definition of demoDefinitions) {
        expect(sandboxFirst.indexOf(`${definition.id}:sandbox`)).toBeLessThan(
          sandboxFirst.indexOf(`${definition.id}:production`),
        );
      }
    } finally {
      await first.close();
    }

    const second = await startTestRuntime({ dataDir, demoDefinitions });
    try {
      expect(second.runtime.seeded).toBe(0);
      expect((await second.api('GET', '/api/definitions')).body.items).toHaveLength(demoDefinitions.length);
      expect((await second.api('GET', '/api/audit/publications?limit=500')).body.items).toHaveLength(
        demoDefinitions.length * 2,
      );
      const routing = demoDefinitions.find((d) => d.kind === 'routing');
      const detail = await second.api('GET', `/api/definitions/routing/${routing?.id}`);
      expect(detail.body.versions).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('is not loaded into a database that already has definitions', async () => {
    const dataDir = tempDataDir();
    const first = await startTestRuntime({ dataDir });
    await first.api('PUT', '/api/definitions/routing/mine/draft', {
      json: { definition: { ...peakSeasonRouting, id: 'mine' }, baseRevision: 0 },
    });
    await first.close();
    const second = await startTestRuntime({ dataDir, demoDefinitions });
    try {
      expect(second.runtime.seeded).toBe(0);
      expect(
        (await second.api('GET', '/api/definitions')).body.items.map((d: { id: string }) => d.id),
      ).toEqual(['mine']);
    } finally {
      await second.close();
    }
  });
});

describe('persistence', () => {
  it('keeps drafts, versions, environments, audit and keys across a restart on the same file', async () => {
    const dataDir = tempDataDir();
    const first = await startTestRuntime({ dataDir });
    const analyst = (await first.api('POST', '/api/keys', { json: { name: 'ana', role: 'analyst' } })).body
      .secret;
    const definition = { ...peakSeasonRouting, id: 'kept' };
    await first.api('PUT', '/api/definitions/routing/kept/draft', { json: { definition, baseRevision: 0 } });
    await first.api('POST', '/api/definitions/routing/kept/versions', { json: { note: 'v1' } });
    await first.api('PUT', '/api/definitions/routing/kept/environments/sandbox', { json: { version: 1 } });
    await first.api('PUT', '/api/definitions/routing/kept/draft', {
      key: analyst,
      json: { definition: { ...definition, name: 'edited' }, baseRevision: 1 },
    });
    const before = (await first.api('GET', '/api/definitions/routing/kept')).body;
    const auditBefore = (await first.api('GET', '/api/audit/publications')).body;
    await first.close();

    const second = await startTestRuntime({ dataDir });
    try {
      expect((await second.api('GET', '/api/definitions/routing/kept')).body).toEqual(before);
      expect(before).toMatchObject({ draftRevision: 2, environments: { sandbox: 1, production: null } });
      expect((await second.api('GET', '/api/audit/publications')).body).toEqual(auditBefore);
      expect((await second.api('GET', '/api/me', { key: analyst })).body.name).toBe('ana');
      const stale = await second.api('PUT', '/api/definitions/routing/kept/draft', {
        json: { definition, baseRevision: 1 },
      });
      expect(stale.status).toBe(409);
    } finally {
      await second.close();
    }
  });
});

describe('database', () => {
  it('runs in WAL mode with foreign keys and records applied migrations once', () => {
    const db = openDatabase(join(tempDataDir(), 'nested', 'orderloom.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      const applied = migrate(db);
      expect(applied[0]).toBe(1);
      expect(applied).toEqual([...applied].sort((a, b) => a - b));
      expect(migrate(db)).toEqual([]);
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
        applied,
      );
      db.exec(`INSERT INTO definitions VALUES ('routing', 'a', '{}', 1, 'now', 'now', 't')`);
      db.exec(`INSERT INTO definition_versions VALUES ('routing', 'a', 1, '{}', '', 'now', 't')`);
      expect(() => db.exec(`UPDATE definition_versions SET definition = '{"x":1}'`)).toThrow(/immutable/);
      expect(() =>
        db.exec(`INSERT INTO environments VALUES ('routing', 'a', 'sandbox', 2, 'now', 't')`),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer runtime', () => {
    const db = openDatabase(join(tempDataDir(), 'orderloom.db'));
    try {
      migrate(db);
      db.prepare('INSERT INTO schema_migrations VALUES (999, ?, ?)').run('future', 'now');
      expect(() => migrate(db)).toThrow(/newer/);
    } finally {
      db.close();
    }
  });
});
