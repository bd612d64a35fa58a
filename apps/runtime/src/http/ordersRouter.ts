import { Router } from 'express';
import type { StatusService } from '../status/createStatusService.ts';
import {
  listOrdersQuerySchema,
  postEventQuerySchema,
  postEventRequestSchema,
} from '../status/statusApiSchemas.ts';
import { requireRole } from './auth.ts';
import type { HotRoute } from './hotLane.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/** The answer to an accepted `POST /api/orders/:id/events`. */
export interface PostEventAnswer {
  /** 201 when applied now, 200 for a replay of an event applied before. */
  status: 200 | 201;
  /** The event's result as JSON text (the stored text, so a replay is byte for byte the original). */
  body: string;
  /** Answer with `Idempotent-Replayed: true`. */
  replayed: boolean;
}

/**
 * Handles `POST /api/orders/:id/events` once the caller is authenticated with the service or admin
 * role: validates the order id, query and body, ingests the event and gives the answer, or throws the
 * {@link HttpProblem} to answer with. Shared by the express route and any other HTTP front.
 */
export async function postEvent(
  status: StatusService,
  request: { id: unknown; query: unknown; body: unknown },
): Promise<PostEventAnswer> {
  const orderId = orderIdParam(request.id);
  const { environment } = parseRequest(postEventQuerySchema, request.query, 'query');
  const event = parseRequest(postEventRequestSchema, request.body, 'body');
  if (event.orderId !== undefined && event.orderId !== orderId) {
    const message = `must equal the order id in the URL ("${orderId}")`;
    throw new HttpProblem('invalid-request', `/orderId: ${message}`, {
      errors: [{ path: '/orderId', severity: 'error', message }],
    });
  }
  const outcome = await status.ingest(orderId, request.body as Record<string, unknown>, event, environment);
  switch (outcome.kind) {
    case 'applied':
      return { status: 201, body: outcome.body, replayed: false };
    case 'duplicate':
      return { status: 200, body: outcome.body, replayed: true };
    case 'invalid-signature':
      throw new HttpProblem('invalid-signature', `${outcome.message}; nothing was stored.`, {
        extensions: { alertId: outcome.alertId },
        errors: [{ path: '/signature', severity: 'error', message: outcome.message }],
      });
    case 'rejected':
      throw new HttpProblem('unprocessable-event', `${outcome.message}; nothing was stored.`, {
        extensions: { reason: outcome.type },
        errors: [{ path: outcome.path, severity: 'error', message: outcome.message }],
      });
    case 'no-graph':
      throw new HttpProblem('unprocessable-event', `${outcome.message}; nothing was stored.`, {
        extensions: { reason: 'no-status-graph' },
        errors: [{ path: '/channel', severity: 'error', message: outcome.message }],
      });
    case 'conflict':
      throw new HttpProblem('conflict', outcome.message);
  }
}

const eventPath = /^\/api\/orders\/([^/]+)\/events$/;

/** `POST /api/orders/:id/events` served by the hot lane (see `createHotLane`); the express route is the same. */
export function hotRouteEvent(status: StatusService): HotRoute {
  return {
    method: 'POST',
    pattern: '/api/orders/:id/events',
    match: (path) => {
      const encoded = eventPath.exec(path)?.[1];
      if (encoded === undefined) return undefined;
      try {
        return { id: decodeURIComponent(encoded) };
      } catch {
        // Left to express, which answers a malformed escape its own way.
        return undefined;
      }
    },
    roles: ['service', 'admin'],
    handle: async ({ params, query, body }) => {
      const answer = await postEvent(status, { id: params.id, query, body });
      return {
        status: answer.status,
        body: answer.body,
        ...(answer.replayed ? { headers: { 'Idempotent-Replayed': 'true' } } : {}),
      };
    },
  };
}

/**
 * Routes under `/api/orders`: status event ingest, the canonical view of an order, order lists and
 * an order's tamper-evident history. Mount after `authenticate` and a JSON body parser.
 */
export function ordersRouter({ status }: { status: StatusService }): Router {
  const router = Router();

  router.post('/orders/:id/events', requireRole('service', 'admin'), async (req, res) => {
    const answer = await postEvent(status, { id: req.params.id, query: req.query, body: req.body });
    if (answer.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(answer.status).type('application/json').send(answer.body);
  });

  router.get('/orders', (req, res) => {
    const { limit, cursor, ...filter } = parseRequest(listOrdersQuerySchema, req.query, 'query');
    const rows = status.orders.list({
      ...filter,
      ...(cursor ? { before: Number(cursor) } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({
      items: page.map(({ cursor: _cursor, ...order }) => order),
      nextCursor: rows.length > limit && last ? String(last.cursor) : null,
    });
  });

  router.get('/orders/:id', (req, res) => {
    const orderId = orderIdParam(req.params.id);
    const detail = status.orderDetail(orderId);
    if (!detail) throw new HttpProblem('not-found', `There is no order "${orderId}".`);
    res.json(detail);
  });

  router.get('/orders/:id/history', (req, res) => {
    const orderId = orderIdParam(req.params.id);
    const items = status.history.listByOrder(orderId);
    if (items.length === 0 && !status.orders.get(orderId)) {
      throw new HttpProblem('not-found', `There is no order "${orderId}".`);
    }
    res.json({ items });
  });

  return router;
}

function orderIdParam(value: unknown): string {
  const id = String(value);
  if (id.length === 0 || id.length > 200) {
    throw new HttpProblem('invalid-request', 'The order id must have 1 to 200 characters.');
  }
  return id;
}
