import type { Order } from '@orderloom/schema';
import { loadOrders, peakSeasonRouting } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';
import { fakeClock } from './webhookReceiver.ts';

// Inside the Double-11 promotion and the South-China rainstorm: windows, alerts and segments all apply.
const clock = fakeClock(Date.parse('2026-11-11T02:00:00Z'));
let t: TestRuntime;
const orders = loadOrders();
const order = (i: number): Order => orders[i] as Order;

beforeAll(async () => {
  t = await startTestRuntime({ demoDefinitions: [peakSeasonRouting], demoFacts: true, clock });
});
afterAll(() => t.close());

const route = async (o: Order, strategy = 'peak-season') => {
  const res = await t.api('POST', '/api/route?ranking=all', { json: { strategy, order: o } });
  expect(res.status).toBe(200);
  return res.body;
};
const replay = (id: string, json: unknown = {}) => t.api('POST', `/api/decisions/${id}/replay`, { json });

const decisionParts = (d: Record<string, unknown>) => ({
  allocation: d.allocation,
  ranking: d.ranking,
  tierUsed: d.tierUsed,
  unroutable: d.unroutable,
  explanation: d.explanation,
  explanationDetail: d.explanationDetail,
  parameters: d.parameters,
  segment: d.segment,
});

async function saveDraft(id: string, definition: unknown) {
  const current = await t.api('GET', `/api/definitions/routing/${id}`);
  const baseRevision = current.status === 200 ? current.body.draftRevision : 0;
  const res = await t.api('PUT', `/api/definitions/routing/${id}/draft`, {
    json: { definition, baseRevision },
  });
  expect(res.status).toBeLessThan(300);
  return res.body.draftRevision as number;
}

describe('replay', () => {
  it('reproduces decisions exactly with the recorded version, even after the facts changed', async () => {
    // VIP (segment), multi-line and south-china (rainstorm) orders among them.
    const picked = [0, 1, 2, 3, 5, 8, 9, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597].map(order);
    expect(picked.some((o) => o.customer.tier === 'vip')).toBe(true);
    const made = [];
    for (const o of picked) made.push(await route(o));
    expect(made.some((d) => d.segment === 'vip')).toBe(true);
    expect(made.some((d) => JSON.stringify(d.ranking).includes('"raw":0.63'))).toBe(true);

    // Facts move on after the decisions: replays must read the snapshots, not today's facts.
    await t.api('POST', '/api/facts/alerts/bulk', { json: { items: [], mode: 'replace' } });
    await t.api('PATCH', '/api/facts/warehouses/WH-GZ-01', { json: { loadDelta: 10_000 } });
    for (const d of made) {
      const res = await replay(d.decisionId);
      expect(res.status).toBe(200);
      expect(decisionParts(res.body)).toEqual(decisionParts(d));
      expect(res.body).toMatchObject({
        decisionId: d.decisionId,
        strategy: { id: 'peak-season', version: 1 },
        original: { version: 1, environment: 'production' },
        changed: false,
        rankingChanged: false,
        diff: [],
      });
    }
  });

  it('reproduces the seeded demo decisions made at their order time', async () => {
    const page = await t.api('GET', '/api/decisions?strategy=peak-season&to=2026-11-11T00:00:00Z&limit=25');
    expect(page.body.items).toHaveLength(25);
    for (const item of page.body.items) {
      const stored = await t.api('GET', `/api/decisions/${item.decisionId}`);
      const res = await replay(item.decisionId);
      expect(decisionParts(res.body)).toEqual(decisionParts(stored.body));
      expect(res.body.changed).toBe(false);
    }
  });

  it('re-evaluates with another version or the draft and reports what changed', async () => {
    const id = 'replay-copy';
    await saveDraft(id, { ...peakSeasonRouting, id });
    await t.api('POST', `/api/definitions/routing/${id}/versions`, { json: {} });
    await t.api('PUT', `/api/definitions/routing/${id}/environments/sandbox`, { json: { version: 1 } });
    await t.api('PUT', `/api/definitions/routing/${id}/environments/production`, { json: { version: 1 } });
    const made = [];
    for (let i = 600; i < 640; i++) made.push(await route(order(i), id));

    const cheapFirst = {
      ...peakSeasonRouting,
      id,
      parameters: peakSeasonRouting.parameters.map((p) =>
        p.name === 'costWeight' ? { ...p, value: 400, windows: [] } : p,
      ),
    };
    const revision = await saveDraft(id, cheapFirst);
    let changed = 0;
    for (const d of made) {
      const res = await replay(d.decisionId, { version: 'draft' });
      expect(res.status).toBe(200);
      expect(res.body.strategy).toEqual({ id, version: 'draft', draftRevision: revision });
      expect(res.body.parameters.costWeight).toBe(400);
      // The VIP segment sets the cost weight itself, so only other customers' rankings move.
      expect(res.body.rankingChanged).toBe(d.segment !== 'vip');
      const moved = JSON.stringify(res.body.allocation) !== JSON.stringify(d.allocation);
      expect(res.body.changed).toBe(moved);
      expect(res.body.diff.length > 0).toBe(moved);
      if (moved) {
        changed++;
        expect(res.body.diff).toEqual(expect.arrayContaining([expect.objectContaining({ op: 'replace' })]));
      }
    }
    expect(changed).toBeGreaterThan(0);

    // The draft frozen as version 2 gives the same answers as the draft did.
    await t.api('POST', `/api/definitions/routing/${id}/versions`, { json: {} });
    const d = made[0];
    const asDraft = await replay(d.decisionId, { version: 'draft' });
    const asVersion = await replay(d.decisionId, { version: 2 });
    expect(decisionParts(asVersion.body)).toEqual(decisionParts(asDraft.body));
    expect(asVersion.body.strategy).toEqual({ id, version: 2 });
  });

  it('refuses a draft with lint errors (422) and unknown decisions or versions (404)', async () => {
    const id = 'replay-lint';
    await saveDraft(id, { ...peakSeasonRouting, id });
    await t.api('POST', `/api/definitions/routing/${id}/versions`, { json: {} });
    await t.api('PUT', `/api/definitions/routing/${id}/environments/sandbox`, { json: { version: 1 } });
    await t.api('PUT', `/api/definitions/routing/${id}/environments/production`, { json: { version: 1 } });
    const d = await route(order(700), id);
    await saveDraft(id, { ...peakSeasonRouting, id, factors: [] });

    const lint = await replay(d.decisionId, { version: 'draft' });
    expect(lint.status).toBe(422);
    expect(lint.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/factors' })]));
    expect((await replay(d.decisionId, { version: 9 })).status).toBe(404);
    expect((await replay('dec_nope')).status).toBe(404);
    for (const json of [{ version: 0 }, { version: 'latest' }, { version: 1, dryRun: true }]) {
      expect((await replay(d.decisionId, json)).status, JSON.stringify(json)).toBe(400);
    }
  });
});

describe('GET /api/decisions', () => {
  it('pages through the decisions of an order, newest first', async () => {
    const o = order(1500);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      made.push((await route(o)).decisionId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/decisions?orderId=${o.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.api('GET', query);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const item of res.body.items) {
        expect(item).toMatchObject({
          orderId: o.id,
          strategy: { id: 'peak-season', version: 1 },
          unroutable: false,
        });
        expect(item.allocation[0]).toEqual({ warehouse: expect.any(String), lane: expect.any(String) });
      }
      seen.push(...res.body.items.map((i: { decisionId: string }) => i.decisionId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse());
  });

  it('filters by decision time and strategy', async () => {
    const o = order(1600);
    const times: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      times.push(new Date(clock.now()).toISOString());
      await route(o);
    }
    const inWindow = await t.api('GET', `/api/decisions?orderId=${o.id}&from=${times[1]}&to=${times[2]}`);
    expect(inWindow.body.items.map((i: { at: string }) => i.at)).toEqual([times[1]]);
    const other = await t.api('GET', `/api/decisions?orderId=${o.id}&strategy=replay-copy`);
    expect(other.body.items).toEqual([]);
    const all = await t.api('GET', '/api/decisions');
    expect(all.body.items).toHaveLength(50);
    expect(all.body.nextCursor).toEqual(expect.any(String));
  });

  it('shows a decision with its ranking recomputed from the snapshot, and says when that no longer reproduces it', async () => {
    const res = await t.api('POST', '/api/route?ranking=all', {
      json: { strategy: 'peak-season', order: order(7) },
    });
    expect(res.status).toBe(200);
    const made = res.body;
    // Facts change after the decision; the record reads its snapshot.
    await t.api('PATCH', '/api/facts/warehouses/WH-SZ-01', { json: { loadDelta: 5_000 } });
    const shown = await t.api('GET', `/api/decisions/${made.decisionId}`);
    expect(shown.status).toBe(200);
    expect(decisionParts(shown.body)).toEqual(decisionParts(made));
    expect(shown.body.rankingReproduced).toBe(true);

    // A recorded score that the strategy no longer gives (as after an engine change) is reported.
    const { db } = t.runtime;
    const scores = db
      .prepare<[string], Buffer>('SELECT scores FROM decisions WHERE id = ?')
      .pluck()
      .get(made.decisionId) as Buffer;
    const changed = Buffer.from(scores);
    changed.writeDoubleLE(changed.readDoubleLE(0) + 1e-9, 0);
    db.prepare('UPDATE decisions SET scores = ? WHERE id = ?').run(changed, made.decisionId);
    const tampered = await t.api('GET', `/api/decisions/${made.decisionId}`);
    expect(tampered.body.rankingReproduced).toBe(false);
    expect(tampered.body.allocation).toEqual(made.allocation);
  });

  it('rejects invalid queries and answers 404 for an unknown decision', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'cursor=abc',
      'from=yesterday',
      'to=2026-11-11',
      'sort=at',
    ]) {
      expect((await t.api('GET', `/api/decisions?${query}`)).status, query).toBe(400);
    }
    expect((await t.api('GET', '/api/decisions/dec_nope')).status).toBe(404);
  });
});
