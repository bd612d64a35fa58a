import { validate } from '@orderloom/schema';
import { describe, expect, it } from 'vitest';
import { kindDescriptors } from '../features/kindRegistry.ts';
import { lintDraft } from '../lib/lintDraft.ts';

describe('"New definition" skeletons', () => {
  for (const descriptor of kindDescriptors) {
    it(`${descriptor.kind}: the skeleton passes validate() without errors`, () => {
      const skeleton = descriptor.skeleton('new-one', 'New one');
      expect(skeleton.kind).toBe(descriptor.kind);
      expect(skeleton.id).toBe('new-one');
      expect(validate(descriptor.kind, skeleton).filter((r) => r.severity === 'error')).toEqual([]);
    });
  }
});

describe('lintDraft', () => {
  it('places a lint report on the offending value', () => {
    const skeleton = kindDescriptors[0]?.skeleton('s', 'S') as { factors: { weight: number }[] };
    const first = skeleton.factors[0];
    if (!first) throw new Error('skeleton has no factor');
    first.weight = -5;
    const text = JSON.stringify(skeleton, null, 2);
    const { reports } = lintDraft('routing', text);
    const weight = reports.find((r) => r.path === '/factors/0/weight');
    expect(weight?.severity).toBe('error');
    expect(weight && text.slice(weight.range.start, weight.range.end)).toBe('"weight": -5');
  });

  it('reports JSON syntax errors instead of validating', () => {
    const { value, reports } = lintDraft('routing', '{ "kind": "routing", }');
    expect(value).toBeUndefined();
    expect(reports[0]?.source).toBe('syntax');
    expect(reports[0]?.editorLine).toBe(1);
  });
});
