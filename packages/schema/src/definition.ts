import { z } from 'zod';
import { journeyDefinitionSchema } from './journeyDefinition.ts';
import { playbookDefinitionSchema } from './playbookDefinition.ts';
import { routingDefinitionSchema } from './routingDefinition.ts';
import { statusGraphDefinitionSchema } from './statusGraphDefinition.ts';

/** The four kinds of definition Orderloom owns. */
export const definitionKinds = ['routing', 'status-graph', 'playbook', 'journey'] as const;
export const definitionKindSchema = z.enum(definitionKinds);
export type DefinitionKind = z.infer<typeof definitionKindSchema>;

/** Schema of each kind, by kind. */
export const definitionSchemas = {
  routing: routingDefinitionSchema,
  'status-graph': statusGraphDefinitionSchema,
  playbook: playbookDefinitionSchema,
  journey: journeyDefinitionSchema,
} as const;

/** Any definition, discriminated by `kind`. */
export const definitionSchema = z.discriminatedUnion('kind', [
  routingDefinitionSchema,
  statusGraphDefinitionSchema,
  playbookDefinitionSchema,
  journeyDefinitionSchema,
]);
export type Definition = z.infer<typeof definitionSchema>;
