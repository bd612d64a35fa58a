import { z } from 'zod';
import { celSchema, definitionBase, idSchema, positionSchema } from './common.ts';

/** A canonical order state, described in the spirit of ISO/IEC 11179. */
export const canonicalStateSchema = z.object({
  id: idSchema,
  labels: z.object({ en: z.string().min(1), zh: z.string().optional() }).catchall(z.string()),
  definition: z.string().default(''),
  steward: z.string().default('').describe('owning department or system'),
  initial: z.boolean().default(false),
  terminal: z.boolean().default(false),
  position: positionSchema.optional(),
});

/** One code of a system's status dictionary and what it means. */
export const systemStatusSchema = z.object({
  code: z.string().min(1).max(64),
  label: z.string().default(''),
  meaning: z.string().default('').describe('what the code means, in words'),
  sets: z
    .record(
      z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/, 'fact paths look like system.fact'),
      celSchema,
    )
    .default({})
    .describe('evidence facts this code sets: fact path → CEL over event and data'),
  implies: idSchema
    .optional()
    .describe('the canonical state this code implies, used to detect path violations'),
});

export const sourceSystemSchema = z.object({
  id: idSchema,
  name: z.string().default(''),
  statuses: z.array(systemStatusSchema).default([]),
});

/** A system's status dictionary as exported by the system or imported by an analyst (JSON form). */
export const systemDictionarySchema = z.object({
  system: idSchema,
  statuses: z.array(systemStatusSchema),
});

export const transitionSchema = z.object({
  id: idSchema,
  from: idSchema,
  to: idSchema,
  guard: celSchema.describe('CEL bool over facts (and order, channel)'),
  label: z.string().optional(),
});

export const slaLevelSchema = z.object({
  atPercent: z.number().min(1).max(10000),
  level: z.enum(['warning', 'breach', 'escalation']),
  notify: z.array(z.string()).default([]),
});

export const slaSchema = z.object({
  id: idSchema,
  state: idSchema.describe('leave this state within the limit'),
  channel: z.string().optional().describe('only orders of this channel; all channels when absent'),
  withinMinutes: z.number().positive(),
  levels: z.array(slaLevelSchema).default([
    { atPercent: 80, level: 'warning', notify: [] },
    { atPercent: 100, level: 'breach', notify: [] },
    { atPercent: 200, level: 'escalation', notify: [] },
  ]),
});

/** An order-status graph: canonical states, system dictionaries mapped onto them, guards and SLAs. */
export const statusGraphDefinitionSchema = z.object({
  kind: z.literal('status-graph'),
  ...definitionBase,
  channels: z
    .array(z.string())
    .default([])
    .describe('channels whose orders this graph serves; empty = default graph'),
  states: z.array(canonicalStateSchema).min(1),
  systems: z.array(sourceSystemSchema).default([]),
  transitions: z.array(transitionSchema).default([]),
  slas: z.array(slaSchema).default([]),
});

export type StatusGraphDefinition = z.infer<typeof statusGraphDefinitionSchema>;
export type CanonicalState = z.infer<typeof canonicalStateSchema>;
export type SystemStatus = z.infer<typeof systemStatusSchema>;
export type SourceSystem = z.infer<typeof sourceSystemSchema>;
export type Transition = z.infer<typeof transitionSchema>;
export type Sla = z.infer<typeof slaSchema>;
export type SystemDictionary = z.infer<typeof systemDictionarySchema>;
