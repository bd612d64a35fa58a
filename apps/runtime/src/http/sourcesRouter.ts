import { idSchema } from '@orderloom/schema';
import { Router } from 'express';
import type { SourcesRepository } from '../db/sourcesRepository.ts';
import { putSourceRequestSchema } from '../status/statusApiSchemas.ts';
import { actorOf, requireRole } from './auth.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/**
 * Routes under `/api/sources`: the systems that report status events and the Ed25519 keys their events
 * must be signed with. Mount after `authenticate`.
 */
export function sourcesRouter({ sources }: { sources: SourcesRepository }): Router {
  const router = Router();

  router.get('/sources', (_req, res) => {
    res.json({ items: sources.list() });
  });

  router.get('/sources/:system', (req, res) => {
    const system = String(req.params.system);
    const source = sources.get(system);
    if (!source) throw new HttpProblem('not-found', `System "${system}" is not registered.`);
    res.json(source);
  });

  router.put('/sources/:system', requireRole('admin'), (req, res) => {
    const system = String(req.params.system);
    const idCheck = idSchema.safeParse(system);
    if (!idCheck.success) {
      const message = idCheck.error.issues[0]?.message ?? 'is not a valid system id';
      throw new HttpProblem('invalid-request', `system: ${message}`, {
        errors: [{ path: '', severity: 'error', message: `system "${system}": ${message}` }],
      });
    }
    const { publicKeys } = parseRequest(putSourceRequestSchema, req.body, 'body');
    const ids = new Set<string>();
    publicKeys.forEach((k, i) => {
      if (ids.has(k.id)) {
        const message = `duplicate key id "${k.id}"`;
        throw new HttpProblem('invalid-request', message, {
          errors: [{ path: `/publicKeys/${i}/id`, severity: 'error', message }],
        });
      }
      ids.add(k.id);
    });
    const result = sources.put(system, publicKeys, actorOf(res));
    if (!result.ok) {
      const path = `/publicKeys/${result.index}/publicKey`;
      throw new HttpProblem('invalid-request', `${path}: ${result.message}`, {
        errors: [{ path, severity: 'error', message: result.message }],
      });
    }
    res.status(result.created ? 201 : 200).json(result.source);
  });

  return router;
}
