import { describe, expect, it } from 'vitest';
import { contributionSegments, type FactorTable, factorOrder } from '../contributionBars.ts';
import { describeHistoryEntry } from '../describeHistoryEntry.ts';
import { formatCountdown } from '../formatCountdown.ts';
import { queryString } from '../queryString.ts';
import { shortHash } from '../shortHash.ts';

const factor = (weight: number, contribution: number) => ({ raw: 0, normalized: 0, weight, contribution });

describe('contribution bars', () => {
  const a: FactorTable = { cost: factor(10, 0.1), eta: factor(40, 0.4), carbon: factor(10, 0.05) };
  const b: FactorTable = { cost: factor(10, 0.2), eta: factor(40, 0), carbon: factor(10, 0.1) };

  it('orders factors as the definition does (the key order of the tables), across candidates', () => {
    expect(factorOrder([a, b])).toEqual(['cost', 'eta', 'carbon']);
    expect(factorOrder([{ cost: factor(1, 0) }, { eta: factor(1, 0), cost: factor(1, 0) }])).toEqual([
      'cost',
      'eta',
    ]);
  });

  it('makes widths proportional to contributions and keeps colours stable', () => {
    const order = factorOrder([a, b]);
    expect(contributionSegments(a, order)).toEqual([
      { factor: 'cost', contribution: 0.1, widthPercent: 10, colorIndex: 0 },
      { factor: 'eta', contribution: 0.4, widthPercent: 40, colorIndex: 1 },
      { factor: 'carbon', contribution: 0.05, widthPercent: 5, colorIndex: 2 },
    ]);
    // A zero contribution draws nothing but does not shift the other colours.
    expect(contributionSegments(b, order).map((s) => [s.factor, s.colorIndex])).toEqual([
      ['cost', 0],
      ['carbon', 2],
    ]);
  });

  it('stretches to a scale and never exceeds the full bar', () => {
    const widths = contributionSegments(a, ['eta', 'cost', 'carbon'], 0.4).map((s) => s.widthPercent);
    expect(widths).toEqual([100]);
    expect(contributionSegments(a, ['cost'], 0.2)[0]?.widthPercent).toBe(50);
    expect(contributionSegments({ x: factor(1, -0.2) }, ['x'])).toEqual([]);
    expect(contributionSegments(a, ['eta'], 0)).toEqual([]);
  });
});

describe('formatCountdown', () => {
  const due = '2026-11-11T10:00:00.000Z';
  const at = (iso: string) => Date.parse(iso);

  it('counts down hours and minutes, and flags the last hour', () => {
    expect(formatCountdown(due, at('2026-11-11T07:55:00Z'))).toEqual({
      label: '2h 05m left',
      overdue: false,
      urgency: 'later',
    });
    expect(formatCountdown(due, at('2026-11-11T09:30:00Z'))).toMatchObject({
      label: '30m left',
      urgency: 'soon',
    });
    expect(formatCountdown(due, at('2026-11-11T09:59:15Z')).label).toBe('45s left');
    expect(formatCountdown(due, at('2026-11-09T08:00:00Z')).label).toBe('2d 2h left');
  });

  it('says how long ago a deadline passed', () => {
    expect(formatCountdown(due, at('2026-11-11T10:12:30Z'))).toEqual({
      label: 'overdue by 12m',
      overdue: true,
      urgency: 'overdue',
    });
  });

  it('passes an unreadable time through', () => {
    expect(formatCountdown('soon', 0).label).toBe('soon');
  });
});

describe('small formatters', () => {
  it('shortens hashes', () => {
    expect(shortHash('dbc33fb6aef3fce9c5d29657e6d7bb5aa74a6373ecbaeb2b4e5feffafcb63798')).toBe(
      'dbc33fb6…3798',
    );
    expect(shortHash('abc')).toBe('abc');
  });

  it('builds query strings without empty filters', () => {
    expect(queryString({ status: 'packing', channel: '', alert: undefined, limit: 50 })).toBe(
      '?status=packing&limit=50',
    );
    expect(queryString({ state: null })).toBe('');
  });

  it('describes history entries', () => {
    const base = { seq: 4, prevHash: '0', orderId: 'o', receivedAt: '2026-11-11T00:00:00Z', signature: null };
    expect(
      describeHistoryEntry({
        ...base,
        type: 'transition',
        transition: { id: 'pack', from: 'released', to: 'packing' },
        cause: { system: 'wms', code: 'PACKING' },
      }),
    ).toEqual({
      kind: 'transition',
      title: 'released → packing',
      detail: 'transition pack · caused by wms PACKING',
      occurredAt: null,
    });
    expect(
      describeHistoryEntry({
        ...base,
        type: 'event',
        event: { system: 'carrier', code: 'DELIVERED', occurredAt: '2026-11-13T08:01:22Z' },
      }),
    ).toEqual({ kind: 'event', title: 'carrier DELIVERED', detail: '', occurredAt: '2026-11-13T08:01:22Z' });
  });
});
