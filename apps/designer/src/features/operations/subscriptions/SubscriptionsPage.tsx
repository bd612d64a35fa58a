import { useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { navigate } from '../../../lib/router.ts';
import { useSessionStore } from '../../../store/sessionStore.ts';
import { useDeliveries, useRedeliver, useSubscriptions } from '../api/useSubscriptions.ts';
import { EmptyState, ProblemMessage, QueryView, Time } from '../OperationsStates.tsx';
import { OpsLink, opsHref } from '../OpsLink.tsx';
import type { Subscription } from '../operationsTypes.ts';

function targetLabel(subscription: Subscription): string {
  const { target } = subscription;
  return target.type === 'mqtt' ? `${target.url} → ${target.topic}` : target.url;
}

/** The delivery log of one subscription, with redeliver for finished deliveries. */
function DeliveryLog({ subscription }: { subscription: Subscription }) {
  const [state, setState] = useState('');
  const deliveries = useDeliveries(subscription.id, state);
  const redeliver = useRedeliver(subscription.id);
  const isAdmin = useSessionStore((s) => s.me?.role === 'admin');

  return (
    <section className="ops-card ops-card-spaced" aria-labelledby="deliveries-heading">
      <header className="ops-card-header">
        <h2 id="deliveries-heading">
          Deliveries of <code>{subscription.id}</code>
        </h2>
        <label className="ops-field ops-field-inline">
          <span>State</span>
          <select value={state} onChange={(event) => setState(event.target.value)}>
            <option value="">All</option>
            <option value="pending">pending</option>
            <option value="delivered">delivered</option>
            <option value="dead">dead</option>
          </select>
        </label>
      </header>
      <QueryView
        query={deliveries}
        what="deliveries"
        rows={3}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState title="No deliveries">
            Deliveries appear when an event on a subscribed topic happens.
          </EmptyState>
        }
      >
        {(data) => (
          <table className="ops-mini-table" data-testid="deliveries">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last status / error</th>
                <th scope="col">Created</th>
                <th scope="col">Delivered / next</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <code>{d.topic}</code>
                  </td>
                  <td>
                    <span
                      className={`ops-badge ${d.state === 'dead' ? 'ops-level-breach' : d.state === 'delivered' ? 'ops-ok' : 'ops-level-warning'}`}
                    >
                      {d.state}
                    </span>
                  </td>
                  <td className="num">
                    {d.attempts}
                    {d.redeliveries > 0 ? (
                      <span className="muted small"> (+{d.redeliveries} redeliveries)</span>
                    ) : null}
                  </td>
                  <td className="small">
                    {d.lastStatus !== null ? <code>{d.lastStatus}</code> : null} {d.lastError ?? ''}
                    {d.lastStatus === null && !d.lastError ? <span className="muted">—</span> : null}
                  </td>
                  <td className="muted">
                    <Time iso={d.createdAt} />
                  </td>
                  <td className="muted">
                    <Time iso={d.deliveredAt ?? d.nextAttemptAt} />
                  </td>
                  <td className="num">
                    {d.state === 'pending' ? null : (
                      <Button
                        size="sm"
                        busy={redeliver.isPending && redeliver.variables === d.id}
                        disabledReason={isAdmin ? null : 'Only admins can redeliver.'}
                        onClick={() => redeliver.mutate(d.id)}
                        aria-label={`Redeliver ${d.topic} delivery ${d.id}`}
                      >
                        Redeliver
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </section>
  );
}

/** Webhook and MQTT subscriptions, and the delivery log of the selected one. */
export function SubscriptionsPage({ selectedId }: { selectedId?: string | undefined }) {
  const subscriptions = useSubscriptions();
  const selected = subscriptions.data?.items.find((s) => s.id === selectedId);

  return (
    <div className="page ops-page">
      <header className="page-header">
        <div>
          <h1 className="ops-title">Subscriptions</h1>
          <p className="muted">
            Where status changes, alerts and decisions are pushed, and how each delivery went.
          </p>
        </div>
      </header>
      <QueryView
        query={subscriptions}
        what="subscriptions"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState title="No subscriptions yet">
            Admins create them with POST /api/subscriptions (a webhook URL or an MQTT topic).
          </EmptyState>
        }
      >
        {(data) => (
          <>
            <table className="definitions-table ops-table">
              <thead>
                <tr>
                  <th scope="col">Subscription</th>
                  <th scope="col">Topics</th>
                  <th scope="col">Target</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((s) => (
                  <tr
                    key={s.id}
                    className={s.id === selectedId ? 'ops-selected' : undefined}
                    onClick={() => navigate(opsHref.subscription(s.id))}
                  >
                    <td>
                      <OpsLink href={opsHref.subscription(s.id)} className="row-link mono">
                        {s.id}
                      </OpsLink>
                      {s.description ? <div className="muted small">{s.description}</div> : null}
                    </td>
                    <td>
                      {s.topics.map((t) => (
                        <code key={t} className="ops-topic">
                          {t}
                        </code>
                      ))}
                    </td>
                    <td className="small">
                      <span className="ops-badge ops-neutral">{s.target.type}</span> {targetLabel(s)}
                    </td>
                    <td>
                      <span
                        className={`ops-badge ${s.state === 'active' ? 'ops-ok' : 'ops-level-breach'}`}
                        title={s.disabledReason ?? undefined}
                      >
                        {s.state}
                      </span>
                    </td>
                    <td className="muted">
                      <Time iso={s.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {selected ? (
              <DeliveryLog key={selected.id} subscription={selected} />
            ) : selectedId ? (
              <ProblemMessage
                what="show the subscription"
                error={new Error(`There is no subscription "${selectedId}".`)}
              />
            ) : (
              <p className="muted ops-caption">Select a subscription to see its delivery log.</p>
            )}
          </>
        )}
      </QueryView>
    </div>
  );
}
