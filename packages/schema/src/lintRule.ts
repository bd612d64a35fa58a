import { jsonPointer } from './jsonPointer.ts';
import type { Report } from './report.ts';

/**
 * One semantic rule of a definition kind: a name (used in tests and docs) and a check returning the
 * reports it finds in a structurally valid definition.
 */
export interface LintRule<D> {
  name: string;
  check: (definition: D) => Report[];
}

/** Runs every rule of a table over a definition, in table order. */
export function runRules<D>(rules: readonly LintRule<D>[], definition: D): Report[] {
  return rules.flatMap((rule) => rule.check(definition));
}

type Segment = string | number;

/** A report whose path is given as segments; `nodeId` is omitted when undefined. */
export function report(
  severity: Report['severity'],
  path: readonly Segment[],
  message: string,
  nodeId?: string,
): Report {
  return { path: jsonPointer(path), ...(nodeId !== undefined && { nodeId }), severity, message };
}

/**
 * Reports every element of `items` whose key repeats an earlier one, at `<basePath>/<index>/<keyField>`.
 *
 * @example
 * duplicateKeys(def.states, ['states'], 'id', 'state') // '/states/3/id: duplicate state id "paid" …'
 */
export function duplicateKeys<T, K extends keyof T & string>(
  items: readonly T[],
  basePath: readonly Segment[],
  keyField: K,
  what: string,
  nodeIdOf: (item: T) => string = (item) => String(item[keyField]),
): Report[] {
  const firstIndex = new Map<unknown, number>();
  const reports: Report[] = [];
  items.forEach((item, index) => {
    const key = item[keyField];
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, index);
      return;
    }
    reports.push(
      report(
        'error',
        [...basePath, index, keyField],
        `duplicate ${what} ${keyField} "${String(key)}" (first used at ${jsonPointer([...basePath, first])})`,
        nodeIdOf(item),
      ),
    );
  });
  return reports;
}

/** Quotes and joins names for messages: `"a", "b"`. */
export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
