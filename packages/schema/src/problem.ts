import { z } from 'zod';
import { reportSchema } from './report.ts';

/**
 * An RFC 9457 problem+json error body, as every HTTP error of the runtime returns it.
 * `errors` lists the lint/validation reports behind the problem, when there are any.
 */
export const problemSchema = z.object({
  type: z
    .string()
    .describe('URI reference identifying the problem type; "about:blank" when it is only the status'),
  title: z.string().describe('short, human-readable summary of the problem type'),
  status: z.number().int().min(100).max(599),
  detail: z.string().describe('explanation specific to this occurrence'),
  instance: z.string().optional().describe('URI reference identifying this occurrence'),
  errors: z.array(reportSchema).optional(),
});

/** An RFC 9457 problem+json body; see {@link problemSchema}. */
export type Problem = z.infer<typeof problemSchema>;
