import { Router } from 'express';
import type { DecisionCursor } from '../db/decisionsRepository.ts';
import type { DecisionMaker } from '../routing/decisionMaker.ts';
import type { DecisionService } from '../routing/decisionService.ts';
import {
  decisionsQuerySchema,
  replayRequestSchema,
  routeQuerySchema,
  routeRequestSchema,
} from '../routing/routingApiSchemas.ts';
import { requireRole } from './auth.ts';
import type { HotRoute } from './hotLane.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/**
 * Routes `POST /api/route` (admin or service keys), `GET /api/decisions`, `GET /api/decisions/:id`
 * and `POST /api/decisions/:id/replay`. Mount after `authenticate`.
 */
export function decisionsRouter({
  decisions,
  decide,
}: {
  decisions: DecisionService;
  decide: DecisionMaker;
}): Router {
  const router = Router();

  router.post('/route', requireRole(...routeRoles), async (req, res) => {
    const body = await routeAnswer(decide, req.query, req.body);
    // One buffer and one `end` send headers and body in a single write.
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.byteLength);
    res.end(body);
  });

  router.get('/decisions', (req, res) => {
    const query = parseRequest(decisionsQuerySchema, req.query, 'query');
    const from = query.from === undefined ? undefined : Date.parse(query.from);
    const to = query.to === undefined ? undefined : Date.parse(query.to);
    const cursor = query.cursor === undefined ? undefined : parseCursor(query.cursor);
    const rows = decisions.decisions.list(
      { orderId: query.orderId, strategy: query.strategy, from, to },
      { cursor, limit: query.limit + 1 },
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    res.json({
      items: items.map((row) => ({
        decisionId: row.id,
        at: new Date(row.at).toISOString(),
        orderId: row.orderId,
        strategy: row.strategy,
        allocation: row.body.allocation.map(({ warehouse, lane }) => ({ warehouse, lane })),
        tierUsed: row.body.tierUsed,
        unroutable: row.body.unroutable !== undefined,
        explanation: row.body.explanation,
        elapsedMs: row.elapsedMs,
      })),
      nextCursor: rows.length > query.limit && last ? `${last.at}.${last.seq}` : null,
    });
  });

  router.get('/decisions/:id', (req, res) => {
    const id = String(req.params.id);
    res.json(decisions.get(id) ?? notFound(id));
  });

  router.post('/decisions/:id/replay', (req, res) => {
    const id = String(req.params.id);
    const { version } = parseRequest(replayRequestSchema, req.body, 'body');
    const result = decisions.replay(id, version);
    if (!result.ok) {
      switch (result.reason) {
        case 'decision-not-found':
          return notFound(id);
        case 'definition-not-found':
          throw new HttpProblem('not-found', 'The strategy that made this decision no longer exists.');
        case 'version-not-found':
          throw new HttpProblem('not-found', `The strategy has no version ${String(version)}.`);
        case 'lint-errors':
          throw new HttpProblem(
            'lint-errors',
            'The draft has lint errors; fix them before replaying with it.',
            {
              errors: result.reports,
            },
          );
        case 'evaluation-failed':
          throw new HttpProblem('invalid-request', result.detail, { status: 422, errors: result.errors });
      }
    }
    res.json(result.response);
  });

  return router;
}

const routeRoles = ['admin', 'service'] as const;

/** `POST /api/route` served by the hot lane (see `createHotLane`); the express route above is the same. */
export function hotRouteDecision(decide: DecisionMaker): HotRoute {
  return {
    method: 'POST',
    pattern: '/api/route',
    match: (path) => (path === '/api/route' ? {} : undefined),
    roles: routeRoles,
    handle: async ({ query, body }) => ({ status: 200, body: await routeAnswer(decide, query, body) }),
  };
}

/** Decides, stores and returns the answer's JSON bytes; throws the problem to answer otherwise. */
async function routeAnswer(decide: DecisionMaker, query: unknown, body: unknown): Promise<Uint8Array> {
  const { ranking } = parseRequest(routeQuerySchema, query, 'query');
  const request = parseRequest(routeRequestSchema, body, 'body');
  const result = await decide.route(request, ranking);
  if (result.ok) return result.body;
  switch (result.reason) {
    case 'strategy-not-found':
      throw new HttpProblem('not-found', `There is no routing strategy "${request.strategy}".`);
    case 'no-version':
      throw new HttpProblem(
        'conflict',
        `Routing strategy "${request.strategy}" has no version published to ${request.environment}; ` +
          `publish one (PUT /api/definitions/routing/${request.strategy}/environments/${request.environment}).`,
      );
    case 'evaluation-failed':
      throw new HttpProblem('invalid-request', result.detail, { status: 422, errors: result.errors });
  }
}

function parseCursor(cursor: string): DecisionCursor {
  const [at, seq] = cursor.split('.');
  return { at: Number(at), seq: Number(seq) };
}

function notFound(id: string): never {
  throw new HttpProblem('not-found', `There is no decision "${id}".`);
}
