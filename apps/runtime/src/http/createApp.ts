import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.ts';
import { createLogger } from '../createLogger.ts';
import { createDefinitionsRepository } from '../db/definitionsRepository.ts';
import { createKeysRepository } from '../db/keysRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { createPublicationsRepository } from '../db/publicationsRepository.ts';
import { runtimeVersion } from '../runtimeVersion.ts';
import { auditRouter } from './auditRouter.ts';
import { authenticate } from './auth.ts';
import { definitionsRouter } from './definitionsRouter.ts';
import { designerStatic } from './designerStatic.ts';
import { createHttpMetrics } from './httpMetrics.ts';
import { keysRouter } from './keysRouter.ts';
import { apiNotFound, errorMiddleware, HttpProblem } from './problem.ts';
import { systemRouter } from './systemRouter.ts';

/** What {@link createApp} is built from. */
export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'designerDir' | 'logLevel'>;
  /** A migrated database (see `openDatabase` and `migrate`). */
  db: Db;
  /** Defaults to a pino logger at `config.logLevel`. */
  logger?: Logger;
}

/**
 * Builds the runtime's express app: public system routes, the authenticated `/api`, the designer's
 * static build at `/`, and problem+json errors. Does not listen; call `app.listen(port)`.
 *
 * @example
 * const db = openDatabase(file); migrate(db);
 * const server = createApp({ config, db }).listen(0);
 */
export function createApp({ config, db, logger = createLogger(config.logLevel) }: AppDeps): Express {
  const keys = createKeysRepository(db);
  const definitions = createDefinitionsRepository(db);
  const publications = createPublicationsRepository(db);
  const metrics = createHttpMetrics();

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(metrics.middleware);
  app.use(systemRouter({ db, metrics, version: runtimeVersion }));

  app.use(
    '/api',
    metrics.routeBase,
    noStore,
    authenticate(keys),
    requireJsonBody,
    express.json({ limit: config.bodyLimit, type: ['application/json', 'application/*+json'] }),
    keysRouter({ keys }),
    definitionsRouter({ definitions, publications }),
    auditRouter({ publications }),
    apiNotFound,
  );

  app.use(designerStatic(config.designerDir));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  app.use(errorMiddleware());
  return app;
}

// API answers (and the one-time key secret in particular) must never sit in a shared or browser cache.
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

// A body that is not JSON is rejected up front instead of being silently ignored by the parser.
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    throw new HttpProblem(
      'unsupported-media-type',
      `Send the request body as application/json (got ${req.headers['content-type'] ?? 'no content type'}).`,
    );
  }
  next();
};
