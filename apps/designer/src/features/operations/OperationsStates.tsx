import type { ReactNode } from 'react';
import { describeError, ProblemError } from '../../api/apiClient.ts';
import { Icon } from '../../components/Icon.tsx';
import { ReportList } from '../../components/ReportList.tsx';
import { formatTime } from '../../lib/formatTime.ts';

/** A failed request, with its problem+json details (status, type, field errors) and a retry. */
export function ProblemMessage({
  what,
  error,
  onRetry,
}: {
  what: string;
  error: unknown;
  onRetry?: () => void;
}) {
  const problem = error instanceof ProblemError ? error.problem : null;
  return (
    <div className="panel-message error ops-problem" role="alert">
      <Icon name="error" />
      <div>
        <div>
          Could not {what}: {describeError(error)}
          {onRetry ? (
            <>
              {' '}
              <button type="button" className="link" onClick={onRetry}>
                Retry
              </button>
            </>
          ) : null}
        </div>
        {problem ? (
          <div className="small ops-problem-meta">
            HTTP {problem.status}
            {problem.type && problem.type !== 'about:blank' ? <> · {problem.type}</> : null}
          </div>
        ) : null}
        {problem?.errors?.length ? <ReportList reports={problem.errors} /> : null}
      </div>
    </div>
  );
}

/** Grey rows while a list loads. */
export function TableSkeleton({ rows = 4, label }: { rows?: number; label: string }) {
  return (
    <div className="table-skeleton" role="status" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} />
      ))}
    </div>
  );
}

/** Nothing to show, and what would make something appear. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <Icon name="info" size={28} />
      <h2>{title}</h2>
      {children ? <p>{children}</p> : null}
    </div>
  );
}

/** A relative time with the exact one on hover. */
export function Time({ iso, now }: { iso: string | null | undefined; now?: number }) {
  if (!iso) return <span className="muted">—</span>;
  const { label, exact } = formatTime(iso, now);
  return (
    <time dateTime={iso} title={exact}>
      {label}
    </time>
  );
}

/** Warning / breach / escalation, coloured by severity. */
export function LevelBadge({ level }: { level: string }) {
  return <span className={`ops-badge ops-level-${level}`}>{level}</span>;
}

/** The parts of a query result {@link QueryView} reads (a react-query result fits). */
export interface QueryViewSource<T> {
  data: T | undefined;
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
}

/**
 * What a page or panel shows for one query: the problem with a retry, grey rows while it loads, the empty
 * state when `isEmpty` says so, else `children` with the data.
 *
 * @param what what is loaded, as in "Could not load {what}" and "Loading {what}".
 * @example
 * <QueryView query={useAlerts(filter)} what="alerts" isEmpty={(d) => d.items.length === 0} empty={<EmptyState title="No alerts" />}>
 *   {(data) => <AlertsTable alerts={data.items} />}
 * </QueryView>
 */
export function QueryView<T>({
  query,
  what,
  rows,
  isEmpty,
  empty,
  children,
}: {
  query: QueryViewSource<T>;
  what: string;
  rows?: number;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.error) {
    return <ProblemMessage what={`load ${what}`} error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (query.isPending || query.data === undefined) {
    return rows === undefined ? (
      <TableSkeleton label={`Loading ${what}`} />
    ) : (
      <TableSkeleton rows={rows} label={`Loading ${what}`} />
    );
  }
  if (isEmpty?.(query.data)) return empty;
  return children(query.data);
}
