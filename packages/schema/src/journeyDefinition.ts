import { z } from 'zod';
import { celSchema, definitionBase, idSchema, positionSchema } from './common.ts';

const ownership = {
  owner: z.string().optional().describe('the system responsible for this breakpoint'),
  responseSlaMinutes: z.number().positive().optional(),
  position: positionSchema.optional(),
};

export const journeyStepSchema = z.discriminatedUnion('type', [
  z.object({ id: idSchema, type: z.literal('condition'), when: celSchema, ...ownership }),
  z.object({ id: idSchema, type: z.literal('wait'), minutes: z.number().positive(), ...ownership }),
  z.object({
    id: idSchema,
    type: z.literal('action'),
    action: z.enum(['tag-order', 'brief-customer-service', 'call-system', 'notify-customer', 'compensate']),
    params: z.record(z.string(), z.unknown()).default({}),
    ...ownership,
  }),
]);

/** A customer-experience journey: event → condition → wait → actions. */
export const journeyDefinitionSchema = z.object({
  kind: z.literal('journey'),
  ...definitionBase,
  trigger: z.object({
    system: z.string().min(1).describe('the system emitting the event, e.g. wms'),
    code: z.string().min(1).describe('its status code or event name, e.g. PICK_TIMEOUT'),
    when: celSchema.optional(),
  }),
  steps: z.array(journeyStepSchema).min(1),
});

export type JourneyDefinition = z.infer<typeof journeyDefinitionSchema>;
export type JourneyStep = z.infer<typeof journeyStepSchema>;
