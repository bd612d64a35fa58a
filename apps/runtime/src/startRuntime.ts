import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Clock } from '@orderloom/engine';
import type { Definition } from '@orderloom/schema';
import { chinaPeakSystems, demoDefinitions } from '@orderloom/schema/fixtures';
import type { Logger } from 'pino';
import { type AdminKeyBootstrap, bootstrapAdminKey } from './bootstrapAdminKey.ts';
import type { Config } from './config.ts';
import { createLogger } from './createLogger.ts';
import { createKeysRepository } from './db/keysRepository.ts';
import { migrate } from './db/migrate.ts';
import { type Db, openDatabase } from './db/openDatabase.ts';
import { startWalCheckpointer } from './db/walCheckpointer.ts';
import { createDeliveryWorker, type DeliveryWorker } from './effects/deliveryWorker.ts';
import { type MqttBrokerHandle, startMqttBroker } from './effects/startMqttBroker.ts';
import { createWebhookUrlPolicy } from './effects/webhookUrlPolicy.ts';
import { createApp, type RuntimeApp } from './http/createApp.ts';
import { createRoutingRuntime, type RoutingRuntime } from './routing/routingRuntime.ts';
import { routingMigration, seedDemoRouting } from './routing/seedDemoRouting.ts';
import { seedDemo } from './seedDemo.ts';
import { createStatusService, type StatusService } from './status/createStatusService.ts';
import { loadRuntimeSigningKey } from './status/runtimeSigningKey.ts';
import { type StatusWriterThread, startStatusWriterThread } from './status/startStatusWriterThread.ts';

/** A started runtime (see {@link startRuntime}). */
export interface RuntimeHandle {
  server: Server;
  /** The express app and the hot lane in front of it (see `createApp`). */
  app: RuntimeApp;
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  db: Db;
  adminKey: AdminKeyBootstrap;
  /** Number of demo definitions loaded by this start (0 after the first start). */
  seeded: number;
  /** The status runtime: event ingest, SLA scheduler, audit chain and checkpoints. */
  status: StatusService;
  /** Facts, decisions and backtests. */
  routing: RoutingRuntime;
  /** The outbox worker sending webhook and MQTT deliveries. */
  deliveryWorker: DeliveryWorker;
  /** The embedded MQTT broker, unless disabled or its port was taken. */
  mqttBroker: MqttBrokerHandle | undefined;
  /** Stops accepting connections, lets requests in flight finish, then closes the database. */
  close(): Promise<void>;
}

/**
 * Opens and migrates `<dataDir>/orderloom.db`, bootstraps the admin key, seeds the demo
 * definitions on first start and listens on `config.port` (0 = any free port).
 */
export async function startRuntime(
  config: Config,
  options: {
    logger?: Logger;
    print?: (line: string) => void;
    demoDefinitions?: readonly Definition[];
    host?: string;
    /** The runtime's clock (receive times, SLA deadlines, checkpoints); the system clock by default. */
    clock?: Clock;
    /**
     * Loads the china-peak facts and a few hundred demo decisions when this start created the facts
     * tables (a new or upgraded database); default true.
     */
    demoFacts?: boolean;
  } = {},
): Promise<RuntimeHandle> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = openDatabase(join(config.dataDir, 'orderloom.db'));
  // Checkpoints off the request path: SQLite's automatic ones stall the committing request 5–15 ms.
  const checkpointer = startWalCheckpointer(db, {
    onError: (message) => logger.warn({ error: message }, 'WAL checkpoint failed'),
  });
  let deliveryWorker: DeliveryWorker | undefined;
  let writerThread: StatusWriterThread | undefined;
  let mqttBroker: MqttBrokerHandle | undefined;
  try {
    const applied = migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'applied database migrations');
    const adminKey = bootstrapAdminKey({
      keys: createKeysRepository(db),
      config,
      logger,
      ...(options.print ? { print: options.print } : {}),
    });
    const seeded = seedDemo(db, options.demoDefinitions ?? demoDefinitions, logger);
    const clock = options.clock ?? { now: () => Date.now() };
    // Events are stored and deliveries sent on a thread of its own, so this one serves HTTP; if the
    // thread cannot start, both run here.
    writerThread = await startStatusWriterThread({
      db,
      clock,
      delivery: config.delivery,
      webhookAllow: config.webhookAllow,
      logLevel: config.logLevel,
      onError: (err) => logger.error({ err }, 'status writer thread failed'),
    }).catch((err: unknown) => {
      logger.warn({ err }, 'status writer thread not started; storing events on the main thread');
      return undefined;
    });
    const status = createStatusService({
      db,
      clock,
      ...(writerThread ? { writer: writerThread.writer } : {}),
      signingKey: loadRuntimeSigningKey(config.signingKeyFile),
      checkpointIntervalMs: config.checkpointIntervalMs,
      onError: (err, context) => logger.error({ err }, `status runtime: ${context} failed`),
    });
    // The demo's systems are registered without keys, so the fixture events work unsigned; PUT
    // /api/sources/:system with public keys to require signatures.
    if (seeded > 0) status.sources.ensureUnsigned(chinaPeakSystems, { name: 'system', keyId: null });
    const routing = createRoutingRuntime({
      db,
      logger,
      decisionThread: true,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const interrupted = routing.backtests.failInterrupted();
    if (interrupted > 0)
      logger.warn({ interrupted }, 'backtests interrupted by the last stop were marked failed');
    if (options.demoFacts !== false && applied.includes(routingMigration))
      seedDemoRouting(db, routing, logger);
    const webhookUrlPolicy = createWebhookUrlPolicy(config.webhookAllow);
    const app = createApp({ config, db, logger, webhookUrlPolicy, status, routing });
    if (config.mqttBroker.enabled) mqttBroker = await startEmbeddedBroker(config.mqttBroker, logger);
    deliveryWorker =
      writerThread?.deliveries ??
      createDeliveryWorker({
        db,
        ...config.delivery,
        webhookUrlPolicy,
        logger: logger.child({ component: 'deliveries' }),
      });
    deliveryWorker.start();

    const server = await new Promise<Server>((resolve, reject) => {
      const done = (err?: Error) => (err ? reject(err) : resolve(s));
      const s = createServer(app.hotLane);
      s.once('error', done);
      if (options.host) s.listen(config.port, options.host, () => done());
      else s.listen(config.port, () => done());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    status.start();
    logger.info({ port, dataDir: config.dataDir }, `Orderloom runtime listening on http://localhost:${port}`);

    const worker = deliveryWorker;
    const broker = mqttBroker;
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(async () => {
          // Stops the SLA timer and signs a last checkpoint while the database is still open.
          status.stop();
          await routing.stop();
          // Sends in flight finish (or time out) before their results are written and the db closes.
          await worker.stop().catch((err: unknown) => logger.error({ err }, 'delivery worker stop failed'));
          await broker?.close();
          await checkpointer.stop();
          db.close();
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    };
    return {
      server,
      app,
      url: `http://127.0.0.1:${port}`,
      port,
      db,
      adminKey,
      seeded,
      status,
      routing,
      deliveryWorker: worker,
      mqttBroker: broker,
      close,
    };
  } catch (err) {
    await Promise.allSettled([
      (deliveryWorker ?? writerThread?.deliveries)?.stop(),
      mqttBroker?.close(),
      checkpointer.stop(),
    ]);
    db.close();
    throw err;
  }
}

// A taken port (say, a Mosquitto already on 1883) should not stop the runtime: that broker serves
// mqtt://localhost:1883 just as well.
async function startEmbeddedBroker(
  settings: Config['mqttBroker'],
  logger: Logger,
): Promise<MqttBrokerHandle | undefined> {
  try {
    const broker = await startMqttBroker(settings);
    logger.info({ url: broker.url }, 'embedded MQTT broker listening');
    return broker;
  } catch (err) {
    logger.warn({ err }, `embedded MQTT broker not started on ${settings.host}:${settings.port}`);
    return undefined;
  }
}
