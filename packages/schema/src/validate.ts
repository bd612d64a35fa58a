import { type DefinitionKind, definitionSchemas } from './definition.ts';
import type { JourneyDefinition } from './journeyDefinition.ts';
import { lintCel } from './lintCel.ts';
import { lintJourney } from './lintJourney.ts';
import { lintPlaybook } from './lintPlaybook.ts';
import { lintRouting } from './lintRouting.ts';
import { lintStatusGraph } from './lintStatusGraph.ts';
import type { PlaybookDefinition } from './playbookDefinition.ts';
import type { Report } from './report.ts';
import type { RoutingDefinition } from './routingDefinition.ts';
import type { StatusGraphDefinition } from './statusGraphDefinition.ts';
import { zodReports } from './zodReports.ts';

/**
 * Lints a definition of the given kind and returns every finding; an empty array means valid.
 *
 * 1. Structure (zod): each issue becomes an error at its RFC 6901 JSON Pointer. A `kind` that disagrees
 *    with `kind` is reported once at `/kind`.
 * 2. CEL: every expression that does not parse, with `line`/`column` inside the expression. Runs on the raw
 *    JSON, so it works while the structure is still broken elsewhere.
 * 3. Semantics (dangling references, duplicate ids, reachability…; see `lintRouting`, `lintStatusGraph`,
 *    `lintPlaybook`, `lintJourney`): only once the structure is valid, since references cannot be
 *    resolved in a malformed document.
 *
 * Reports with severity `error` block creating a version; warnings do not.
 *
 * @example
 * const reports = validate('status-graph', JSON.parse(body));
 * const blocking = reports.filter((r) => r.severity === 'error');
 */
export function validate(kind: DefinitionKind, json: unknown): Report[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return [{ path: '', severity: 'error', message: `a ${kind} definition must be a JSON object` }];
  }
  const reports: Report[] = [];
  const declared: unknown = 'kind' in json ? json.kind : undefined;
  const kindMismatch = declared !== undefined && declared !== kind;
  if (kindMismatch) {
    reports.push({
      path: '/kind',
      severity: 'error',
      message: `kind is ${JSON.stringify(declared)} but a ${kind} definition is expected`,
    });
  }
  const parsed = definitionSchemas[kind].safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const issues = kindMismatch
      ? parsed.error.issues.filter((i) => !isKindIssue(i.path))
      : parsed.error.issues;
    reports.push(...zodReports(issues));
  }
  reports.push(...lintCel(kind, json));
  if (parsed.success) reports.push(...lintSemantics(parsed.data));
  return reports;
}

type ParsedDefinition = RoutingDefinition | StatusGraphDefinition | PlaybookDefinition | JourneyDefinition;

function lintSemantics(definition: ParsedDefinition): Report[] {
  switch (definition.kind) {
    case 'routing':
      return lintRouting(definition);
    case 'status-graph':
      return lintStatusGraph(definition);
    case 'playbook':
      return lintPlaybook(definition);
    case 'journey':
      return lintJourney(definition);
  }
}

const isKindIssue = (path: readonly PropertyKey[]) => path.length === 1 && path[0] === 'kind';
