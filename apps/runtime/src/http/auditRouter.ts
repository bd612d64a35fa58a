import { Router } from 'express';
import { publicationsQuerySchema } from '../apiSchemas.ts';
import type { PublicationsRepository } from '../db/publicationsRepository.ts';
import { parseRequest } from './problem.ts';

/** Route `/api/audit/publications`: environment changes, newest first. Mount after `authenticate`. */
export function auditRouter({ publications }: { publications: PublicationsRepository }): Router {
  const router = Router();

  router.get('/audit/publications', (req, res) => {
    const { kind, id, limit, cursor } = parseRequest(publicationsQuerySchema, req.query, 'query');
    // One extra row tells whether another page exists without a count query.
    const rows = publications.list({
      ...(kind ? { kind } : {}),
      ...(id ? { id } : {}),
      ...(cursor ? { before: Number(cursor) } : {}),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    res.json({ items, nextCursor: rows.length > limit && last ? String(last.seq) : null });
  });

  return router;
}
