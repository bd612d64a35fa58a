import {
  alertFactSchema,
  dateTimeSchema,
  idSchema,
  laneFactSchema,
  orderSchema,
  warehouseFactSchema,
  warehouseTiers,
} from '@orderloom/schema';
import { z } from 'zod';
import { environments } from '../apiSchemas.ts';

// Request envelopes and response shapes of the facts, decision and backtest API. The routers parse
// with them and the OpenAPI document is generated from them.

const versionNumber = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const timestamp = z.string().describe('ISO 8601 UTC timestamp');
const cursor = z
  .string()
  .regex(/^[0-9]{1,16}\.[1-9][0-9]{0,15}$/, 'use the nextCursor of the previous page')
  .optional()
  .describe('nextCursor of the previous page');

// ---- facts ----------------------------------------------------------------------------------

const shape = warehouseFactSchema.shape;

/**
 * Body of `PATCH /api/facts/warehouses/:id`: fields to set, plus `loadDelta` and `stockDelta` that add
 * to the current values inside the same transaction (safe under concurrent updates). `null` removes
 * an optional field.
 */
export const warehousePatchSchema = z
  .strictObject({
    name: shape.name.optional(),
    tier: shape.tier.optional(),
    region: shape.region.optional(),
    city: shape.city.unwrap().nullable().optional(),
    lat: shape.lat.unwrap().nullable().optional(),
    lon: shape.lon.unwrap().nullable().optional(),
    capacityPerDay: shape.capacityPerDay.optional(),
    load: shape.load.optional(),
    loadDelta: z.number().int().optional().describe('added to the current load; the result must stay ≥ 0'),
    ageDays: shape.ageDays.optional(),
    stock: z
      .record(z.string().min(1), z.number().int().min(0))
      .optional()
      .describe('sets the quantity of these SKUs; other SKUs keep theirs'),
    stockDelta: z
      .record(z.string().min(1), z.number().int())
      .optional()
      .describe(
        'adds to the quantity of these SKUs (negative takes away); a result below 0 is refused with 409',
      ),
  })
  .superRefine((patch, ctx) => {
    if (patch.load !== undefined && patch.loadDelta !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['loadDelta'], message: 'send load or loadDelta, not both' });
    }
    for (const sku of Object.keys(patch.stockDelta ?? {})) {
      if (patch.stock && sku in patch.stock) {
        ctx.addIssue({ code: 'custom', path: ['stockDelta', sku], message: `${sku} is also set in stock` });
      }
    }
  });

/** Body of `POST /api/facts/:collection/bulk`. */
export const bulkFactsRequestSchema = z.strictObject({
  items: z
    .array(z.unknown())
    .max(100_000)
    .describe('facts of the collection in the URL, each validated by its schema'),
  mode: z
    .enum(['upsert', 'replace'])
    .default('upsert')
    .describe(
      'replace: facts of the collection not in items are deleted (the collection becomes the snapshot)',
    ),
});

/** `POST /api/facts/:collection/bulk`. */
export const bulkFactsResponseSchema = z.object({
  collection: z.enum(['warehouses', 'lanes', 'alerts']),
  created: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
});

// ---- decisions ------------------------------------------------------------------------------

/** Body of `POST /api/route`. */
export const routeRequestSchema = z.strictObject({
  strategy: idSchema.describe('id of the routing strategy'),
  environment: z.enum(environments).default('production'),
  order: orderSchema,
});

/** Query of `POST /api/route`. */
export const routeQuerySchema = z.strictObject({
  ranking: z
    .enum(['all', 'top', 'none'])
    .default('top')
    .describe(
      'top (default): the candidates allocated and the runner-up, with `candidates` counting them all; all: every ' +
        'candidate with its factor table (about 1 kB each); none: no candidates. The stored decision always has ' +
        'the whole ranking (GET /api/decisions/{id}).',
    ),
});

const factorValueSchema = z.object({
  raw: z.number(),
  normalized: z.number(),
  weight: z.number(),
  contribution: z.number().describe('normalized × weight / Σ weights; the score is their sum'),
});

const rankedCandidateSchema = z.object({
  warehouse: z.string(),
  lane: z.string(),
  tier: z.enum(warehouseTiers),
  score: z.number(),
  feasible: z.boolean(),
  rejectedBy: z.array(z.string()).optional().describe('ids of the constraints that rejected it'),
  factors: z.record(z.string(), factorValueSchema),
});

const orderLineSchema = orderSchema.shape.lines.element;

const allocationEntrySchema = z.object({
  warehouse: z.string(),
  lane: z.string(),
  lines: z.array(orderLineSchema),
});

const unroutableSchema = z.object({
  reasons: z.array(
    z.object({
      warehouse: z.string(),
      lane: z.string(),
      rejectedBy: z.array(z.string()),
      detail: z.string(),
    }),
  ),
});

const candidateRefSchema = z
  .object({ warehouse: z.string(), lane: z.string(), score: z.number(), feasible: z.boolean() })
  .nullable();

const explanationDetailSchema = z.object({
  winner: candidateRefSchema,
  runnerUp: candidateRefSchema,
  margin: z.number().nullable(),
  differences: z.array(z.object({ factor: z.string(), delta: z.number() })),
});

const strategyRefSchema = z.object({
  id: z.string(),
  version: versionNumber,
  environment: z.enum(environments),
});

const outcomeShape = {
  allocation: z.array(allocationEntrySchema).describe('one entry per parcel; empty when unroutable'),
  ranking: z.array(rankedCandidateSchema).describe('every candidate, preferred first'),
  tierUsed: z.enum(warehouseTiers).nullable(),
  unroutable: unroutableSchema.optional().describe('present when nothing was feasible'),
  explanation: z.string().describe('e.g. "WH-SZ beat WH-GZ by 0.12: carbon −0.08, eta +0.05"'),
  explanationDetail: explanationDetailSchema,
  parameters: z
    .record(z.string(), z.number())
    .describe('parameter values used (windows and segment applied)'),
  segment: z.string().optional().describe('the segment whose condition matched'),
};

/** `POST /api/route`. */
export const routeResponseSchema = z.object({
  decisionId: z.string(),
  strategy: strategyRefSchema,
  ...outcomeShape,
  elapsedMs: z.number().describe('time spent resolving the strategy and deciding (storing adds a commit)'),
  candidates: z
    .number()
    .int()
    .optional()
    .describe('number of candidates, when `ranking` was shortened by the query'),
});

const snapshotSchema = z.object({
  order: orderSchema,
  facts: z.object({
    warehouses: z
      .array(warehouseFactSchema)
      .describe('candidate warehouses, stock reduced to the order’s SKUs'),
    lanes: z.array(laneFactSchema).describe('candidate lanes'),
    alerts: z.array(alertFactSchema).describe('alerts active at the decision time that applied'),
  }),
  at: z.number().describe('decision time, epoch ms'),
});

/** `GET /api/decisions/:id`. */
export const decisionRecordSchema = routeResponseSchema.extend({
  at: timestamp.describe('decision time'),
  rankingReproduced: z
    .boolean()
    .optional()
    .describe(
      'The ranking is recomputed from the snapshot with the version that made the decision; false when that ' +
        'no longer gives the scores recorded at decision time (e.g. after an engine upgrade) — the recorded ' +
        'allocation stays authoritative. Absent for decisions stored without scores.',
    ),
  orderId: z.string(),
  snapshot: snapshotSchema.describe('everything the decision read; replay re-evaluates it'),
});

/** One item of `GET /api/decisions`. */
export const decisionSummarySchema = z.object({
  decisionId: z.string(),
  at: timestamp,
  orderId: z.string(),
  strategy: strategyRefSchema,
  allocation: z.array(z.object({ warehouse: z.string(), lane: z.string() })),
  tierUsed: z.enum(warehouseTiers).nullable(),
  unroutable: z.boolean(),
  explanation: z.string(),
  elapsedMs: z.number(),
});

/** `GET /api/decisions`. */
export const decisionPageSchema = z.object({
  items: z.array(decisionSummarySchema).describe('newest decision time first'),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

/** Query of `GET /api/decisions`. */
export const decisionsQuerySchema = z.strictObject({
  orderId: z.string().min(1).max(128).optional(),
  strategy: idSchema.optional(),
  from: dateTimeSchema.optional().describe('decision time ≥ from (ISO 8601; encode "+" as %2B)'),
  to: dateTimeSchema.optional().describe('decision time < to'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor,
});

const versionSelector = z.union([versionNumber, z.literal('draft')]);

/** Body of `POST /api/decisions/:id/replay`. */
export const replayRequestSchema = z.strictObject({
  version: versionSelector
    .optional()
    .describe('the version to evaluate with, or "draft"; default: the version that made the decision'),
});

/** `POST /api/decisions/:id/replay`. */
export const replayResponseSchema = z.object({
  decisionId: z.string(),
  strategy: z.object({
    id: z.string(),
    version: versionSelector.describe('the version evaluated'),
    draftRevision: z.number().int().optional().describe('for "draft": the draft revision evaluated'),
  }),
  original: z.object({ version: versionNumber, environment: z.enum(environments) }),
  ...outcomeShape,
  changed: z.boolean().describe('allocation, tier or routability differ from the original decision'),
  rankingChanged: z.boolean().describe('any candidate’s order, score or factor value differs'),
  diff: z
    .array(
      z.object({
        op: z.string(),
        path: z.string(),
        from: z.string().optional(),
        value: z.unknown().optional(),
      }),
    )
    .describe(
      'RFC 6902 patch from the original outcome {allocation, tierUsed, unroutable} to the replayed one',
    ),
});

// ---- backtests ------------------------------------------------------------------------------

/** Body of `POST /api/backtests`. */
export const backtestRequestSchema = z.strictObject({
  strategy: idSchema,
  candidate: versionSelector.describe('the version (or "draft") to try'),
  baseline: versionNumber.describe('the version to compare against'),
  from: dateTimeSchema.optional().describe('only decisions made at or after'),
  to: dateTimeSchema.optional().describe('only decisions made before'),
  limit: z.number().int().min(1).max(10_000_000).optional().describe('at most this many, newest first'),
});

/** The states of a backtest. */
export const backtestStates = ['queued', 'running', 'succeeded', 'failed'] as const;

const kpisSchema = z.object({
  decisions: z.number().int(),
  routed: z.number().int(),
  unroutable: z.number().int(),
  avgCost: z.number().nullable().describe('mean shipping cost of routed decisions'),
  avgEtaHours: z.number().nullable().describe('mean effective ETA (alerts applied; slowest parcel)'),
  avgCo2Kg: z.number().nullable(),
  promiseBreaches: z.number().int().describe('routed decisions whose ETA exceeds the promised hours'),
  capacityOverflows: z
    .number()
    .int()
    .describe('routed decisions sending a parcel to a warehouse without capacity left'),
  splitRate: z.number().nullable().describe('share of routed decisions shipped in more than one parcel'),
  tierMix: z.record(z.string(), z.number().int()).describe('routed decisions per tier used'),
});

/** The result of a finished backtest. */
export const backtestResultSchema = z.object({
  decisions: z.number().int(),
  failed: z.number().int().describe('decisions the candidate or baseline could not evaluate'),
  changed: z.number().int().describe('decisions whose winner or allocation differs'),
  changedShare: z.number().nullable(),
  winnerChanged: z.number().int(),
  baseline: kpisSchema,
  candidate: kpisSchema,
  deltas: z.object({
    avgCost: z.number().nullable(),
    avgEtaHours: z.number().nullable(),
    avgCo2Kg: z.number().nullable(),
    promiseBreaches: z.number().int(),
    capacityOverflows: z.number().int(),
    splitRate: z.number().nullable(),
    unroutable: z.number().int(),
  }),
  examples: z
    .array(
      z.object({
        decisionId: z.string(),
        orderId: z.string(),
        before: z.array(z.object({ warehouse: z.string(), lane: z.string() })),
        after: z.array(z.object({ warehouse: z.string(), lane: z.string() })),
      }),
    )
    .describe('up to 20 changed decisions'),
  durationMs: z.number(),
});

/** `GET /api/backtests/:id`. */
export const backtestSchema = z.object({
  id: z.string(),
  strategy: z.string(),
  candidate: versionSelector,
  candidateDraftRevision: z.number().int().nullable(),
  baseline: versionNumber,
  from: timestamp.nullable(),
  to: timestamp.nullable(),
  limit: z.number().int().nullable(),
  state: z.enum(backtestStates),
  progress: z.object({ processed: z.number().int(), total: z.number().int() }),
  error: z.string().nullable(),
  createdAt: timestamp,
  createdBy: z.string(),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  result: backtestResultSchema.nullable(),
});

/** `POST /api/backtests` (202). */
export const backtestAcceptedSchema = z.object({ id: z.string(), state: z.enum(backtestStates) });

/** `GET /api/backtests`. */
export const backtestListSchema = z.object({ items: z.array(backtestSchema).describe('newest first') });

export type WarehousePatch = z.infer<typeof warehousePatchSchema>;
export type RouteRequest = z.infer<typeof routeRequestSchema>;
export type RouteResponse = z.infer<typeof routeResponseSchema>;
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;
export type DecisionSummary = z.infer<typeof decisionSummarySchema>;
export type ReplayResponse = z.infer<typeof replayResponseSchema>;
export type BacktestRequest = z.infer<typeof backtestRequestSchema>;
export type BacktestResult = z.infer<typeof backtestResultSchema>;
export type Backtest = z.infer<typeof backtestSchema>;
export type BacktestKpis = z.infer<typeof kpisSchema>;
