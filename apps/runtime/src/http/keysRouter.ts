import { Router } from 'express';
import { createKeyRequestSchema } from '../apiSchemas.ts';
import type { KeysRepository } from '../db/keysRepository.ts';
import { principalOf, requireRole } from './auth.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/** Routes `/api/me` and `/api/keys` (admin only). Mount after `authenticate`. */
export function keysRouter({ keys }: { keys: KeysRepository }): Router {
  const router = Router();

  router.get('/me', (_req, res) => {
    const { id, name, role } = principalOf(res);
    res.json({ id, name, role });
  });

  router.get('/keys', requireRole('admin'), (_req, res) => {
    res.json({ items: keys.list() });
  });

  router.post('/keys', requireRole('admin'), (req, res) => {
    const { name, role } = parseRequest(createKeyRequestSchema, req.body, 'body');
    const created = keys.create({ name, role });
    res.status(201).json({
      id: created.id,
      name: created.name,
      role: created.role,
      secret: created.secret,
      createdAt: created.createdAt,
    });
  });

  router.delete('/keys/:id', requireRole('admin'), (req, res) => {
    const id = String(req.params.id);
    const result = keys.delete(id);
    if (!result.ok) {
      if (result.reason === 'not-found') throw new HttpProblem('not-found', `There is no API key "${id}".`);
      throw new HttpProblem(
        'conflict',
        'This is the last admin key; create another admin key before deleting it.',
      );
    }
    res.status(204).end();
  });

  return router;
}
