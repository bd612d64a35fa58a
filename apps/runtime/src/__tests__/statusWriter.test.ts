import { chinaPeakStatusGraph } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusEvent } from './statusTestHelpers.ts';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';

// Events are stored by the status writer thread (its own connection); these tests cover what crosses
// from the request thread to it.
let t: TestRuntime;
let serviceKey: string;

beforeAll(async () => {
  t = await startTestRuntime({ demoDefinitions: [chinaPeakStatusGraph] });
  serviceKey = (await t.api('POST', '/api/keys', { json: { name: 'oms', role: 'service' } })).body.secret;
});
afterAll(() => t.close());

const post = (orderId: string, event: unknown) =>
  t.api('POST', `/api/orders/${orderId}/events`, { json: event, key: serviceKey });

describe('the status writer', () => {
  it('stores events posted at once in one chain without gaps, each answered with its own result', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `W-CONC-${i}`);
    const answers = await Promise.all(
      ids.map((id) => post(id, statusEvent('douyin', 'PAID', { channel: 'douyin' }))),
    );
    for (const [i, res] of answers.entries()) {
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ orderId: ids[i], status: 'paid' });
    }
    const seqs = answers.map((res) => res.body.seq as number);
    expect(new Set(seqs).size).toBe(ids.length);
    const verify = await t.api('GET', '/api/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('answers one failing event with its own error while the others in the same turn are stored', async () => {
    const good = statusEvent('douyin', 'PAID', { channel: 'douyin' });
    const unknownCode = statusEvent('douyin', 'NO_SUCH_CODE', { channel: 'douyin' });
    const [ok, rejected] = await Promise.all([post('W-MIX-1', good), post('W-MIX-2', unknownCode)]);
    expect(ok.status).toBe(201);
    expect(rejected.status).toBe(422);
    expect((await t.api('GET', '/api/orders/W-MIX-1')).body.status).toBe('paid');
    expect((await t.api('GET', '/api/orders/W-MIX-2')).status).toBe(404);
  });

  it('uses a status graph version as soon as it is promoted to production', async () => {
    const first = await post('W-VER-1', statusEvent('douyin', 'PAID', { channel: 'douyin' }));
    expect(first.body.graph).toMatchObject({ id: chinaPeakStatusGraph.id, version: 1 });

    const path = `/api/definitions/status-graph/${chinaPeakStatusGraph.id}`;
    const detail = await t.api('GET', path);
    const saved = await t.api('PUT', `${path}/draft`, {
      json: {
        definition: { ...chinaPeakStatusGraph, description: 'second version' },
        baseRevision: detail.body.draftRevision,
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const version = await t.api('POST', `${path}/versions`, { json: { note: 'v2' } });
    expect(version.status, JSON.stringify(version.body)).toBe(201);
    for (const environment of ['sandbox', 'production']) {
      const moved = await t.api('PUT', `${path}/environments/${environment}`, {
        json: { version: version.body.version },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBeLessThan(300);
    }

    const next = await post('W-VER-2', statusEvent('douyin', 'PAID', { channel: 'douyin' }));
    expect(next.status).toBe(201);
    expect(next.body.graph).toMatchObject({ version: version.body.version });
  });
});
