import { z } from 'zod';
import { celSchema, dateTimeSchema, definitionBase, idSchema } from './common.ts';

/** Built-in routing factors; `custom` factors carry their own CEL expression. */
export const factorTypes = [
  'capacity',
  'saturation',
  'carbon',
  'cost',
  'eta',
  'customer',
  'weather',
  'age',
  'custom',
] as const;

/** Warehouse tiers, in the order a static strategy would try them. */
export const warehouseTiers = ['own', 'regional', '3pl'] as const;

export const factorSchema = z.object({
  id: idSchema,
  type: z.enum(factorTypes),
  label: z.string().optional(),
  weight: z.number().min(0).max(1000),
  weightParameter: z
    .string()
    .optional()
    .describe(
      'name of a parameter whose effective value replaces weight, e.g. costWeight (follows the promotion calendar)',
    ),
  direction: z.enum(['higher-better', 'lower-better']),
  normalization: z.enum(['min-max', 'rank', 'none']).default('min-max'),
  expression: celSchema
    .optional()
    .describe('custom factors only: a CEL number over order, candidate, params'),
});

export const constraintSchema = z.object({
  id: idSchema,
  type: z.enum(['stock', 'capacity', 'eta', 'custom']),
  label: z.string().optional(),
  parameter: z.string().optional().describe('eta: the parameter holding the ETA tolerance multiplier'),
  expression: celSchema
    .optional()
    .describe('custom constraints only: a CEL bool; false rejects the candidate'),
});

export const parameterWindowSchema = z.object({
  from: dateTimeSchema,
  to: dateTimeSchema,
  value: z.number(),
  label: z.string().optional(),
});

export const parameterSchema = z.object({
  name: idSchema,
  value: z.number(),
  description: z.string().optional(),
  windows: z
    .array(parameterWindowSchema)
    .default([])
    .describe('promotion calendar: value overrides inside [from, to)'),
});

export const segmentSchema = z.object({
  id: idSchema,
  name: z.string().optional(),
  when: celSchema.describe('CEL bool over order (customer, channel, destination…)'),
  weights: z.record(z.string(), z.number().min(0).max(1000)).default({}),
  parameters: z.record(z.string(), z.number()).default({}),
});

export const splitPolicySchema = z.object({
  policy: z.enum(['none', 'fewest-parcels']).default('none'),
  maxParcels: z.number().int().min(1).max(10).default(1),
});

/** A routing strategy: which warehouse + carrier lane fulfils which lines of an order. */
export const routingDefinitionSchema = z.object({
  kind: z.literal('routing'),
  ...definitionBase,
  factors: z.array(factorSchema).min(1),
  constraints: z.array(constraintSchema).default([]),
  parameters: z.array(parameterSchema).default([]),
  segments: z.array(segmentSchema).default([]),
  fallbackTiers: z.array(z.enum(warehouseTiers)).min(1).default(['own', 'regional', '3pl']),
  split: splitPolicySchema.default({ policy: 'none', maxParcels: 1 }),
  webhook: z
    .object({ url: z.url() })
    .optional()
    .describe('receives each decision, signed per Standard Webhooks'),
});

export type RoutingDefinition = z.infer<typeof routingDefinitionSchema>;
export type Factor = z.infer<typeof factorSchema>;
export type Constraint = z.infer<typeof constraintSchema>;
export type Parameter = z.infer<typeof parameterSchema>;
export type Segment = z.infer<typeof segmentSchema>;
