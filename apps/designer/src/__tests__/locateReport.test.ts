import { describe, expect, it } from 'vitest';
import { lineColumnAt, locateReport, parsePointer } from '../lib/locateReport.ts';

const text = JSON.stringify(
  {
    kind: 'routing',
    factors: [
      { id: 'cost', weight: 3 },
      { id: 'a/b~c', weight: -1 },
    ],
    segments: [{ id: 'vip', when: 'order.customer.tier == "gold" &&' }],
  },
  null,
  2,
);

function slice(range: { start: number; end: number } | null): string | null {
  return range ? text.slice(range.start, range.end) : null;
}

describe('parsePointer', () => {
  it('unescapes ~1 and ~0 per RFC 6901', () => {
    expect(parsePointer('/factors/1/a~1b~0c')).toEqual(['factors', '1', 'a/b~c']);
    expect(parsePointer('')).toEqual([]);
  });
});

describe('locateReport', () => {
  it('points at the key and value a pointer names', () => {
    expect(slice(locateReport(text, { path: '/factors/1/weight' }))).toBe('"weight": -1');
    expect(slice(locateReport(text, { path: '/kind' }))).toBe('"kind": "routing"');
  });

  it('points at the key for objects and arrays, not the whole block', () => {
    expect(slice(locateReport(text, { path: '/factors' }))).toBe('"factors"');
    expect(slice(locateReport(text, { path: '/factors/0' }))).toBe('{');
  });

  it('falls back to the nearest existing ancestor for a missing field', () => {
    expect(slice(locateReport(text, { path: '/factors/0/direction' }))).toBe('{');
    expect(slice(locateReport(text, { path: '/constraints/0' }))).toBe('{');
  });

  it('narrows a CEL report to its column inside the string', () => {
    const range = locateReport(text, { path: '/segments/0/when', line: 1, column: 31 });
    expect(slice(range)).toBe('&&');
  });

  it('marks the whole expression when a CEL report points past its end', () => {
    const range = locateReport(text, { path: '/segments/0/when', line: 1, column: 34 });
    expect(slice(range)).toBe('order.customer.tier == \\"gold\\" &&');
  });

  it('returns null for text that is not JSON', () => {
    expect(locateReport('', { path: '/a' })).toBeNull();
  });
});

describe('lineColumnAt', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumnAt('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
