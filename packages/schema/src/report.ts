import { z } from 'zod';

/**
 * One lint/validation finding. The same shape is used by the runtime's 422 bodies, the designer's
 * canvas markers, its problems panel and monaco markers.
 * `path` is an RFC 6901 JSON Pointer into the definition (`/transitions/2/guard`).
 */
export const reportSchema = z.object({
  path: z.string(),
  nodeId: z.string().optional(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  line: z
    .number()
    .int()
    .optional()
    .describe('1-based line inside a CEL expression, when the report is about one'),
  column: z.number().int().optional().describe('1-based column inside a CEL expression'),
});

/** A lint/validation finding; see {@link reportSchema}. */
export type Report = z.infer<typeof reportSchema>;
