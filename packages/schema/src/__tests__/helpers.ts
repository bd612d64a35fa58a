import { expect } from 'vitest';
import type { DefinitionKind } from '../definition.ts';
import type { Report } from '../report.ts';
import { validate } from '../validate.ts';

/** A deep copy to mutate in a test, so fixtures stay untouched. */
export const copy = <T>(value: T): T => structuredClone(value);

/** Validates and returns the reports at one JSON Pointer. */
export function reportsAt(kind: DefinitionKind, json: unknown, path: string): Report[] {
  return validate(kind, json).filter((r) => r.path === path);
}

/** Asserts exactly one report at `path` with the given severity (and nodeId), and returns it. */
export function expectOneReport(
  kind: DefinitionKind,
  json: unknown,
  expected: { path: string; severity: Report['severity']; nodeId?: string; message?: RegExp },
): Report {
  const reports = validate(kind, json);
  const at = reports.filter((r) => r.path === expected.path);
  expect(at, JSON.stringify(reports, null, 2)).toHaveLength(1);
  const [found] = at as [Report];
  expect(found.severity).toBe(expected.severity);
  if (expected.nodeId !== undefined) expect(found.nodeId).toBe(expected.nodeId);
  if (expected.message !== undefined) expect(found.message).toMatch(expected.message);
  return found;
}

/** Asserts that a definition has no reports at all. */
export function expectClean(kind: DefinitionKind, json: unknown): void {
  expect(validate(kind, json)).toEqual([]);
}

/** The element at `index`, or a thrown error naming what the test expected to be there. */
export function at<T>(list: readonly T[] | undefined, index: number): T {
  const item = list?.[index];
  if (item === undefined) throw new Error(`the fixture has no element ${index} here`);
  return item;
}
