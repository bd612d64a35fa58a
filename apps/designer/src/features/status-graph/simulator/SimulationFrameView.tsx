import type { AlertEffect, CompiledStatusGraph } from '@orderloom/engine';
import { Icon } from '../../../components/Icon.tsx';
import { formatDuration, formatElapsed } from './formatDuration.ts';
import type { SimulationFrame, SlaCountdown } from './simulateStatusGraph.ts';

function stateLabel(graph: CompiledStatusGraph, id: string): string {
  return graph.states.get(id)?.labels.en ?? id;
}

function SlaCountdownView({ countdown, startAt }: { countdown: SlaCountdown; startAt: number }) {
  const scale = Math.max(200, ...countdown.levels.map((l) => l.atPercent)) * 1.05;
  const fill = Math.min(Math.max(countdown.elapsedPercent, 0), scale);
  const overdue = countdown.remainingMs < 0;
  return (
    <li className={`sim-sla level-${countdown.reached ?? 'none'}`} data-testid={`sim-sla-${countdown.slaId}`}>
      <div className="sim-sla-head">
        <code>{countdown.slaId}</code>
        <span className="muted">within {countdown.withinMinutes} min</span>
        <strong className={overdue ? 'tone-danger' : countdown.remainingMs === 0 ? 'tone-warning' : ''}>
          {overdue
            ? `overdue by ${formatDuration(countdown.remainingMs)}`
            : countdown.remainingMs === 0
              ? 'due now'
              : `${formatDuration(countdown.remainingMs)} left`}
        </strong>
      </div>
      <span className="visually-hidden">{Math.round(countdown.elapsedPercent)} % of the SLA used</span>
      <div className="sim-sla-track" aria-hidden>
        <div className="sim-sla-fill" style={{ width: `${(fill / scale) * 100}%` }} />
        {countdown.levels.map((l) => (
          <span
            key={l.level}
            className={`sim-sla-mark mark-${l.level}${l.reached ? ' reached' : ''}`}
            style={{ left: `${(l.atPercent / scale) * 100}%` }}
            title={`${l.level} at ${l.atPercent} % (${formatElapsed(l.dueAt, startAt)})`}
          />
        ))}
      </div>
      <ul className="sim-sla-levels">
        {countdown.levels.map((l) => (
          <li key={l.level} className={l.reached ? `reached level-${l.level}` : ''}>
            {l.reached ? <Icon name="check" size={11} /> : null}
            {l.level} {l.atPercent} % · {formatElapsed(l.dueAt, startAt)}
          </li>
        ))}
      </ul>
    </li>
  );
}

function AlertItem({ alert, fresh, startAt }: { alert: AlertEffect; fresh: boolean; startAt: number }) {
  return (
    <li className={`sim-alert level-${alert.level}${fresh ? ' fresh' : ''}`}>
      <span className={`sim-level level-${alert.level}`}>{alert.level}</span>
      <span className="sim-alert-body">
        <strong>
          {alert.type === 'sla' ? `SLA ${alert.slaId}` : 'Path violation'}
          {fresh ? <span className="visually-hidden"> (raised in this step)</span> : null}
        </strong>
        <span className="sim-alert-message">{alert.message}</span>
        {alert.notify.length ? <span className="muted">notify {alert.notify.join(', ')}</span> : null}
      </span>
      <span className="sim-timeline-time" title={fresh ? 'Raised in this step' : undefined}>
        {fresh ? '● ' : ''}
        {formatElapsed(alert.at, startAt)}
      </span>
    </li>
  );
}

/** The simulation after the step shown: state, transitions, SLA countdowns, alerts and facts. */
export function SimulationFrameView({
  graph,
  frame,
  startAt,
}: {
  graph: CompiledStatusGraph;
  frame: SimulationFrame;
  startAt: number;
}) {
  const order = frame.order;
  const current = order ? graph.states.get(order.status) : undefined;
  const fresh = new Set(frame.alerts);
  const facts = order && Object.keys(order.facts).length ? JSON.stringify(order.facts, null, 2) : null;
  return (
    <div className="sim-frame" data-testid="sim-frame">
      <section className="sim-card" aria-label="Current state">
        <h3>Canonical state</h3>
        {order ? (
          <div className="sim-state" data-testid="sim-current-state" data-state={order.status}>
            <strong>{current?.labels.en ?? order.status}</strong>
            {current?.labels.zh ? <span lang="zh">{current.labels.zh}</span> : null}
            <code>{order.status}</code>
            {current?.terminal ? <span className="state-flag flag-terminal">End</span> : null}
          </div>
        ) : (
          <div className="sim-state empty" data-testid="sim-current-state" data-state="">
            <span>
              No order yet: its first event creates it in “{stateLabel(graph, graph.initialState)}”.
            </span>
          </div>
        )}
        {order ? (
          <p className="muted small">
            Order <code>{order.orderId}</code>
            {order.channel ? (
              <>
                {' '}
                on <strong>{order.channel}</strong>
              </>
            ) : null}{' '}
            · in this state since {formatElapsed(order.since, startAt)} (
            {formatDuration(frame.now - order.since)})
          </p>
        ) : null}
        {frame.problem ? (
          <p className="sim-problem" role="status">
            <Icon name="alert" size={13} /> {frame.problem}
          </p>
        ) : null}
        {frame.step && frame.transitions.length === 0 && !frame.problem && frame.step.kind === 'event' ? (
          <p className="muted small">No guard held: the state did not change.</p>
        ) : null}
        {frame.transitions.length ? (
          <ol className="sim-transitions" aria-label="Transitions in this step">
            {frame.transitions.map((t) => (
              <li key={`${t.id}:${t.from}`}>
                <div>
                  {stateLabel(graph, t.from)} <span aria-hidden>→</span>{' '}
                  <strong>{stateLabel(graph, t.to)}</strong>{' '}
                  <span className="muted">({t.label ?? t.id})</span>
                </div>
                <code className="sim-guard" title="The guard that held">
                  {t.guard}
                </code>
              </li>
            ))}
          </ol>
        ) : null}
        {frame.warnings.length ? (
          <ul className="sim-warnings" aria-label="Engine warnings">
            {frame.warnings.map((w) => (
              <li key={`${w.path}:${w.message}`}>
                <Icon name="alert" size={12} /> {w.message} <code className="muted">{w.path}</code>
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section className="sim-card" aria-label="SLAs">
        <h3>SLAs of this state</h3>
        {frame.countdowns.length ? (
          <ul className="sim-slas">
            {frame.countdowns.map((c) => (
              <SlaCountdownView key={c.slaId} countdown={c} startAt={startAt} />
            ))}
          </ul>
        ) : (
          <p className="muted small">
            {order ? 'No SLA applies to this state on this channel.' : 'SLAs start with the first event.'}
          </p>
        )}
      </section>

      <section className="sim-card" aria-label="Alerts" data-testid="sim-alerts">
        <h3>
          Alerts <span className="count-pill">{frame.alertLog.length}</span>
        </h3>
        {frame.alertLog.length ? (
          <ul className="sim-alerts">
            {[...frame.alertLog].reverse().map((a) => (
              <AlertItem key={`${a.key}/${a.level}`} alert={a} fresh={fresh.has(a)} startAt={startAt} />
            ))}
          </ul>
        ) : (
          <p className="muted small">None so far.</p>
        )}
      </section>

      <section className="sim-card" aria-label="Facts">
        <h3>Facts</h3>
        {facts ? (
          <pre className="sim-facts" data-testid="sim-facts">
            {facts}
          </pre>
        ) : (
          <p className="muted small">No evidence reported yet.</p>
        )}
      </section>
    </div>
  );
}
