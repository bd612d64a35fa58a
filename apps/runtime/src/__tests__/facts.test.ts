import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadAlerts, loadLanes, loadWarehouses } from '@orderloom/schema/fixtures';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';

let t: TestRuntime;
let serviceKey: string;
let analystKey: string;

beforeAll(async () => {
  t = await startTestRuntime();
  serviceKey = (await t.api('POST', '/api/keys', { json: { name: 'wms', role: 'service' } })).body.secret;
  analystKey = (await t.api('POST', '/api/keys', { json: { name: 'ana', role: 'analyst' } })).body.secret;
});
afterAll(() => t.close());

const [sh, gz] = loadWarehouses();
const [lane] = loadLanes();
const [rain] = loadAlerts();
if (!sh || !gz || !lane || !rain) throw new Error('china-peak fixtures are missing');

let counter = 0;
const freshId = (prefix: string) => `${prefix}-${++counter}`;
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describe('PUT and GET', () => {
  it('creates (201) and replaces (200) a warehouse, with or without the id in the body', async () => {
    const id = freshId('WH');
    const { id: _omitted, ...withoutId } = sh;
    const created = await t.api('PUT', `/api/facts/warehouses/${id}`, { key: serviceKey, json: withoutId });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ ...sh, id });

    const replaced = await t.api('PUT', `/api/facts/warehouses/${id}`, {
      key: serviceKey,
      json: { ...sh, id, load: 1, stock: { 'SKU-1': 5 } },
    });
    expect(replaced.status).toBe(200);
    expect((await t.api('GET', `/api/facts/warehouses/${id}`, { key: analystKey })).body).toEqual({
      ...sh,
      id,
      load: 1,
      stock: { 'SKU-1': 5 },
    });
    const list = await t.api('GET', '/api/facts/warehouses', { key: analystKey });
    expect(list.status).toBe(200);
    expect(list.body.items.map((w: { id: string }) => w.id)).toContain(id);
  });

  it('stores lanes and alerts, applying schema defaults', async () => {
    const laneId = freshId('LN');
    expect((await t.api('PUT', `/api/facts/lanes/${laneId}`, { json: { ...lane, id: laneId } })).status).toBe(
      201,
    );
    expect((await t.api('GET', `/api/facts/lanes/${laneId}`)).body).toEqual({ ...lane, id: laneId });

    const alertId = freshId('AL');
    const { title: _title, ...untitled } = rain;
    const res = await t.api('PUT', `/api/facts/alerts/${alertId}`, { json: untitled });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['/id']);
    const ok = await t.api('PUT', `/api/facts/alerts/${alertId}`, { json: { ...untitled, id: alertId } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ ...untitled, id: alertId, title: '' });
  });

  it('rejects a fact that fails its schema with 400 naming each path, and stores nothing', async () => {
    const id = freshId('WH');
    const res = await t.api('PUT', `/api/facts/warehouses/${id}`, {
      json: { ...sh, id, tier: 'partner', capacityPerDay: -1, stock: { 'SKU-1': 1.5 }, extra: true },
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(paths(res.body).sort()).toEqual(['/capacityPerDay', '/extra', '/stock/SKU-1', '/tier']);
    expect((await t.api('GET', `/api/facts/warehouses/${id}`)).status).toBe(404);

    const noCost = await t.api('PUT', `/api/facts/lanes/${id}`, {
      json: { ...lane, id, costPerKg: undefined, costPerParcel: undefined },
    });
    expect(paths(noCost.body)).toEqual(['/costPerKg']);
    const backwards = await t.api('PUT', `/api/facts/alerts/${id}`, {
      json: { ...rain, id, validFrom: rain.validTo, validTo: rain.validFrom },
    });
    expect(paths(backwards.body)).toEqual(['/validTo']);
    expect((await t.api('GET', `/api/facts/lanes/${id}`)).status).toBe(404);
    expect((await t.api('GET', `/api/facts/alerts/${id}`)).status).toBe(404);
  });

  it('refuses an id in the body that differs from the URL, and an invalid URL id', async () => {
    const res = await t.api('PUT', '/api/facts/warehouses/WH-A', { json: { ...sh, id: 'WH-B' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/id' })]);
    expect((await t.api('GET', '/api/facts/warehouses/WH-A')).status).toBe(404);
    expect((await t.api('PUT', '/api/facts/warehouses/-bad', { json: sh })).status).toBe(400);
    expect((await t.api('PUT', '/api/facts/warehouses/WH-C', { json: [sh] })).status).toBe(400);
  });

  it('answers 404 for unknown collections and facts, and deletes facts', async () => {
    expect((await t.api('GET', '/api/facts/carriers')).status).toBe(404);
    expect((await t.api('GET', '/api/facts/warehouses/nope')).status).toBe(404);
    const id = freshId('WH');
    await t.api('PUT', `/api/facts/warehouses/${id}`, { json: { ...sh, id } });
    expect((await t.api('DELETE', `/api/facts/warehouses/${id}`, { key: serviceKey })).status).toBe(204);
    expect((await t.api('GET', `/api/facts/warehouses/${id}`)).status).toBe(404);
    expect((await t.api('DELETE', `/api/facts/warehouses/${id}`)).status).toBe(404);
  });

  it('needs a key (401) and a service or admin key to write (403 for analysts)', async () => {
    const id = freshId('WH');
    expect((await t.api('GET', '/api/facts/warehouses', { key: null })).status).toBe(401);
    const forbidden = await t.api('PUT', `/api/facts/warehouses/${id}`, { key: analystKey, json: sh });
    expect(forbidden.status).toBe(403);
    expect(
      (await t.api('PATCH', `/api/facts/warehouses/${id}`, { key: analystKey, json: { load: 1 } })).status,
    ).toBe(403);
    expect(
      (await t.api('POST', '/api/facts/warehouses/bulk', { key: analystKey, json: { items: [] } })).status,
    ).toBe(403);
    expect((await t.api('GET', `/api/facts/warehouses/${id}`)).status).toBe(404);
  });
});

describe('PATCH /api/facts/warehouses/:id', () => {
  async function warehouse(stock: Record<string, number> = { 'SKU-1': 10, 'SKU-2': 3 }) {
    const id = freshId('WH');
    await t.api('PUT', `/api/facts/warehouses/${id}`, { json: { ...sh, id, load: 100, stock } });
    return id;
  }

  it('sets fields, adds stock and load deltas, and removes optional fields with null', async () => {
    const id = await warehouse();
    const res = await t.api('PATCH', `/api/facts/warehouses/${id}`, {
      key: serviceKey,
      json: {
        stockDelta: { 'SKU-1': -2, 'SKU-9': 4 },
        stock: { 'SKU-2': 7 },
        loadDelta: 5,
        lat: null,
        name: 'New',
      },
    });
    expect(res.status).toBe(200);
    const { lat: _lat, ...rest } = sh;
    const expected = { ...rest, id, name: 'New', load: 105, stock: { 'SKU-1': 8, 'SKU-2': 7, 'SKU-9': 4 } };
    expect(res.body).toEqual(expected);
    expect((await t.api('GET', `/api/facts/warehouses/${id}`)).body).toEqual(expected);
  });

  it('refuses a delta that would leave negative stock with 409 naming the SKU, changing nothing', async () => {
    const id = await warehouse();
    const res = await t.api('PATCH', `/api/facts/warehouses/${id}`, {
      json: { load: 1, stockDelta: { 'SKU-2': -4 } },
    });
    expect(res.status).toBe(409);
    expect(paths(res.body)).toEqual(['/stockDelta/SKU-2']);
    expect((await t.api('GET', `/api/facts/warehouses/${id}`)).body).toMatchObject({
      load: 100,
      stock: { 'SKU-1': 10, 'SKU-2': 3 },
    });
    expect((await t.api('PATCH', `/api/facts/warehouses/${id}`, { json: { loadDelta: -101 } })).status).toBe(
      409,
    );
  });

  it('validates the patch (400) and answers 404 for an unknown warehouse', async () => {
    const id = await warehouse();
    const bad = await t.api('PATCH', `/api/facts/warehouses/${id}`, {
      json: { load: -1, loadDelta: 2, tier: 'x', stockDelta: { 'SKU-1': 0.5 }, id: 'other' },
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body).sort()).toEqual(['/id', '/load', '/stockDelta/SKU-1', '/tier']);
    const both = await t.api('PATCH', `/api/facts/warehouses/${id}`, { json: { load: 1, loadDelta: 2 } });
    expect(paths(both.body)).toEqual(['/loadDelta']);
    expect((await t.api('PATCH', '/api/facts/warehouses/nope', { json: { load: 1 } })).status).toBe(404);
  });

  it('loses no update under 200 concurrent PATCHes', async () => {
    const id = await warehouse({ 'SKU-1': 1000 });
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        t.api('PATCH', `/api/facts/warehouses/${id}`, {
          key: serviceKey,
          json: { stockDelta: { 'SKU-1': -1, 'SKU-2': 2 }, loadDelta: 1 },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const final = (await t.api('GET', `/api/facts/warehouses/${id}`)).body;
    expect(final.stock).toEqual({ 'SKU-1': 800, 'SKU-2': 400 });
    expect(final.load).toBe(300);
  });

  it('loses no update when another process changes the same warehouse at the same time', async () => {
    const id = await warehouse({ 'SKU-1': 5000 });
    const file = join(t.dataDir, 'orderloom.db');
    const script = `
      import Database from 'better-sqlite3';
      import { createFactsRepository } from ${JSON.stringify(new URL('../db/factsRepository.ts', import.meta.url).pathname)};
      const db = new Database(${JSON.stringify(file)});
      db.pragma('busy_timeout = 10000');
      const facts = createFactsRepository(db);
      for (let i = 0; i < 300; i++) {
        facts.update('warehouses', ${JSON.stringify(id)}, (w) => ({ ok: true, fact: { ...w, stock: { ...w.stock, 'SKU-1': w.stock['SKU-1'] - 1 } } }), { name: 'other', keyId: null });
        if (i % 20 === 0) await new Promise((r) => setImmediate(r));
      }
      db.close();
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const patches: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      patches.push(t.api('PATCH', `/api/facts/warehouses/${id}`, { json: { stockDelta: { 'SKU-1': -1 } } }));
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(patches);
    expect(await exited, stderr).toBe(0);
    const db = new Database(file, { readonly: true });
    const body = db
      .prepare(`SELECT body FROM facts WHERE collection = 'warehouses' AND id = ?`)
      .pluck()
      .get(id);
    db.close();
    expect(JSON.parse(String(body)).stock['SKU-1']).toBe(5000 - 300 - 300);
  });
});

describe('POST /api/facts/:collection/bulk', () => {
  it('upserts thousands of facts in one transaction', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({
      ...lane,
      id: `LN-BULK-${i}`,
      saturation: (i % 100) / 100,
    }));
    const res = await t.api('POST', '/api/facts/lanes/bulk', { key: serviceKey, json: { items } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ collection: 'lanes', created: 3000, updated: 0, deleted: 0 });
    const again = await t.api('POST', '/api/facts/lanes/bulk', { json: { items: items.slice(0, 10) } });
    expect(again.body).toEqual({ collection: 'lanes', created: 0, updated: 10, deleted: 0 });
    expect((await t.api('GET', '/api/facts/lanes/LN-BULK-2999')).body.saturation).toBe(0.99);
  });

  it('is all or nothing: one bad row stores nothing, and every bad row is named', async () => {
    const items: unknown[] = Array.from({ length: 2000 }, (_, i) => ({ ...sh, id: `WH-ALL-${i}` }));
    items[17] = { ...sh, id: 'WH-ALL-17', capacityPerDay: 'lots' };
    items[1500] = { ...sh, id: 'WH-ALL-3' };
    items[1999] = 'not a warehouse';
    const res = await t.api('POST', '/api/facts/warehouses/bulk', { json: { items } });
    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['/items/17/capacityPerDay', '/items/1500/id', '/items/1999']);
    expect((await t.api('GET', '/api/facts/warehouses/WH-ALL-0')).status).toBe(404);
    const envelope = await t.api('POST', '/api/facts/warehouses/bulk', {
      json: { items: [], mode: 'merge', x: 1 },
    });
    expect(paths(envelope.body).sort()).toEqual(['/mode', '/x']);
  });

  it('replaces a whole collection as a snapshot with mode "replace"', async () => {
    const fresh = await startTestRuntime();
    try {
      const alerts = loadAlerts();
      await fresh.api('PUT', '/api/facts/alerts/AL-OLD', { json: { ...rain, id: 'AL-OLD' } });
      const res = await fresh.api('POST', '/api/facts/alerts/bulk', {
        json: { items: alerts, mode: 'replace' },
      });
      expect(res.body).toEqual({ collection: 'alerts', created: alerts.length, updated: 0, deleted: 1 });
      const list = await fresh.api('GET', '/api/facts/alerts');
      expect(list.body.items.map((a: { id: string }) => a.id)).toEqual(alerts.map((a) => a.id).sort());
    } finally {
      await fresh.close();
    }
  });

  it('takes bodies larger than the general body limit', async () => {
    const small = await startTestRuntime({ env: { ORDERLOOM_BODY_LIMIT: '2kb' } });
    try {
      const items = Array.from({ length: 50 }, (_, i) => ({ ...gz, id: `WH-BIG-${i}` }));
      const res = await small.api('POST', '/api/facts/warehouses/bulk', { json: { items } });
      expect(res.status).toBe(200);
      expect(res.body.created).toBe(50);
      const bigStock = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`SKU-${i}`, i]));
      const one = await small.api('PUT', '/api/facts/warehouses/WH-ONE', {
        json: { ...gz, id: 'WH-ONE', stock: bigStock },
      });
      expect(one.status).toBe(413);
    } finally {
      await small.close();
    }
  });
});
