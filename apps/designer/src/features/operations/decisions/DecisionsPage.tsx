import { useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { navigate } from '../../../lib/router.ts';
import { useDecisions } from '../api/useDecisions.ts';
import { EmptyState, QueryView, Time } from '../OperationsStates.tsx';
import { OpsLink, opsHref } from '../OpsLink.tsx';
import { useOperationsStore } from '../operationsStore.ts';

/** Decision explorer: recent decisions, or those of one order. */
export function DecisionsPage() {
  const orderId = useOperationsStore((s) => s.decisionOrderId);
  const setOrderId = useOperationsStore((s) => s.setDecisionOrderId);
  const [input, setInput] = useState(orderId);
  const decisions = useDecisions({ orderId, strategy: '' });

  return (
    <div className="page ops-page">
      <header className="page-header">
        <div>
          <h1 className="ops-title">Decisions</h1>
          <p className="muted">
            Every routing decision with the facts it read, its ranking and why the winner won.
          </p>
        </div>
      </header>

      <form
        className="ops-toolbar"
        aria-label="Search decisions"
        onSubmit={(event) => {
          event.preventDefault();
          setOrderId(input.trim());
        }}
      >
        <label className="ops-field">
          <span>Order id</span>
          <input
            type="search"
            value={input}
            placeholder="e.g. DY26111100499"
            onChange={(event) => setInput(event.target.value)}
          />
        </label>
        <Button type="submit" variant="primary">
          Search
        </Button>
        {orderId ? (
          <Button
            variant="ghost"
            onClick={() => {
              setInput('');
              setOrderId('');
            }}
          >
            Show recent
          </Button>
        ) : null}
      </form>

      <QueryView
        query={decisions}
        what="decisions"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState title={orderId ? `No decisions for order ${orderId}` : 'No decisions yet'}>
            {orderId
              ? 'Check the order id; decisions are stored when POST /api/route is called for an order.'
              : 'Decisions appear here once an order is routed with POST /api/route.'}
          </EmptyState>
        }
      >
        {(data) => (
          <>
            <p className="muted small ops-caption">
              {orderId ? `Decisions for order ${orderId}` : 'Most recent decisions'}, newest first
            </p>
            <table className="definitions-table ops-table">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Decided</th>
                  <th scope="col">Strategy</th>
                  <th scope="col">Allocation</th>
                  <th scope="col">Tier</th>
                  <th scope="col">Explanation</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((d) => (
                  <tr key={d.decisionId} onClick={() => navigate(opsHref.decision(d.decisionId))}>
                    <td>
                      <OpsLink href={opsHref.decision(d.decisionId)} className="row-link mono">
                        {d.orderId}
                      </OpsLink>
                    </td>
                    <td className="muted nowrap">
                      <Time iso={d.at} />
                    </td>
                    <td className="nowrap">
                      <code>{d.strategy.id}</code> v{d.strategy.version}
                    </td>
                    <td>
                      {d.unroutable ? (
                        <span className="ops-badge ops-level-breach">unroutable</span>
                      ) : (
                        d.allocation.map((a) => (
                          <div key={`${a.warehouse}/${a.lane}`} className="ops-alloc">
                            <strong>{a.warehouse}</strong> <span className="muted small">{a.lane}</span>
                          </div>
                        ))
                      )}
                    </td>
                    <td>{d.tierUsed ? <span className="ops-badge ops-tier">{d.tierUsed}</span> : '—'}</td>
                    <td className="ops-explanation small">{d.explanation}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </QueryView>
    </div>
  );
}
