import { loadOrders, peakSeasonRouting } from '@orderloom/schema/fixtures';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';
import { fakeClock, startWebhookReceiver, type WebhookReceiver } from './webhookReceiver.ts';

let t: TestRuntime;
let receiver: WebhookReceiver;
const clock = fakeClock();
const orders = loadOrders();

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  t = await startTestRuntime({
    demoDefinitions: [peakSeasonRouting],
    demoFacts: true,
    env: { ORDERLOOM_WEBHOOK_ALLOW: '127.0.0.1', ORDERLOOM_DELIVERY_POLL_MS: '20' },
    clock,
  });
  const definition = { ...peakSeasonRouting, id: 'hooked', webhook: { url: receiver.url } };
  await t.api('PUT', '/api/definitions/routing/hooked/draft', { json: { definition, baseRevision: 0 } });
  await t.api('POST', '/api/definitions/routing/hooked/versions', { json: {} });
  await t.api('PUT', '/api/definitions/routing/hooked/environments/sandbox', { json: { version: 1 } });
  await t.api('PUT', '/api/definitions/routing/hooked/environments/production', { json: { version: 1 } });
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

describe('strategy webhook', () => {
  it('delivers each decision of a strategy with a webhook, signed per Standard Webhooks', async () => {
    const first = await t.api('POST', '/api/route', { json: { strategy: 'hooked', order: orders[0] } });
    expect(first.status).toBe(200);
    const subscriptions = await t.api('GET', '/api/subscriptions');
    const owned = subscriptions.body.items.filter(
      (s: { owner: string | null }) => s.owner === 'routing:hooked:production',
    );
    expect(owned).toHaveLength(1);
    expect(owned[0].target).toMatchObject({ type: 'webhook', url: receiver.url });
    const { secret } = (await t.api('POST', `/api/subscriptions/${owned[0].id}/rotate-secret`, { json: {} }))
      .body;

    const second = await t.api('POST', '/api/route', { json: { strategy: 'hooked', order: orders[1] } });
    const requests = await receiver.received(2);
    const request = requests.find((r) => JSON.parse(r.body).data.decisionId === second.body.decisionId);
    if (!request) throw new Error('the second decision was not delivered');
    const headers = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(request.headers[h])]),
    );
    const verified = new Webhook(secret).verify(request.body, headers) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(verified.type).toBe('decision.hooked');
    expect(verified.data).toEqual({
      decisionId: second.body.decisionId,
      at: expect.any(String),
      strategy: { id: 'hooked', version: 1, environment: 'production' },
      orderId: orders[1]?.id,
      allocation: second.body.allocation,
      tierUsed: second.body.tierUsed,
      unroutable: false,
      explanation: second.body.explanation,
    });

    const deliveries = await t.api('GET', `/api/subscriptions/${owned[0].id}/deliveries`);
    expect(
      deliveries.body.items.map((d: { payload: { decisionId: string } }) => d.payload.decisionId).sort(),
    ).toEqual([first.body.decisionId, second.body.decisionId].sort());
  });

  it('re-creates the webhook subscription when it was deleted', async () => {
    const owned = async () =>
      (await t.api('GET', '/api/subscriptions')).body.items.filter(
        (s: { owner: string | null }) => s.owner === 'routing:hooked:production',
      );
    const [before] = await owned();
    expect((await t.api('DELETE', `/api/subscriptions/${before.id}`)).status).toBe(204);
    const lost = await t.api('POST', '/api/route', { json: { strategy: 'hooked', order: orders[3] } });
    expect(lost.status).toBe(200);
    expect(await owned()).toEqual([]);

    clock.advance(10_000);
    await t.api('POST', '/api/route', { json: { strategy: 'hooked', order: orders[4] } });
    const again = await t.api('POST', '/api/route', { json: { strategy: 'hooked', order: orders[5] } });
    const [after] = await owned();
    expect(after.id).not.toBe(before.id);
    const deliveries = await t.api('GET', `/api/subscriptions/${after.id}/deliveries`);
    expect(
      deliveries.body.items.map((d: { payload: { decisionId: string } }) => d.payload.decisionId),
    ).toContain(again.body.decisionId);
  });

  it('enqueues nothing for strategies without a webhook', async () => {
    const res = await t.api('POST', '/api/route', { json: { strategy: 'peak-season', order: orders[2] } });
    expect(res.status).toBe(200);
    const subscriptions = await t.api('GET', '/api/subscriptions');
    expect(subscriptions.body.items.map((s: { owner: string | null }) => s.owner)).toEqual([
      'routing:hooked:production',
    ]);
    const db = t.runtime.db;
    const pending = db.prepare(`SELECT count(*) FROM deliveries WHERE payload LIKE ?`).pluck();
    expect(pending.get(`%${res.body.decisionId}%`)).toBe(0);
  });
});
