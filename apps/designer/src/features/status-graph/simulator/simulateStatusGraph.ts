import {
  type AlertEffect,
  type AlertLevel,
  type CompiledStatusGraph,
  fireSlaTimer,
  fixedClock,
  type OrderState,
  type SlaTimer,
  type StatusChange,
  transition,
} from '@orderloom/engine';
import type { Report, StatusEvent } from '@orderloom/schema';

const minuteMs = 60_000;

/**
 * One step of a simulation script: a system reports a status code, or the simulated clock moves on
 * (by some minutes, or to the next SLA deadline still pending at that point).
 */
export type SimulationStep =
  | {
      kind: 'event';
      /** Stable key for lists; not part of the simulation. */
      id: string;
      system: string;
      code: string;
      channel?: string;
      data?: Record<string, unknown>;
    }
  | { kind: 'advance'; id: string; minutes: number }
  | { kind: 'next-deadline'; id: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A {@link SimulationStep} before it is given its list key. */
export type SimulationStepInput = WithoutId<SimulationStep>;

/** A transition the engine took, with the guard that held and the label the analyst gave it. */
export interface FiredTransition extends StatusChange {
  guard: string;
  label: string | undefined;
}

/** One level of an SLA of the current stay: when it is due and whether the engine fired it. */
export interface SlaLevelCountdown {
  level: AlertLevel;
  atPercent: number;
  dueAt: number;
  reached: boolean;
}

/** An SLA running against the simulated clock for the state the order is in now. */
export interface SlaCountdown {
  slaId: string;
  state: string;
  withinMinutes: number;
  enteredAt: number;
  /** `enteredAt + withinMinutes` (the 100 % mark). */
  deadline: number;
  /** Negative once the deadline has passed. */
  remainingMs: number;
  /** Elapsed time as a share of `withinMinutes`, in percent. */
  elapsedPercent: number;
  levels: SlaLevelCountdown[];
  /** The highest level fired so far, or null. */
  reached: AlertLevel | null;
}

/** The simulation after a number of steps. */
export interface SimulationFrame {
  /** Steps applied: 0 is the start, before any step. */
  index: number;
  /** The step that led here (null at the start). */
  step: SimulationStep | null;
  /** The simulated clock, epoch ms. */
  now: number;
  /** The order as the engine sees it; null until its first event. */
  order: OrderState | null;
  /** Transitions this step caused. */
  transitions: FiredTransition[];
  /** Alerts this step raised (path violations, SLA levels). */
  alerts: AlertEffect[];
  /** Every alert raised up to and including this step, oldest first. */
  alertLog: AlertEffect[];
  /** SLA timers still to fire, by due time. */
  pendingTimers: SlaTimer[];
  /** The SLAs of the order's current stay. */
  countdowns: SlaCountdown[];
  /** Problems in the definition the engine met in this step (a `sets` that failed, a guard loop…). */
  warnings: Report[];
  /** Why the step changed nothing (an unknown code, no deadline pending), or null. */
  problem: string | null;
}

/** Where a simulation starts: which order id it plays and the clock's start. */
export interface SimulationOptions {
  orderId: string;
  /** Epoch ms. */
  startAt: number;
}

/**
 * Plays a script of system events and clock moves on a compiled status graph, with the engine's own
 * `transition` and `fireSlaTimer` and a fixed clock per step — exactly what the runtime does with a real
 * clock and its SLA scheduler, so the designer shows what production would do. Returns one frame per
 * step plus the start (`frames[0]`), so stepping back is picking an earlier frame.
 *
 * Moving the clock fires every pending timer due by then, each at its own due time (as a scheduler
 * that never lags would); a timer whose stay is over is dropped, as the runtime drops it.
 *
 * @example
 * const frames = simulateStatusGraph(compileStatusGraph(def), [
 *   { kind: 'event', id: '1', system: 'douyin', code: 'PAID', channel: 'douyin' },
 *   { kind: 'advance', id: '2', minutes: 15 },
 * ], { orderId: 'SIM-1', startAt: Date.parse('2026-11-11T00:00:00+08:00') });
 * frames.at(-1)?.alertLog.map((a) => a.level); // ['warning', 'breach']
 */
export function simulateStatusGraph(
  graph: CompiledStatusGraph,
  steps: readonly SimulationStep[],
  options: SimulationOptions,
): SimulationFrame[] {
  let now = options.startAt;
  let order: OrderState | null = null;
  // Timers the engine scheduled and did not cancel; `fired` remembers which of them were raised.
  let scheduled: SlaTimer[] = [];
  const fired = new Set<string>();
  const alertLog: AlertEffect[] = [];

  const frame = (
    index: number,
    step: SimulationStep | null,
    changes: Pick<SimulationFrame, 'transitions' | 'alerts' | 'warnings' | 'problem'>,
  ): SimulationFrame => {
    const pendingTimers = scheduled.filter((t) => !fired.has(t.id)).sort((a, b) => a.dueAt - b.dueAt);
    return {
      index,
      step,
      now,
      order,
      ...changes,
      alertLog: [...alertLog],
      pendingTimers,
      countdowns: countdownsOf(order, scheduled, fired, now),
    };
  };

  /** Fires, in due order, every pending timer due at or before `until`. */
  const fireDue = (until: number): AlertEffect[] => {
    const raised: AlertEffect[] = [];
    const due = scheduled
      .filter((t) => !fired.has(t.id) && t.dueAt <= until)
      .sort((a, b) => a.dueAt - b.dueAt);
    for (const timer of due) {
      if (!order) break;
      const result = fireSlaTimer(graph, order, timer, fixedClock(timer.dueAt));
      if (result.outcome === 'fired') {
        fired.add(timer.id);
        raised.push(...result.alerts);
      } else if (result.outcome === 'stale') {
        scheduled = scheduled.filter((t) => t.id !== timer.id);
      }
    }
    return raised;
  };

  const frames: SimulationFrame[] = [
    frame(0, null, { transitions: [], alerts: [], warnings: [], problem: null }),
  ];

  steps.forEach((step, i) => {
    const index = i + 1;
    if (step.kind === 'advance' || step.kind === 'next-deadline') {
      let target: number;
      let problem: string | null = null;
      if (step.kind === 'advance') {
        target = now + Math.max(0, step.minutes) * minuteMs;
      } else {
        const next = scheduled.filter((t) => !fired.has(t.id)).sort((a, b) => a.dueAt - b.dueAt)[0];
        target = next ? Math.max(now, next.dueAt) : now;
        if (!next) problem = 'No SLA deadline is pending: the clock stays where it is.';
      }
      const alerts = fireDue(target);
      now = target;
      alertLog.push(...alerts);
      frames.push(frame(index, step, { transitions: [], alerts, warnings: [], problem }));
      return;
    }

    const event: StatusEvent = {
      eventId: `sim-${index}`,
      system: step.system,
      code: step.code,
      occurredAt: new Date(now).toISOString(),
      ...(step.channel ? { channel: step.channel } : {}),
      ...(step.data ? { data: step.data } : {}),
    };
    const result = transition(graph, order ?? { orderId: options.orderId }, event, fixedClock(now));
    if (!result.ok) {
      frames.push(
        frame(index, step, { transitions: [], alerts: [], warnings: [], problem: result.error.message }),
      );
      return;
    }
    order = result.next;
    const cancelled = new Set(result.slaTimers.cancel);
    scheduled = [...scheduled.filter((t) => !cancelled.has(t.id)), ...result.slaTimers.schedule];
    alertLog.push(...result.alerts);
    frames.push(
      frame(index, step, {
        transitions: result.transitions.map((t) => describeTransition(graph, t)),
        alerts: result.alerts,
        warnings: result.warnings,
        problem: null,
      }),
    );
  });
  return frames;
}

function describeTransition(graph: CompiledStatusGraph, change: StatusChange): FiredTransition {
  const compiled = graph.transitionsFrom.get(change.from)?.find((t) => t.id === change.id);
  const defined = graph.definition.transitions.find((t) => t.id === change.id);
  return { ...change, guard: compiled?.guard.expression ?? defined?.guard ?? '', label: defined?.label };
}

const levelRank: Record<AlertLevel, number> = { warning: 1, breach: 2, escalation: 3 };

/** The SLAs of the order's current stay, from the timers the engine scheduled for it. */
function countdownsOf(
  order: OrderState | null,
  scheduled: readonly SlaTimer[],
  fired: ReadonlySet<string>,
  now: number,
): SlaCountdown[] {
  if (!order) return [];
  const bySla = new Map<string, SlaTimer[]>();
  for (const timer of scheduled) {
    if (timer.state !== order.status || timer.enteredAt !== order.since) continue;
    bySla.set(timer.slaId, [...(bySla.get(timer.slaId) ?? []), timer]);
  }
  return [...bySla.values()].map((timers) => {
    const first = timers[0] as SlaTimer;
    const levels = [...timers]
      .sort((a, b) => a.levelIndex - b.levelIndex)
      .map((t) => ({ level: t.level, atPercent: t.atPercent, dueAt: t.dueAt, reached: fired.has(t.id) }));
    const reached = levels
      .filter((l) => l.reached)
      .reduce<AlertLevel | null>(
        (top, l) => (top === null || levelRank[l.level] > levelRank[top] ? l.level : top),
        null,
      );
    const deadline = first.enteredAt + first.withinMinutes * minuteMs;
    return {
      slaId: first.slaId,
      state: first.state,
      withinMinutes: first.withinMinutes,
      enteredAt: first.enteredAt,
      deadline,
      remainingMs: deadline - now,
      elapsedPercent: ((now - first.enteredAt) / (first.withinMinutes * minuteMs)) * 100,
      levels,
      reached,
    };
  });
}
