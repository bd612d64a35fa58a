import type { Order } from '@orderloom/schema';
import { chinaPeakStatusGraph, loadOrders, peakSeasonRouting } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusEvent } from './statusTestHelpers.ts';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';
import { fakeClock } from './webhookReceiver.ts';

// The hot lane serves `application/json` exactly; any other spelling of the same media type takes the
// express route, which is the reference: both must answer alike.
const lane = { 'content-type': 'application/json' };
const express = { 'content-type': 'Application/JSON; charset=UTF-8' };

let t: TestRuntime;
const orders = loadOrders();
const order = (i: number): Order => orders[i] as Order;

beforeAll(async () => {
  t = await startTestRuntime({
    demoDefinitions: [peakSeasonRouting, chinaPeakStatusGraph],
    demoFacts: true,
    clock: fakeClock(Date.parse('2026-11-11T02:00:00Z')),
  });
});
afterAll(() => t.close());

const served = () => t.runtime.app.hotLane.served();
// Each call also checks which side answered: the lane for `lane` requests it takes, express otherwise.
const post = async (path: string, body: string, headers: Record<string, string>, key?: string | null) => {
  const before = served();
  const res = await t.api('POST', path, { body, headers, ...(key === undefined ? {} : { key }) });
  const viaLane = headers === lane && key !== 'not-a-key' && key !== null;
  expect(served() - before, `${path} ${body}`).toBe(viaLane ? 1 : 0);
  return res;
};
const routeCount = async () => {
  const metrics = await t.api('GET', '/metrics', { key: null });
  const line = (metrics.text as string)
    .split('\n')
    .find((l) =>
      l.startsWith('http_request_duration_seconds_count{method="POST",route="/api/route",status_code="200"}'),
    );
  return line ? Number(line.split(' ').at(-1)) : 0;
};

describe('hot lane', () => {
  it('answers a decision as the express route does, with the same headers, and counts it', async () => {
    const body = JSON.stringify({ strategy: 'peak-season', order: order(3) });
    const before = await routeCount();
    const hot = await post('/api/route', body, lane);
    const reference = await post('/api/route', body, express);
    expect(await routeCount()).toBe(before + 2);
    for (const res of [hot, reference]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.contentType).toBe('application/json; charset=utf-8');
    }
    const { decisionId: _a, elapsedMs: _b, ...hotRest } = hot.body;
    const { decisionId: _c, elapsedMs: _d, ...referenceRest } = reference.body;
    expect(hotRest).toEqual(referenceRest);
    expect(hot.body.decisionId).not.toBe(reference.body.decisionId);
  });

  it('refuses what the express route refuses, with the same problems', async () => {
    const cases: [string, string, string | null | undefined][] = [
      ['/api/route', '{"strategy": "peak-season", "order": ', undefined],
      ['/api/route', '"just a string"', undefined],
      ['/api/route', JSON.stringify({ strategy: 'peak-season', order: { id: 'x' } }), undefined],
      ['/api/route?ranking=some', JSON.stringify({ strategy: 'peak-season', order: order(1) }), undefined],
      ['/api/route', JSON.stringify({ strategy: 'nope', order: order(1) }), undefined],
      ['/api/route', JSON.stringify({ strategy: 'peak-season', order: order(1) }), 'not-a-key'],
      ['/api/route', JSON.stringify({ strategy: 'peak-season', order: order(1) }), null],
    ];
    for (const [path, body, key] of cases) {
      const hot = await post(path, body, lane, key);
      const reference = await post(path, body, express, key);
      expect(hot.status, `${path} ${body}`).toBeGreaterThanOrEqual(400);
      expect(hot.status, `${path} ${body}`).toBeLessThan(500);
      expect(hot.status).toBe(reference.status);
      expect(hot.contentType).toBe('application/problem+json; charset=utf-8');
      expect(hot.body.type).toBe(reference.body.type);
      expect(hot.body.errors?.map((e: { path: string }) => e.path)).toEqual(
        reference.body.errors?.map((e: { path: string }) => e.path),
      );
    }
  });

  it('ingests an event as the express route does, replays included', async () => {
    const first = statusEvent('douyin', 'PAID', { channel: 'douyin' });
    const second = statusEvent('douyin', 'PAID', { channel: 'douyin' });
    const hot = await post('/api/orders/DY-LANE-1/events', JSON.stringify(first), lane);
    const reference = await post('/api/orders/DY-LANE-2/events', JSON.stringify(second), express);
    expect(hot.status).toBe(201);
    expect(reference.status).toBe(201);
    expect(hot.contentType).toBe(reference.contentType);
    expect(hot.body.status).toBe(reference.body.status);
    expect(hot.body.transitions).toEqual(reference.body.transitions);
    // Each event again, through the other route: the stored answer, marked as a replay.
    const hotAgain = await post('/api/orders/DY-LANE-2/events', JSON.stringify(second), lane);
    const referenceAgain = await post('/api/orders/DY-LANE-1/events', JSON.stringify(first), express);
    for (const [again, original] of [
      [hotAgain, reference],
      [referenceAgain, hot],
    ] as const) {
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.text).toBe(original.text);
    }
    // An escaped order id reaches the handler decoded, as express decodes it.
    const escaped = await post(
      '/api/orders/DY%2DLANE%2D3/events',
      JSON.stringify(statusEvent('douyin', 'PAID', { channel: 'douyin' })),
      lane,
    );
    expect(escaped.status).toBe(201);
    expect((await t.api('GET', '/api/orders/DY-LANE-3')).status).toBe(200);
  });
});
