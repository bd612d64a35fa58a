import type { Clock } from '@orderloom/engine';
import { Router } from 'express';
import type { AlertsRepository } from '../db/alertsRepository.ts';
import { listAlertsQuerySchema } from '../status/statusApiSchemas.ts';
import { actorOf, requireRole } from './auth.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/** Routes under `/api/alerts`: list and acknowledge alerts. Mount after `authenticate`. */
export function alertsRouter({ alerts, clock }: { alerts: AlertsRepository; clock: Clock }): Router {
  const router = Router();

  router.get('/alerts', (req, res) => {
    const { limit, cursor, ...filter } = parseRequest(listAlertsQuerySchema, req.query, 'query');
    const rows = alerts.list({ ...filter, ...(cursor ? { before: Number(cursor) } : {}), limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    res.json({ items, nextCursor: rows.length > limit && last ? String(last.id) : null });
  });

  router.post('/alerts/:id/ack', requireRole('admin', 'analyst'), (req, res) => {
    const raw = String(req.params.id);
    const id = /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : undefined;
    const alert = id === undefined ? undefined : alerts.ack(id, actorOf(res).name, clock.now());
    if (!alert) throw new HttpProblem('not-found', `There is no alert ${raw}.`);
    res.json(alert);
  });

  return router;
}
