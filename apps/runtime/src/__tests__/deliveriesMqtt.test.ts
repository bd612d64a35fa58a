import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliveriesRepository } from '../db/deliveriesRepository.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/openDatabase.ts';
import { createSubscriptionsRepository } from '../db/subscriptionsRepository.ts';
import { createDeliveryWorker } from '../effects/deliveryWorker.ts';
import { startMqttBroker } from '../effects/startMqttBroker.ts';
import { createWebhookUrlPolicy } from '../effects/webhookUrlPolicy.ts';
import { tempDataDir } from './testRuntime.ts';
import { fakeClock } from './webhookReceiver.ts';

const mosquittoBinary = process.env.ORDERLOOM_TEST_MOSQUITTO ?? '/usr/sbin/mosquitto';
const actor = { name: 'test', keyId: null };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup() {
  const db = openDatabase(join(tempDataDir(), 'orderloom.db'));
  migrate(db);
  const clock = fakeClock();
  const worker = createDeliveryWorker({
    db,
    clock,
    rng: () => 0.5,
    retry: { maxAttempts: 5, baseDelayMs: 1000, factor: 2, maxDelayMs: 60_000 },
    timeoutMs: 2000,
    concurrency: 4,
    pollIntervalMs: 50,
    webhookUrlPolicy: createWebhookUrlPolicy(),
  });
  cleanups.push(async () => {
    await worker.stop();
    db.close();
  });
  return {
    clock,
    worker,
    subscriptions: createSubscriptionsRepository(db, { clock }),
    deliveries: createDeliveriesRepository(db, { clock }),
  };
}

/** An mqtt.js client subscribed with QoS 1 that collects what arrives. */
async function subscriber(url: string, topic: string) {
  const client: MqttClient = await connectAsync(url, { reconnectPeriod: 0 });
  cleanups.push(() => client.endAsync(true));
  const messages: Array<{ topic: string; body: unknown; qos: number }> = [];
  const waiters: Array<() => void> = [];
  client.on('message', (t, payload, packet) => {
    messages.push({ topic: t, body: JSON.parse(payload.toString('utf8')), qos: packet.qos });
    for (const w of waiters.splice(0)) w();
  });
  await client.subscribeAsync(topic, { qos: 1 });
  return {
    messages,
    next: (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} MQTT messages`)), 5000);
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        check();
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

describe('MQTT deliveries', () => {
  it('publishes with QoS 1 to a real broker over TCP (embedded aedes)', async () => {
    const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => broker.close());
    const { worker, subscriptions, deliveries, clock } = setup();
    const listener = await subscriber(broker.url, 'orderloom/#');
    subscriptions.create(
      { topics: ['alert.*'], target: { type: 'mqtt', url: broker.url, topic: 'orderloom/{topic}' } },
      actor,
    );
    const created = clock.now();
    const { deliveryIds, messageId } = deliveries.enqueue({
      topic: 'alert.sla',
      key: 'SO-1/sla/breach',
      payload: { orderId: 'SO-1', level: 'breach' },
    });
    await worker.drain();
    await listener.next(1);

    expect(listener.messages).toEqual([
      {
        topic: 'orderloom/alert.sla',
        qos: 1,
        body: {
          id: messageId,
          type: 'alert.sla',
          timestamp: new Date(created).toISOString(),
          data: { orderId: 'SO-1', level: 'breach' },
        },
      },
    ]);
    expect(deliveries.get(deliveryIds[0] as string)).toMatchObject({
      state: 'delivered',
      attempts: 1,
      lastStatus: null,
      lastError: null,
    });
  });

  it('retries while the broker is down and delivers once it is up', async () => {
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const { worker, subscriptions, deliveries, clock } = setup();
    subscriptions.create(
      { topics: ['status.changed'], target: { type: 'mqtt', url, topic: 'status' } },
      actor,
    );
    const id = deliveries.enqueue({ topic: 'status.changed', payload: { to: 'shipped' } })
      .deliveryIds[0] as string;

    await worker.drain();
    const failed = deliveries.get(id);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null });
    expect(failed?.lastError).toMatch(/ECONNREFUSED|connect/i);

    const broker = await startMqttBroker({ port, host: '127.0.0.1' });
    cleanups.push(() => broker.close());
    const listener = await subscriber(url, 'status');
    clock.advance(500);
    await worker.drain();
    await listener.next(1);
    expect(deliveries.get(id)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(listener.messages[0]?.body).toMatchObject({ type: 'status.changed', data: { to: 'shipped' } });
  });

  it('publishes to an external Mosquitto broker by URL', async () => {
    if (!existsSync(mosquittoBinary)) {
      throw new Error(
        `This test needs Mosquitto at ${mosquittoBinary}: apt-get install -y mosquitto (or set ORDERLOOM_TEST_MOSQUITTO).`,
      );
    }
    const port = await freePort();
    const dir = tempDataDir();
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\n`);
    const mosquitto: ChildProcess = spawn(mosquittoBinary, ['-c', conf], { stdio: 'ignore' });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if (mosquitto.exitCode !== null) resolve();
          else {
            mosquitto.once('exit', () => resolve());
            mosquitto.kill('SIGTERM');
          }
        }),
    );
    await waitForPort(port);
    const url = `mqtt://127.0.0.1:${port}`;
    const { worker, subscriptions, deliveries } = setup();
    const listener = await subscriber(url, 'orderloom/decisions');
    subscriptions.create(
      { topics: ['decision.*'], target: { type: 'mqtt', url, topic: 'orderloom/decisions' } },
      actor,
    );
    deliveries.enqueue({ topic: 'decision.peak-season', key: 'dec-1', payload: { decisionId: 'dec-1' } });
    await worker.drain();
    await listener.next(1);
    expect(listener.messages).toEqual([
      {
        topic: 'orderloom/decisions',
        qos: 1,
        body: expect.objectContaining({ type: 'decision.peak-season', data: { decisionId: 'dec-1' } }),
      },
    ]);
  });
});
