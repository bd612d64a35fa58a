import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { BacktestsRepository } from '../db/backtestsRepository.ts';
import type { DecisionsRepository } from '../db/decisionsRepository.ts';
import type { BacktestRunner } from '../routing/backtestRunner.ts';
import { backtestRequestSchema } from '../routing/routingApiSchemas.ts';
import type { RoutingStrategies, StrategyLookup } from '../routing/routingStrategies.ts';
import { actorOf, requireRole } from './auth.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/** What the backtest routes need. */
export interface BacktestsRouterDeps {
  backtests: BacktestsRepository;
  decisions: DecisionsRepository;
  strategies: RoutingStrategies;
  runner: BacktestRunner;
}

/**
 * Routes `POST /api/backtests` (admin or analyst keys; answers 202 and runs in the background),
 * `GET /api/backtests` and `GET /api/backtests/:id` (progress, then the result). Mount after
 * `authenticate`.
 */
export function backtestsRouter({ backtests, decisions, strategies, runner }: BacktestsRouterDeps): Router {
  const router = Router();

  router.post('/backtests', requireRole('admin', 'analyst'), (req, res) => {
    const request = parseRequest(backtestRequestSchema, req.body, 'body');
    const from = request.from === undefined ? undefined : Date.parse(request.from);
    const to = request.to === undefined ? undefined : Date.parse(request.to);
    if (from !== undefined && to !== undefined && from >= to) {
      throw new HttpProblem('invalid-request', '/to: must be after from', {
        errors: [{ path: '/to', severity: 'error', message: 'must be after from' }],
      });
    }
    if (!strategies.exists(request.strategy)) {
      throw new HttpProblem('not-found', `There is no routing strategy "${request.strategy}".`);
    }
    // Checked here so a missing baseline is a 404 now, not a failed backtest later.
    usable(strategies.lookup(request.strategy, request.baseline), 'baseline', request.baseline);
    const candidate = usable(
      strategies.lookup(request.strategy, request.candidate),
      'candidate',
      request.candidate,
    );
    const maxSeq = decisions.maxSeq();
    const matching = decisions.countMatching({ strategy: request.strategy, from, to, maxSeq });
    const id = `bt_${randomUUID()}`;
    backtests.create({
      id,
      strategy: request.strategy,
      candidate:
        candidate.version === 'draft'
          ? { draftRevision: candidate.draftRevision ?? 0 }
          : { version: candidate.version },
      candidateDefinition: candidate.compiled.definition,
      baseline: request.baseline,
      from,
      to,
      limit: request.limit,
      maxSeq,
      total: Math.min(matching, request.limit ?? matching),
      actor: actorOf(res),
    });
    runner.submit(id);
    res.status(202).location(`/api/backtests/${id}`).json({ id, state: 'queued' });
  });

  router.get('/backtests', (_req, res) => {
    res.json({ items: backtests.list(50).map((b) => withLiveProgress(b, runner)) });
  });

  router.get('/backtests/:id', (req, res) => {
    const id = String(req.params.id);
    const backtest = backtests.get(id);
    if (!backtest) throw new HttpProblem('not-found', `There is no backtest "${id}".`);
    res.json(withLiveProgress(backtest, runner));
  });

  return router;
}

function usable(
  lookup: StrategyLookup,
  role: 'baseline' | 'candidate',
  version: number | 'draft',
): Extract<StrategyLookup, { ok: true }> {
  if (lookup.ok) return lookup;
  switch (lookup.reason) {
    case 'definition-not-found':
    case 'version-not-found':
      throw new HttpProblem('not-found', `The ${role} version ${version} does not exist.`);
    case 'lint-errors':
      throw new HttpProblem('lint-errors', `The ${role} (${version}) has lint errors; fix them first.`, {
        errors: lookup.reports,
      });
  }
}

function withLiveProgress<
  T extends { id: string; state: string; progress: { processed: number; total: number } },
>(backtest: T, runner: BacktestRunner): T {
  const live = backtest.state === 'running' ? runner.progress(backtest.id) : undefined;
  return live ? { ...backtest, progress: live } : backtest;
}
