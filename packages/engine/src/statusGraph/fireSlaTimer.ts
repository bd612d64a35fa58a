import type { Clock } from '../clock.ts';
import type { CompiledStatusGraph } from './compileStatusGraph.ts';
import { alertDelivery, type DeliveryEffect, type SlaAlert, type SlaTimer } from './effects.ts';
import type { OrderState } from './orderState.ts';

/** What a due SLA timer amounts to. */
export interface FireSlaTimerResult {
  /**
   * `fired`: the order is still in the stay the timer belongs to — raise the alert.
   * `not-due`: the clock has not reached `dueAt` yet — keep the row.
   * `stale`: the order has left that stay (or the SLA is gone from the graph) — drop the row.
   */
  outcome: 'fired' | 'not-due' | 'stale';
  alerts: SlaAlert[];
  deliveries: DeliveryEffect[];
}

/**
 * Turns a stored SLA timer into its alert, if it is due and the order is still in the same stay
 * (same state, same `since`). Levels of one stay share an alert `key`, so the runtime raises the level
 * of one open alert: warning → breach → escalation. Pure, like {@link transition}: timers are plain rows,
 * so a scheduler can fire them after a restart, and one that was missed while down fires late but once.
 *
 * @example
 * for (const row of db.dueTimers(clock.now())) {
 *   const r = fireSlaTimer(graph, db.order(row.orderId), row, clock);
 *   if (r.outcome !== 'not-due') db.deleteTimer(row.id);
 *   db.raise(r.alerts, r.deliveries);
 * }
 */
export function fireSlaTimer(
  graph: CompiledStatusGraph,
  order: OrderState,
  timer: SlaTimer,
  clock: Clock,
): FireSlaTimerResult {
  const now = clock.now();
  if (now < timer.dueAt) return { outcome: 'not-due', alerts: [], deliveries: [] };
  const stillThere = order.status === timer.state && order.since === timer.enteredAt;
  const slaExists = graph.slasByState.get(timer.state)?.some((sla) => sla.id === timer.slaId) ?? false;
  if (!stillThere || !slaExists) return { outcome: 'stale', alerts: [], deliveries: [] };

  const label = graph.states.get(timer.state)?.labels.en ?? timer.state;
  const minutes = Math.floor((now - timer.enteredAt) / 60_000);
  const alert: SlaAlert = {
    type: 'sla',
    key: `sla/${order.orderId}/${timer.slaId}/${timer.enteredAt}`,
    orderId: order.orderId,
    state: timer.state,
    level: timer.level,
    at: now,
    message:
      `order ${order.orderId} has been in "${label}" for ${minutes} min: ${timer.level} ` +
      `(${timer.atPercent} % of the ${timer.withinMinutes} min SLA ${timer.slaId})`,
    notify: [...timer.notify],
    slaId: timer.slaId,
    atPercent: timer.atPercent,
    withinMinutes: timer.withinMinutes,
    enteredAt: timer.enteredAt,
    dueAt: timer.dueAt,
  };
  return { outcome: 'fired', alerts: [alert], deliveries: [alertDelivery(alert)] };
}
