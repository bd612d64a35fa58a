import { useMemo, useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { factorColor } from '../../../lib/factorColor.ts';
import { contributionSegments, factorOrder } from '../contributionBars.ts';
import type { DecisionRecord } from '../operationsTypes.ts';

type Candidate = DecisionRecord['ranking'][number];

const shownAtFirst = 12;

function formatScore(score: number): string {
  return score.toFixed(3);
}

/** The legend of factor colours, with each factor's weight. */
function FactorLegend({ order, weights }: { order: string[]; weights: Map<string, number> }) {
  return (
    <ul className="ops-legend" aria-label="Factors">
      {order.map((factor, index) => (
        <li key={factor}>
          <span className="ops-swatch" style={{ background: factorColor(index) }} aria-hidden />
          {factor} <span className="muted">· weight {weights.get(factor) ?? 0}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Every candidate of a decision, preferred first: score, a stacked bar of its per-factor
 * contributions (the bar's length is the score) and whether a constraint rejected it.
 */
export function RankingTable({ ranking, allocated }: { ranking: Candidate[]; allocated: Set<string> }) {
  const [showAll, setShowAll] = useState(false);
  const order = useMemo(() => factorOrder(ranking.map((c) => c.factors)), [ranking]);
  const weights = useMemo(() => {
    const map = new Map<string, number>();
    for (const c of ranking) for (const [f, v] of Object.entries(c.factors)) map.set(f, v.weight);
    return map;
  }, [ranking]);
  const rows = showAll ? ranking : ranking.slice(0, shownAtFirst);
  const feasible = ranking.filter((c) => c.feasible).length;

  return (
    <section className="ops-card" aria-labelledby="ranking-heading">
      <header className="ops-card-header">
        <h2 id="ranking-heading">Ranking</h2>
        <span className="muted small">
          {ranking.length} candidates · {feasible} feasible · {ranking.length - feasible} rejected
        </span>
      </header>
      <FactorLegend order={order} weights={weights} />
      <table className="ops-ranking" data-testid="ranking">
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Candidate</th>
            <th scope="col">Tier</th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col" className="ops-bar-col">
              Contributions
            </th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c, index) => {
            const key = `${c.warehouse}/${c.lane}`;
            const segments = contributionSegments(c.factors, order);
            const title = segments.map((s) => `${s.factor} ${s.contribution.toFixed(3)}`).join(', ');
            return (
              <tr
                key={key}
                className={allocated.has(key) ? 'ops-winner' : c.feasible ? undefined : 'ops-rejected'}
              >
                <td className="num muted">{index + 1}</td>
                <td>
                  <strong>{c.warehouse}</strong>
                  <div className="muted small">{c.lane}</div>
                </td>
                <td>
                  <span className="ops-badge ops-tier">{c.tier}</span>
                </td>
                <td className="num mono">{formatScore(c.score)}</td>
                <td>
                  <div
                    className="ops-bar"
                    role="img"
                    aria-label={`Score ${formatScore(c.score)}: ${title || 'no contributions'}`}
                    title={title}
                  >
                    {segments.map((s) => (
                      <span
                        key={s.factor}
                        style={{ width: `${s.widthPercent}%`, background: factorColor(s.colorIndex) }}
                      />
                    ))}
                  </div>
                </td>
                <td>
                  {allocated.has(key) ? (
                    <span className="ops-badge ops-ok">allocated</span>
                  ) : c.feasible ? (
                    <span className="ops-badge ops-neutral">feasible</span>
                  ) : (
                    <span className="ops-badge ops-level-breach" title="Constraints that rejected it">
                      rejected: {(c.rejectedBy ?? []).join(', ') || 'constraint'}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {ranking.length > shownAtFirst ? (
        <div className="ops-more">
          <Button variant="ghost" size="sm" onClick={() => setShowAll(!showAll)}>
            {showAll ? `Show the first ${shownAtFirst}` : `Show all ${ranking.length} candidates`}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
