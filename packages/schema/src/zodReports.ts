import type { z } from 'zod';
import { jsonPointer } from './jsonPointer.ts';
import type { Report } from './report.ts';

/**
 * Turns zod issues into error reports, one per problem, each pointing at the offending value with an
 * RFC 6901 JSON Pointer. Unknown keys get one report each, at the key. Parse with `{ reportInput: true }`:
 * a missing field is recognised by its undefined input.
 */
export function zodReports(issues: readonly z.core.$ZodIssue[]): Report[] {
  return issues.flatMap((issue): Report[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: jsonPointer([...issue.path, key]),
        severity: 'error',
        message: `unknown field "${key}"`,
      }));
    }
    return [{ path: jsonPointer(issue.path), severity: 'error', message: messageOf(issue) }];
  });
}

function messageOf(issue: z.core.$ZodIssue): string {
  const field = issue.path.at(-1);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined && field !== undefined) {
        return `"${String(field)}" is required (${issue.expected})`;
      }
      return `expected ${issue.expected}, got ${describe(issue.input)}`;
    case 'invalid_value':
      if (issue.input === undefined && field !== undefined) {
        return `"${String(field)}" is required (${issue.values.map((v) => JSON.stringify(v)).join(' | ')})`;
      }
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${describe(issue.input)}`;
    case 'invalid_union':
      if (issue.discriminator !== undefined && 'options' in issue && issue.options !== undefined) {
        return `unknown ${issue.discriminator}; expected ${issue.options.map((o) => JSON.stringify(o)).join(' | ')}`;
      }
      return issue.message;
    case 'invalid_key':
      return `invalid key "${String(field)}": ${issue.issues.map((i) => i.message).join('; ')}`;
    default:
      return issue.message;
  }
}

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  return JSON.stringify(input) ?? typeof input;
}
