import { useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { Icon } from '../../../components/Icon.tsx';
import { useReplayDecision } from '../api/useDecisions.ts';
import { ProblemMessage } from '../OperationsStates.tsx';
import type { DecisionRecord, ReplayResponse } from '../operationsTypes.ts';

function ReplayResult({ result }: { result: ReplayResponse }) {
  const version =
    result.strategy.version === 'draft'
      ? `the draft (revision ${result.strategy.draftRevision ?? '?'})`
      : `version ${result.strategy.version}`;
  return (
    <div className="ops-replay-result" data-testid="replay-result" aria-live="polite">
      <p className={result.changed ? 'ops-changed' : 'ops-unchanged'}>
        <Icon name={result.changed ? 'alert' : 'check'} />{' '}
        {result.changed
          ? `Replayed with ${version}: the decision changes.`
          : `Replayed with ${version}: same allocation and tier.`}
        {!result.changed && result.rankingChanged ? ' Scores in the ranking moved.' : null}
      </p>
      {result.changed ? (
        <>
          <p className="small">
            Now:{' '}
            <strong>
              {result.allocation.map((a) => `${a.warehouse} via ${a.lane}`).join(', ') || 'unroutable'}
            </strong>{' '}
            · tier {result.tierUsed ?? '—'}
          </p>
          <table className="ops-diff">
            <caption className="visually-hidden">Changes from the recorded decision</caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Path</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {result.diff.map((op, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a patch may repeat a path
                <tr key={index}>
                  <td>{op.op}</td>
                  <td>
                    <code>{op.path}</code>
                  </td>
                  <td>
                    <code className="ops-diff-value">
                      {op.value === undefined ? '' : JSON.stringify(op.value)}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <p className="small muted">{result.explanation}</p>
    </div>
  );
}

/** Re-evaluates the decision's snapshot with the draft or with the version that made it. */
export function ReplayPanel({ decision }: { decision: DecisionRecord }) {
  const replay = useReplayDecision(decision.decisionId);
  const [target, setTarget] = useState<'draft' | 'recorded' | null>(null);
  const run = (which: 'draft' | 'recorded') => {
    setTarget(which);
    replay.mutate(which === 'draft' ? 'draft' : decision.strategy.version);
  };
  return (
    <section className="ops-card" aria-labelledby="replay-heading">
      <header className="ops-card-header">
        <h2 id="replay-heading">Replay</h2>
        <span className="muted small">Same snapshot, another version of {decision.strategy.id}</span>
      </header>
      <div className="ops-actions">
        <Button icon="undo" busy={replay.isPending && target === 'draft'} onClick={() => run('draft')}>
          Replay against draft
        </Button>
        <Button busy={replay.isPending && target === 'recorded'} onClick={() => run('recorded')}>
          Replay recorded version (v{decision.strategy.version})
        </Button>
      </div>
      {replay.error ? <ProblemMessage what="replay the decision" error={replay.error} /> : null}
      {replay.data && !replay.isPending ? <ReplayResult result={replay.data} /> : null}
    </section>
  );
}
