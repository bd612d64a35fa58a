import { type RoutingDecision, type RoutingSnapshot, rankingWithFactors } from '@orderloom/engine';
import { orderSchema } from '@orderloom/schema';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { describeError } from '../../api/apiClient.ts';
import { factorColor } from '../../lib/factorColor.ts';
import { useDebouncedValue } from '../../lib/useDebouncedValue.ts';
import type { RoutingDraft } from './routingModel.ts';
import { useCurrentFacts, useDecision, useRecentDecisions } from './useDecisions.ts';
import { allocationKey, runWhatIf, type WhatIfResult, winnerOf } from './whatIf.ts';

type Source = 'decision' | 'paste';

/** How many candidates the result lists (their factor records are built for these only). */
const shownCandidates = 30;

/** Picks a stored decision (or a pasted order) and routes it with the draft on every edit. */
export function WhatIfPanel({ draft }: { draft: RoutingDraft }) {
  const strategy = draft.id ?? '';
  const [source, setSource] = useState<Source>('decision');
  const [search, setSearch] = useState('');
  const orderQuery = useDebouncedValue(search.trim(), 250);
  const decisions = useRecentDecisions(strategy, orderQuery);
  const [chosen, setChosen] = useState<string | null>(null);
  const firstId = decisions.data?.items[0]?.decisionId ?? null;
  const decisionId = chosen ?? firstId;
  const record = useDecision(source === 'decision' ? decisionId : null);
  const [pasted, setPasted] = useState('');
  const facts = useCurrentFacts(source === 'paste');
  const searchId = useId();

  const pastedOrder = useMemo(() => {
    if (source !== 'paste' || !pasted.trim()) return null;
    try {
      const parsed = orderSchema.safeParse(JSON.parse(pasted));
      return parsed.success
        ? { ok: true as const, order: parsed.data }
        : { ok: false as const, message: parsed.error.issues[0]?.message ?? 'not an order' };
    } catch (cause) {
      return { ok: false as const, message: cause instanceof Error ? cause.message : String(cause) };
    }
  }, [pasted, source]);

  const snapshot: RoutingSnapshot | null = useMemo(() => {
    if (source === 'decision') return record.data?.snapshot ?? null;
    if (!pastedOrder?.ok || !facts.data) return null;
    const placed = pastedOrder.order.placedAt ? Date.parse(pastedOrder.order.placedAt) : Number.NaN;
    return { order: pastedOrder.order, facts: facts.data, at: Number.isNaN(placed) ? Date.now() : placed };
  }, [source, record.data, pastedOrder, facts.data]);

  const result: WhatIfResult | null = useMemo(
    () => (snapshot ? runWhatIf(draft, snapshot) : null),
    [draft, snapshot],
  );
  // A draft that stops compiling keeps showing the last decision it could make, under the error.
  const lastGood = useRef<{ snapshot: RoutingSnapshot; decision: RoutingDecision } | null>(null);
  useEffect(() => {
    if (result?.ok && snapshot) lastGood.current = { snapshot, decision: result.decision };
  }, [result, snapshot]);
  const shown = result?.ok
    ? result.decision
    : lastGood.current?.snapshot === snapshot
      ? lastGood.current.decision
      : null;
  const recorded = source === 'decision' ? record.data : undefined;
  const changed = Boolean(shown && recorded && allocationKey(shown) !== allocationKey(recorded));

  return (
    <aside className="whatif" aria-label="What-if" data-testid="whatif-panel">
      <header className="whatif-header">
        <h2>What-if</h2>
        <div className="segmented" role="tablist" aria-label="What to route">
          {(['decision', 'paste'] as const).map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={source === s}
              className={source === s ? 'active' : ''}
              onClick={() => setSource(s)}
            >
              {s === 'decision' ? 'Stored decision' : 'Paste an order'}
            </button>
          ))}
        </div>
      </header>

      {source === 'decision' ? (
        <div className="whatif-source">
          <label htmlFor={searchId} className="small muted">
            Order id
          </label>
          <input
            id={searchId}
            className="input"
            type="search"
            placeholder="Search by order id…"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          {decisions.error ? <p className="field-error">{describeError(decisions.error)}</p> : null}
          <select
            className="input"
            aria-label="Stored decision"
            data-testid="whatif-decision"
            value={decisionId ?? ''}
            onChange={(event) => setChosen(event.target.value || null)}
          >
            {decisions.data?.items.length ? null : (
              <option value="">{decisions.isPending ? 'Loading…' : 'No decisions'}</option>
            )}
            {decisions.data?.items.map((d) => (
              <option key={d.decisionId} value={d.decisionId}>
                {d.orderId} · {d.allocation[0] ? `${d.allocation[0].warehouse}` : 'unroutable'} · v
                {d.strategy.version} · {d.at.slice(0, 16).replace('T', ' ')}
              </option>
            ))}
          </select>
          {record.error ? <p className="field-error">{describeError(record.error)}</p> : null}
        </div>
      ) : (
        <div className="whatif-source">
          <textarea
            className="input mono"
            rows={5}
            aria-label="Order JSON"
            placeholder='{"id": "ORD-1", "lines": [...], "destination": {...}, ...}'
            value={pasted}
            onChange={(event) => setPasted(event.target.value)}
          />
          <p className={pastedOrder && !pastedOrder.ok ? 'field-error' : 'muted small'}>
            {pastedOrder && !pastedOrder.ok
              ? `Not an order: ${pastedOrder.message}`
              : 'Routed against the runtime’s current facts, at the order’s placedAt (else now).'}
          </p>
          {facts.error ? <p className="field-error">{describeError(facts.error)}</p> : null}
        </div>
      )}

      {result && !result.ok ? (
        <p className="whatif-error" role="alert" data-testid="whatif-error">
          The draft cannot route this order: {result.message}
          {shown ? ' Showing the last result it could compute.' : ''}
        </p>
      ) : null}

      {shown ? (
        <WhatIfResultView
          decision={shown}
          draft={draft}
          recorded={recorded}
          changed={changed}
          stale={!result?.ok}
        />
      ) : snapshot === null ? (
        <p className="muted small">Pick a decision or paste an order to see how the draft would route it.</p>
      ) : null}
    </aside>
  );
}

function WhatIfResultView({
  decision,
  draft,
  recorded,
  changed,
  stale,
}: {
  decision: RoutingDecision;
  draft: RoutingDraft;
  recorded: { allocation: { warehouse: string; lane: string }[]; strategy: { version: number } } | undefined;
  changed: boolean;
  stale: boolean;
}) {
  const factorIds = draft.factors.flatMap((f) => (f.id ? [f.id] : []));
  const winner = winnerOf(decision);
  const maxScore = Math.max(1e-9, ...decision.ranking.map((c) => c.score));
  const listed = rankingWithFactors(
    decision,
    Array.from({ length: Math.min(decision.ranking.length, shownCandidates) }, (_, r) => r),
  );
  return (
    <div className={`whatif-result${stale ? ' stale' : ''}`}>
      <div className={`winner-card${changed ? ' changed' : ''}`}>
        <div className="small muted">Winner with this draft</div>
        <div className="winner" data-testid="whatif-winner">
          {winner ?? 'Unroutable'}
        </div>
        <div className="small">
          Tier <strong data-testid="whatif-tier">{decision.tierUsed ?? '—'}</strong>
          {decision.allocation.length > 1 ? ` · ${decision.allocation.length} parcels` : ''}
          {decision.segment ? ` · segment ${decision.segment}` : ''}
        </div>
        {recorded ? (
          <div className="small" data-testid="whatif-recorded">
            {changed ? (
              <strong className="tone-warning">
                Changed — recorded (v{recorded.strategy.version}):{' '}
                {recorded.allocation[0]
                  ? `${recorded.allocation[0].warehouse} via ${recorded.allocation[0].lane}`
                  : 'unroutable'}
              </strong>
            ) : (
              <span className="muted">Same as the recorded decision (v{recorded.strategy.version}).</span>
            )}
          </div>
        ) : null}
        <p className="explanation" data-testid="whatif-explanation">
          {decision.explanation}
        </p>
      </div>
      <div className="legend">
        {factorIds.map((id, i) => (
          <span key={id} className="legend-item">
            <span className="factor-swatch" style={{ background: factorColor(i) }} /> {id}
          </span>
        ))}
      </div>
      <table className="ranking-table" data-testid="whatif-ranking">
        <thead>
          <tr>
            <th>#</th>
            <th>Candidate</th>
            <th>Score</th>
            <th className="bars-col">Contributions</th>
          </tr>
        </thead>
        <tbody>
          {listed.map((c, rank) => (
            <tr key={`${c.warehouse}|${c.lane}`} className={c.feasible ? '' : 'rejected'}>
              <td>{rank + 1}</td>
              <td>
                <div className="candidate">{c.warehouse}</div>
                <div className="small muted lane" title={c.lane}>
                  {c.lane} · {c.tier}
                  {c.feasible ? '' : ` · rejected by ${c.rejectedBy?.join(', ')}`}
                </div>
              </td>
              <td className="num">{c.score.toFixed(3)}</td>
              <td className="bars-col">
                <div className="stack" style={{ width: `${(c.score / maxScore) * 100}%` }}>
                  {factorIds.map((id, i) => {
                    const value = c.factors[id];
                    if (!value || value.contribution <= 0) return null;
                    return (
                      <span
                        key={id}
                        className="stack-part"
                        style={{ flexGrow: value.contribution, background: factorColor(i) }}
                        title={`${id}: raw ${value.raw.toFixed(2)}, normalised ${value.normalized.toFixed(2)}, weight ${value.weight}, contribution ${value.contribution.toFixed(3)}`}
                      />
                    );
                  })}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {decision.ranking.length > shownCandidates ? (
        <p className="muted small">{decision.ranking.length - shownCandidates} more candidates.</p>
      ) : null}
    </div>
  );
}
