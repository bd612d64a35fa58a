import { chinaPeakStatusGraph } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSigner, signEvent, statusEvent } from './statusTestHelpers.ts';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';

let t: TestRuntime;
let serviceKey: string;
let analystKey: string;

beforeAll(async () => {
  t = await startTestRuntime({ demoDefinitions: [chinaPeakStatusGraph] });
  serviceKey = (await t.api('POST', '/api/keys', { json: { name: 'oms', role: 'service' } })).body.secret;
  analystKey = (await t.api('POST', '/api/keys', { json: { name: 'ana', role: 'analyst' } })).body.secret;
});
afterAll(() => t.close());

const post = (orderId: string, event: unknown, key: string | null = serviceKey) =>
  t.api('POST', `/api/orders/${orderId}/events`, { json: event, key });
const historyOf = async (orderId: string) =>
  (await t.api('GET', `/api/orders/${orderId}/history`)).body.items;

describe('POST /api/orders/:id/events', () => {
  it('reaches shipped only with outbound number, e-waybill and confirmed funds', async () => {
    const id = 'DY-SHIP-1';
    const steps: [Record<string, unknown>, string][] = [
      [statusEvent('douyin', 'PAID', { channel: 'douyin' }), 'paid'],
      [statusEvent('crm', 'PUSHED'), 'released-to-warehouse'],
      [statusEvent('wms', 'PACKING'), 'packing'],
      [statusEvent('wms', 'OUTBOUND_DONE', { data: { outboundNo: 'OB-1' } }), 'packing'],
      [statusEvent('carrier', 'WAYBILL_CREATED', { data: { waybillNo: 'SF-1' } }), 'packing'],
      [statusEvent('finance', 'PENDING'), 'packing'],
      [statusEvent('finance', 'RECEIVED'), 'shipped'],
    ];
    const seen: string[] = [];
    for (const [event] of steps) {
      const res = await post(id, event);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      seen.push(res.body.status);
    }
    expect(seen).toEqual(steps.map(([, status]) => status));

    const order = await t.api('GET', `/api/orders/${id}`);
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({
      orderId: id,
      status: 'shipped',
      channel: 'douyin',
      environment: 'production',
      graph: { id: 'china-peak-orders', version: 1 },
      facts: {
        wms: { outboundNo: 'OB-1' },
        carrier: { waybillNo: 'SF-1' },
        finance: { paymentConfirmed: true },
      },
    });
    expect(order.body.lastRaw.finance.code).toBe('RECEIVED');
    expect(order.body.lastRaw.wms.code).toBe('OUTBOUND_DONE');
    expect(Object.keys(order.body.lastRaw).sort()).toEqual(['carrier', 'crm', 'douyin', 'finance', 'wms']);

    const history = await historyOf(id);
    expect(history.filter((h: { entry: { type: string } }) => h.entry.type === 'event')).toHaveLength(7);
    expect(
      history
        .filter((h: { entry: { type: string } }) => h.entry.type === 'transition')
        .map((h: { entry: { transition: { to: string } } }) => h.entry.transition.to),
    ).toEqual(['paid', 'released-to-warehouse', 'packing', 'shipped']);
  });

  it('answers a duplicate (system, eventId) with 200 and the original body, storing nothing new', async () => {
    const event = statusEvent('douyin', 'PAID', { channel: 'douyin' });
    const first = await post('DY-DUP-1', event);
    expect(first.status).toBe(201);
    const before = await historyOf('DY-DUP-1');
    const again = await post('DY-DUP-1', event);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await historyOf('DY-DUP-1')).toEqual(before);
    const elsewhere = await post('DY-DUP-2', event);
    expect(elsewhere.status).toBe(409);
  });

  it('rejects an unknown system or code with 422 naming it and stores nothing', async () => {
    const unknownSystem = await post('DY-422', statusEvent('erp', 'SHIPPED'));
    expect(unknownSystem.status).toBe(422);
    expect(unknownSystem.body.errors).toEqual([expect.objectContaining({ path: '/system' })]);
    expect(unknownSystem.body.detail).toContain('erp');
    const unknownCode = await post('DY-422', statusEvent('wms', 'TELEPORTED'));
    expect(unknownCode.status).toBe(422);
    expect(unknownCode.body.errors).toEqual([expect.objectContaining({ path: '/code' })]);
    expect(unknownCode.body.detail).toContain('TELEPORTED');
    expect((await t.api('GET', '/api/orders/DY-422')).status).toBe(404);
    expect((await t.api('GET', '/api/orders/DY-422/history')).status).toBe(404);
  });

  it('rejects a malformed event with 400 naming each path', async () => {
    const res = await post('DY-400', { eventId: '', system: 'wms', occurredAt: 'yesterday', extra: 1 });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['/code', '/eventId', '/extra', '/occurredAt']);
    const mismatch = await post('DY-400', { ...statusEvent('wms', 'PACKING'), orderId: 'OTHER' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].path).toBe('/orderId');
    expect((await t.api('GET', '/api/orders/DY-400')).status).toBe(404);
  });

  it('stores a path violation and raises an alert instead of rejecting it', async () => {
    const res = await post('MP-PV-1', statusEvent('carrier', 'DELIVERED', { channel: 'miniprogram' }));
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('created');
    expect(res.body.alerts).toEqual([expect.objectContaining({ type: 'path-violation', level: 'breach' })]);
    const alerts = await t.api('GET', '/api/alerts?state=open&level=breach&type=path-violation');
    const alert = alerts.body.items.find((a: { orderId: string }) => a.orderId === 'MP-PV-1');
    expect(alert.message).toContain('delivered');
    const order = await t.api('GET', '/api/orders/MP-PV-1');
    expect(order.body.openAlerts.map((a: { id: number }) => a.id)).toEqual([alert.id]);

    expect((await t.api('POST', `/api/alerts/${alert.id}/ack`, { key: serviceKey })).status).toBe(403);
    const acked = await t.api('POST', `/api/alerts/${alert.id}/ack`, { key: analystKey });
    expect(acked.body).toMatchObject({ state: 'acked', ackedBy: 'ana' });
    expect((await t.api('GET', '/api/orders/MP-PV-1')).body.openAlerts).toEqual([]);
    expect((await t.api('POST', '/api/alerts/999999/ack')).status).toBe(404);
  });

  it('needs the service or admin role', async () => {
    expect((await post('DY-ROLE', statusEvent('douyin', 'PAID'), analystKey)).status).toBe(403);
    expect((await post('DY-ROLE', statusEvent('douyin', 'PAID'), null)).status).toBe(401);
  });
});

describe('signed sources', () => {
  const a = newSigner('carrier-2026a');
  const b = newSigner('carrier-2026b');
  const putKeys = (keys: { id: string; publicKey: string }[]) =>
    t.api('PUT', '/api/sources/carrier', { json: { publicKeys: keys } });
  const invalidSignatureAlerts = async () =>
    (await t.api('GET', '/api/alerts?type=invalid-signature')).body.items as {
      orderId: string;
      details: { reason: string };
    }[];

  it('verifies events of a keyed system and refuses unsigned or forged ones with 401, storing nothing', async () => {
    const put = await putKeys([{ id: a.id, publicKey: a.publicKeyPem }]);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ system: 'carrier', signaturesRequired: true });
    expect(put.body.publicKeys[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(
      (await t.api('PUT', '/api/sources/carrier', { key: serviceKey, json: { publicKeys: [] } })).status,
    ).toBe(403);

    const signed = await post(
      'SIG-1',
      signEvent(statusEvent('carrier', 'WAYBILL_CREATED', { data: { waybillNo: 'W1' } }), a),
    );
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    const [entry] = await historyOf('SIG-1');
    expect(entry.entry.signature).toMatchObject({ keyId: a.id, verified: true });

    const unsigned = await post('SIG-2', statusEvent('carrier', 'WAYBILL_CREATED'));
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.type).toBe('urn:orderloom:problem:invalid-signature');
    const forged = signEvent(statusEvent('carrier', 'WAYBILL_CREATED', { data: { waybillNo: 'W2' } }), a);
    const tampered = await post('SIG-2', { ...forged, data: { waybillNo: 'W3' } });
    expect(tampered.status).toBe(401);
    expect((await t.api('GET', '/api/orders/SIG-2')).status).toBe(404);
    expect((await t.api('GET', '/api/orders/SIG-2/history')).status).toBe(404);
    const reasons = (await invalidSignatureAlerts())
      .filter((x) => x.orderId === 'SIG-2')
      .map((x) => x.details.reason);
    expect(reasons.sort()).toEqual(['bad-signature', 'missing-signature']);
    // Unkeyed systems still need no signature.
    expect((await post('SIG-2', statusEvent('wms', 'RECEIVED'))).status).toBe(201);
  });

  it('accepts both keys during a rotation and refuses the removed key afterwards', async () => {
    expect(
      (
        await putKeys([
          { id: a.id, publicKey: a.publicKeyPem },
          { id: b.id, publicKey: b.publicKeyRaw },
        ])
      ).status,
    ).toBe(200);
    expect((await post('ROT-1', signEvent(statusEvent('carrier', 'PICKED_UP'), a))).status).toBe(201);
    expect(
      (await post('ROT-1', signEvent(statusEvent('carrier', 'IN_TRANSIT'), b, { withKeyId: false }))).status,
    ).toBe(201);

    expect((await putKeys([{ id: b.id, publicKey: b.publicKeyPem }])).status).toBe(200);
    const old = await post('ROT-1', signEvent(statusEvent('carrier', 'DELIVERED'), a));
    expect(old.status).toBe(401);
    expect(old.body.detail).toContain(a.id);
    const oldNoKeyId = await post(
      'ROT-1',
      signEvent(statusEvent('carrier', 'DELIVERED'), a, { withKeyId: false }),
    );
    expect(oldNoKeyId.status).toBe(401);
    expect(
      (await historyOf('ROT-1')).filter((h: { entry: { type: string } }) => h.entry.type === 'event'),
    ).toHaveLength(2);
    expect((await post('ROT-1', signEvent(statusEvent('carrier', 'DELIVERED'), b))).status).toBe(201);
  });

  it('refuses a public key that is not Ed25519, naming its path', async () => {
    const res = await putKeys([
      { id: 'k1', publicKey: b.publicKeyPem },
      { id: 'k2', publicKey: 'bm90IGEga2V5' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('/publicKeys/1/publicKey');
    expect(
      (await t.api('GET', '/api/sources/carrier')).body.publicKeys.map((k: { id: string }) => k.id),
    ).toEqual([b.id]);
  });
});

describe('GET /api/orders', () => {
  it('filters by status, channel and open alert, and pages', async () => {
    await post('FLT-DY-1', statusEvent('douyin', 'PAID', { channel: 'douyin' }));
    await post('FLT-DY-2', statusEvent('douyin', 'PAID', { channel: 'douyin' }));
    await post('FLT-PDD-1', statusEvent('crm', 'CREATED', { channel: 'pdd' }));
    await post('FLT-PDD-2', statusEvent('douyin', 'SIGNED', { channel: 'pdd' }));
    const ids = async (query: string) =>
      (await t.api('GET', `/api/orders?${query}`)).body.items
        .map((o: { orderId: string }) => o.orderId)
        .filter((id: string) => id.startsWith('FLT-'));
    expect(await ids('channel=pdd')).toEqual(['FLT-PDD-2', 'FLT-PDD-1']);
    expect(await ids('status=paid&channel=douyin')).toEqual(['FLT-DY-2', 'FLT-DY-1']);
    expect(await ids('alert=path-violation')).toEqual(['FLT-PDD-2']);
    expect(await ids('channel=pdd&alert=any')).toEqual(['FLT-PDD-2']);
    const first = await t.api('GET', '/api/orders?channel=pdd&limit=1');
    expect(first.body.items.map((o: { orderId: string }) => o.orderId)).toEqual(['FLT-PDD-2']);
    const second = await t.api('GET', `/api/orders?channel=pdd&limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((o: { orderId: string }) => o.orderId)).toEqual(['FLT-PDD-1']);
    expect((await t.api('GET', '/api/orders?alert=bogus')).status).toBe(400);
  });
});
