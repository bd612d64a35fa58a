import { useMemo } from 'react';
import { useDecision } from '../api/useDecisions.ts';
import { EmptyState, ProblemMessage, TableSkeleton, Time } from '../OperationsStates.tsx';
import { OpsLink, opsHref } from '../OpsLink.tsx';
import { RankingTable } from './RankingTable.tsx';
import { ReplayPanel } from './ReplayPanel.tsx';

/** One decision: allocation, tier, explanation, ranking, snapshot and replay. */
export function DecisionPage({ id }: { id: string }) {
  const { data, isPending, error, refetch } = useDecision(id);
  const allocated = useMemo(
    () => new Set((data?.allocation ?? []).map((a) => `${a.warehouse}/${a.lane}`)),
    [data],
  );

  return (
    <div className="page ops-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <OpsLink href={opsHref.decisions()}>Decisions</OpsLink>
        <span aria-hidden>/</span>
        <span className="crumb mono">{data?.orderId ?? id}</span>
      </nav>
      {error ? (
        <ProblemMessage what="load the decision" error={error} onRetry={() => void refetch()} />
      ) : isPending ? (
        <TableSkeleton rows={3} label="Loading the decision" />
      ) : (
        <>
          <header className="page-header">
            <div>
              <h1 className="ops-title">
                Decision for order <span className="mono">{data.orderId}</span>
              </h1>
              <p className="muted small">
                <code>{data.decisionId}</code> · <Time iso={data.at} /> · strategy{' '}
                <code>{data.strategy.id}</code> v{data.strategy.version} ({data.strategy.environment})
                {data.segment ? <> · segment {data.segment}</> : null}
              </p>
            </div>
          </header>

          <div className="ops-grid">
            <section className="ops-card" aria-labelledby="allocation-heading">
              <header className="ops-card-header">
                <h2 id="allocation-heading">Allocation</h2>
                {data.tierUsed ? <span className="ops-badge ops-tier">tier {data.tierUsed}</span> : null}
              </header>
              {data.allocation.length === 0 ? (
                <div>
                  <p className="ops-changed">Unroutable: no candidate was feasible.</p>
                  <ul className="small">
                    {data.unroutable?.reasons.slice(0, 5).map((r) => (
                      <li key={`${r.warehouse}/${r.lane}`}>
                        {r.warehouse} via {r.lane}: {r.detail}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <ul className="ops-alloc-list">
                  {data.allocation.map((a) => (
                    <li key={`${a.warehouse}/${a.lane}`}>
                      <strong>{a.warehouse}</strong> via <span className="mono small">{a.lane}</span>
                      <div className="muted small">
                        {a.lines.map((l) => `${l.qty} × ${l.sku}`).join(', ')}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </section>

            <section className="ops-card" aria-labelledby="explanation-heading">
              <header className="ops-card-header">
                <h2 id="explanation-heading">Explanation</h2>
              </header>
              <p data-testid="decision-explanation">{data.explanation}</p>
              {data.explanationDetail.differences.length > 0 ? (
                <ul className="ops-differences" aria-label="Factor differences with the runner-up">
                  {data.explanationDetail.differences
                    .filter((d) => d.delta !== 0)
                    .map((d) => (
                      <li key={d.factor} className={d.delta > 0 ? 'ops-plus' : 'ops-minus'}>
                        {d.factor} {d.delta > 0 ? '+' : '−'}
                        {Math.abs(d.delta).toFixed(3)}
                      </li>
                    ))}
                </ul>
              ) : null}
            </section>
          </div>

          <ReplayPanel decision={data} />
          {data.ranking.length > 0 ? (
            <RankingTable ranking={data.ranking} allocated={allocated} />
          ) : (
            <EmptyState title="No candidates">
              The strategy found no warehouse and lane to consider.
            </EmptyState>
          )}

          <details className="ops-card ops-snapshot">
            <summary>
              <h2>Snapshot</h2>
              <span className="muted small">
                the order and the facts the decision read ({data.snapshot.facts.warehouses.length} warehouses,{' '}
                {data.snapshot.facts.lanes.length} lanes, {data.snapshot.facts.alerts.length} alerts)
              </span>
            </summary>
            <pre className="ops-json">{JSON.stringify(data.snapshot, null, 2)}</pre>
          </details>
        </>
      )}
    </div>
  );
}
