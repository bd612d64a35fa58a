import { useAlerts } from '../api/useAlerts.ts';
import { EmptyState, LevelBadge, QueryView, Time } from '../OperationsStates.tsx';
import { OpsLink, opsHref } from '../OpsLink.tsx';
import { useOperationsStore } from '../operationsStore.ts';
import { AckButton } from './AckButton.tsx';

const states = ['open', 'acked'] as const;
const levels = ['warning', 'breach', 'escalation'] as const;
const types = ['sla', 'path-violation', 'invalid-signature'] as const;

function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <label className="ops-field">
      <span>{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Alerts raised by SLAs, path violations and bad signatures, with acknowledge. */
export function AlertsPage() {
  const filter = useOperationsStore((s) => s.alertFilter);
  const setFilter = useOperationsStore((s) => s.setAlertFilter);
  const alerts = useAlerts(filter);

  return (
    <div className="page ops-page">
      <header className="page-header">
        <div>
          <h1 className="ops-title">Alerts</h1>
          <p className="muted">SLA warnings and breaches, path violations and rejected signatures.</p>
        </div>
      </header>
      <form className="ops-toolbar" aria-label="Filter alerts" onSubmit={(event) => event.preventDefault()}>
        <FilterSelect
          label="State"
          value={filter.state}
          options={states}
          onChange={(state) => setFilter({ state })}
        />
        <FilterSelect
          label="Level"
          value={filter.level}
          options={levels}
          onChange={(level) => setFilter({ level })}
        />
        <FilterSelect
          label="Type"
          value={filter.type}
          options={types}
          onChange={(type) => setFilter({ type })}
        />
      </form>

      <QueryView
        query={alerts}
        what="alerts"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState title={filter.state === 'open' ? 'No open alerts' : 'No alerts match these filters'}>
            {filter.state === 'open' ? 'All clear. Acknowledged alerts are under State: acked.' : null}
          </EmptyState>
        }
      >
        {(data) => (
          <table className="definitions-table ops-table" data-testid="alerts">
            <thead>
              <tr>
                <th scope="col">Level</th>
                <th scope="col">Type</th>
                <th scope="col">Order</th>
                <th scope="col">Message</th>
                <th scope="col">Raised</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="ops-static-rows">
              {data.items.map((a) => (
                <tr key={a.id} data-testid={`alert-${a.id}`}>
                  <td>
                    <LevelBadge level={a.level} />
                  </td>
                  <td className="nowrap">{a.type}</td>
                  <td>
                    {a.orderId ? (
                      <OpsLink href={opsHref.order(a.orderId)} className="mono">
                        {a.orderId}
                      </OpsLink>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="small">
                    {a.message}
                    {a.occurrences > 1 ? <span className="muted"> · ×{a.occurrences}</span> : null}
                  </td>
                  <td className="muted nowrap">
                    <Time iso={a.raisedAt} />
                  </td>
                  <td className="nowrap">
                    {a.state === 'acked' ? (
                      <span className="ops-badge ops-ok" title={a.ackedBy ? `by ${a.ackedBy}` : undefined}>
                        acked
                      </span>
                    ) : (
                      <span className="ops-badge ops-level-warning">open</span>
                    )}
                  </td>
                  <td className="num">
                    <AckButton alert={a} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </div>
  );
}
