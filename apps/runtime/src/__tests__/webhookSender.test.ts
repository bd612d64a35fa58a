import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookSender, generateWebhookSecret } from '../effects/webhookSender.ts';
import { createWebhookUrlPolicy, type WebhookUrlPolicy } from '../effects/webhookUrlPolicy.ts';
import { type Reply, startWebhookReceiver } from './webhookReceiver.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(reply?: () => Reply) {
  const target = await startWebhookReceiver(reply);
  cleanups.push(() => target.close());
  return target;
}

function sender(policy: WebhookUrlPolicy = createWebhookUrlPolicy(['127.0.0.1']), timeoutMs = 2000) {
  const created = createWebhookSender({ policy, timeoutMs });
  cleanups.push(() => created.close());
  return created;
}

const secret = generateWebhookSecret();
const message = (url: string, body = '{"type":"ping"}') => ({
  url,
  secret,
  messageId: 'msg_1',
  body,
  nowMs: Date.now(),
});

describe('createWebhookSender', () => {
  it('posts the body byte for byte with Standard Webhooks headers the receiver can verify', async () => {
    const target = await receiver();
    const body = '{"type":"order.status","data":{"orderId":"O-1","label":"已发货"}}';
    const outcome = await sender().send(message(`${target.url}?tenant=a`, body));
    expect(outcome).toEqual({ status: 204, error: null });
    const [request] = target.requests;
    expect(request?.path).toBe('/hooks/orderloom?tenant=a');
    expect(request?.body).toBe(body);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['webhook-id']).toBe('msg_1');
    expect(new Webhook(secret).verify(body, request?.headers as Record<string, string>)).toEqual(
      JSON.parse(body),
    );
  });

  it('reuses its connections across sends', async () => {
    const target = await receiver();
    const send = sender();
    for (let i = 0; i < 20; i++) await send.send(message(target.url));
    expect(target.requests).toHaveLength(20);
    expect(new Set(target.requests.map((r) => r.remotePort)).size).toBe(1);
  });

  it('does not follow redirects, and reports error bodies cut to 300 characters with Retry-After', async () => {
    const moved = await receiver(() => ({ status: 302, headers: { location: 'http://10.0.0.1/inside' } }));
    expect(await sender().send(message(moved.url))).toMatchObject({
      status: 302,
      error: 'HTTP 302: redirect to http://10.0.0.1/inside not followed',
    });
    const busy = await receiver(() => ({
      status: 503,
      headers: { 'retry-after': '30' },
      body: 'x'.repeat(5000),
    }));
    const outcome = await sender().send(message(busy.url));
    expect(outcome).toEqual({ status: 503, error: `HTTP 503: ${'x'.repeat(300)}`, retryAfter: '30' });
  });

  it('gives up after the timeout', async () => {
    const silent = await receiver(() => 'hang');
    const started = performance.now();
    expect(await sender(undefined, 150).send(message(silent.url))).toEqual({
      status: null,
      error: 'no response within 150 ms',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('connects only to addresses the policy allows, even when the URL check passed', async () => {
    const target = await receiver();
    // A check that lets everything through, as when DNS changed after the subscription was created:
    // the connection's own lookup must still refuse the loopback address.
    const strict = createWebhookUrlPolicy([]);
    const outcome = await sender({ ...strict, check: async () => ({ ok: true }) }).send(
      message(`http://localhost:${target.port}/hook`),
    );
    expect(outcome.status).toBeNull();
    expect(outcome.error).toMatch(/^refused by the webhook URL policy: "localhost" resolves to/);
    expect(target.requests).toHaveLength(0);
  });

  it('reports a refused connection', async () => {
    const target = await receiver();
    await target.close();
    const outcome = await sender().send(message(target.url));
    expect(outcome).toMatchObject({ status: null, error: expect.stringMatching(/^ECONNREFUSED/) });
  });
});
