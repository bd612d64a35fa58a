import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createLogger } from '../createLogger.ts';
import { createDefinitionsRepository } from '../db/definitionsRepository.ts';
import { createDeliveriesRepository } from '../db/deliveriesRepository.ts';
import { createKeysRepository } from '../db/keysRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { createPublicationsRepository } from '../db/publicationsRepository.ts';
import { createSubscriptionsRepository } from '../db/subscriptionsRepository.ts';
import { createWebhookUrlPolicy, type WebhookUrlPolicy } from '../effects/webhookUrlPolicy.ts';
import { createRoutingRuntime, type RoutingRuntime } from '../routing/routingRuntime.ts';
import { runtimeVersion } from '../runtimeVersion.ts';
import { createStatusService, type StatusService } from '../status/createStatusService.ts';
import { ephemeralRuntimeSigningKey } from '../status/runtimeSigningKey.ts';
import { alertsRouter } from './alertsRouter.ts';
import { auditChainRouter } from './auditChainRouter.ts';
import { auditRouter } from './auditRouter.ts';
import { authenticate } from './auth.ts';
import { hotRouteDecision } from './decisionsRouter.ts';
import { definitionsRouter } from './definitionsRouter.ts';
import { designerStatic } from './designerStatic.ts';
import { dictionaryImportPath, dictionaryImportRouter } from './dictionaryImportRouter.ts';
import { createHotLane, type HotLane } from './hotLane.ts';
import { createHttpMetrics } from './httpMetrics.ts';
import { keysRouter } from './keysRouter.ts';
import { hotRouteEvent, ordersRouter } from './ordersRouter.ts';
import { apiNotFound, errorMiddleware, HttpProblem } from './problem.ts';
import { requestLogger } from './requestLogger.ts';
import { sourcesRouter } from './sourcesRouter.ts';
import { subscriptionsRouter } from './subscriptionsRouter.ts';
import { systemRouter } from './systemRouter.ts';

/** What {@link createApp} is built from. */
export interface AppDeps {
  config: Pick<Config, 'bodyLimit' | 'designerDir' | 'logLevel'> &
    Partial<Pick<Config, 'factsBulkBodyLimit'>>;
  /** A migrated database (see `openDatabase` and `migrate`). */
  db: Db;
  /** Defaults to a pino logger at `config.logLevel`. */
  logger?: Logger;
  /** Which webhook URLs subscriptions may use; defaults to no allow-listed private addresses. */
  webhookUrlPolicy?: WebhookUrlPolicy;
  /**
   * The status runtime (event ingest, orders, alerts, audit chain). Defaults to one on the system clock
   * with an in-memory signing key and no timers started; `startRuntime` passes the real one.
   */
  status?: StatusService;
  /**
   * Facts, decisions and backtests. Defaults to one on the system clock; `startRuntime` passes the real
   * one (its clock, demo seeding, backtest runner stopped on close).
   */
  routing?: RoutingRuntime;
}

/** The runtime's express app, and the listener to serve it with (see {@link createHotLane}). */
export type RuntimeApp = Express & { hotLane: HotLane };

/**
 * Builds the runtime's express app: public system routes, the authenticated `/api`, the designer's
 * static build at `/`, and problem+json errors — and `hotLane`, the listener that serves the hot
 * endpoints' common case itself and everything else through the app. Does not listen.
 *
 * @example
 * const db = openDatabase(file); migrate(db);
 * const server = http.createServer(createApp({ config, db }).hotLane).listen(0);
 */
export function createApp({
  config,
  db,
  logger = createLogger(config.logLevel),
  webhookUrlPolicy = createWebhookUrlPolicy(),
  status = createStatusService({
    db,
    clock: { now: () => Date.now() },
    signingKey: ephemeralRuntimeSigningKey(),
    checkpointIntervalMs: 0,
  }),
  routing = createRoutingRuntime({ db, logger }),
}: AppDeps): RuntimeApp {
  const keys = createKeysRepository(db);
  const definitions = createDefinitionsRepository(db);
  const publications = createPublicationsRepository(db);
  const metrics = createHttpMetrics();

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // API answers are `no-store`, so nobody revalidates them: hashing each body for an ETag is wasted work.
  // (The designer's static files keep serve-static's own ETags.)
  app.set('etag', false);

  const logRequest = requestLogger(app, logger);
  app.use(logRequest);
  app.use(metrics.middleware);
  app.use(systemRouter({ db, metrics, version: runtimeVersion }));

  // One mounted router: each function given to `app.use('/api', …)` would be a layer of its own that
  // matches and trims the path again for every request.
  const api = Router();
  api.use(
    metrics.routeBase,
    noStore,
    authenticate(keys),
    requireJsonBody,
    factsBulkBody(config.factsBulkBodyLimit ?? config.bodyLimit),
    express.json({ limit: config.bodyLimit, type: ['application/json', 'application/*+json'] }),
    // The hot paths (decisions, event ingest) first: a request walks every router in front of the one
    // that matches, and no two routers share a path.
    ...routing.routers(),
    ordersRouter({ status }),
    keysRouter({ keys }),
    definitionsRouter({ definitions, publications }),
    auditRouter({ publications }),
    sourcesRouter({ sources: status.sources }),
    alertsRouter({ alerts: status.alerts, clock: status.clock }),
    auditChainRouter({ status }),
    dictionaryImportRouter({ definitions, bodyLimit: config.bodyLimit }),
    subscriptionsRouter({
      subscriptions: createSubscriptionsRepository(db),
      deliveries: createDeliveriesRepository(db),
      webhookUrlPolicy,
    }),
    apiNotFound,
  );
  app.use('/api', api);

  app.use(designerStatic(config.designerDir));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  app.use(errorMiddleware());
  const hotLane = createHotLane({
    app,
    keys,
    metrics,
    logRequest: logRequest as (req: IncomingMessage, res: ServerResponse, next: () => void) => void,
    bodyLimit: config.bodyLimit,
    routes: [hotRouteDecision(routing.decide), hotRouteEvent(status)],
    onError: (err) => logger.error({ err }, 'request failed'),
  });
  return Object.assign(app, { hotLane });
}

// API answers (and the one-time key secret in particular) must never sit in a shared or browser cache.
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

// Bulk fact snapshots may be far larger than other bodies; once parsed here, express.json skips them.
function factsBulkBody(limit: number): RequestHandler {
  const parse = express.json({ limit, type: ['application/json', 'application/*+json'] });
  return (req, res, next) => {
    if (req.method === 'POST' && /^\/facts\/[^/]+\/bulk\/?$/.test(req.path)) parse(req, res, next);
    else next();
  };
}

// A body that is not JSON is rejected up front instead of being silently ignored by the parser.
const requireJsonBody: RequestHandler = (req, _res, next) => {
  // The common case, without parsing the media type.
  const type = req.headers['content-type'];
  if (type === 'application/json' || type === 'application/json; charset=utf-8') {
    next();
    return;
  }
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  // The dictionary import also takes CSV, which its own route parses.
  const types = dictionaryImportPath.test(req.path)
    ? ['application/json', 'application/*+json', 'text/csv']
    : ['application/json', 'application/*+json'];
  if (hasBody && !req.is(types)) {
    throw new HttpProblem(
      'unsupported-media-type',
      `Send the request body as application/json (got ${req.headers['content-type'] ?? 'no content type'}).`,
    );
  }
  next();
};
