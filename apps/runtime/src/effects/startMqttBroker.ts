import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

/** A running embedded MQTT broker (see {@link startMqttBroker}). */
export interface MqttBrokerHandle {
  /** The TCP port it listens on (useful when started on port 0). */
  port: number;
  /** `mqtt://<host>:<port>`. */
  url: string;
  /** Disconnects every client and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts an in-memory MQTT 3.1.1/5 broker (aedes) over TCP, so subscriptions to
 * `mqtt://localhost:1883` work without installing a broker. It has no authentication: by default
 * it listens on loopback only.
 *
 * @example
 * const broker = await startMqttBroker({ port: 0, host: '127.0.0.1' });
 * // … mqtt.connectAsync(broker.url) …
 * await broker.close();
 */
export async function startMqttBroker({
  port,
  host,
}: {
  port: number;
  host: string;
}): Promise<MqttBrokerHandle> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw err;
  }
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    port: boundPort,
    url: `mqtt://${urlHost}:${boundPort}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        broker.close(() => {
          server.close(() => resolve());
        });
      });
      return closing;
    },
  };
}
