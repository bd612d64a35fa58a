import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Definition } from '@orderloom/schema';
import { demoDefinitions } from '@orderloom/schema/fixtures';
import type { Logger } from 'pino';
import { type AdminKeyBootstrap, bootstrapAdminKey } from './bootstrapAdminKey.ts';
import type { Config } from './config.ts';
import { createLogger } from './createLogger.ts';
import { createKeysRepository } from './db/keysRepository.ts';
import { migrate } from './db/migrate.ts';
import { type Db, openDatabase } from './db/openDatabase.ts';
import { createApp } from './http/createApp.ts';
import { seedDemo } from './seedDemo.ts';

/** A started runtime (see {@link startRuntime}). */
export interface RuntimeHandle {
  server: Server;
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  db: Db;
  adminKey: AdminKeyBootstrap;
  /** Number of demo definitions loaded by this start (0 after the first start). */
  seeded: number;
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
  } = {},
): Promise<RuntimeHandle> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = openDatabase(join(config.dataDir, 'orderloom.db'));
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
    const app = createApp({ config, db, logger });

    const server = await new Promise<Server>((resolve, reject) => {
      const done = (err?: Error) => (err ? reject(err) : resolve(s));
      const s = options.host ? app.listen(config.port, options.host, done) : app.listen(config.port, done);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, dataDir: config.dataDir }, `Orderloom runtime listening on http://localhost:${port}`);

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          db.close();
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    };
    return { server, url: `http://127.0.0.1:${port}`, port, db, adminKey, seeded, close };
  } catch (err) {
    db.close();
    throw err;
  }
}
