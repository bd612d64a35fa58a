import { useEffect, useState } from 'react';
import { AckButton } from '../alerts/AckButton.tsx';
import { useOrder } from '../api/useOrders.ts';
import { formatCountdown } from '../formatCountdown.ts';
import { EmptyState, LevelBadge, QueryView, Time } from '../OperationsStates.tsx';
import { OpsLink, opsHref } from '../OpsLink.tsx';
import { OrderHistory } from './OrderHistory.tsx';

/** Facts as rows: the runtime keeps them per system (`{ wms: { outboundNo: … } }`). */
function factRows(facts: Record<string, unknown>): { system: string; fact: string; value: string }[] {
  return Object.entries(facts).flatMap(([system, value]) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.entries(value).map(([fact, v]) => ({ system, fact, value: JSON.stringify(v) }))
      : [{ system, fact: '', value: JSON.stringify(value) }],
  );
}

/** Now, re-read every `intervalMs` so countdowns tick. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** One order: canonical status, each system's last status, facts, SLAs, open alerts and history. */
export function OrderPage({ id }: { id: string }) {
  const order = useOrder(id);
  const now = useNow(15_000);

  return (
    <div className="page ops-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <OpsLink href={opsHref.orders()}>Orders</OpsLink>
        <span aria-hidden>/</span>
        <span className="crumb mono">{id}</span>
      </nav>
      <QueryView query={order} what="the order" rows={3}>
        {(data) => (
          <>
            <header className="page-header">
              <div>
                <h1 className="ops-title">
                  Order <span className="mono">{data.orderId}</span>
                </h1>
                <p className="muted small">
                  {data.channel ?? 'no channel'} · graph <code>{data.graph.id}</code> v{data.graph.version} (
                  {data.environment}) · created <Time iso={data.createdAt} now={now} />
                </p>
              </div>
              <div className="ops-status-block" data-testid="canonical-status">
                <span className="muted small">Canonical status</span>
                <span className="ops-status ops-status-lg">{data.status}</span>
                <span className="muted small">
                  since <Time iso={data.since} now={now} />
                </span>
              </div>
            </header>

            <div className="ops-grid">
              <section className="ops-card" aria-labelledby="systems-heading">
                <header className="ops-card-header">
                  <h2 id="systems-heading">Systems</h2>
                  <span className="muted small">each system's last raw status</span>
                </header>
                {Object.keys(data.lastRaw).length === 0 ? (
                  <p className="muted">No system has reported yet.</p>
                ) : (
                  <table className="ops-mini-table" data-testid="systems">
                    <thead>
                      <tr>
                        <th scope="col">System</th>
                        <th scope="col">Code</th>
                        <th scope="col">Occurred</th>
                        <th scope="col">Received</th>
                      </tr>
                    </thead>
                    <tbody>
                      {Object.entries(data.lastRaw).map(([system, raw]) => (
                        <tr key={system}>
                          <td>{system}</td>
                          <td>
                            <code>{raw.code}</code>
                          </td>
                          <td className="muted">
                            <Time iso={raw.occurredAt} now={now} />
                          </td>
                          <td className="muted">
                            <Time iso={raw.receivedAt} now={now} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>

              <section className="ops-card" aria-labelledby="sla-heading">
                <header className="ops-card-header">
                  <h2 id="sla-heading">SLA deadlines</h2>
                </header>
                {data.slaDeadlines.length === 0 ? (
                  <p className="muted">No SLA is running in this state.</p>
                ) : (
                  <ul className="ops-sla-list">
                    {data.slaDeadlines.map((sla) => {
                      const countdown = formatCountdown(sla.dueAt, now);
                      return (
                        <li key={`${sla.slaId}/${sla.level}/${sla.dueAt}`}>
                          <LevelBadge level={sla.level} /> <strong>{sla.slaId}</strong>{' '}
                          <span className="muted small">
                            in {sla.state} at {sla.atPercent}%
                          </span>
                          <span className={`ops-countdown ops-countdown-${countdown.urgency}`}>
                            <time dateTime={sla.dueAt}>{countdown.label}</time>
                          </span>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </section>
            </div>

            <section className="ops-card" aria-labelledby="order-alerts-heading">
              <header className="ops-card-header">
                <h2 id="order-alerts-heading">Open alerts</h2>
              </header>
              {data.openAlerts.length === 0 ? (
                <p className="muted">No open alerts.</p>
              ) : (
                <ul className="ops-alert-list">
                  {data.openAlerts.map((a) => (
                    <li key={a.id}>
                      <LevelBadge level={a.level} /> <span className="small">{a.type}</span>
                      <span className="ops-alert-message">{a.message}</span>
                      <AckButton alert={a} />
                    </li>
                  ))}
                </ul>
              )}
            </section>

            <details className="ops-card ops-snapshot" open>
              <summary>
                <h2>Facts</h2>
                <span className="muted small">what the systems reported, by system</span>
              </summary>
              {Object.keys(data.facts).length === 0 ? (
                <EmptyState title="No facts yet" />
              ) : (
                <table className="ops-mini-table" data-testid="facts">
                  <thead>
                    <tr>
                      <th scope="col">System</th>
                      <th scope="col">Fact</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {factRows(data.facts).map((row) => (
                      <tr key={`${row.system}/${row.fact}`}>
                        <td>{row.system}</td>
                        <td>
                          <code>{row.fact}</code>
                        </td>
                        <td className="mono small">{row.value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </details>

            <OrderHistory orderId={data.orderId} />
          </>
        )}
      </QueryView>
    </div>
  );
}
