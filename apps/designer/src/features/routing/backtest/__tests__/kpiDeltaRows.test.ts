import { describe, expect, it } from 'vitest';
import type { BacktestKpis, BacktestResult } from '../backtestTypes.ts';
import { kpiDeltaRows, tierMixSegments } from '../kpiDeltaRows.ts';

function kpis(over: Partial<BacktestKpis>): BacktestKpis {
  return {
    decisions: 100,
    routed: 98,
    unroutable: 2,
    avgCost: 12,
    avgEtaHours: 30,
    avgCo2Kg: 2,
    promiseBreaches: 10,
    capacityOverflows: 0,
    splitRate: 0.1,
    tierMix: { own: 60, regional: 30, '3pl': 8 },
    ...over,
  };
}

/** A result whose deltas are computed from the two sides, as the runtime does. */
function result(baseline: BacktestKpis, candidate: BacktestKpis): BacktestResult {
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  return {
    decisions: baseline.decisions,
    failed: 0,
    changed: 12,
    changedShare: 0.12,
    winnerChanged: 9,
    baseline,
    candidate,
    deltas: {
      avgCost: diff(baseline.avgCost, candidate.avgCost),
      avgEtaHours: diff(baseline.avgEtaHours, candidate.avgEtaHours),
      avgCo2Kg: diff(baseline.avgCo2Kg, candidate.avgCo2Kg),
      promiseBreaches: candidate.promiseBreaches - baseline.promiseBreaches,
      capacityOverflows: candidate.capacityOverflows - baseline.capacityOverflows,
      splitRate: diff(baseline.splitRate, candidate.splitRate),
      unroutable: candidate.unroutable - baseline.unroutable,
    },
    examples: [],
    durationMs: 40,
  };
}

const row = (rows: ReturnType<typeof kpiDeltaRows>, key: string) => {
  const found = rows.find((r) => r.key === key);
  if (!found) throw new Error(`no row ${key}`);
  return found;
};

describe('kpiDeltaRows', () => {
  it('has one row per KPI the chart shows, in a fixed order', () => {
    expect(kpiDeltaRows(result(kpis({}), kpis({}))).map((r) => r.key)).toEqual([
      'avgCost',
      'avgEtaHours',
      'avgCo2Kg',
      'promiseBreaches',
      'capacityOverflows',
      'splitRate',
      'unroutable',
    ]);
  });

  it('calls a lower KPI better and a higher one worse, relative to the baseline', () => {
    const rows = kpiDeltaRows(result(kpis({}), kpis({ avgCost: 9, avgCo2Kg: 2.5, avgEtaHours: 30 })));
    expect(row(rows, 'avgCost')).toMatchObject({ baseline: 12, candidate: 9, delta: -3, verdict: 'better' });
    expect(row(rows, 'avgCost').relative).toBeCloseTo(-0.25);
    expect(row(rows, 'avgCo2Kg')).toMatchObject({ verdict: 'worse' });
    expect(row(rows, 'avgCo2Kg').relative).toBeCloseTo(0.25);
    expect(row(rows, 'avgEtaHours')).toMatchObject({ delta: 0, relative: 0, bar: 0, verdict: null });
  });

  it('caps the bar at ±100 % but keeps the real change, and shows a change from zero as a full bar', () => {
    const rows = kpiDeltaRows(
      result(
        kpis({ capacityOverflows: 0, promiseBreaches: 10 }),
        kpis({ capacityOverflows: 3, promiseBreaches: 40 }),
      ),
    );
    expect(row(rows, 'capacityOverflows')).toMatchObject({ relative: null, bar: 1, verdict: 'worse' });
    expect(row(rows, 'promiseBreaches')).toMatchObject({ delta: 30, relative: 3, bar: 1 });
  });

  it('has no bar when a side routed nothing', () => {
    const rows = kpiDeltaRows(result(kpis({ avgCost: null }), kpis({})));
    expect(row(rows, 'avgCost')).toMatchObject({
      baseline: null,
      delta: null,
      relative: null,
      verdict: null,
    });
  });

  it('formats values with their units', () => {
    const rows = kpiDeltaRows(result(kpis({}), kpis({})));
    expect(row(rows, 'avgCost').format(12.345)).toBe('12.35 CNY');
    expect(row(rows, 'splitRate').format(0.125)).toBe('12.5 %');
    expect(row(rows, 'promiseBreaches').format(1234)).toBe('1,234');
  });
});

describe('tierMixSegments', () => {
  it('lists tiers in fallback order, then unroutable, as shares of every decision', () => {
    const segments = tierMixSegments(kpis({ tierMix: { '3pl': 8, own: 60, regional: 30 } }));
    expect(segments.map((s) => [s.tier, s.count, s.share])).toEqual([
      ['own', 60, 0.6],
      ['regional', 30, 0.3],
      ['3pl', 8, 0.08],
      ['unroutable', 2, 0.02],
    ]);
  });

  it('leaves out empty tiers and keeps tiers it does not know', () => {
    const segments = tierMixSegments(
      kpis({ decisions: 10, unroutable: 0, tierMix: { own: 0, bonded: 4, regional: 6 } }),
    );
    expect(segments.map((s) => s.tier)).toEqual(['regional', 'bonded']);
  });
});
