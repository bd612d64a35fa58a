import { peakSeasonRouting } from '@orderloom/schema/fixtures/demo';
import { describe, expect, it } from 'vitest';
import {
  addParameterWindow,
  fieldForReport,
  moveTier,
  parseRoutingDraft,
  type RoutingDraft,
  removeParameterWindow,
  routingDraftText,
  setFactorWeight,
  setSegmentWeight,
  updateParameterWindow,
  weightShares,
} from '../features/routing/routingModel.ts';

const draft = (): RoutingDraft => structuredClone(peakSeasonRouting) as RoutingDraft;

describe('routing strategy edits', () => {
  it('round-trips the buffer and refuses what the form cannot show', () => {
    const parsed = parseRoutingDraft(routingDraftText(draft()));
    expect(parsed.ok && parsed.draft.factors.length).toBe(peakSeasonRouting.factors.length);
    expect(parseRoutingDraft('{"factors": 3}').ok).toBe(false);
    expect(parseRoutingDraft('{').ok).toBe(false);
  });

  it('sets a weight (clamped) and the shares follow weight / Σ weights', () => {
    const index = draft().factors.findIndex((f) => f.type === 'carbon');
    const next = setFactorWeight(draft(), index, 1500);
    expect(next.factors[index]?.weight).toBe(1000);
    expect(setFactorWeight(draft(), index, -3).factors[index]?.weight).toBe(0);
    const shares = weightShares(next);
    const total = next.factors.reduce((sum, f) => sum + (f.weight ?? 0), 0);
    expect(shares[index]).toBeCloseTo(1000 / total);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    // The original draft is untouched (edits are pure).
    expect(draft().factors[index]?.weight).toBe(peakSeasonRouting.factors[index]?.weight);
  });

  it('reorders fallback tiers and ignores moves out of range', () => {
    const tiers = draft().fallbackTiers ?? [];
    const moved = moveTier(draft(), tiers.length - 1, 0).fallbackTiers;
    expect(moved).toEqual([tiers.at(-1), ...tiers.slice(0, -1)]);
    expect(moveTier(draft(), 0, tiers.length).fallbackTiers).toEqual(tiers);
  });

  it('adds, edits and removes a promotion window', () => {
    const index = 0;
    const before = draft().parameters?.[index]?.windows?.length ?? 0;
    const added = addParameterWindow(draft(), index, '2026-12-01T00:00:00Z');
    const windows = added.parameters?.[index]?.windows ?? [];
    expect(windows).toHaveLength(before + 1);
    expect(windows.at(-1)).toMatchObject({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-02T00:00:00.000Z',
    });
    const edited = updateParameterWindow(added, index, before, { value: 42 });
    expect(edited.parameters?.[index]?.windows?.at(-1)?.value).toBe(42);
    expect(removeParameterWindow(edited, index, before).parameters?.[index]?.windows).toHaveLength(before);
  });

  it('sets and clears a segment weight override', () => {
    const set = setSegmentWeight(draft(), 0, 'carbon', 30);
    expect(set.segments?.[0]?.weights?.carbon).toBe(30);
    expect(setSegmentWeight(set, 0, 'carbon', null).segments?.[0]?.weights).not.toHaveProperty('carbon');
  });

  it('maps a report path onto the form field it is about', () => {
    expect(fieldForReport(undefined, { path: '/factors/2/weight' })).toEqual({ type: 'factors', id: '2' });
    expect(fieldForReport(undefined, { path: '/fallbackTiers/1' })).toEqual({
      type: 'fallbackTiers',
      id: '',
    });
    expect(fieldForReport(undefined, { path: '/name' })).toBeNull();
  });
});
