import { Router } from 'express';
import type { StatusService } from '../status/createStatusService.ts';
import {
  listOrdersQuerySchema,
  postEventQuerySchema,
  postEventRequestSchema,
} from '../status/statusApiSchemas.ts';
import { requireRole } from './auth.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/**
 * Routes under `/api/orders`: status event ingest, the canonical view of an order, order lists and
 * an order's tamper-evident history. Mount after `authenticate` and a JSON body parser.
 */
export function ordersRouter({ status }: { status: StatusService }): Router {
  const router = Router();

  router.post('/orders/:id/events', requireRole('service', 'admin'), async (req, res) => {
    const orderId = orderIdParam(req.params.id);
    const { environment } = parseRequest(postEventQuerySchema, req.query, 'query');
    const event = parseRequest(postEventRequestSchema, req.body, 'body');
    if (event.orderId !== undefined && event.orderId !== orderId) {
      const message = `must equal the order id in the URL ("${orderId}")`;
      throw new HttpProblem('invalid-request', `/orderId: ${message}`, {
        errors: [{ path: '/orderId', severity: 'error', message }],
      });
    }
    const outcome = await status.ingest(orderId, req.body as Record<string, unknown>, event, environment);
    switch (outcome.kind) {
      case 'applied':
        res.status(201).json(outcome.result);
        return;
      case 'duplicate':
        res.status(200).set('Idempotent-Replayed', 'true').json(outcome.result);
        return;
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
