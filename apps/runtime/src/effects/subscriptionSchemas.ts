import { z } from 'zod';

// Request envelopes and response shapes of the subscription and delivery API. The router parses
// with them, the OpenAPI document is generated from them, and the repositories' records are
// inferred from them.

const timestamp = z.string().describe('ISO 8601 UTC timestamp');

const topicSegments = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** A topic a delivery is published on, e.g. `status.changed`, `alert.sla`, `decision.peak-season`. */
export const topicSchema = z
  .string()
  .max(200)
  .regex(topicSegments, 'use dot-separated words of letters, digits, "_" or "-" (e.g. "status.changed")');

/**
 * A topic a subscription listens to: an exact topic, a prefix ending in `.*` (`alert.*` matches
 * `alert.sla` and `alert.path-violation`) or `*` (everything).
 */
export const topicPatternSchema = z
  .string()
  .max(200)
  .refine(
    (p) => p === '*' || topicSegments.test(p.endsWith('.*') ? p.slice(0, -2) : p),
    'use a topic ("status.changed"), a prefix ending in ".*" ("alert.*") or "*"',
  );

// MQTT forbids wildcards and NUL in a topic name one publishes to.
const mqttTopicSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (t) => !/[+#]/.test(t) && !t.includes('\0'),
    'an MQTT topic to publish to must not contain "+", "#" or NUL',
  )
  .describe('MQTT topic to publish to; "{topic}" is replaced by the delivery\'s topic');

/** Where a subscription's deliveries go. */
export const subscriptionTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('webhook'),
    url: z
      .url({ protocol: /^https?$/, error: 'use an absolute http:// or https:// URL' })
      .max(2000)
      .describe(
        'receives a signed POST per delivery; loopback and private addresses are refused unless allow-listed in ORDERLOOM_WEBHOOK_ALLOW',
      ),
  }),
  z.strictObject({
    type: z.literal('mqtt'),
    url: z
      .url({ protocol: /^mqtts?$/, error: 'use an mqtt:// or mqtts:// broker URL' })
      .max(2000)
      .describe('broker, e.g. mqtt://localhost:1883 (the embedded broker)'),
    topic: mqttTopicSchema,
  }),
]);

/** Body of `POST /api/subscriptions`. */
export const createSubscriptionRequestSchema = z.strictObject({
  topics: z
    .array(topicPatternSchema)
    .min(1)
    .max(50)
    .describe('topics to receive, e.g. ["status.changed", "alert.*"]'),
  target: subscriptionTargetSchema,
  description: z.string().max(500).default(''),
});

/** The states of a delivery. */
export const deliveryStates = ['pending', 'delivered', 'dead'] as const;

/** Query of `GET /api/subscriptions/:id/deliveries`. */
export const deliveriesQuerySchema = z.strictObject({
  state: z.enum(deliveryStates).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'use the nextCursor of the previous page')
    .optional()
    .describe('nextCursor of the previous page'),
});

/** A subscription as listed (never with its secret). */
export const subscriptionSchema = z.object({
  id: z.string(),
  topics: z.array(z.string()),
  target: subscriptionTargetSchema,
  description: z.string(),
  state: z.enum(['active', 'disabled']),
  disabledReason: z.string().nullable().describe('why it was disabled, e.g. the target answered 410 Gone'),
  disabledAt: timestamp.nullable(),
  owner: z
    .string()
    .nullable()
    .describe("set when another part of Orderloom manages it (e.g. a routing strategy's webhook)"),
  createdAt: timestamp,
  createdBy: z.string(),
});

/** `POST /api/subscriptions`: the only response that carries a webhook's signing secret. */
export const createdSubscriptionSchema = subscriptionSchema.extend({
  secret: z
    .string()
    .nullable()
    .describe('whsec_… Standard Webhooks signing secret, shown once (null for MQTT targets)'),
});

/** `POST /api/subscriptions/:id/rotate-secret`. */
export const rotatedSecretSchema = z.object({
  id: z.string(),
  secret: z.string().describe('the new whsec_… secret, shown once; the old one stops signing at once'),
});

/** `GET /api/subscriptions`. */
export const subscriptionListSchema = z.object({ items: z.array(subscriptionSchema) });

/** One send of a delivery. */
export const deliveryAttemptSchema = z.object({
  attempt: z.number().int().min(1).describe('1 for the first send; restarts at 1 after a redeliver'),
  at: timestamp,
  status: z
    .number()
    .int()
    .nullable()
    .describe('HTTP status of a webhook; null for MQTT and when no answer came'),
  error: z.string().nullable(),
  durationMs: z.number().int().min(0),
});

/** A delivery (outbox row) and its attempts. */
export const deliverySchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  topic: z.string(),
  messageId: z.string().describe('sent as webhook-id; the same for every attempt and redelivery'),
  key: z.string().nullable().describe('dedupe key given by the producer'),
  payload: z.unknown().describe('sent as `data` of { type, timestamp, data }'),
  state: z.enum(deliveryStates),
  attempts: z.number().int().min(0).describe('attempts since it was created or last redelivered'),
  nextAttemptAt: timestamp.nullable().describe('when the next attempt is due; null unless pending'),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  redeliveries: z.number().int().min(0),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
  attemptLog: z.array(deliveryAttemptSchema).describe('every attempt, oldest first'),
});

/** `GET /api/subscriptions/:id/deliveries`. */
export const deliveryPageSchema = z.object({
  items: z.array(deliverySchema).describe('newest first'),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

export type SubscriptionTarget = z.infer<typeof subscriptionTargetSchema>;
export type Subscription = z.infer<typeof subscriptionSchema>;
export type DeliveryState = (typeof deliveryStates)[number];
export type Delivery = z.infer<typeof deliverySchema>;
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;
