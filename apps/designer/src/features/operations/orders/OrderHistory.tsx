import { Icon } from '../../../components/Icon.tsx';
import { useAuditVerify, useOrderHistory } from '../api/useOrders.ts';
import { describeHistoryEntry } from '../describeHistoryEntry.ts';
import { EmptyState, ProblemMessage, TableSkeleton, Time } from '../OperationsStates.tsx';
import { shortHash } from '../shortHash.ts';

/** Whether the whole tamper-evident log still verifies (hash chain and signed checkpoints). */
function ChainVerification() {
  const { data, isPending, error, refetch, isFetching } = useAuditVerify();
  if (error)
    return <ProblemMessage what="verify the audit chain" error={error} onRetry={() => void refetch()} />;
  if (isPending) return <span className="skeleton-text" role="status" aria-label="Verifying the chain" />;
  return (
    <div
      className={`ops-verify ${data.ok ? 'ops-verify-ok' : 'ops-verify-bad'}`}
      data-testid="chain-verification"
    >
      <Icon name={data.ok ? 'check' : 'error'} />
      {data.ok ? (
        <span>
          <strong>Chain verified</strong> · {data.checked} entries, {data.checkpoints} checkpoints, head #
          {data.headSeq}
        </span>
      ) : (
        <span>
          <strong>Chain broken</strong> at entry #{data.firstBad?.seq ?? '?'}:{' '}
          {data.firstBad?.reason ?? 'unknown'}
        </span>
      )}
      <button type="button" className="link" onClick={() => void refetch()} disabled={isFetching}>
        {isFetching ? 'Verifying…' : 'Verify again'}
      </button>
    </div>
  );
}

/** The order's entries of the tamper-evident log, oldest first, and the chain's verification. */
export function OrderHistory({ orderId }: { orderId: string }) {
  const { data, isPending, error, refetch } = useOrderHistory(orderId);
  return (
    <section className="ops-card" aria-labelledby="history-heading">
      <header className="ops-card-header">
        <h2 id="history-heading">History</h2>
        <ChainVerification />
      </header>
      {error ? (
        <ProblemMessage what="load the history" error={error} onRetry={() => void refetch()} />
      ) : isPending ? (
        <TableSkeleton rows={3} label="Loading the history" />
      ) : data.items.length === 0 ? (
        <EmptyState title="No history yet" />
      ) : (
        <ol className="ops-timeline" data-testid="history">
          {data.items.map(({ seq, hash, entry }) => {
            const item = describeHistoryEntry(entry);
            return (
              <li key={seq} className={`ops-timeline-${item.kind}`}>
                <span className="ops-timeline-dot" aria-hidden />
                <div className="ops-timeline-body">
                  <div>
                    <span className="muted mono small">#{seq}</span>{' '}
                    <span className={`ops-badge ${item.kind === 'transition' ? 'ops-tier' : 'ops-neutral'}`}>
                      {item.kind}
                    </span>{' '}
                    <strong>{item.title}</strong>
                  </div>
                  <div className="muted small">
                    {item.occurredAt ? (
                      <>
                        occurred <Time iso={item.occurredAt} />
                      </>
                    ) : (
                      item.detail
                    )}{' '}
                    · received <Time iso={entry.receivedAt} /> · hash{' '}
                    <code title={hash}>{shortHash(hash)}</code> · prev{' '}
                    <code title={entry.prevHash}>{shortHash(entry.prevHash)}</code> ·{' '}
                    {entry.signature === null ? (
                      'unsigned'
                    ) : entry.signature.verified ? (
                      <span className="tone-success">
                        signature verified ({entry.signature.keyId ?? 'key'})
                      </span>
                    ) : (
                      <span className="tone-danger">signature not verified</span>
                    )}
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
