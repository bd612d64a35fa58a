import { useMemo } from 'react';
import { navigate } from '../../../lib/router.ts';
import { useAlerts } from '../api/useAlerts.ts';
import { useOrders } from '../api/useOrders.ts';
import { EmptyState, QueryView, Time } from '../OperationsStates.tsx';
import { OpsLink, opsHref } from '../OpsLink.tsx';
import { useOperationsStore } from '../operationsStore.ts';

const alertTypes = ['any', 'sla', 'path-violation', 'invalid-signature'] as const;

/** Orders with their canonical status, filterable by status, channel and open alerts. */
export function OrdersPage() {
  const filter = useOperationsStore((s) => s.orderFilter);
  const setFilter = useOperationsStore((s) => s.setOrderFilter);
  const orders = useOrders(filter);
  // The order list does not carry alerts; one page of open alerts gives each row its badge.
  const openAlerts = useAlerts({ state: 'open', level: '', type: '' });
  const alertCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const a of openAlerts.data?.items ?? []) {
      if (a.orderId) counts.set(a.orderId, (counts.get(a.orderId) ?? 0) + 1);
    }
    return counts;
  }, [openAlerts.data]);
  const filtered = filter.status || filter.channel || filter.alert;

  return (
    <div className="page ops-page">
      <header className="page-header">
        <div>
          <h1 className="ops-title">Orders</h1>
          <p className="muted">Canonical status of each order, from the events the source systems report.</p>
        </div>
      </header>

      <form className="ops-toolbar" aria-label="Filter orders" onSubmit={(event) => event.preventDefault()}>
        <label className="ops-field">
          <span>Status</span>
          <input
            type="search"
            value={filter.status}
            placeholder="e.g. packing"
            onChange={(event) => setFilter({ status: event.target.value.trim() })}
          />
        </label>
        <label className="ops-field">
          <span>Channel</span>
          <input
            type="search"
            value={filter.channel}
            placeholder="e.g. miniprogram"
            onChange={(event) => setFilter({ channel: event.target.value.trim() })}
          />
        </label>
        <label className="ops-field">
          <span>Open alert</span>
          <select value={filter.alert} onChange={(event) => setFilter({ alert: event.target.value })}>
            <option value="">Any order</option>
            {alertTypes.map((t) => (
              <option key={t} value={t}>
                {t === 'any' ? 'With any open alert' : t}
              </option>
            ))}
          </select>
        </label>
      </form>

      <QueryView
        query={orders}
        what="orders"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No orders match these filters' : 'No orders yet'}>
            {filtered
              ? 'Clear a filter to see more orders.'
              : 'Orders appear when source systems post status events to POST /api/orders/{id}/events.'}
          </EmptyState>
        }
      >
        {(data) => (
          <table className="definitions-table ops-table">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Status</th>
                <th scope="col">Since</th>
                <th scope="col">Channel</th>
                <th scope="col">Alerts</th>
                <th scope="col">Graph</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((o) => {
                const alerts = alertCounts.get(o.orderId) ?? 0;
                return (
                  <tr key={o.orderId} onClick={() => navigate(opsHref.order(o.orderId))}>
                    <td>
                      <OpsLink href={opsHref.order(o.orderId)} className="row-link mono">
                        {o.orderId}
                      </OpsLink>
                    </td>
                    <td>
                      <span className="ops-status">{o.status}</span>
                    </td>
                    <td className="muted">
                      <Time iso={o.since} />
                    </td>
                    <td>{o.channel ?? <span className="muted">—</span>}</td>
                    <td>
                      {alerts > 0 ? (
                        <span className="ops-badge ops-level-breach">
                          {alerts} open<span className="visually-hidden"> alerts</span>
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="small">
                      <code>{o.graph.id}</code> v{o.graph.version} · {o.environment}
                    </td>
                    <td className="muted">
                      <Time iso={o.updatedAt} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </QueryView>
    </div>
  );
}
