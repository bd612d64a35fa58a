import type { BacktestKpis } from './backtestTypes.ts';
import type { KpiDeltaRow } from './kpiDeltaRows.ts';
import { tierMixSegments } from './kpiDeltaRows.ts';

const sign = (value: number) => (value > 0 ? '+' : value < 0 ? '−' : '±');

/** The change as the bar's label: relative when there is a baseline to be relative to, else absolute. */
function changeLabel(row: KpiDeltaRow): string {
  if (row.delta === null) return '—';
  if (row.verdict === null) return 'no change';
  if (row.relative === null) return `${sign(row.delta)}${row.format(Math.abs(row.delta))} (from 0)`;
  return `${sign(row.relative)}${Math.abs(row.relative * 100).toFixed(1)} %`;
}

/** The smallest half-width of the axis, so a 0.1 % change does not fill the chart. */
const minScale = 0.05;

/**
 * KPI deltas as diverging bars around zero: left of the axis the candidate lowers the KPI, right it raises
 * it; green is better, red worse (every KPI here is better lower). Bars are relative to the baseline
 * value, on one scale (capped at ±100 %), so their lengths compare across units.
 */
export function KpiDeltaChart({ rows }: { rows: readonly KpiDeltaRow[] }) {
  const scale = Math.max(minScale, ...rows.map((r) => Math.abs(r.bar ?? 0)));
  return (
    <figure className="kpi-chart" data-testid="kpi-delta-chart">
      <figcaption className="kpi-axis" aria-hidden>
        <span>−{(scale * 100).toFixed(0)} %</span>
        <span>0</span>
        <span>+{(scale * 100).toFixed(0)} %</span>
      </figcaption>
      <ul className="kpi-rows">
        {rows.map((row) => {
          const bar = row.bar ?? 0;
          const width = (Math.abs(bar) / scale) * 50;
          const verdict = row.verdict ?? 'same';
          const values =
            row.baseline === null || row.candidate === null
              ? 'no routed decisions'
              : `${row.format(row.baseline)} → ${row.format(row.candidate)}`;
          const change = changeLabel(row);
          return (
            <li
              key={row.key}
              className={`kpi-row verdict-${verdict}`}
              data-testid={`kpi-${row.key}`}
              aria-label={`${row.label}: ${values}, ${change}${row.verdict ? ` (${row.verdict})` : ''}`}
            >
              <div className="kpi-label">
                <strong>{row.label}</strong>
                <span className="kpi-values">{values}</span>
              </div>
              <div className="kpi-bar-cell" aria-hidden>
                <svg className="kpi-bar" viewBox="0 0 100 14" preserveAspectRatio="none" role="presentation">
                  <line x1="50" x2="50" y1="0" y2="14" className="kpi-zero" />
                  {width > 0 ? (
                    <rect
                      x={bar < 0 ? 50 - width : 50}
                      y="2"
                      width={Math.max(width, 0.8)}
                      height="10"
                      rx="1.5"
                      className="kpi-fill"
                    />
                  ) : null}
                </svg>
                <span className="kpi-change">{change}</span>
              </div>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

const tierColors: Record<string, string> = {
  own: '#3b4cca',
  regional: '#0891b2',
  '3pl': '#f59e0b',
  unroutable: '#9aa3b5',
};

function TierBar({ label, kpi }: { label: string; kpi: BacktestKpis }) {
  const segments = tierMixSegments(kpi);
  return (
    <div className="tier-mix-row">
      <span className="tier-mix-label">{label}</span>
      <div
        className="tier-mix-bar"
        role="img"
        aria-label={`${label}: ${segments.map((s) => `${s.tier} ${(s.share * 100).toFixed(1)} %`).join(', ') || 'no decisions'}`}
      >
        {segments.map((s) => (
          <span
            key={s.tier}
            className="tier-mix-segment"
            style={{ width: `${s.share * 100}%`, background: tierColors[s.tier] ?? '#64748b' }}
            title={`${s.tier}: ${s.count} (${(s.share * 100).toFixed(1)} %)`}
          >
            {s.share >= 0.12 ? `${(s.share * 100).toFixed(0)} %` : ''}
          </span>
        ))}
      </div>
    </div>
  );
}

/** Which tier fulfilled the decisions, baseline above candidate, as stacked bars. */
export function TierMixChart({
  baseline,
  candidate,
  baselineLabel,
  candidateLabel,
}: {
  baseline: BacktestKpis;
  candidate: BacktestKpis;
  baselineLabel: string;
  candidateLabel: string;
}) {
  const tiers = [
    ...new Set([...tierMixSegments(baseline), ...tierMixSegments(candidate)].map((s) => s.tier)),
  ];
  const countOf = (kpi: BacktestKpis, tier: string) =>
    tier === 'unroutable' ? kpi.unroutable : (kpi.tierMix[tier] ?? 0);
  return (
    <figure className="tier-mix" data-testid="tier-mix-chart">
      <TierBar label={baselineLabel} kpi={baseline} />
      <TierBar label={candidateLabel} kpi={candidate} />
      <figcaption className="tier-mix-legend">
        {tiers.map((tier) => {
          const delta = countOf(candidate, tier) - countOf(baseline, tier);
          return (
            <span key={tier}>
              <span
                className="tier-swatch"
                style={{ background: tierColors[tier] ?? '#64748b' }}
                aria-hidden
              />
              {tier} {countOf(baseline, tier)} → {countOf(candidate, tier)}
              {delta ? <span className="muted"> ({delta > 0 ? `+${delta}` : `−${-delta}`})</span> : null}
            </span>
          );
        })}
      </figcaption>
    </figure>
  );
}
