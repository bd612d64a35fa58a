import {
  alertFactSchema,
  idSchema,
  jsonPointer,
  laneFactSchema,
  type Report,
  warehouseFactSchema,
} from '@orderloom/schema';
import { Router } from 'express';
import type { z } from 'zod';
import { type AnyFact, type FactCollection, factCollections } from '../db/factsRepository.ts';
import type { FactsStore } from '../routing/factsStore.ts';
import { bulkFactsRequestSchema, warehousePatchSchema } from '../routing/routingApiSchemas.ts';
import { actorOf, requireRole } from './auth.ts';
import { HttpProblem, issuesToReports, parseRequest } from './problem.ts';

const factSchemas: Record<FactCollection, z.ZodType<AnyFact>> = {
  warehouses: warehouseFactSchema,
  lanes: laneFactSchema,
  alerts: alertFactSchema,
};

const singular: Record<FactCollection, string> = { warehouses: 'warehouse', lanes: 'lane', alerts: 'alert' };

/**
 * Routes under `/api/facts`: warehouses, lanes and alerts as the company's systems push them. Reads
 * are open to every role; writes need a service or admin key. Every write is validated first and
 * stores nothing when invalid. Mount after `authenticate`.
 */
export function factsRouter({ facts }: { facts: FactsStore }): Router {
  const router = Router();
  const writer = requireRole('admin', 'service');

  router.param('collection', (_req, _res, next, collection: string) => {
    if (!isCollection(collection)) {
      throw new HttpProblem(
        'not-found',
        `Unknown fact collection "${collection}"; use one of ${factCollections.join(', ')}.`,
      );
    }
    next();
  });

  router.get('/facts/:collection', (req, res) => {
    res.json({ items: facts.list(collectionOf(req.params)) });
  });

  router.get('/facts/:collection/:id', (req, res) => {
    const collection = collectionOf(req.params);
    const id = String(req.params.id);
    res.json(facts.get(collection, id) ?? notFound(collection, id));
  });

  router.put('/facts/:collection/:id', writer, (req, res) => {
    const collection = collectionOf(req.params);
    const id = urlId(req.params.id);
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalid([
        { path: '', severity: 'error', message: `a ${singular[collection]} must be a JSON object` },
      ]);
    }
    const record = body as Record<string, unknown>;
    if (record.id !== undefined && record.id !== id) {
      throw invalid([
        { path: '/id', severity: 'error', message: `must be "${id}", the id in the URL (or omitted)` },
      ]);
    }
    const parsed = factSchemas[collection].safeParse({ ...record, id });
    if (!parsed.success) throw invalid(issuesToReports(parsed.error.issues));
    const { created } = facts.put(collection, parsed.data, actorOf(res));
    res.status(created ? 201 : 200).json(parsed.data);
  });

  router.patch('/facts/warehouses/:id', writer, (req, res) => {
    const id = urlId(req.params.id);
    const patch = parseRequest(warehousePatchSchema, req.body, 'body');
    const result = facts.patchWarehouse(id, patch, actorOf(res));
    if (!result.ok) {
      if (result.reason === 'not-found') return notFound('warehouses', id);
      throw new HttpProblem('conflict', `${result.path}: ${result.detail}; nothing was changed.`, {
        errors: [{ path: result.path, severity: 'error', message: result.detail }],
      });
    }
    res.json(result.fact);
  });

  router.delete('/facts/:collection/:id', writer, (req, res) => {
    const collection = collectionOf(req.params);
    const id = String(req.params.id);
    if (!facts.delete(collection, id)) notFound(collection, id);
    res.status(204).end();
  });

  router.post('/facts/:collection/bulk', writer, (req, res) => {
    const collection = collectionOf(req.params);
    const { items, mode } = parseRequest(bulkFactsRequestSchema, req.body, 'body');
    const schema = factSchemas[collection];
    const valid: AnyFact[] = [];
    const errors: Report[] = [];
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const parsed = schema.safeParse(item);
      if (!parsed.success) {
        errors.push(...issuesToReports(parsed.error.issues, ['items', i]));
        return;
      }
      const first = seen.get(parsed.data.id);
      if (first !== undefined) {
        errors.push({
          path: jsonPointer(['items', i, 'id']),
          severity: 'error',
          message: `duplicate id "${parsed.data.id}" (also at /items/${first})`,
        });
        return;
      }
      seen.set(parsed.data.id, i);
      valid.push(parsed.data);
    });
    if (errors.length > 0) {
      const rows = new Set(errors.map((e) => e.path.split('/')[2])).size;
      throw new HttpProblem(
        'invalid-request',
        `${rows} of ${items.length} ${collection} are invalid; nothing was stored.`,
        { errors },
      );
    }
    const result = facts.bulk(collection, valid as never[], {
      replace: mode === 'replace',
      actor: actorOf(res),
    });
    res.json({ collection, ...result });
  });

  return router;
}

function isCollection(value: string): value is FactCollection {
  return (factCollections as readonly string[]).includes(value);
}

// `:collection` was checked by router.param.
function collectionOf(params: { collection?: unknown }): FactCollection {
  return String(params.collection) as FactCollection;
}

function urlId(value: unknown): string {
  const id = String(value);
  const check = idSchema.safeParse(id);
  if (!check.success) {
    throw invalid([
      {
        path: '/id',
        severity: 'error',
        message: `the id in the URL: ${check.error.issues[0]?.message ?? 'invalid'}`,
      },
    ]);
  }
  return id;
}

function invalid(errors: Report[]): HttpProblem {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new HttpProblem(
    'invalid-request',
    `The request body is invalid: ${first ? `${first.path || '(root)'}: ${first.message}` : 'see errors'}${more}`,
    { errors },
  );
}

function notFound(collection: FactCollection, id: string): never {
  throw new HttpProblem('not-found', `There is no ${singular[collection]} "${id}".`);
}
