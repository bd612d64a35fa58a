import { z } from 'zod';
import { dateTimeSchema } from './common.ts';

/**
 * A status event as a system reports it: its status `code` in its own dictionary, when it happened,
 * optional event `data` (e.g. `{ outboundNo }`) and an optional Ed25519 signature.
 */
export const statusEventSchema = z.strictObject({
  eventId: z.string().min(1).max(200),
  system: z.string().min(1),
  code: z.string().min(1).max(64),
  occurredAt: dateTimeSchema,
  channel: z.string().min(1).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  signature: z.string().optional(),
});

/** A status event; see {@link statusEventSchema}. */
export type StatusEvent = z.infer<typeof statusEventSchema>;
