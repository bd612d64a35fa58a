import { type Order, validate } from '@orderloom/schema';
import { loadOrders, peakSeasonRouting } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onEnvironmentChange } from '../db/environmentGeneration.ts';
import { createDecisionMaker } from '../routing/decisionMaker.ts';
import { createDecisionThread } from '../routing/decisionThread.ts';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';
import { fakeClock } from './webhookReceiver.ts';

// After the data set's alerts and promotion windows: only alerts pushed by a test apply.
const clock = fakeClock(Date.parse('2026-11-20T02:00:00Z'));
let t: TestRuntime;
let serviceKey: string;
let analystKey: string;
const orders = loadOrders();

beforeAll(async () => {
  t = await startTestRuntime({ demoDefinitions: [peakSeasonRouting], demoFacts: true, clock });
  serviceKey = (await t.api('POST', '/api/keys', { json: { name: 'oms', role: 'service' } })).body.secret;
  analystKey = (await t.api('POST', '/api/keys', { json: { name: 'ana', role: 'analyst' } })).body.secret;
});
afterAll(() => t.close());

const order = (i: number): Order => orders[i] as Order;
const route = (body: unknown, key = serviceKey) =>
  t.api('POST', '/api/route?ranking=all', { key, json: body });
const winner = (res: { body: { allocation: { warehouse: string; lane: string }[] } }) =>
  res.body.allocation.map((a) => `${a.warehouse} ${a.lane}`).join(' + ');
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

async function publishCopy(id: string, overrides: Record<string, unknown>, environments: string[]) {
  const definition = { ...peakSeasonRouting, id, ...overrides };
  const current = await t.api('GET', `/api/definitions/routing/${id}`);
  const baseRevision = current.status === 200 ? current.body.draftRevision : 0;
  expect(validate('routing', definition).filter((r) => r.severity === 'error')).toEqual([]);
  expect(
    (await t.api('PUT', `/api/definitions/routing/${id}/draft`, { json: { definition, baseRevision } }))
      .status,
  ).toBeLessThan(300);
  const version = (await t.api('POST', `/api/definitions/routing/${id}/versions`, { json: {} })).body
    .version as number;
  for (const environment of environments) {
    const res = await t.api('PUT', `/api/definitions/routing/${id}/environments/${environment}`, {
      json: { version },
    });
    expect(res.status).toBe(200);
  }
  return version;
}

describe('POST /api/route', () => {
  it('routes an order with the published demo strategy over the china-peak facts', async () => {
    const res = await route({ strategy: 'peak-season', order: order(4) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      decisionId: expect.stringMatching(/^dec_/),
      strategy: { id: 'peak-season', version: 1, environment: 'production' },
      tierUsed: expect.stringMatching(/^(own|regional|3pl)$/),
      explanation: expect.stringContaining(' beat '),
      elapsedMs: expect.any(Number),
    });
    expect(res.body.elapsedMs).toBeLessThan(50);
    expect(res.body.unroutable).toBeUndefined();
    const [parcel] = res.body.allocation;
    expect(parcel.lines).toEqual(order(4).lines);
    const [first, second] = res.body.ranking;
    expect(first).toMatchObject({ warehouse: parcel.warehouse, lane: parcel.lane, feasible: true });
    expect(first.score).toBeGreaterThanOrEqual(second.score);
    expect(Object.keys(first.factors).sort()).toEqual(
      ['age', 'capacity', 'carbon', 'cost', 'customer', 'eta', 'saturation', 'weather'].sort(),
    );
    const sum = Object.values(first.factors as Record<string, { contribution: number }>).reduce(
      (s, f) => s + f.contribution,
      0,
    );
    expect(sum).toBeCloseTo(first.score, 12);
    expect(res.body.explanation).toContain(`${first.warehouse} via ${first.lane}`);
    expect(res.body.explanation).toContain(`${second.warehouse} via ${second.lane}`);
  });

  it('stores the decision with its complete snapshot before answering', async () => {
    const res = await route({ strategy: 'peak-season', environment: 'production', order: order(7) });
    const stored = await t.api('GET', `/api/decisions/${res.body.decisionId}`, { key: analystKey });
    expect(stored.status).toBe(200);
    const {
      decisionId,
      strategy,
      allocation,
      ranking,
      tierUsed,
      explanation,
      explanationDetail,
      parameters,
    } = res.body;
    expect(stored.body).toMatchObject({
      decisionId,
      strategy,
      allocation,
      ranking,
      tierUsed,
      explanation,
      explanationDetail,
      parameters,
      orderId: order(7).id,
      at: new Date(clock.now()).toISOString(),
    });
    const { snapshot } = stored.body;
    expect(snapshot.order).toEqual({ ...order(7) });
    expect(snapshot.at).toBe(clock.now());
    const candidates = new Set(ranking.map((r: { warehouse: string }) => r.warehouse));
    expect(new Set(snapshot.facts.warehouses.map((w: { id: string }) => w.id))).toEqual(candidates);
    expect(snapshot.facts.lanes.map((l: { id: string }) => l.id).sort()).toEqual(
      ranking.map((r: { lane: string }) => r.lane).sort(),
    );
    // Stock is recorded for the order's SKUs only.
    const skus = new Set(order(7).lines.map((l) => l.sku));
    for (const w of snapshot.facts.warehouses) {
      for (const sku of Object.keys(w.stock)) expect(skus.has(sku)).toBe(true);
    }
    expect(parameters).toEqual({ etaTolerance: 1, costWeight: 20, ageDecayDays: 1500, ltvReference: 50000 });
  });

  it('answers the candidates it names by default and every one on request; the stored decision has all', async () => {
    const full = await route({ strategy: 'peak-season', order: order(11) });
    const top = await t.api('POST', '/api/route', {
      key: serviceKey,
      json: { strategy: 'peak-season', order: order(11) },
    });
    expect(top.status).toBe(200);
    const { runnerUp } = full.body.explanationDetail;
    expect(top.body.ranking).toEqual(
      full.body.ranking.filter(
        (r: { warehouse: string; lane: string }) =>
          full.body.allocation.some(
            (a: { warehouse: string; lane: string }) => a.warehouse === r.warehouse && a.lane === r.lane,
          ) ||
          (r.warehouse === runnerUp.warehouse && r.lane === runnerUp.lane),
      ),
    );
    expect(top.body.ranking).toHaveLength(2);
    expect(top.body.candidates).toBe(full.body.ranking.length);
    expect(full.body.candidates).toBeUndefined();
    expect(top.body.explanation).toBe(full.body.explanation);
    const stored = await t.api('GET', `/api/decisions/${top.body.decisionId}`);
    expect(stored.body.ranking).toEqual(full.body.ranking);
    const none = await t.api('POST', '/api/route?ranking=none', {
      key: serviceKey,
      json: { strategy: 'peak-season', order: order(11) },
    });
    expect(none.body.ranking).toEqual([]);
    expect(none.body.allocation).toEqual(full.body.allocation);
    const bad = await t.api('POST', '/api/route?ranking=some', {
      key: serviceKey,
      json: { strategy: 'peak-season', order: order(11) },
    });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['/ranking']);
  });

  it('answers 404 for an unknown strategy and 409 for an environment without a version', async () => {
    const unknown = await route({ strategy: 'no-such-strategy', order: order(0) });
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/^application\/problem\+json/);

    await publishCopy('sandbox-only', {}, ['sandbox']);
    const res = await route({ strategy: 'sandbox-only', order: order(0) });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('no version published to production');
    expect((await route({ strategy: 'sandbox-only', environment: 'sandbox', order: order(0) })).status).toBe(
      200,
    );
  });

  it('rejects an invalid envelope or order with 400 naming each path', async () => {
    // An order the demo decisions did not route.
    const { lines: _lines, ...noLines } = order(1999);
    const res = await route({
      strategy: 'peak-season',
      environment: 'staging',
      order: { ...noLines, customer: { id: 'C1' }, promisedHours: -4, coupon: 'X' },
      dryRun: true,
    });
    expect(res.status).toBe(400);
    expect(paths(res.body).sort()).toEqual(
      [
        '/dryRun',
        '/environment',
        '/order/coupon',
        '/order/customer/tier',
        '/order/lines',
        '/order/promisedHours',
      ].sort(),
    );
    const badLine = await route({
      strategy: 'peak-season',
      order: {
        ...order(1999),
        lines: [
          { sku: 'SKU-1001', qty: 0 },
          { sku: '', qty: 1, weightKg: -1 },
        ],
      },
    });
    expect(paths(badLine.body).sort()).toEqual([
      '/order/lines/0/qty',
      '/order/lines/1/sku',
      '/order/lines/1/weightKg',
    ]);
    expect((await route({ order: order(1999) })).status).toBe(400);
    const count = (await t.api('GET', `/api/decisions?orderId=${order(1999).id}`)).body.items.length;
    expect(count).toBe(0);
  });

  it('needs a key, and a service or admin key', async () => {
    expect((await route({ strategy: 'peak-season', order: order(0) }, '')).status).toBe(401);
    expect((await route({ strategy: 'peak-season', order: order(0) }, analystKey)).status).toBe(403);
  });

  it('uses a newly published version on the next decision (hot switch)', async () => {
    await publishCopy('hot-route', {}, ['sandbox', 'production']);
    const before = await route({ strategy: 'hot-route', order: order(2) });
    expect(before.body.strategy.version).toBe(1);
    expect(before.body.tierUsed).toBe('own');

    await publishCopy('hot-route', { fallbackTiers: ['regional', '3pl'] }, ['sandbox']);
    expect((await route({ strategy: 'hot-route', order: order(2) })).body.strategy.version).toBe(1);
    await t.api('PUT', '/api/definitions/routing/hot-route/environments/production', {
      json: { version: 2 },
    });
    const after = await route({ strategy: 'hot-route', order: order(2) });
    expect(after.body.strategy.version).toBe(2);
    expect(after.body.tierUsed).toBe('regional');
    expect(after.body.ranking.every((r: { tier: string }) => r.tier !== 'own')).toBe(true);
  });

  it('prepares concurrent decisions on the decision thread, which follows fact writes and publications', async () => {
    // Counted as always busy: asked for in one turn, all but the first are prepared on the thread.
    const { db, routing } = t.runtime;
    const decide = createDecisionMaker({
      decisions: routing.decisions,
      clock: { now: () => Date.now() },
      busyAbove: -1,
      thread: createDecisionThread({
        db,
        facts: routing.facts,
        onEnvironmentChange: (listener) => onEnvironmentChange(db, listener),
      }),
    });
    const routeAll = async () => {
      const answers = await Promise.all(
        [40, 41, 42, 43, 44, 45, 46, 47].map((i) =>
          decide.route({ strategy: 'thread-route', environment: 'production', order: order(i) }, 'all'),
        ),
      );
      return answers.map((answer) => {
        if (!answer.ok) throw new Error(`no decision: ${answer.reason}`);
        return JSON.parse(Buffer.from(answer.body).toString());
      });
    };
    await publishCopy('thread-route', {}, ['sandbox', 'production']);
    const onThreadBefore = decide.counts().onThread;
    const first = await routeAll();
    expect(decide.counts().onThread - onThreadBefore).toBe(first.length - 1);
    expect(first.map((d) => d.strategy.version)).toEqual(first.map(() => 1));

    // Fill the warehouse most of them went to: the capacity constraint must now exclude it everywhere.
    const tally = new Map<string, number>();
    for (const d of first)
      tally.set(d.allocation[0].warehouse, (tally.get(d.allocation[0].warehouse) ?? 0) + 1);
    const [busiest] = [...tally].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const warehouse = (await t.api('GET', `/api/facts/warehouses/${busiest}`)).body;
    const filled = await t.api('PATCH', `/api/facts/warehouses/${busiest}`, {
      json: { load: warehouse.capacityPerDay },
    });
    expect(filled.status).toBe(200);
    await publishCopy('thread-route', {}, ['sandbox', 'production']);
    const second = await routeAll();
    for (const d of second) {
      expect(d.strategy.version).toBe(2);
      expect(d.allocation.map((a: { warehouse: string }) => a.warehouse)).not.toContain(busiest);
    }
    // Each decision was stored as answered.
    for (const d of second) {
      const stored = await t.api('GET', `/api/decisions/${d.decisionId}`);
      expect(stored.body.ranking).toEqual(d.ranking);
    }
    await t.api('PATCH', `/api/facts/warehouses/${busiest}`, { json: { load: warehouse.load } });
    await decide.close();
  });

  it('lets a rainstorm alert pushed through the facts API flip the winner, until it expires', async () => {
    // The first south-china order whose winner ships by ground.
    let chosen: Order | undefined;
    let original: Awaited<ReturnType<typeof route>> | undefined;
    for (const candidate of orders.filter((o) => o.destination.region === 'south-china').slice(0, 30)) {
      const res = await route({ strategy: 'peak-season', order: candidate });
      if (res.body.allocation[0]?.lane.includes('ground')) {
        chosen = candidate;
        original = res;
        break;
      }
    }
    if (!chosen || !original) throw new Error('no south-china order ships by ground');
    const groundWinner = original.body.ranking[0];
    expect(groundWinner.factors.weather.raw).toBe(1);

    const alert = {
      kind: 'weather',
      title: 'South-China rainstorm (orange)',
      regions: ['south-china'],
      modes: ['ground'],
      impact: 0.63,
      validFrom: '2026-11-19T00:00:00+08:00',
      validTo: '2026-11-21T00:00:00+08:00',
    };
    expect(
      (await t.api('PUT', '/api/facts/alerts/AL-TEST-RAIN', { key: serviceKey, json: alert })).status,
    ).toBe(201);
    const during = await route({ strategy: 'peak-season', order: chosen });
    expect(winner(during)).not.toBe(winner(original));
    const formerWinner = during.body.ranking.find(
      (r: { warehouse: string; lane: string }) =>
        r.warehouse === groundWinner.warehouse && r.lane === groundWinner.lane,
    );
    expect(formerWinner.factors.weather.raw).toBe(0.63);
    const stored = await t.api('GET', `/api/decisions/${during.body.decisionId}`);
    expect(stored.body.snapshot.facts.alerts).toEqual([{ id: 'AL-TEST-RAIN', ...alert }]);

    clock.advance(2 * 24 * 3600 * 1000);
    try {
      const after = await route({ strategy: 'peak-season', order: chosen });
      expect(winner(after)).toBe(winner(original));
      expect(
        (await t.api('GET', `/api/decisions/${after.body.decisionId}`)).body.snapshot.facts.alerts,
      ).toEqual([]);
    } finally {
      clock.advance(-2 * 24 * 3600 * 1000);
    }
  });

  it('answers 422 when a custom expression fails for the order', async () => {
    await publishCopy(
      'broken-cel',
      {
        factors: [
          ...peakSeasonRouting.factors,
          {
            id: 'bad',
            type: 'custom',
            weight: 1,
            direction: 'higher-better',
            expression: 'double(order.customer.nickname)',
          },
        ],
      },
      ['sandbox'],
    );
    const res = await route({ strategy: 'broken-cel', environment: 'sandbox', order: order(0) });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe(`/factors/${peakSeasonRouting.factors.length}/expression`);
  });
});

describe('group commit of decisions', () => {
  it('stores decisions made in one turn in one commit and answers each only after it', async () => {
    const service = t.runtime.routing.decisions;
    const before = service.decisions.count();
    const pending = [10, 11, 12].map((i) => {
      const made = service.prepare(
        { strategy: 'peak-season', environment: 'production', order: order(i) },
        { at: Date.now(), mode: 'all' },
      );
      if (!made.ok) throw new Error(`decision ${i} failed: ${made.reason}`);
      return service
        .store(made.prepared)
        .then(() => JSON.parse(Buffer.from(made.prepared.answer).toString()));
    });
    // Queued for the shared transaction, not yet stored.
    expect(service.decisions.count()).toBe(before);
    const answers = await Promise.all(pending);
    expect(service.decisions.count()).toBe(before + 3);
    for (const [k, answer] of answers.entries()) {
      const stored = service.get(answer.decisionId);
      expect(stored?.orderId).toBe(order(10 + k).id);
      expect(stored?.ranking).toEqual(answer.ranking);
    }
  });

  it('answers concurrent requests with their own decisions, all stored', async () => {
    const responses = await Promise.all(
      [20, 21, 22, 23, 24].map((i) => route({ strategy: 'peak-season', order: order(i) })),
    );
    for (const [k, res] of responses.entries()) {
      expect(res.status).toBe(200);
      const stored = await t.api('GET', `/api/decisions/${res.body.decisionId}`, { key: analystKey });
      expect(stored.body.orderId).toBe(order(20 + k).id);
      expect(stored.body.ranking).toEqual(res.body.ranking);
    }
  });
});
