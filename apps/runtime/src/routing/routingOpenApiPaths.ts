import { alertFactSchema, laneFactSchema, warehouseFactSchema } from '@orderloom/schema';
import { z } from 'zod';
import { allRoles, type JsonObject, operation, pathParam } from '../http/openApiOperation.ts';
import {
  backtestAcceptedSchema,
  backtestListSchema,
  backtestRequestSchema,
  backtestSchema,
  bulkFactsRequestSchema,
  bulkFactsResponseSchema,
  decisionPageSchema,
  decisionRecordSchema,
  decisionsQuerySchema,
  replayRequestSchema,
  replayResponseSchema,
  routeQuerySchema,
  routeRequestSchema,
  routeResponseSchema,
  warehousePatchSchema,
} from './routingApiSchemas.ts';

const writers = ['admin', 'service'] as const;
const factId = pathParam('id', 'fact id; a PUT body may omit it, else it must equal this');
const decisionId = pathParam('id', 'decision id (dec_…)');

const facts = [
  { collection: 'warehouses', one: 'warehouse', schema: warehouseFactSchema },
  { collection: 'lanes', one: 'lane', schema: laneFactSchema },
  { collection: 'alerts', one: 'alert', schema: alertFactSchema },
] as const;

/** OpenAPI paths of facts, decisions (`/api/route`, `/api/decisions`, replay) and backtests. */
export function routingPaths(): Record<string, JsonObject> {
  const paths: Record<string, JsonObject> = {};
  for (const { collection, one, schema } of facts) {
    paths[`/api/facts/${collection}`] = {
      get: operation({
        summary: `List ${collection}`,
        tag: 'facts',
        roles: allRoles,
        ok: { status: 200, description: 'Ordered by id', schema: z.object({ items: z.array(schema) }) },
      }),
    };
    paths[`/api/facts/${collection}/{id}`] = {
      get: operation({
        summary: `One ${one}`,
        tag: 'facts',
        roles: allRoles,
        path: [factId],
        ok: { status: 200, description: `The ${one}`, schema },
        errors: { 404: `No such ${one}` },
      }),
      put: operation({
        summary: `Create or replace a ${one}`,
        tag: 'facts',
        description:
          'Validated against the fact schema; an invalid fact answers 400 with every path in `errors` and ' +
          'stores nothing. The next decision sees the change. Answers 201 when created, 200 when replaced.' +
          (collection === 'alerts'
            ? ' An alert applies only inside [validFrom, validTo): it stops applying without being deleted.'
            : ''),
        roles: writers,
        path: [factId],
        body: schema,
        ok: { status: 200, description: 'Replaced', schema },
        alsoOk: { status: 201, description: 'Created' },
      }),
      ...(collection === 'warehouses'
        ? {
            patch: operation({
              summary: 'Update part of a warehouse: fields, stock and load deltas',
              tag: 'facts',
              description:
                'Read, changed and written in one immediate transaction, so concurrent deltas (e.g. ' +
                '`{ "stockDelta": { "SKU-1": -2 }, "loadDelta": 1 }` from several systems) never overwrite each ' +
                'other. `stock` sets quantities of the SKUs named; `null` removes city, lat or lon. A change that ' +
                'would leave negative stock or load answers 409 naming the field and changes nothing.',
              roles: writers,
              path: [factId],
              body: warehousePatchSchema,
              ok: { status: 200, description: 'The updated warehouse', schema: warehouseFactSchema },
              errors: { 404: 'No such warehouse', 409: 'Stock or load would become negative' },
            }),
          }
        : {}),
      delete: operation({
        summary: `Delete a ${one}`,
        tag: 'facts',
        roles: writers,
        path: [factId],
        ok: { status: 204, description: 'Deleted' },
        errors: { 404: `No such ${one}` },
      }),
    };
    paths[`/api/facts/${collection}/bulk`] = {
      post: operation({
        summary: `Upsert many ${collection} in one transaction`,
        tag: 'facts',
        description:
          'All or nothing: when any item is invalid (or an id repeats), nothing is stored and `errors` names every ' +
          'bad item by JSON Pointer (`/items/17/capacityPerDay`). `mode: "replace"` also deletes the facts not in ' +
          '`items`, so the collection becomes exactly the snapshot. Bodies up to `ORDERLOOM_FACTS_BULK_LIMIT` ' +
          '(32 MB by default) are accepted here.',
        roles: writers,
        body: bulkFactsRequestSchema,
        ok: { status: 200, description: 'What changed', schema: bulkFactsResponseSchema },
      }),
    };
  }

  paths['/api/route'] = {
    post: operation({
      summary: 'Route an order: which warehouse and carrier lane fulfil it',
      tag: 'decisions',
      description:
        'Evaluates the strategy version the environment (default production) serves now — a publish takes effect on ' +
        'the next call — over the current facts at the runtime’s clock. The decision is stored with its complete ' +
        'snapshot (order, facts read, parameters, segment, version) before the answer, and the strategy’s webhook ' +
        'delivery, if it names one, is enqueued in the same transaction. `ranking` shows the candidates the decision ' +
        'names — those it allocates to and the runner-up — with each factor’s raw value, normalised value, weight and ' +
        'contribution, and `candidates` counts them all; `?ranking=all` lists every candidate (GET ' +
        '/api/decisions/{id} always does). `explanation` names the runner-up and the factor differences that decided. ' +
        '422 when a custom expression fails for this order.',
      roles: writers,
      query: routeQuerySchema,
      body: routeRequestSchema,
      ok: { status: 200, description: 'The decision', schema: routeResponseSchema },
      errors: {
        404: 'No routing strategy with this id',
        409: 'The strategy has no version published to this environment',
        422: 'The strategy could not evaluate this order (`errors` points into the definition)',
      },
    }),
  };
  paths['/api/decisions'] = {
    get: operation({
      summary: 'List decisions, newest decision time first',
      tag: 'decisions',
      roles: allRoles,
      query: decisionsQuerySchema,
      ok: { status: 200, description: 'One page', schema: decisionPageSchema },
    }),
  };
  paths['/api/decisions/{id}'] = {
    get: operation({
      summary: 'One decision with its ranking, explanation and snapshot',
      tag: 'decisions',
      roles: allRoles,
      path: [decisionId],
      ok: { status: 200, description: 'The decision', schema: decisionRecordSchema },
      errors: { 404: 'No such decision' },
    }),
  };
  paths['/api/decisions/{id}/replay'] = {
    post: operation({
      summary: 'Re-evaluate a decision’s snapshot with its version, another version or the draft',
      tag: 'decisions',
      description:
        'With the recorded version (the default) the result equals the original decision exactly. `changed` tells ' +
        'whether the allocation, tier or routability differ, `diff` is the RFC 6902 patch between the two outcomes. ' +
        'Nothing is stored and no webhook is sent.',
      roles: allRoles,
      path: [decisionId],
      body: replayRequestSchema,
      ok: {
        status: 200,
        description: 'The re-evaluated decision and the comparison',
        schema: replayResponseSchema,
      },
      errors: {
        404: 'No such decision or version',
        422: 'The draft has lint errors, or the version could not evaluate the snapshot',
      },
    }),
  };

  paths['/api/backtests'] = {
    get: operation({
      summary: 'The 50 most recent backtests',
      tag: 'backtests',
      roles: allRoles,
      ok: { status: 200, description: 'Newest first', schema: backtestListSchema },
    }),
    post: operation({
      summary: 'Backtest a candidate version (or the draft) against a baseline over stored decisions',
      tag: 'backtests',
      description:
        'Answers 202 at once; the backtest runs in the background (one at a time, in slices that keep the API ' +
        'responsive) over the snapshots of the strategy’s decisions stored so far, within [from, to), newest first, ' +
        'at most `limit`. The draft is frozen when the backtest starts. Poll `GET /api/backtests/{id}` for progress ' +
        'and then the result. A backtest interrupted by a restart is marked failed at the next start.',
      roles: ['admin', 'analyst'],
      body: backtestRequestSchema,
      ok: { status: 202, description: 'Queued; see the Location header', schema: backtestAcceptedSchema },
      errors: { 404: 'No such strategy or version', 422: 'The draft has lint errors' },
    }),
  };
  paths['/api/backtests/{id}'] = {
    get: operation({
      summary: 'A backtest: progress, then the share of changed decisions and the KPI deltas',
      tag: 'backtests',
      roles: allRoles,
      path: [pathParam('id', 'backtest id (bt_…)')],
      ok: { status: 200, description: 'The backtest', schema: backtestSchema },
      errors: { 404: 'No such backtest' },
    }),
  };
  return paths;
}
