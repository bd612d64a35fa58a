import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../db/definitionsRepository.ts';
import { createDeliveriesRepository, enqueueDeliveries } from '../db/deliveriesRepository.ts';
import { migrate } from '../db/migrate.ts';
import { type Db, openDatabase } from '../db/openDatabase.ts';
import { createSubscriptionsRepository } from '../db/subscriptionsRepository.ts';
import { createDeliveryWorker, type DeliveryWorkerOptions } from '../effects/deliveryWorker.ts';
import { createWebhookUrlPolicy } from '../effects/webhookUrlPolicy.ts';
import { tempDataDir } from './testRuntime.ts';
import { type FakeClock, fakeClock, type ReceivedRequest, startWebhookReceiver } from './webhookReceiver.ts';

const actor: Actor = { name: 'test', keyId: null };
const retry = { maxAttempts: 4, baseDelayMs: 1000, factor: 2, maxDelayMs: 60_000 };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A migrated database in a temp dir, repositories and a worker on a fake clock with rng = 0.5. */
function setup(
  overrides: Partial<DeliveryWorkerOptions> = {},
  existing?: { file: string; clock: FakeClock },
) {
  const file = existing?.file ?? join(tempDataDir(), 'orderloom.db');
  const clock = existing?.clock ?? fakeClock();
  const db = openDatabase(file);
  migrate(db);
  const worker = createDeliveryWorker({
    db,
    clock,
    rng: () => 0.5,
    retry,
    timeoutMs: 2000,
    concurrency: 4,
    pollIntervalMs: 50,
    webhookUrlPolicy: createWebhookUrlPolicy(['127.0.0.1']),
    ...overrides,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await worker.stop();
    db.close();
  };
  cleanups.push(close);
  return {
    file,
    db,
    clock,
    worker,
    close,
    subscriptions: createSubscriptionsRepository(db, { clock }),
    deliveries: createDeliveriesRepository(db, { clock }),
  };
}

async function receiver(...args: Parameters<typeof startWebhookReceiver>) {
  const r = await startWebhookReceiver(...args);
  cleanups.push(() => r.close());
  return r;
}

function verify(secret: string, request: ReceivedRequest): unknown {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
}

function countRows(db: Db, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

describe('delivery worker: webhooks', () => {
  it('retries a failing webhook with backoff, keeps the webhook-id and signs every attempt', async () => {
    const { clock, worker, subscriptions, deliveries, db } = setup();
    const target = await receiver((_req, n) => (n <= 2 ? { status: 500, body: 'boom' } : { status: 200 }));
    const sub = subscriptions.create(
      { topics: ['status.changed'], target: { type: 'webhook', url: target.url } },
      actor,
    );
    const payload = { orderId: 'SO-1', from: 'paid', to: 'shipped' };
    const created = clock.now();
    const { deliveryIds } = db.transaction(() =>
      deliveries.enqueue({ topic: 'status.changed', key: 'SO-1/e1/0', payload }),
    )();
    const id = deliveryIds[0] as string;

    await worker.drain();
    expect(target.requests).toHaveLength(1);
    expect(deliveries.get(id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: 500,
      lastError: 'HTTP 500: boom',
      // full jitter: 0.5 × min(60 s, 1 s × 2⁰)
      nextAttemptAt: new Date(created + 500).toISOString(),
    });

    clock.advance(499);
    await worker.drain();
    expect(target.requests).toHaveLength(1);
    clock.advance(1);
    await worker.drain();
    expect(target.requests).toHaveLength(2);
    // 0.5 × 1 s × 2¹
    clock.advance(999);
    await worker.drain();
    expect(target.requests).toHaveLength(2);
    clock.advance(1);
    await worker.drain();
    expect(target.requests).toHaveLength(3);

    const delivery = deliveries.get(id);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
    expect(delivery?.attemptLog.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    const ids = new Set(target.requests.map((r) => r.headers['webhook-id']));
    expect(ids).toEqual(new Set([delivery?.messageId]));
    expect(target.requests.map((r) => Number(r.headers['webhook-timestamp']))).toEqual([
      Math.floor(created / 1000),
      Math.floor((created + 500) / 1000),
      Math.floor((created + 1500) / 1000),
    ]);
    for (const request of target.requests) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(verify(sub.secret as string, request)).toEqual({
        type: 'status.changed',
        timestamp: new Date(created).toISOString(),
        data: payload,
      });
    }
    expect(() =>
      verify(subscriptions.rotateSecret(sub.id) as string, target.requests[0] as ReceivedRequest),
    ).toThrow('No matching signature');
  });

  it('dead-letters after the last attempt; a manual redeliver sends it again with the same webhook-id', async () => {
    const { clock, worker, subscriptions, deliveries } = setup();
    let answer = 500;
    const target = await receiver(() => ({ status: answer, body: 'nope' }));
    subscriptions.create({ topics: ['alert.*'], target: { type: 'webhook', url: target.url } }, actor);
    const id = deliveries.enqueue({ topic: 'alert.sla', payload: { level: 'breach' } })
      .deliveryIds[0] as string;

    for (const wait of [0, 500, 1000, 2000]) {
      clock.advance(wait);
      await worker.drain();
    }
    expect(target.requests).toHaveLength(4);
    expect(deliveries.get(id)).toMatchObject({
      state: 'dead',
      attempts: 4,
      nextAttemptAt: null,
      lastStatus: 500,
      lastError: 'HTTP 500: nope',
    });
    clock.advance(3_600_000);
    await worker.drain();
    expect(target.requests).toHaveLength(4);

    answer = 202;
    const redelivered = deliveries.redeliver(id);
    expect(redelivered).toMatchObject({
      ok: true,
      delivery: { state: 'pending', attempts: 0, redeliveries: 1 },
    });
    expect(deliveries.redeliver(id)).toEqual({ ok: false, reason: 'pending' });
    await worker.drain();
    expect(target.requests).toHaveLength(5);
    const delivery = deliveries.get(id);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 202 });
    expect(delivery?.attemptLog.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 1]);
    expect(new Set(target.requests.map((r) => r.headers['webhook-id']))).toEqual(
      new Set([delivery?.messageId]),
    );
    expect(deliveries.redeliver('dlv_missing')).toEqual({ ok: false, reason: 'not-found' });
  });

  it('disables the subscription on 410 Gone and stops its pending deliveries', async () => {
    const { worker, subscriptions, deliveries } = setup({ concurrency: 1 });
    const gone = await receiver(() => ({ status: 410 }));
    const fine = await receiver();
    const sub = subscriptions.create({ topics: ['*'], target: { type: 'webhook', url: gone.url } }, actor);
    const other = subscriptions.create({ topics: ['*'], target: { type: 'webhook', url: fine.url } }, actor);
    const first = deliveries.enqueue({ topic: 'status.changed', key: 'a', payload: 1 });
    const second = deliveries.enqueue({ topic: 'status.changed', key: 'b', payload: 2 });

    await worker.drain();
    expect(gone.requests).toHaveLength(1);
    expect(fine.requests).toHaveLength(2);
    expect(subscriptions.get(sub.id)).toMatchObject({
      state: 'disabled',
      disabledReason: 'the target answered 410 Gone',
      disabledAt: expect.any(String),
    });
    expect(subscriptions.get(other.id)?.state).toBe('active');
    const [goneFirst, goneSecond] = [first.deliveryIds[0], second.deliveryIds[0]].map((id) =>
      deliveries.get(id as string),
    );
    expect(goneFirst).toMatchObject({ state: 'dead', lastStatus: 410, attempts: 1 });
    expect(goneSecond).toMatchObject({ state: 'dead', attempts: 0 });
    expect(goneSecond?.lastError).toMatch(/subscription was disabled/);
    expect(deliveries.enqueue({ topic: 'status.changed', payload: 3 }).deliveryIds).toHaveLength(1);
    expect(deliveries.redeliver(goneFirst?.id as string)).toEqual({
      ok: false,
      reason: 'subscription-disabled',
    });
  });

  it('waits for Retry-After on 429, in seconds or as an HTTP date', async () => {
    const { clock, worker, subscriptions, deliveries } = setup();
    const inSeconds = await receiver((_r, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 200 },
    );
    const retryAt = new Date(Math.floor(clock.now() / 1000) * 1000 + 90_000);
    const asDate = await receiver((_r, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': retryAt.toUTCString() } } : { status: 200 },
    );
    subscriptions.create({ topics: ['ping'], target: { type: 'webhook', url: inSeconds.url } }, actor);
    subscriptions.create({ topics: ['ping'], target: { type: 'webhook', url: asDate.url } }, actor);
    const start = clock.now();
    const [seconds, date] = deliveries.enqueue({ topic: 'ping', payload: {} }).deliveryIds as [
      string,
      string,
    ];

    await worker.drain();
    expect(deliveries.get(seconds)).toMatchObject({
      lastStatus: 429,
      nextAttemptAt: new Date(start + 120_000).toISOString(),
    });
    expect(deliveries.get(date)?.nextAttemptAt).toBe(retryAt.toISOString());

    clock.advance(retryAt.getTime() - start - 1);
    await worker.drain();
    expect(asDate.requests).toHaveLength(1);
    clock.advance(1);
    await worker.drain();
    expect(asDate.requests).toHaveLength(2);
    clock.advance(start + 119_999 - clock.now());
    await worker.drain();
    expect(inSeconds.requests).toHaveLength(1);
    clock.advance(1);
    await worker.drain();
    expect(inSeconds.requests).toHaveLength(2);
    expect(deliveries.get(seconds)?.state).toBe('delivered');
    expect(deliveries.get(date)?.state).toBe('delivered');
  });

  it('gives up an attempt that gets no answer within the timeout', async () => {
    const { worker, subscriptions, deliveries } = setup({ timeoutMs: 200 });
    const silent = await receiver(() => 'hang');
    subscriptions.create({ topics: ['ping'], target: { type: 'webhook', url: silent.url } }, actor);
    const id = deliveries.enqueue({ topic: 'ping', payload: {} }).deliveryIds[0] as string;
    await worker.drain();
    expect(silent.requests).toHaveLength(1);
    const delivery = deliveries.get(id);
    expect(delivery).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: 'no response within 200 ms',
    });
    expect(delivery?.attemptLog[0]?.durationMs).toBeGreaterThanOrEqual(190);
  });

  it('re-checks the URL policy at send time, for addresses and for names that resolve to them', async () => {
    const { worker, subscriptions, deliveries } = setup({ webhookUrlPolicy: createWebhookUrlPolicy([]) });
    const target = await receiver();
    subscriptions.create({ topics: ['ping'], target: { type: 'webhook', url: target.url } }, actor);
    subscriptions.create(
      { topics: ['ping'], target: { type: 'webhook', url: `http://localhost:${target.port}/hook` } },
      actor,
    );
    const [byAddress, byName] = deliveries.enqueue({ topic: 'ping', payload: {} }).deliveryIds as [
      string,
      string,
    ];
    await worker.drain();
    expect(target.requests).toHaveLength(0);
    expect(deliveries.get(byAddress)?.lastError).toBe(
      'refused by the webhook URL policy: 127.0.0.1 is a loopback address; allow it with ORDERLOOM_WEBHOOK_ALLOW if this is intended',
    );
    expect(deliveries.get(byName)?.lastError).toMatch(
      /^refused by the webhook URL policy: "localhost" resolves to (127\.0\.0\.1|::1), which is a loopback address/,
    );
  });

  it('keeps at most `concurrency` sends in flight', async () => {
    const { worker, subscriptions, deliveries } = setup({ concurrency: 2 });
    const slow = await receiver(undefined, { delayMs: 40 });
    subscriptions.create({ topics: ['ping'], target: { type: 'webhook', url: slow.url } }, actor);
    for (let i = 0; i < 6; i++) deliveries.enqueue({ topic: 'ping', payload: { i } });
    await worker.drain();
    expect(slow.requests).toHaveLength(6);
    expect(slow.maxConcurrent()).toBe(2);
  });
});

describe('outbox', () => {
  it('commits deliveries with the change that causes them, and rolls them back with it', async () => {
    const { db, worker, subscriptions, deliveries } = setup();
    const target = await receiver();
    subscriptions.create({ topics: ['status.changed'], target: { type: 'webhook', url: target.url } }, actor);
    db.exec('CREATE TABLE order_changes (order_id TEXT NOT NULL)');
    const change = db.transaction((orderId: string, fail: boolean) => {
      db.prepare('INSERT INTO order_changes (order_id) VALUES (?)').run(orderId);
      deliveries.enqueue({ topic: 'status.changed', key: orderId, payload: { orderId } });
      if (fail) throw new Error('the change failed after enqueuing');
    });

    expect(() => change('SO-1', true)).toThrow('the change failed after enqueuing');
    expect(countRows(db, 'order_changes')).toBe(0);
    expect(countRows(db, 'deliveries')).toBe(0);
    await worker.drain();
    expect(target.requests).toHaveLength(0);

    change('SO-2', false);
    expect(countRows(db, 'order_changes')).toBe(1);
    expect(countRows(db, 'deliveries')).toBe(1);
    await worker.drain();
    expect(target.requests.map((r) => JSON.parse(r.body).data)).toEqual([{ orderId: 'SO-2' }]);
    expect(
      deliveries.get(
        deliveries.listForSubscription(subscriptions.list()[0]?.id as string, { limit: 1 })[0]?.id as string,
      )?.state,
    ).toBe('delivered');
  });

  it('fans out by topic pattern, only to active subscriptions, and never enqueues a key twice', () => {
    const { subscriptions, deliveries } = setup();
    const url = 'http://127.0.0.1:9/hook';
    const alerts = subscriptions.create({ topics: ['alert.*'], target: { type: 'webhook', url } }, actor);
    const everything = subscriptions.create({ topics: ['*'], target: { type: 'webhook', url } }, actor);
    const status = subscriptions.create(
      {
        topics: ['status.changed', 'decision.peak'],
        target: { type: 'mqtt', url: 'mqtt://127.0.0.1:1', topic: 'x' },
      },
      actor,
    );
    const owners = (ids: string[]) => ids.map((id) => deliveries.get(id)?.subscriptionId).sort();

    const first = deliveries.enqueue({ topic: 'alert.sla', key: 'SO-1/sla/warning', payload: {} });
    expect(owners(first.deliveryIds)).toEqual([alerts.id, everything.id].sort());
    const again = deliveries.enqueue({ topic: 'alert.sla', key: 'SO-1/sla/warning', payload: {} });
    expect(again).toEqual({ messageId: first.messageId, deliveryIds: [] });
    expect(first.deliveryIds.map((id) => deliveries.get(id)?.messageId)).toEqual([
      first.messageId,
      first.messageId,
    ]);
    // The same key on another topic is another message.
    expect(
      deliveries.enqueue({ topic: 'alert.path-violation', key: 'SO-1/sla/warning', payload: {} }).deliveryIds,
    ).toHaveLength(2);

    expect(owners(deliveries.enqueue({ topic: 'status.changed', payload: {} }).deliveryIds)).toEqual(
      [everything.id, status.id].sort(),
    );
    expect(owners(deliveries.enqueue({ topic: 'decision.peak', payload: {} }).deliveryIds)).toEqual(
      [everything.id, status.id].sort(),
    );
    expect(
      deliveries
        .enqueue({ topic: 'alert', payload: {} })
        .deliveryIds.map((id) => deliveries.get(id)?.subscriptionId),
    ).toEqual([everything.id]);
    expect(
      owners(deliveries.enqueue({ topic: 'ping', payload: {}, subscriptionIds: [alerts.id] }).deliveryIds),
    ).toEqual([alerts.id]);
    // Unkeyed messages get fresh ids.
    expect(deliveries.enqueue({ topic: 'ping', payload: {} }).messageId).not.toBe(
      deliveries.enqueue({ topic: 'ping', payload: {} }).messageId,
    );
    expect(() => deliveries.enqueue({ topic: 'status changed', payload: {} })).toThrow(
      'not a valid delivery topic',
    );
  });
});

describe('crash safety', () => {
  it('sends deliveries left pending in the database with a fresh worker after a restart', async () => {
    const first = setup();
    const target = await receiver();
    first.subscriptions.create(
      { topics: ['status.changed'], target: { type: 'webhook', url: target.url } },
      actor,
    );
    // A worker that claimed a delivery and died before recording the attempt: its lease must expire first.
    const leased = first.deliveries.enqueue({ topic: 'status.changed', key: 'leased', payload: { n: 2 } });
    const claimNow = first.clock.now();
    expect(first.deliveries.claimDue(claimNow, 10, claimNow + 7000).map((c) => c.id)).toEqual(
      leased.deliveryIds,
    );
    // And one nobody had claimed yet.
    first.deliveries.enqueue({ topic: 'status.changed', key: 'k', payload: { n: 1 } });
    await first.close();

    const second = setup({}, { file: first.file, clock: first.clock });
    await second.worker.drain();
    expect(target.requests.map((r) => JSON.parse(r.body).data)).toEqual([{ n: 1 }]);
    second.clock.advance(7000);
    await second.worker.drain();
    expect(target.requests.map((r) => JSON.parse(r.body).data)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(second.deliveries.get(leased.deliveryIds[0] as string)).toMatchObject({
      state: 'delivered',
      attempts: 1,
    });
  });
});

describe('started worker', () => {
  it('wakes as soon as something is enqueued, and schedules retries without waiting for the poll', async () => {
    const { db, subscriptions, worker } = setup({
      clock: { now: () => Date.now() },
      rng: () => 1,
      retry: { maxAttempts: 3, baseDelayMs: 30, factor: 2, maxDelayMs: 100 },
      // A poll this slow would fail the test: the wake-up and the retry timer must do the work.
      pollIntervalMs: 60_000,
    });
    const target = await receiver((_r, n) => (n === 1 ? { status: 500 } : { status: 200 }));
    subscriptions.create({ topics: ['status.changed'], target: { type: 'webhook', url: target.url } }, actor);
    worker.start();
    const enqueuedAt = Date.now();
    db.transaction(() => enqueueDeliveries(db, { topic: 'status.changed', payload: { orderId: 'SO-9' } }))();
    const requests = await target.received(2, 3000);
    expect(Date.now() - enqueuedAt).toBeLessThan(3000);
    expect(requests[0]?.headers['webhook-id']).toBe(requests[1]?.headers['webhook-id']);
  });
});
