import { checkCel } from './checkCel.ts';
import type { DefinitionKind } from './definition.ts';
import { jsonPointer } from './jsonPointer.ts';
import type { Report } from './report.ts';

/**
 * Where a kind keeps CEL expressions. `*` matches every index of an array or every key of an object.
 * `nodeId` receives the values along the match: trail[k] is the value reached after k segments
 * (trail[0] is the document, trail[2] the element matched by `factors/*`).
 */
interface CelSite {
  pattern: readonly string[];
  what: string;
  nodeId: (trail: readonly unknown[]) => string | undefined;
}

const idAt = (depth: number) => (trail: readonly unknown[]) => stringField(trail[depth], 'id');

const fixed = (id: string) => () => id;

const statusNodeId = (trail: readonly unknown[]) => {
  const system = stringField(trail[2], 'id');
  const code = stringField(trail[4], 'code');
  return system !== undefined && code !== undefined ? `${system}:${code}` : undefined;
};

/** Every place a definition holds a CEL expression, per kind. */
const celSites: Record<DefinitionKind, readonly CelSite[]> = {
  routing: [
    { pattern: ['factors', '*', 'expression'], what: 'factor expression', nodeId: idAt(2) },
    { pattern: ['constraints', '*', 'expression'], what: 'constraint expression', nodeId: idAt(2) },
    { pattern: ['segments', '*', 'when'], what: 'segment condition', nodeId: idAt(2) },
  ],
  'status-graph': [
    { pattern: ['transitions', '*', 'guard'], what: 'guard', nodeId: idAt(2) },
    { pattern: ['systems', '*', 'statuses', '*', 'sets', '*'], what: 'fact value', nodeId: statusNodeId },
  ],
  playbook: [
    { pattern: ['sources', '*', 'match'], what: 'source match', nodeId: idAt(2) },
    { pattern: ['exposure'], what: 'exposure condition', nodeId: fixed('exposure') },
    { pattern: ['scoring', 'factors', '*', 'expression'], what: 'scoring expression', nodeId: idAt(3) },
    { pattern: ['disposals', '*', 'when'], what: 'disposal condition', nodeId: idAt(2) },
  ],
  journey: [
    { pattern: ['trigger', 'when'], what: 'trigger condition', nodeId: fixed('trigger') },
    { pattern: ['steps', '*', 'when'], what: 'condition', nodeId: idAt(2) },
  ],
};

/**
 * Reports every CEL expression of a definition that does not compile. Works on the raw JSON, so
 * expression errors show even while the definition has structural errors elsewhere.
 */
export function lintCel(kind: DefinitionKind, json: unknown): Report[] {
  const reports: Report[] = [];
  for (const site of celSites[kind]) {
    for (const match of walk(json, site.pattern, [], [json])) {
      // Empty and non-string values are structural errors, reported by the schema.
      if (typeof match.value !== 'string' || match.value === '') continue;
      const result = checkCel(match.value);
      if (result.ok) continue;
      const nodeId = site.nodeId(match.trail);
      reports.push({
        path: jsonPointer(match.path),
        ...(nodeId !== undefined && { nodeId }),
        severity: 'error',
        message: `${site.what} does not compile: ${result.message}`,
        line: result.line,
        column: result.column,
      });
    }
  }
  return reports;
}

interface Match {
  path: (string | number)[];
  trail: unknown[];
  value: unknown;
}

function* walk(
  value: unknown,
  pattern: readonly string[],
  path: (string | number)[],
  trail: unknown[],
): Generator<Match> {
  const [head, ...rest] = pattern;
  if (head === undefined) {
    yield { path, trail, value };
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? head === '*'
      ? value.map((v, i) => [i, v])
      : []
    : head === '*'
      ? Object.entries(value)
      : Object.hasOwn(value, head)
        ? [[head, (value as Record<string, unknown>)[head]]]
        : [];
  for (const [key, child] of entries) yield* walk(child, rest, [...path, key], [...trail, child]);
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}
