import { connectAsync } from 'mqtt';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enqueueDeliveries } from '../db/deliveriesRepository.ts';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';
import {
  type ReceivedRequest,
  type Reply,
  startWebhookReceiver,
  type WebhookReceiver,
} from './webhookReceiver.ts';

let t: TestRuntime;
const keys = { analyst: '', service: '' };
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  t = await startTestRuntime({
    env: {
      ORDERLOOM_WEBHOOK_ALLOW: '127.0.0.1',
      ORDERLOOM_DELIVERY_BASE_DELAY_MS: '20',
      ORDERLOOM_DELIVERY_MAX_DELAY_MS: '50',
      ORDERLOOM_DELIVERY_MAX_ATTEMPTS: '3',
      // Far longer than any wait below: wake-ups and the retry timer have to do the work.
      ORDERLOOM_DELIVERY_POLL_MS: '600000',
      ORDERLOOM_MQTT_EMBEDDED: 'true',
      ORDERLOOM_MQTT_PORT: '0',
    },
  });
  for (const role of ['analyst', 'service'] as const) {
    keys[role] = (await t.api('POST', '/api/keys', { json: { name: role, role } })).body.secret;
  }
});
afterAll(async () => {
  await t.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(reply?: (request: ReceivedRequest, n: number) => Reply) {
  const r = await startWebhookReceiver(reply);
  receivers.push(r);
  return r;
}

async function subscribe(body: unknown) {
  const res = await t.api('POST', '/api/subscriptions', { json: body });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const settled = { timeout: 5000, interval: 20 };

describe('POST /api/subscriptions', () => {
  it('creates a webhook subscription and returns its Standard Webhooks secret once', async () => {
    const created = await subscribe({
      topics: ['status.changed', 'alert.*'],
      target: { type: 'webhook', url: 'http://127.0.0.1:9/hook' },
      description: 'OMS sync',
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^sub_/),
      topics: ['status.changed', 'alert.*'],
      target: { type: 'webhook', url: 'http://127.0.0.1:9/hook' },
      description: 'OMS sync',
      state: 'active',
      disabledReason: null,
      disabledAt: null,
      owner: null,
      createdAt: expect.any(String),
      createdBy: 'admin',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const { secret: _secret, ...listed } = created;
    expect((await t.api('GET', `/api/subscriptions/${created.id}`)).body).toEqual(listed);
    const list = await t.api('GET', '/api/subscriptions', { key: keys.analyst });
    expect(list.body.items).toContainEqual(listed);
    expect(list.text).not.toContain(created.secret);
  });

  it('rejects a malformed body with 400 naming each path', async () => {
    const res = await t.api('POST', '/api/subscriptions', {
      json: {
        topics: ['status changed', 'alert.*', 'alert.*.x'],
        target: { type: 'webhook', url: 'ftp://example.com/x', secret: 'mine' },
        extra: true,
      },
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['/extra', '/target/secret', '/target/url', '/topics/0', '/topics/2'].sort(),
    );

    const cases: Array<[unknown, string]> = [
      [{ topics: [], target: { type: 'webhook', url: 'http://127.0.0.1/h' } }, '/topics'],
      [{ topics: ['*'], target: { type: 'email', to: 'ops@example.com' } }, '/target/type'],
      [{ topics: ['*'], target: { type: 'mqtt', url: 'mqtt://127.0.0.1', topic: 'a/#' } }, '/target/topic'],
      [{ topics: ['*'], target: { type: 'mqtt', url: 'http://127.0.0.1', topic: 'a' } }, '/target/url'],
      [{ target: { type: 'webhook', url: 'http://127.0.0.1/h' } }, '/topics'],
    ];
    for (const [body, path] of cases) {
      const r = await t.api('POST', '/api/subscriptions', { json: body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('refuses loopback, private, link-local and unique-local webhook targets that are not allow-listed', async () => {
    for (const [url, word] of [
      ['http://10.1.2.3/hook', 'private'],
      ['https://172.20.0.5/hook', 'private'],
      ['http://192.168.1.20:8080/hook', 'private'],
      ['http://169.254.169.254/latest/meta-data', 'link-local'],
      ['http://[fd00::1]/hook', 'unique-local'],
      ['http://[::1]:9000/hook', 'loopback'],
      ['http://127.0.0.2/hook', 'loopback'],
      ['http://0.0.0.0/hook', 'unspecified'],
    ]) {
      const res = await t.api('POST', '/api/subscriptions', {
        json: { topics: ['*'], target: { type: 'webhook', url } },
      });
      expect(res.status, url).toBe(400);
      expect(res.body.errors).toEqual([
        { path: '/target/url', severity: 'error', message: expect.stringContaining(`${word} address`) },
      ]);
    }
    const unresolvable = await t.api('POST', '/api/subscriptions', {
      json: { topics: ['*'], target: { type: 'webhook', url: 'http://no-such-host.invalid/hook' } },
    });
    expect(unresolvable.status).toBe(400);
    expect(unresolvable.body.errors[0]).toMatchObject({ path: '/target/url', message: /does not resolve/ });
    expect((await t.api('GET', '/api/subscriptions')).text).not.toContain('10.1.2.3');

    // The allow-list (127.0.0.1 here) admits that address, also behind a name resolving to it.
    await subscribe({ topics: ['*'], target: { type: 'webhook', url: 'http://127.0.0.1:9/ok' } });
    await subscribe({ topics: ['*'], target: { type: 'webhook', url: 'http://localhost:9/ok' } });
  });

  it('refuses 127.0.0.1 and localhost on a runtime without an allow-list', async () => {
    const strict = await startTestRuntime();
    try {
      for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook']) {
        const res = await strict.api('POST', '/api/subscriptions', {
          json: { topics: ['*'], target: { type: 'webhook', url } },
        });
        expect(res.status, url).toBe(400);
        expect(res.body.errors[0]).toMatchObject({ path: '/target/url', message: /loopback address/ });
      }
    } finally {
      await strict.close();
    }
  });
});

describe('roles', () => {
  it('lets admins write, admins and analysts read, and services neither', async () => {
    const sub = await subscribe({ topics: ['*'], target: { type: 'webhook', url: 'http://127.0.0.1:9/r' } });
    const body = { topics: ['*'], target: { type: 'webhook', url: 'http://127.0.0.1:9/r' } };
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/api/subscriptions', body],
      ['DELETE', `/api/subscriptions/${sub.id}`],
      ['POST', `/api/subscriptions/${sub.id}/test`],
      ['POST', `/api/subscriptions/${sub.id}/rotate-secret`],
      ['POST', '/api/deliveries/dlv_x/redeliver'],
    ];
    for (const role of ['analyst', 'service'] as const) {
      for (const [method, path, json] of writes) {
        expect(
          (await t.api(method, path, { key: keys[role], json })).status,
          `${role} ${method} ${path}`,
        ).toBe(403);
      }
    }
    for (const path of [
      '/api/subscriptions',
      `/api/subscriptions/${sub.id}`,
      `/api/subscriptions/${sub.id}/deliveries`,
    ]) {
      expect((await t.api('GET', path, { key: keys.analyst })).status, path).toBe(200);
      expect((await t.api('GET', path, { key: keys.service })).status, path).toBe(403);
      expect((await t.api('GET', path, { key: null })).status, path).toBe(401);
    }
  });
});

describe('webhook deliveries over HTTP', () => {
  it('sends an enqueued change at once, retries a 500, and logs every attempt', async () => {
    const hook = await receiver((_r, n) => (n === 1 ? { status: 500, body: 'not yet' } : { status: 200 }));
    const sub = await subscribe({ topics: ['status.changed'], target: { type: 'webhook', url: hook.url } });
    const db = t.runtime.db;
    db.transaction(() =>
      enqueueDeliveries(db, {
        topic: 'status.changed',
        key: 'SO-7/e1/0',
        payload: { orderId: 'SO-7', to: 'paid' },
      }),
    )();
    const [first, second] = await hook.received(2);
    expect(first?.headers['webhook-id']).toBe(second?.headers['webhook-id']);
    expect(
      new Webhook(sub.secret).verify(second?.body ?? '', second?.headers as Record<string, string>),
    ).toMatchObject({ type: 'status.changed', data: { orderId: 'SO-7', to: 'paid' } });

    await vi.waitFor(async () => {
      const log = await t.api('GET', `/api/subscriptions/${sub.id}/deliveries`, { key: keys.analyst });
      expect(log.body).toEqual({
        items: [
          expect.objectContaining({
            subscriptionId: sub.id,
            topic: 'status.changed',
            key: 'SO-7/e1/0',
            messageId: first?.headers['webhook-id'],
            state: 'delivered',
            attempts: 2,
            payload: { orderId: 'SO-7', to: 'paid' },
            attemptLog: [
              expect.objectContaining({ attempt: 1, status: 500, error: 'HTTP 500: not yet' }),
              expect.objectContaining({ attempt: 2, status: 200, error: null }),
            ],
          }),
        ],
        nextCursor: null,
      });
    }, settled);
  });

  it('sends a test ping, redelivers it with the same webhook-id, and pages the log', async () => {
    const hook = await receiver();
    const sub = await subscribe({ topics: ['decision.*'], target: { type: 'webhook', url: hook.url } });
    const ping = await t.api('POST', `/api/subscriptions/${sub.id}/test`);
    expect(ping.status).toBe(202);
    expect(ping.body).toMatchObject({ topic: 'ping', state: 'pending', payload: { subscriptionId: sub.id } });
    const [request] = await hook.received(1);
    expect(JSON.parse(request?.body ?? '')).toMatchObject({ type: 'ping', data: { subscriptionId: sub.id } });
    await vi.waitFor(async () => {
      expect((await t.api('GET', `/api/deliveries/${ping.body.id}`)).body.state).toBe('delivered');
    }, settled);

    const redelivered = await t.api('POST', `/api/deliveries/${ping.body.id}/redeliver`);
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toMatchObject({ state: 'pending', attempts: 0, redeliveries: 1 });
    const requests = await hook.received(2);
    expect(requests[1]?.headers['webhook-id']).toBe(ping.body.messageId);
    await vi.waitFor(async () => {
      expect((await t.api('GET', `/api/deliveries/${ping.body.id}`)).body).toMatchObject({
        state: 'delivered',
        attempts: 1,
        redeliveries: 1,
      });
    }, settled);

    const second = await t.api('POST', `/api/subscriptions/${sub.id}/test`);
    await hook.received(3);
    const page1 = await t.api('GET', `/api/subscriptions/${sub.id}/deliveries?limit=1`);
    expect(page1.body.items.map((d: { id: string }) => d.id)).toEqual([second.body.id]);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await t.api(
      'GET',
      `/api/subscriptions/${sub.id}/deliveries?limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body).toMatchObject({ items: [{ id: ping.body.id }], nextCursor: null });
    const bad = await t.api('GET', `/api/subscriptions/${sub.id}/deliveries?limit=0&state=lost`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/limit', '/state']);
  });

  it('honours Retry-After on 429, and refuses to redeliver a pending delivery', async () => {
    const hook = await receiver(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const sub = await subscribe({ topics: ['ping'], target: { type: 'webhook', url: hook.url } });
    const ping = await t.api('POST', `/api/subscriptions/${sub.id}/test`);
    await hook.received(1);
    await vi.waitFor(async () => {
      const delivery = (await t.api('GET', `/api/deliveries/${ping.body.id}`)).body;
      expect(delivery).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 429 });
      const wait = Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.attemptLog[0].at);
      expect(wait).toBeGreaterThanOrEqual(3_599_000);
    }, settled);
    const again = await t.api('POST', `/api/deliveries/${ping.body.id}/redeliver`);
    expect(again.status).toBe(409);
    expect(hook.requests).toHaveLength(1);
  });

  it('disables a subscription whose target answers 410 Gone', async () => {
    const hook = await receiver(() => ({ status: 410 }));
    const sub = await subscribe({ topics: ['ping'], target: { type: 'webhook', url: hook.url } });
    const ping = await t.api('POST', `/api/subscriptions/${sub.id}/test`);
    await vi.waitFor(async () => {
      expect((await t.api('GET', `/api/subscriptions/${sub.id}`)).body).toMatchObject({
        state: 'disabled',
        disabledReason: 'the target answered 410 Gone',
      });
    }, settled);
    expect((await t.api('GET', `/api/deliveries/${ping.body.id}`)).body).toMatchObject({
      state: 'dead',
      lastStatus: 410,
    });
    expect((await t.api('POST', `/api/subscriptions/${sub.id}/test`)).status).toBe(409);
    expect((await t.api('POST', `/api/deliveries/${ping.body.id}/redeliver`)).status).toBe(409);
  });

  it('rotates a webhook secret, deletes a subscription with its log, and answers 404 for unknown ids', async () => {
    const hook = await receiver();
    const sub = await subscribe({ topics: ['ping'], target: { type: 'webhook', url: hook.url } });
    const rotated = await t.api('POST', `/api/subscriptions/${sub.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(sub.secret);
    const ping = await t.api('POST', `/api/subscriptions/${sub.id}/test`);
    const [request] = await hook.received(1);
    expect(() =>
      new Webhook(rotated.body.secret).verify(
        request?.body ?? '',
        request?.headers as Record<string, string>,
      ),
    ).not.toThrow();

    expect((await t.api('DELETE', `/api/subscriptions/${sub.id}`)).status).toBe(204);
    for (const [method, path] of [
      ['GET', `/api/subscriptions/${sub.id}`],
      ['DELETE', `/api/subscriptions/${sub.id}`],
      ['GET', `/api/subscriptions/${sub.id}/deliveries`],
      ['POST', `/api/subscriptions/${sub.id}/test`],
      ['POST', `/api/subscriptions/${sub.id}/rotate-secret`],
      ['GET', `/api/deliveries/${ping.body.id}`],
      ['POST', `/api/deliveries/${ping.body.id}/redeliver`],
    ] as const) {
      const res = await t.api(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('MQTT subscriptions with the embedded broker', () => {
  it('publishes a test ping to the broker started with the runtime', async () => {
    const broker = t.runtime.mqttBroker;
    expect(broker).toBeDefined();
    const url = broker?.url ?? '';
    const client = await connectAsync(url, { reconnectPeriod: 0 });
    try {
      const received = new Promise<{ topic: string; body: unknown }>((resolve) => {
        client.on('message', (topic, payload) =>
          resolve({ topic, body: JSON.parse(payload.toString('utf8')) }),
        );
      });
      await client.subscribeAsync('orderloom/#', { qos: 1 });
      const sub = await subscribe({
        topics: ['alert.*'],
        target: { type: 'mqtt', url, topic: 'orderloom/{topic}' },
      });
      expect(sub.secret).toBeNull();
      expect((await t.api('POST', `/api/subscriptions/${sub.id}/rotate-secret`)).status).toBe(409);
      const ping = await t.api('POST', `/api/subscriptions/${sub.id}/test`);
      expect(await received).toEqual({
        topic: 'orderloom/ping',
        body: {
          id: ping.body.messageId,
          type: 'ping',
          timestamp: ping.body.createdAt,
          data: { subscriptionId: sub.id, message: 'Test delivery from Orderloom' },
        },
      });
    } finally {
      await client.endAsync(true);
    }
  });

  it('hides a broker password in responses', async () => {
    const sub = await subscribe({
      topics: ['ping'],
      target: { type: 'mqtt', url: 'mqtt://bot:s3cret@127.0.0.1:1', topic: 'x' },
    });
    expect(sub.target.url).toBe('mqtt://bot:***@127.0.0.1:1');
    expect((await t.api('GET', '/api/subscriptions')).text).not.toContain('s3cret');
  });
});
