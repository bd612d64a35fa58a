import { chinaPeakStatusGraph, loadDictionary } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';

let t: TestRuntime;
let serviceKey: string;
beforeAll(async () => {
  t = await startTestRuntime({ demoDefinitions: [chinaPeakStatusGraph] });
  serviceKey = (await t.api('POST', '/api/keys', { json: { name: 'oms', role: 'service' } })).body.secret;
});
afterAll(() => t.close());

const url = (system: string, query = '') =>
  `/api/definitions/status-graph/china-peak-orders/dictionaries/${system}${query}`;
interface Conflict {
  type: string;
  path: string;
  nodeId: string;
  related: { nodeId: string }[];
}
const conflictsOf = (body: { conflicts: Conflict[] }, type: string) =>
  body.conflicts.filter((c) => c.type === type);

describe('POST /api/definitions/status-graph/:id/dictionaries/:system', () => {
  it('merges the WMS dictionary into the draft and reports its semantic conflicts', async () => {
    const before = (await t.api('GET', '/api/definitions/status-graph/china-peak-orders')).body.draftRevision;
    const res = await t.api('POST', url('wms'), { json: loadDictionary('wms') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.draftRevision).toBe(before + 1);
    expect(res.body.added).toEqual([]);

    // WMS 已发货 (left the warehouse) vs CRM 已发货 (pushed to the warehouse) and Douyin's.
    const [label] = conflictsOf(res.body, 'same-label-different-meaning');
    expect(label?.nodeId).toBe('wms:OUTBOUND_DONE');
    expect(label?.related.map((r) => r.nodeId).sort()).toEqual(['crm:PUSHED', 'douyin:SHIP_CONFIRMED']);
    expect(label?.path).toMatch(/^\/systems\/1\/statuses\/4$/);

    expect(conflictsOf(res.body, 'unmapped-code').map((c) => c.nodeId)).toEqual([
      'wms:WAVE_RELEASED',
      'wms:PICK_TIMEOUT',
    ]);
    expect(conflictsOf(res.body, 'duplicate-meaning')).toEqual([]);
    expect(res.body.reports).toEqual(expect.any(Array));
  });

  it('does not flag a label that means the same in two systems, and flags duplicate meanings', async () => {
    const res = await t.api('POST', url('carrier'), { json: loadDictionary('carrier') });
    expect(res.status).toBe(200);
    // carrier 已签收 DELIVERED and douyin 已签收 SIGNED both imply "delivered": no conflict.
    expect(conflictsOf(res.body, 'same-label-different-meaning')).toEqual([]);
    const [duplicate] = conflictsOf(res.body, 'duplicate-meaning');
    expect(duplicate).toMatchObject({
      nodeId: 'carrier:STALLED',
      related: [{ nodeId: 'carrier:PICKUP_FAILED' }],
    });
  });

  it('imports CSV, adds new codes and reports meanings no transition uses', async () => {
    const csv = [
      'code,label,meaning,implies',
      'PENDING,待收款,awaiting settlement,',
      'CHARGEBACK,拒付,card holder disputed the payment,cancelled',
      'HOLD,冻结,funds held,limbo',
    ].join('\n');
    const res = await t.api('POST', url('finance'), { body: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.added).toEqual(['CHARGEBACK', 'HOLD']);
    expect(conflictsOf(res.body, 'implies-unknown-state')).toEqual([
      expect.objectContaining({ nodeId: 'finance:HOLD', path: expect.stringMatching(/\/implies$/) }),
    ]);
    expect(
      conflictsOf(res.body, 'code-not-in-import')
        .map((c) => c.nodeId)
        .sort(),
    ).toEqual(['finance:RECEIVED', 'finance:REFUNDED']);
    expect(res.body.reports.some((r: { severity: string }) => r.severity === 'error')).toBe(true);
    const draft = (await t.api('GET', '/api/definitions/status-graph/china-peak-orders')).body.draft;
    const finance = draft.systems.find((s: { id: string }) => s.id === 'finance');
    expect(finance.statuses.map((s: { code: string }) => s.code)).toEqual([
      'PENDING',
      'RECEIVED',
      'REFUNDED',
      'CHARGEBACK',
      'HOLD',
    ]);
    // The analyst's mapping of PENDING survives an import that carries words only.
    expect(finance.statuses[0].sets).toEqual({ 'finance.paymentConfirmed': 'false' });
  });

  it('reports a fact that no guard reads', async () => {
    const res = await t.api('POST', url('crm'), {
      json: { system: 'crm', statuses: [{ code: 'VIP', label: '贵宾', sets: { 'crm.vip': 'true' } }] },
    });
    expect(conflictsOf(res.body, 'unused-meaning')).toEqual([
      expect.objectContaining({ nodeId: 'crm:VIP', path: expect.stringMatching(/\/sets\/crm\.vip$/) }),
    ]);
  });

  it('rejects bad input and respects the draft revision', async () => {
    expect(
      (await t.api('POST', url('wms'), { json: { system: 'crm', statuses: [] } })).body.errors[0].path,
    ).toBe('/system');
    const badCsv = await t.api('POST', url('wms'), {
      body: 'code,colour\nA,red',
      headers: { 'content-type': 'text/csv' },
    });
    expect(badCsv.status).toBe(400);
    const missingCode = await t.api('POST', url('wms'), {
      body: 'code,label\n,x',
      headers: { 'content-type': 'text/csv' },
    });
    expect(missingCode.status).toBe(400);
    expect(missingCode.body.errors[0]).toMatchObject({ path: '/statuses/0/code', line: 2 });
    expect(
      (await t.api('POST', url('wms'), { body: 'x', headers: { 'content-type': 'text/plain' } })).status,
    ).toBe(415);
    expect((await t.api('POST', url('wms', '?baseRevision=1'), { json: loadDictionary('wms') })).status).toBe(
      409,
    );
    expect((await t.api('POST', url('wms'), { json: loadDictionary('wms'), key: serviceKey })).status).toBe(
      403,
    );
    expect(
      (
        await t.api('POST', '/api/definitions/status-graph/nope/dictionaries/wms', {
          json: loadDictionary('wms'),
        })
      ).status,
    ).toBe(404);
  });
});
