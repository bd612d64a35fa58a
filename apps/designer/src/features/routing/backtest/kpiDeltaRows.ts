import { warehouseTiers } from '@orderloom/schema';
import type { BacktestKpis, BacktestResult } from './backtestTypes.ts';

/** One KPI of a finished backtest, baseline against candidate. */
export interface KpiDeltaRow {
  key: string;
  label: string;
  /** Formats a value of this KPI with its unit. */
  format: (value: number) => string;
  baseline: number | null;
  candidate: number | null;
  /** candidate − baseline (null when either side has no value). */
  delta: number | null;
  /** The change relative to the baseline (−0.25 = 25 % lower); null when the baseline is 0 or missing. */
  relative: number | null;
  /** The bar: `relative` capped to [−1, 1], ±1 for a change from a baseline of 0; null without values. */
  bar: number | null;
  /** Lower is better for every KPI here; `null` when nothing changed. */
  verdict: 'better' | 'worse' | null;
}

const fixed = (digits: number, unit: string) => (value: number) =>
  `${value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })}${unit}`;
const count = (value: number) => value.toLocaleString('en', { maximumFractionDigits: 0 });
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

const kpis: {
  key: keyof BacktestKpis & keyof BacktestResult['deltas'];
  label: string;
  format: (v: number) => string;
}[] = [
  { key: 'avgCost', label: 'Shipping cost (avg)', format: fixed(2, ' CNY') },
  { key: 'avgEtaHours', label: 'ETA (avg)', format: fixed(1, ' h') },
  { key: 'avgCo2Kg', label: 'CO₂ (avg)', format: fixed(2, ' kg') },
  { key: 'promiseBreaches', label: 'Promise breaches', format: count },
  { key: 'capacityOverflows', label: 'Capacity overflows', format: count },
  { key: 'splitRate', label: 'Split rate', format: percent },
  { key: 'unroutable', label: 'Unroutable', format: count },
];

/**
 * The KPI rows of a backtest's diverging-bar chart: each KPI's baseline and candidate values, the delta the
 * runtime computed, the change relative to the baseline, and whether it is an improvement (every KPI
 * here is better lower: cost, ETA, CO₂, breaches, overflows, split parcels, unroutable orders).
 *
 * @example
 * kpiDeltaRows(backtest.result).find((r) => r.key === 'avgCost')?.verdict // 'better'
 */
export function kpiDeltaRows(result: BacktestResult): KpiDeltaRow[] {
  return kpis.map(({ key, label, format }) => {
    const baseline = result.baseline[key];
    const candidate = result.candidate[key];
    const delta = result.deltas[key];
    const relative =
      delta === null || baseline === null || baseline === 0 ? null : delta / Math.abs(baseline);
    const bar =
      delta === null || baseline === null
        ? null
        : relative === null
          ? Math.sign(delta)
          : Math.max(-1, Math.min(1, relative));
    // Rounding noise of averages is not a change anyone should act on.
    const changed = delta !== null && Math.abs(delta) > 1e-9;
    return {
      key,
      label,
      format,
      baseline,
      candidate,
      delta,
      relative,
      bar,
      verdict: changed ? (delta < 0 ? 'better' : 'worse') : null,
    };
  });
}

/** One segment of a tier-mix bar. */
export interface TierSegment {
  tier: string;
  count: number;
  /** Share of all decisions of the run, 0–1. */
  share: number;
}

/**
 * The tier mix of one side of a backtest as segments over all its decisions: the warehouse tiers in
 * fallback order (then any other tier), then the unroutable decisions as `unroutable`. Empty segments
 * are left out.
 */
export function tierMixSegments(kpi: BacktestKpis): TierSegment[] {
  const known: readonly string[] = warehouseTiers;
  const tiers = [
    ...known,
    ...Object.keys(kpi.tierMix)
      .filter((t) => !known.includes(t))
      .sort(),
  ];
  const total = kpi.decisions > 0 ? kpi.decisions : 1;
  const segments = tiers.map((tier) => ({ tier, count: kpi.tierMix[tier] ?? 0 }));
  segments.push({ tier: 'unroutable', count: kpi.unroutable });
  return segments.filter((s) => s.count > 0).map((s) => ({ ...s, share: s.count / total }));
}
