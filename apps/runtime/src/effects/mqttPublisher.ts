import { randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { SendOutcome } from './webhookSender.ts';
import { withTimeout } from './withTimeout.ts';

/** Publishes deliveries to MQTT brokers (see {@link createMqttPublisher}). */
export type MqttPublisher = ReturnType<typeof createMqttPublisher>;

/**
 * Creates a publisher that keeps one client per broker URL (connected on first use, reconnecting
 * in the background) and publishes with QoS 1: a publish succeeds when the broker's PUBACK arrives
 * within `timeoutMs`.
 *
 * @example
 * const mqtt = createMqttPublisher({ timeoutMs: 5000 });
 * await mqtt.publish({ url: 'mqtt://localhost:1883', topic: 'orderloom/status', body: '{…}' });
 */
export function createMqttPublisher({ timeoutMs }: { timeoutMs: number }) {
  const clients = new Map<string, Promise<MqttClient>>();
  let closed = false;

  const clientFor = (url: string): Promise<MqttClient> => {
    const cached = clients.get(url);
    if (cached) return cached;
    const connecting = connectAsync(
      url,
      {
        clientId: `orderloom-${randomUUID()}`,
        clean: true,
        connectTimeout: timeoutMs,
        reconnectPeriod: 1000,
      },
      false,
    ).then((client) => {
      // Errors surface as failed publishes; an unhandled 'error' event would crash the process.
      client.on('error', () => undefined);
      client.on('end', () => {
        if (clients.get(url) === connecting) clients.delete(url);
      });
      return client;
    });
    clients.set(url, connecting);
    connecting.catch(() => {
      if (clients.get(url) === connecting) clients.delete(url);
    });
    return connecting;
  };

  return {
    /** Publishes one message with QoS 1; never throws. */
    async publish({ url, topic, body }: { url: string; topic: string; body: string }): Promise<SendOutcome> {
      if (closed) return { status: null, error: 'the MQTT publisher is closed' };
      try {
        const client = await withTimeout(clientFor(url), timeoutMs, `no CONNACK within ${timeoutMs} ms`);
        // A client that lost its broker queues QoS 1 messages until it reconnects; fail the attempt
        // instead so the retry schedule, not an invisible queue, decides when to try again.
        if (!client.connected) return { status: null, error: 'not connected to the broker (reconnecting)' };
        await withTimeout(
          client.publishAsync(topic, body, { qos: 1 }),
          timeoutMs,
          `no PUBACK within ${timeoutMs} ms`,
        );
        return { status: null, error: null };
      } catch (err) {
        return { status: null, error: describeError(err) };
      }
    },

    /** Disconnects every client. */
    async close(): Promise<void> {
      closed = true;
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(
        all.map((pending) =>
          pending.then(
            (client) => client.endAsync(true),
            () => undefined,
          ),
        ),
      );
    },
  };
}

function describeError(err: unknown): string {
  if (
    err &&
    typeof err === 'object' &&
    'code' in err &&
    typeof err.code === 'string' &&
    err instanceof Error
  ) {
    return `${err.code}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
