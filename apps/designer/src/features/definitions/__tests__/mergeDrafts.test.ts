import { describe, expect, it } from 'vitest';
import { mergeDrafts } from '../mergeDrafts.ts';

const base = {
  name: 'G',
  states: [
    { id: 'paid', labels: { en: 'Paid' }, position: { x: 0, y: 0 } },
    { id: 'packing', labels: { en: 'Packing' }, position: { x: 200, y: 0 } },
    { id: 'shipped', labels: { en: 'Shipped' }, position: { x: 400, y: 0 } },
  ],
};
const clone = () => structuredClone(base);

describe('mergeDrafts', () => {
  it('keeps both sides when they changed different fields', () => {
    const mine = clone();
    mine.states[1] = { ...base.states[1], labels: { en: 'Packing (WMS)' } } as (typeof base.states)[number];
    const theirs = clone();
    theirs.states[0] = { ...base.states[0], position: { x: 10, y: 50 } } as (typeof base.states)[number];
    theirs.name = 'Renamed';
    const result = mergeDrafts(base, mine, theirs);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const merged = result.value as typeof base;
    expect(merged.name).toBe('Renamed');
    expect(merged.states[0]?.position).toEqual({ x: 10, y: 50 });
    expect(merged.states[1]?.labels.en).toBe('Packing (WMS)');
  });

  it('refuses when both changed the same value differently, naming the path', () => {
    const mine = clone();
    mine.states[2] = { ...base.states[2], labels: { en: 'Dispatched' } } as (typeof base.states)[number];
    const theirs = clone();
    theirs.states[2] = { ...base.states[2], labels: { en: 'Sent' } } as (typeof base.states)[number];
    expect(mergeDrafts(base, mine, theirs)).toEqual({ ok: false, conflicts: ['/states/2/labels/en'] });
  });

  it('accepts the same change made on both sides', () => {
    const mine = { ...clone(), name: 'Same' };
    const theirs = { ...clone(), name: 'Same' };
    expect(mergeDrafts(base, mine, theirs)).toEqual({ ok: true, value: theirs });
  });

  it('refuses index-based edits of an array the other side added to or removed from', () => {
    const mine = clone();
    mine.states[2] = { ...base.states[2], labels: { en: 'Dispatched' } } as (typeof base.states)[number];
    const theirs = clone();
    theirs.states.splice(0, 1);
    const result = mergeDrafts(base, mine, theirs);
    expect(result.ok).toBe(false);
    const added = clone();
    added.states.push({ id: 'closed', labels: { en: 'Closed' }, position: { x: 600, y: 0 } });
    expect(mergeDrafts(base, added, { ...clone(), name: 'Other' })).toMatchObject({ ok: true });
  });
});
