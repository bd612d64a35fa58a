import { type Response, Router } from 'express';
import type { DecisionCursor } from '../db/decisionsRepository.ts';
import type { DecisionService } from '../routing/decisionService.ts';
import {
  decisionsQuerySchema,
  type RouteResponse,
  replayRequestSchema,
  routeQuerySchema,
  routeRequestSchema,
} from '../routing/routingApiSchemas.ts';
import { requireRole } from './auth.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/**
 * Routes `POST /api/route` (admin or service keys), `GET /api/decisions`, `GET /api/decisions/:id`
 * and `POST /api/decisions/:id/replay`. Mount after `authenticate`.
 */
export function decisionsRouter({ decisions }: { decisions: DecisionService }): Router {
  const router = Router();

  router.post('/route', requireRole('admin', 'service'), async (req, res) => {
    const { ranking } = parseRequest(routeQuerySchema, req.query, 'query');
    const request = parseRequest(routeRequestSchema, req.body, 'body');
    const result = await decisions.routeCommitted(request);
    if (!result.ok) {
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
    sendDecision(res, result.response, ranking);
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

// The ranking is most of the answer (every candidate's factor table) and pure ASCII, the rest is small
// but may hold non-ASCII text (the explanation's "−"); encoding them apart keeps the large part on
// V8's one-byte fast path. One buffer and one `end` send headers and body in a single write.
function sendDecision(res: Response, response: RouteResponse, mode: 'all' | 'top' | 'none'): void {
  const { decisionId, strategy, allocation, ranking, ...rest } = response;
  const shown = mode === 'all' ? ranking : mode === 'none' ? [] : namedCandidates(response);
  const tail = mode === 'all' ? rest : { ...rest, candidates: ranking.length };
  const head = JSON.stringify({ decisionId, strategy, allocation });
  const body = Buffer.concat([
    Buffer.from(`${head.slice(0, -1)},"ranking":`),
    Buffer.from(JSON.stringify(shown)),
    Buffer.from(`,${JSON.stringify(tail).slice(1)}`),
  ]);
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** The candidates the decision names: those it allocates to, and the runner-up. */
function namedCandidates(response: RouteResponse): RouteResponse['ranking'] {
  const named = new Set(response.allocation.map((a) => `${a.warehouse}\u0000${a.lane}`));
  const runnerUp = response.explanationDetail.runnerUp;
  if (runnerUp) named.add(`${runnerUp.warehouse}\u0000${runnerUp.lane}`);
  return response.ranking.filter((r) => named.has(`${r.warehouse}\u0000${r.lane}`));
}

function parseCursor(cursor: string): DecisionCursor {
  const [at, seq] = cursor.split('.');
  return { at: Number(at), seq: Number(seq) };
}

function notFound(id: string): never {
  throw new HttpProblem('not-found', `There is no decision "${id}".`);
}
