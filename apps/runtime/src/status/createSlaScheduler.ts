import { type Clock, type DeliveryEffect, fireSlaTimer } from '@orderloom/engine';
import type { AlertsRepository } from '../db/alertsRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import type { OrdersRepository } from '../db/ordersRepository.ts';
import type { SlaTimersRepository } from '../db/slaTimersRepository.ts';
import type { StatusGraphSelector } from './selectStatusGraph.ts';

/** Fires stored SLA timers when they are due; see {@link createSlaScheduler}. */
export interface SlaScheduler {
  /** Fires every timer due by the clock now and re-arms; returns how many alerts were raised or escalated. */
  runDue(): number;
  /** Re-arms after timer rows were written (cheap when the earliest deadline did not move). */
  wake(): void;
  /** Fires what was missed while down, then arms. */
  start(): void;
  stop(): void;
}

// setTimeout cannot wait longer than this; a later deadline is re-armed when this one elapses.
const maxDelayMs = 2 ** 31 - 1;

/**
 * The SLA scheduler. Deadlines live in `sla_timers` rows, so they survive a restart; one timer is armed
 * on the earliest row and re-armed whenever an earlier one is written or a batch was fired. Each due row
 * is handed to the engine's `fireSlaTimer` in its own transaction: `fired` raises (or escalates) the
 * stay's single alert and enqueues its delivery, `stale` (the order moved on) just deletes the row.
 * Every time comes from the injected clock, so tests drive it with a fake clock and `runDue()`.
 */
export function createSlaScheduler(deps: {
  db: Db;
  clock: Clock;
  timers: SlaTimersRepository;
  orders: OrdersRepository;
  alerts: AlertsRepository;
  selector: StatusGraphSelector;
  enqueue: (effect: DeliveryEffect) => void;
  onError?: (err: unknown) => void;
}): SlaScheduler {
  const { db, clock, timers, orders, alerts, selector } = deps;
  let handle: NodeJS.Timeout | undefined;
  let armedFor: number | undefined;
  let running = false;

  const fireOne = db.transaction((id: string, now: number): boolean => {
    const timer = timers.get(id);
    if (!timer || timer.dueAt > now) return false;
    const stored = orders.get(timer.orderId);
    const graph = stored && selector.forOrder(stored.graphId, stored.environment);
    if (!stored || !graph) {
      timers.delete(id);
      return false;
    }
    const fired = fireSlaTimer(graph.compiled, stored.state, timer, { now: () => now });
    if (fired.outcome === 'not-due') return false;
    timers.delete(id);
    let raised = false;
    for (const alert of fired.alerts) {
      const { change } = alerts.raise(
        {
          key: alert.key,
          type: 'sla',
          orderId: alert.orderId,
          level: alert.level,
          message: alert.message,
          notify: alert.notify,
          details: alert,
        },
        now,
      );
      if (change !== 'repeated') raised = true;
    }
    if (raised) for (const effect of fired.deliveries) deps.enqueue(effect);
    return raised;
  });

  const arm = (): void => {
    if (stopped) return;
    const next = timers.nextDueAt();
    if (next === undefined) {
      disarm();
      return;
    }
    if (handle && armedFor !== undefined && armedFor <= next) return;
    disarm();
    armedFor = next;
    handle = setTimeout(tick, Math.min(maxDelayMs, Math.max(0, next - clock.now())));
    handle.unref();
  };
  const disarm = (): void => {
    if (handle) clearTimeout(handle);
    handle = undefined;
    armedFor = undefined;
  };
  const tick = (): void => {
    handle = undefined;
    armedFor = undefined;
    try {
      runDue();
    } catch (err) {
      deps.onError?.(err);
      // Try again later rather than spinning on a failing row.
      handle = setTimeout(tick, 5_000);
      handle.unref();
    }
  };
  let stopped = true;

  const runDue = (): number => {
    if (running) return 0;
    running = true;
    let count = 0;
    try {
      for (;;) {
        const now = clock.now();
        const due = timers.due(now, 200);
        if (due.length === 0) break;
        for (const timer of due) if (fireOne.immediate(timer.id, now)) count += 1;
        if (due.length < 200) break;
      }
    } finally {
      running = false;
    }
    arm();
    return count;
  };

  return {
    runDue,
    wake: arm,
    start() {
      stopped = false;
      runDue();
    },
    stop() {
      stopped = true;
      disarm();
    },
  };
}
