import { z } from 'zod';
import { celSchema, definitionBase, idSchema, positionSchema } from './common.ts';

/** Disturbance kinds named in DOMAIN.md; `other` keeps the list open. */
export const riskTypes = [
  'weather',
  'power-outage',
  'network-outage',
  'staff-shortage',
  'port-closure',
  'customs-inspection-delay',
  'component-shortage',
  'ocean-slot-cancelled',
  'supplier-stop',
  'carrier-strike',
  'other',
] as const;

export const riskSourceSchema = z.object({
  id: idSchema,
  name: z.string().default(''),
  type: z.enum(['weather', 'port', 'customs', 'supplier', 'carrier', 'power', 'network', 'manual']),
  match: celSchema.optional().describe('CEL bool over the incoming risk event: does this event concern us'),
});

export const scoringFactorSchema = z.object({
  id: idSchema,
  label: z.string().optional(),
  expression: celSchema.describe('CEL number over order and event, e.g. expected delay days'),
  weight: z.number().min(0).max(1000),
});

export const disposalSchema = z.object({
  id: idSchema,
  label: z.string().min(1),
  action: z.enum([
    'reroute-warehouse',
    'switch-lane',
    'notify-customer',
    'compensate',
    'hold',
    'call-system',
  ]),
  params: z.record(z.string(), z.unknown()).default({}),
  when: celSchema.optional().describe('CEL bool: offer this disposal only for matching orders'),
});

/** A risk playbook: which orders a risk event exposes, how they are scored, and how to dispose of them. */
export const playbookDefinitionSchema = z.object({
  kind: z.literal('playbook'),
  ...definitionBase,
  riskType: z.enum(riskTypes),
  sources: z.array(riskSourceSchema).min(1),
  exposure: celSchema.describe('CEL bool over order and event: is this order threatened'),
  scoring: z.object({
    factors: z.array(scoringFactorSchema).min(1),
    highRiskAbove: z.number().default(0.7).describe('normalised score above which an order is high risk'),
  }),
  disposals: z.array(disposalSchema).min(1),
  position: positionSchema.optional(),
});

export type PlaybookDefinition = z.infer<typeof playbookDefinitionSchema>;
