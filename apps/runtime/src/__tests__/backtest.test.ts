import { join } from 'node:path';
import { loadOrders, peakSeasonRouting } from '@orderloom/schema/fixtures';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBacktestRunner } from '../routing/backtestRunner.ts';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';

let t: TestRuntime;
let analystKey: string;
let serviceKey: string;
const seeded = 500;

// Version 2 weighs shipping cost 20× more than version 1 does in peak season.
const costly = {
  ...peakSeasonRouting,
  parameters: peakSeasonRouting.parameters.map((p) =>
    p.name === 'costWeight' ? { ...p, value: 200, windows: [] } : p,
  ),
};

beforeAll(async () => {
  t = await startTestRuntime({ demoDefinitions: [peakSeasonRouting], demoFacts: true });
  analystKey = (await t.api('POST', '/api/keys', { json: { name: 'ana', role: 'analyst' } })).body.secret;
  serviceKey = (await t.api('POST', '/api/keys', { json: { name: 'oms', role: 'service' } })).body.secret;
  await t.api('PUT', '/api/definitions/routing/peak-season/draft', {
    json: { definition: costly, baseRevision: 1 },
  });
  expect(
    (await t.api('POST', '/api/definitions/routing/peak-season/versions', { json: {} })).body.version,
  ).toBe(2);
});
afterAll(() => t.close());

const start = (json: unknown, key = analystKey) => t.api('POST', '/api/backtests', { key, json });

async function finished(id: string) {
  await t.runtime.routing.runner.idle();
  const res = await t.api('GET', `/api/backtests/${id}`, { key: analystKey });
  expect(res.status).toBe(200);
  return res.body;
}

describe('backtests', () => {
  it('runs in the background: progress first, then the KPIs of candidate against baseline', async () => {
    const accepted = await start({ strategy: 'peak-season', candidate: 2, baseline: 1 });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ id: expect.stringMatching(/^bt_/), state: 'queued' });
    expect(accepted.headers.get('location')).toBe(`/api/backtests/${accepted.body.id}`);

    const early = await t.api('GET', `/api/backtests/${accepted.body.id}`);
    expect(['queued', 'running']).toContain(early.body.state);
    expect(early.body.progress.total).toBe(seeded);
    expect(early.body.progress.processed).toBeLessThan(seeded);
    expect(early.body.result).toBeNull();

    const done = await finished(accepted.body.id);
    expect(done).toMatchObject({
      strategy: 'peak-season',
      candidate: 2,
      baseline: 1,
      state: 'succeeded',
      progress: { processed: seeded, total: seeded },
      error: null,
      createdBy: 'ana',
    });
    const r = done.result;
    expect(r.decisions).toBe(seeded);
    expect(r.failed).toBe(0);
    expect(r.changed).toBeGreaterThan(0);
    expect(r.changed).toBeLessThan(seeded);
    expect(r.changedShare).toBeCloseTo(r.changed / seeded, 12);
    expect(r.winnerChanged).toBeLessThanOrEqual(r.changed);
    expect(r.candidate.avgCost).toBeLessThan(r.baseline.avgCost);
    expect(r.deltas.avgCost).toBeCloseTo(r.candidate.avgCost - r.baseline.avgCost, 9);
    expect(r.deltas.unroutable).toBe(r.candidate.unroutable - r.baseline.unroutable);
    for (const side of [r.baseline, r.candidate]) {
      expect(side.decisions).toBe(seeded);
      expect(side.routed + side.unroutable).toBe(seeded);
      expect(Object.values(side.tierMix as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
        side.routed,
      );
      expect(side.avgEtaHours).toBeGreaterThan(0);
      expect(side.avgCo2Kg).toBeGreaterThan(0);
      expect(side.splitRate).toBeGreaterThanOrEqual(0);
    }
    expect(r.examples).toHaveLength(Math.min(20, r.changed));
    for (const example of r.examples) expect(example.after).not.toEqual(example.before);
  });

  it('finds no change when the candidate is the baseline that made the decisions', async () => {
    const { body } = await start({ strategy: 'peak-season', candidate: 1, baseline: 1 });
    const r = (await finished(body.id)).result;
    expect(r.changed).toBe(0);
    expect(r.candidate).toEqual(r.baseline);
  });

  it('evaluates the draft as it was when the backtest started', async () => {
    const detail = await t.api('GET', '/api/definitions/routing/peak-season');
    const { body } = await start({ strategy: 'peak-season', candidate: 'draft', baseline: 1 });
    const done = await finished(body.id);
    expect(done.candidate).toBe('draft');
    expect(done.candidateDraftRevision).toBe(detail.body.draftRevision);
    const versionTwo = await finished(
      (await start({ strategy: 'peak-season', candidate: 2, baseline: 1 })).body.id,
    );
    const { durationMs: _a, ...fromDraft } = done.result;
    const { durationMs: _b, ...fromVersion } = versionTwo.result;
    expect(fromDraft).toEqual(fromVersion);
  });

  it('limits the decisions by count and by decision time', async () => {
    const limited = await finished(
      (await start({ strategy: 'peak-season', candidate: 2, baseline: 1, limit: 120 })).body.id,
    );
    expect(limited.result.decisions).toBe(120);
    expect(limited.progress).toEqual({ processed: 120, total: 120 });

    const to = '2026-11-10T20:00:00Z';
    const expected = loadOrders()
      .slice(0, seeded)
      .filter((o) => Date.parse(o.placedAt ?? '') < Date.parse(to)).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(seeded);
    const windowed = await finished(
      (await start({ strategy: 'peak-season', candidate: 2, baseline: 1, to })).body.id,
    );
    expect(windowed.result.decisions).toBe(expected);
    expect(windowed.to).toBe(new Date(to).toISOString());
  });

  it('gives the same result in worker threads as on the main thread, whatever the chunking', async () => {
    const { db, routing } = t.runtime;
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const runner = (workers: number, chunkSize: number) =>
      createBacktestRunner({
        db,
        strategies: routing.strategies,
        decisions: routing.decisions.decisions,
        backtests: routing.backtests,
        logger,
        workers,
        chunkSize,
      });
    const results = [];
    for (const [workers, chunkSize] of [
      [0, 500],
      [0, 37],
      [2, 37],
    ] as const) {
      const accepted = await start({ strategy: 'peak-season', candidate: 1, baseline: 2 });
      // Let the runtime's own runner pick it up first, then evaluate the same job again with this runner.
      await t.runtime.routing.runner.idle();
      const own = (await t.api('GET', `/api/backtests/${accepted.body.id}`)).body.result;
      const r = runner(workers, chunkSize);
      db.prepare(`UPDATE backtests SET state = 'queued', result = NULL WHERE id = ?`).run(accepted.body.id);
      r.submit(accepted.body.id);
      await r.idle();
      const again = (await t.api('GET', `/api/backtests/${accepted.body.id}`)).body;
      expect(again.state).toBe('succeeded');
      const { durationMs: _a, ...mine } = again.result;
      const { durationMs: _b, ...theirs } = own;
      results.push(mine);
      expect(mine.decisions).toBe(theirs.decisions);
      expect(mine.changed).toBe(theirs.changed);
    }
    expect(results[1]).toEqual(results[2]);
    expect(results[0].baseline.routed).toBe(results[2].baseline.routed);
    expect(results[0].candidate.avgCost).toBeCloseTo(results[2].candidate.avgCost, 9);
    expect(warnings).toEqual([]);
  });

  it('rejects bad requests', async () => {
    expect((await start({ strategy: 'nope', candidate: 2, baseline: 1 })).status).toBe(404);
    expect((await start({ strategy: 'peak-season', candidate: 2, baseline: 9 })).status).toBe(404);
    expect((await start({ strategy: 'peak-season', candidate: 2, baseline: 1 }, serviceKey)).status).toBe(
      403,
    );
    const invalid = await start({
      strategy: 'peak-season',
      candidate: 'latest',
      baseline: 0,
      limit: -1,
      extra: 1,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['/baseline', '/candidate', '/extra', '/limit'].sort(),
    );
    const backwards = await start({
      strategy: 'peak-season',
      candidate: 2,
      baseline: 1,
      from: '2026-11-12T00:00:00Z',
      to: '2026-11-11T00:00:00Z',
    });
    expect(backwards.status).toBe(400);
    expect((await t.api('GET', '/api/backtests/bt_nope')).status).toBe(404);

    const current = await t.api('GET', '/api/definitions/routing/peak-season');
    await t.api('PUT', '/api/definitions/routing/peak-season/draft', {
      json: { definition: { ...costly, factors: [] }, baseRevision: current.body.draftRevision },
    });
    const lint = await start({ strategy: 'peak-season', candidate: 'draft', baseline: 1 });
    expect(lint.status).toBe(422);
    expect(lint.body.errors.length).toBeGreaterThan(0);
  });

  it('keeps results across a restart and marks a backtest interrupted by one as failed', async () => {
    const dataDir = t.dataDir;
    const list = await t.api('GET', '/api/backtests');
    expect(list.body.items.length).toBeGreaterThan(0);
    const succeeded = list.body.items[0];
    await t.close();
    const db = new Database(join(dataDir, 'orderloom.db'));
    db.prepare(
      `INSERT INTO backtests (id, strategy_id, candidate_version, candidate_definition, baseline, max_seq, state,
         processed, total, created_at, created_by, started_at)
       VALUES ('bt_interrupted', 'peak-season', 2, '{}', 1, 1, 'running', 10, 500, ?, 'ana', ?)`,
    ).run(new Date().toISOString(), new Date().toISOString());
    db.close();

    t = await startTestRuntime({ dataDir });
    expect((await t.api('GET', `/api/backtests/${succeeded.id}`)).body).toEqual(succeeded);
    const interrupted = await t.api('GET', '/api/backtests/bt_interrupted');
    expect(interrupted.body).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('restart'),
      progress: { processed: 10, total: 500 },
    });
  });
});
