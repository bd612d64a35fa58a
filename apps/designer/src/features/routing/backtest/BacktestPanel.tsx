import { useId, useState } from 'react';
import { describeError, ProblemError } from '../../../api/apiClient.ts';
import { useDefinition } from '../../../api/useDefinition.ts';
import { Button } from '../../../components/Button.tsx';
import { Icon } from '../../../components/Icon.tsx';
import { formatTime } from '../../../lib/formatTime.ts';
import { isDirty, useEditorStore } from '../../../store/editorStore.ts';
import { canEditDrafts, useSessionStore } from '../../../store/sessionStore.ts';
import { OpsLink, opsHref } from '../../operations/OpsLink.tsx';
import { KpiDeltaChart, TierMixChart } from './BacktestCharts.tsx';
import { useBacktestStore } from './backtestStore.ts';
import type { Backtest } from './backtestTypes.ts';
import { kpiDeltaRows } from './kpiDeltaRows.ts';
import { useBacktest, useStartBacktest, useStrategyBacktests } from './useBacktests.ts';

type Candidate = 'draft' | number;

function versionLabel(version: Candidate, revision?: number | null): string {
  if (version !== 'draft') return `v${version}`;
  return revision ? `draft rev ${revision}` : 'draft';
}

/** `datetime-local` value (the browser's time zone) → ISO 8601 with offset, or undefined when empty. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Asks the definition page to save the draft, through its Ctrl/Cmd+S handler, so the backtest uses the
 * one save flow there is (revision check, conflict handling, toasts).
 */
function requestSave() {
  window.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true, bubbles: true }));
}

function Progress({ backtest }: { backtest: Backtest }) {
  const { processed, total } = backtest.progress;
  const done = backtest.state === 'succeeded';
  const share = done ? 1 : total > 0 ? processed / total : 0;
  const label =
    backtest.state === 'queued'
      ? 'Queued'
      : backtest.state === 'running'
        ? `Running · ${processed.toLocaleString('en')} of ${total.toLocaleString('en')} decisions`
        : backtest.state === 'failed'
          ? 'Failed'
          : `Done · ${total.toLocaleString('en')} decisions${backtest.result ? ` in ${(backtest.result.durationMs / 1000).toFixed(1)} s` : ''}`;
  return (
    <div className={`backtest-progress state-${backtest.state}`}>
      <div className="backtest-progress-label">
        <span data-testid="backtest-state">{label}</span>
        <span className="muted">{Math.round(share * 100)} %</span>
      </div>
      <div
        className="backtest-progress-track"
        role="progressbar"
        aria-label="Backtest progress"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done ? total : processed}
        aria-valuetext={label}
        data-testid="backtest-progress"
      >
        <div className="backtest-progress-fill" style={{ width: `${share * 100}%` }} />
      </div>
      {backtest.error ? <p className="field-error">{backtest.error}</p> : null}
    </div>
  );
}

function BacktestResultView({ backtest }: { backtest: Backtest }) {
  const result = backtest.result;
  if (!result) return null;
  const candidate = versionLabel(backtest.candidate, backtest.candidateDraftRevision);
  const baseline = versionLabel(backtest.baseline);
  const share = result.changedShare ?? 0;
  return (
    <div className="backtest-result" data-testid="backtest-result">
      <div className="backtest-changed">
        <div className="backtest-changed-figure" data-testid="backtest-changed-share">
          {(share * 100).toFixed(1)} %
        </div>
        <div>
          <strong>of decisions change</strong>
          <p className="muted small">
            {result.changed.toLocaleString('en')} of {result.decisions.toLocaleString('en')} · the winner
            changes in {result.winnerChanged.toLocaleString('en')}
            {result.failed ? ` · ${result.failed} could not be evaluated` : ''}
          </p>
        </div>
      </div>
      <div className="backtest-change-bar" aria-hidden>
        <span style={{ width: `${share * 100}%` }} />
      </div>

      <h3>
        KPIs · {candidate} against {baseline}
      </h3>
      <KpiDeltaChart rows={kpiDeltaRows(result)} />
      <p className="legend-line small muted">
        <span className="kpi-swatch verdict-better" /> better <span className="kpi-swatch verdict-worse" />{' '}
        worse · bars relative to the baseline value
      </p>

      <h3>Tier mix</h3>
      <TierMixChart
        baseline={result.baseline}
        candidate={result.candidate}
        baselineLabel={`Baseline ${baseline}`}
        candidateLabel={`Candidate ${candidate}`}
      />

      {result.examples.length ? (
        <>
          <h3>Decisions that change</h3>
          <ul className="backtest-examples">
            {result.examples.slice(0, 6).map((e) => (
              <li key={e.decisionId}>
                <OpsLink href={opsHref.decision(e.decisionId)}>{e.orderId}</OpsLink>
                <span className="muted">
                  {e.before.map((p) => p.warehouse).join(' + ') || 'unroutable'} →{' '}
                  <strong>{e.after.map((p) => p.warehouse).join(' + ') || 'unroutable'}</strong>
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/**
 * Backtests of a routing strategy: replays stored decisions on the server with a candidate (the saved
 * draft or a version) and a baseline version, shows the progress, then the KPI deltas and tier mix.
 * Default export for `React.lazy`.
 */
export default function BacktestPanel({ strategy, bufferKey }: { strategy: string; bufferKey: string }) {
  const id = useId();
  const { data: detail } = useDefinition('routing', strategy);
  const dirty = useEditorStore((s) => isDirty(s.buffers[bufferKey]));
  const me = useSessionStore((s) => s.me);
  const versions = detail?.versions ?? [];
  const production = detail?.environments.production ?? null;
  const [candidate, setCandidate] = useState<Candidate>('draft');
  const [baselineChoice, setBaseline] = useState<number | null>(null);
  const baseline = baselineChoice ?? production ?? versions[0]?.version ?? null;
  const [limit, setLimit] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const start = useStartBacktest();
  const list = useStrategyBacktests(strategy);
  const shownId = useBacktestStore((s) => s.shown[strategy] ?? null);
  const currentId = shownId ?? list.data?.[0]?.id ?? null;
  const current = useBacktest(currentId);
  const backtest = current.data;

  const limitNumber = limit.trim() === '' ? undefined : Number(limit);
  const limitInvalid = limitNumber !== undefined && (!Number.isInteger(limitNumber) || limitNumber < 1);
  const disabledReason = !canEditDrafts(me)
    ? 'Only analysts and admins can run backtests.'
    : baseline === null
      ? 'The strategy has no version to compare against yet: create one first.'
      : candidate === baseline
        ? 'The candidate and the baseline are the same version.'
        : limitInvalid
          ? 'The limit must be a whole number of at least 1.'
          : null;

  const run = async () => {
    if (baseline === null) return;
    const fromIso = toIso(from);
    const toIsoValue = toIso(to);
    const accepted = await start.mutateAsync({
      strategy,
      candidate,
      baseline,
      ...(limitNumber === undefined ? {} : { limit: limitNumber }),
      ...(fromIso ? { from: fromIso } : {}),
      ...(toIsoValue ? { to: toIsoValue } : {}),
    });
    useBacktestStore.getState().show(strategy, accepted.id);
  };

  const problem = start.error instanceof ProblemError ? start.error.problem : null;

  return (
    <section className="backtest" aria-label="Backtest" data-testid="backtest-panel">
      <header className="backtest-header">
        <h2>Backtest</h2>
        <p className="muted small">
          Replays stored decisions on the server with two versions and compares the KPIs.
        </p>
      </header>

      <form
        className="backtest-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!disabledReason) void run().catch(() => undefined);
        }}
      >
        <div className="backtest-fields">
          <label htmlFor={`${id}-candidate`}>Candidate</label>
          <select
            id={`${id}-candidate`}
            className="input"
            value={String(candidate)}
            onChange={(event) =>
              setCandidate(event.target.value === 'draft' ? 'draft' : Number(event.target.value))
            }
            data-testid="backtest-candidate"
          >
            <option value="draft">Saved draft{detail ? ` (rev ${detail.draftRevision})` : ''}</option>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
                {v.note ? ` · ${v.note}` : ''}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-baseline`}>Baseline</label>
          <select
            id={`${id}-baseline`}
            className="input"
            value={baseline ?? ''}
            onChange={(event) => setBaseline(Number(event.target.value))}
            data-testid="backtest-baseline"
          >
            {versions.length === 0 ? <option value="">No versions yet</option> : null}
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
                {v.version === production ? ' · production' : ''}
                {v.version === detail?.environments.sandbox ? ' · sandbox' : ''}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-limit`}>Limit</label>
          <input
            id={`${id}-limit`}
            className="input"
            type="number"
            min={1}
            step={1}
            placeholder="every stored decision"
            value={limit}
            aria-invalid={limitInvalid || undefined}
            onChange={(event) => setLimit(event.target.value)}
          />
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            className="input"
            type="datetime-local"
            title="Only decisions made at or after this time (your time zone)"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
          />
          <label htmlFor={`${id}-to`}>Before</label>
          <input
            id={`${id}-to`}
            className="input"
            type="datetime-local"
            title="Only decisions made before this time (your time zone)"
            value={to}
            onChange={(event) => setTo(event.target.value)}
          />
        </div>

        {candidate === 'draft' && dirty ? (
          <div className="backtest-notice" role="status" data-testid="backtest-unsaved">
            <Icon name="alert" size={14} />
            <span>
              You have unsaved edits. The server backtests the <strong>saved</strong> draft
              {detail ? ` (revision ${detail.draftRevision})` : ''}, not what you see.
            </span>
            <Button size="sm" icon="save" onClick={requestSave} data-testid="backtest-save-first">
              Save draft first
            </Button>
          </div>
        ) : null}

        <Button
          type="submit"
          variant="primary"
          icon="rocket"
          busy={start.isPending}
          disabledReason={disabledReason}
          data-testid="backtest-run"
        >
          Run backtest
        </Button>
        {start.error ? (
          <div className="whatif-error" role="alert">
            {describeError(start.error)}
            {problem?.errors?.length ? (
              <ul>
                {problem.errors.slice(0, 3).map((r) => (
                  <li key={`${r.path}:${r.message}`}>
                    <code>{r.path}</code> {r.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </form>

      {current.error ? <p className="whatif-error">{describeError(current.error)}</p> : null}
      {backtest ? (
        <div className="backtest-current" aria-live="polite">
          <Progress backtest={backtest} />
          <BacktestResultView backtest={backtest} />
        </div>
      ) : null}

      <h3>Recent backtests</h3>
      {list.data?.length ? (
        <ul className="backtest-list" data-testid="backtest-list">
          {list.data.slice(0, 8).map((b) => {
            const time = formatTime(b.createdAt);
            return (
              <li key={b.id}>
                <button
                  type="button"
                  className={`backtest-list-item${b.id === currentId ? ' current' : ''}`}
                  aria-current={b.id === currentId || undefined}
                  onClick={() => useBacktestStore.getState().show(strategy, b.id)}
                >
                  <span>
                    <strong>{versionLabel(b.candidate, b.candidateDraftRevision)}</strong> vs v{b.baseline}
                  </span>
                  <span className={`backtest-chip state-${b.state}`}>
                    {b.state === 'succeeded' && b.result?.changedShare != null
                      ? `${(b.result.changedShare * 100).toFixed(1)} % change`
                      : b.state}
                  </span>
                  <span className="muted small" title={time.exact}>
                    {time.label} · {b.createdBy}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted small">{list.isPending ? 'Loading…' : 'None yet for this strategy.'}</p>
      )}
    </section>
  );
}
