import { idSchema, reportSchema, statusEventSchema } from '@orderloom/schema';
import { z } from 'zod';
import { environments } from '../apiSchemas.ts';

// Request envelopes and response shapes of the status API (sources, events, orders, alerts, audit
// chain, dictionary import). Routers parse with them and the OpenAPI document is generated from them.

const timestamp = z.string().describe('ISO 8601 UTC timestamp');
const cursorSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'use the nextCursor of the previous page')
  .optional()
  .describe('nextCursor of the previous page');
const limitSchema = z.coerce.number().int().min(1).max(500).default(50);

// ---- sources --------------------------------------------------------------------------------

/** One Ed25519 public key of a source system. */
export const sourcePublicKeySchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.:-]+$/, 'use letters, digits, ".", ":", "_" or "-"')
    .describe('key id; events may name it as keyId'),
  publicKey: z
    .string()
    .min(1)
    .max(4000)
    .describe('Ed25519 public key: SPKI PEM, or base64 of the raw 32 bytes or of the DER SPKI'),
});

/** Body of `PUT /api/sources/:system`. */
export const putSourceRequestSchema = z.strictObject({
  publicKeys: z
    .array(sourcePublicKeySchema)
    .max(20)
    .describe(
      'every key that may sign this system’s events; during a rotation list the old and the new key, ' +
        'then PUT again without the old one. Empty = events need no signature.',
    ),
});

/** A registered source system as listed. */
export const sourceSchema = z.object({
  system: z.string(),
  publicKeys: z.array(
    z.object({
      id: z.string(),
      publicKey: z.string().describe('SPKI PEM'),
      fingerprint: z.string().describe('SHA-256 of the DER SPKI, hex'),
    }),
  ),
  signaturesRequired: z.boolean().describe('true when the system has at least one key'),
  updatedAt: timestamp,
  updatedBy: z.string(),
});

/** `GET /api/sources`. */
export const sourceListSchema = z.object({ items: z.array(sourceSchema) });

// ---- events and orders ----------------------------------------------------------------------

/** Body of `POST /api/orders/:id/events`. */
export const postEventRequestSchema = statusEventSchema.extend({
  keyId: z.string().min(1).max(100).optional().describe('id of the key that signed the event'),
  orderId: z
    .string()
    .optional()
    .describe('optional; when present it must equal the URL, and a signature then binds the order too'),
});

/** Query of `POST /api/orders/:id/events`. */
export const postEventQuerySchema = z.strictObject({
  environment: z
    .enum(environments)
    .default('production')
    .describe('which published status graph applies to a new order; defaults to production'),
});

const statusChangeSchema = z.object({
  id: z.string().describe('transition id in the definition'),
  from: z.string(),
  to: z.string(),
  at: timestamp,
});

/** An alert as stored and listed. */
export const alertSchema = z.object({
  id: z.number().int(),
  type: z.enum(['sla', 'path-violation', 'invalid-signature']),
  orderId: z.string().nullable(),
  level: z.enum(['warning', 'breach', 'escalation']),
  state: z.enum(['open', 'acked']),
  message: z.string(),
  notify: z.array(z.string()),
  details: z.unknown().describe('the engine’s alert (SLA, state, cause …)'),
  occurrences: z.number().int().min(1).describe('how often it was raised (e.g. repeated bad signatures)'),
  raisedAt: timestamp,
  updatedAt: timestamp.describe('last raise or level change'),
  ackedAt: timestamp.nullable(),
  ackedBy: z.string().nullable(),
});

/** Response of `POST /api/orders/:id/events` (replayed verbatim for a duplicate). */
export const eventResultSchema = z.object({
  orderId: z.string(),
  eventId: z.string(),
  system: z.string(),
  status: z.string().describe('canonical state after the event'),
  since: timestamp,
  graph: z.object({ id: z.string(), version: z.number().int(), environment: z.enum(environments) }),
  created: z.boolean().describe('this event created the order'),
  transitions: z.array(statusChangeSchema),
  alerts: z.array(alertSchema.pick({ id: true, type: true, level: true, message: true })),
  seq: z.number().int().describe('chain seq of the event entry'),
});

/** `GET /api/orders/:id`. */
export const orderDetailSchema = z.object({
  orderId: z.string(),
  environment: z.enum(environments),
  graph: z.object({ id: z.string(), version: z.number().int() }),
  channel: z.string().nullable(),
  status: z.string(),
  since: timestamp,
  facts: z.record(z.string(), z.unknown()),
  lastRaw: z
    .record(
      z.string(),
      z.object({ code: z.string(), eventId: z.string(), occurredAt: z.string(), receivedAt: timestamp }),
    )
    .describe('each system’s last raw status'),
  openAlerts: z.array(alertSchema),
  slaDeadlines: z.array(
    z.object({
      slaId: z.string(),
      state: z.string(),
      level: z.string(),
      atPercent: z.number(),
      dueAt: timestamp,
      notify: z.array(z.string()),
    }),
  ),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** Query of `GET /api/orders`. */
export const listOrdersQuerySchema = z.strictObject({
  status: z.string().optional().describe('canonical state'),
  channel: z.string().optional(),
  alert: z
    .enum(['any', 'sla', 'path-violation', 'invalid-signature'])
    .optional()
    .describe('only orders with an open alert of this type'),
  environment: z.enum(environments).optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

/** One item of `GET /api/orders`. */
export const orderSummarySchema = orderDetailSchema.pick({
  orderId: true,
  environment: true,
  graph: true,
  channel: true,
  status: true,
  since: true,
  updatedAt: true,
});

/** `GET /api/orders`. */
export const orderPageSchema = z.object({
  items: z.array(orderSummarySchema).describe('newest first'),
  nextCursor: z.string().nullable(),
});

// ---- history and audit ----------------------------------------------------------------------

/** One entry of the tamper-evident log. */
export const historyEntrySchema = z.object({
  seq: z.number().int().min(1),
  hash: z.string().describe('SHA-256 (hex) of the canonical entry, which contains prevHash'),
  entry: z
    .object({
      seq: z.number().int(),
      prevHash: z.string(),
      type: z.enum(['event', 'transition']),
      orderId: z.string(),
      receivedAt: timestamp.describe('by the runtime’s clock'),
      signature: z
        .object({ value: z.string(), keyId: z.string().nullable(), verified: z.boolean() })
        .nullable()
        .describe('the source’s Ed25519 signature of the event'),
    })
    .catchall(z.unknown())
    .describe('event entries carry `event`; transition entries `transition`, `graph` and `cause`'),
});

/** `GET /api/orders/:id/history`. */
export const historyListSchema = z.object({ items: z.array(historyEntrySchema).describe('oldest first') });

/** A signed checkpoint of the log head. */
export const checkpointSchema = z.object({
  id: z.number().int(),
  seq: z.number().int().describe('seq of the head entry it covers'),
  hash: z.string().describe('hash of that entry'),
  at: timestamp,
  keyId: z.string().describe('SHA-256 fingerprint of the runtime’s public key'),
  signature: z.string().describe('Ed25519 over the canonical JSON of { seq, hash, at, keyId }, base64'),
});

/** `GET /api/audit/checkpoints`. */
export const checkpointListSchema = z.object({
  items: z.array(checkpointSchema).describe('newest first'),
  publicKey: z.string().describe('the runtime’s Ed25519 public key (SPKI PEM)'),
  keyId: z.string(),
  nextCursor: z.string().nullable(),
});

/** Query of `GET /api/audit/checkpoints`. */
export const checkpointsQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema });

/** `GET /api/audit/verify`. */
export const verifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int().describe('entries checked'),
  checkpoints: z.number().int().describe('checkpoints checked'),
  headSeq: z.number().int(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
});

// ---- alerts ---------------------------------------------------------------------------------

/** Query of `GET /api/alerts`. */
export const listAlertsQuerySchema = z.strictObject({
  state: z.enum(['open', 'acked']).optional(),
  level: z.enum(['warning', 'breach', 'escalation']).optional(),
  type: z.enum(['sla', 'path-violation', 'invalid-signature']).optional(),
  orderId: z.string().optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

/** `GET /api/alerts`. */
export const alertPageSchema = z.object({
  items: z.array(alertSchema).describe('newest first'),
  nextCursor: z.string().nullable(),
});

// ---- dictionary import ----------------------------------------------------------------------

/** Query of `POST /api/definitions/status-graph/:id/dictionaries/:system`. */
export const importDictionaryQuerySchema = z.strictObject({
  baseRevision: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('when given, 409 unless the draft is still at this revision'),
});

/** One finding of the semantic conflict report. */
export const semanticConflictSchema = reportSchema.extend({
  type: z.enum([
    'same-label-different-meaning',
    'unmapped-code',
    'unused-meaning',
    'duplicate-meaning',
    'implies-unknown-state',
    'code-not-in-import',
  ]),
  related: z
    .array(z.object({ path: z.string(), nodeId: z.string() }))
    .default([])
    .describe('the other codes involved'),
});

/** Response of the dictionary import. */
export const importDictionaryResponseSchema = z.object({
  draftRevision: z.number().int(),
  system: idSchema,
  added: z.array(z.string()).describe('codes new to the draft'),
  updated: z.array(z.string()).describe('codes whose label, meaning or mapping changed'),
  conflicts: z.array(semanticConflictSchema),
  reports: z.array(reportSchema).describe('lint reports of the merged draft'),
});

export type PostEventRequest = z.infer<typeof postEventRequestSchema>;
export type EventResult = z.infer<typeof eventResultSchema>;
export type Alert = z.infer<typeof alertSchema>;
export type AlertType = Alert['type'];
export type Source = z.infer<typeof sourceSchema>;
export type OrderDetail = z.infer<typeof orderDetailSchema>;
export type OrderSummary = z.infer<typeof orderSummarySchema>;
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type Checkpoint = z.infer<typeof checkpointSchema>;
export type VerifyResult = z.infer<typeof verifyResultSchema>;
export type SemanticConflict = z.infer<typeof semanticConflictSchema>;
