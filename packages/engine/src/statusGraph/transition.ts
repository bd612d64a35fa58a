import type { Report, StatusEvent } from '@orderloom/schema';
import type { Clock } from '../clock.ts';
import { type CelContext, CelError } from '../compileCel.ts';
import type { CompiledStatusGraph, CompiledSystemStatus, CompiledTransition } from './compileStatusGraph.ts';
import {
  type AlertEffect,
  alertDelivery,
  type DeliveryEffect,
  type EventCause,
  type PathViolationAlert,
  type SlaTimer,
  type StatusChange,
} from './effects.ts';
import { eventKey, type Facts, type FactValue, type NewOrder, type OrderState } from './orderState.ts';
import { slaTimerIdsFor, slaTimersFor } from './slaTimers.ts';

/** What the runtime must do after an event was applied; the engine performs none of it. */
export interface TransitionResult {
  ok: true;
  /** The event was applied before (same system and eventId): `next` is the state given, no effects. */
  duplicate: boolean;
  /** This event created the order. */
  created: boolean;
  next: OrderState;
  /** Transitions taken, in order (an event may cause several in a row). */
  transitions: StatusChange[];
  alerts: AlertEffect[];
  /** One `status.changed` per transition, one `alert.<type>` per alert. */
  deliveries: DeliveryEffect[];
  /** Timer rows to insert for the state entered, and ids of the rows to delete for the state left. */
  slaTimers: { schedule: SlaTimer[]; cancel: string[] };
  /**
   * Problems in the definition met while applying the event (a `sets` expression that failed, so its
   * fact was not set; a guard that did not return a bool; a transition loop cut short). The event is
   * still applied; the runtime logs these and the designer's simulator shows them.
   */
  warnings: Report[];
}

/** The event names a system or code the status graph does not know; nothing was applied. */
export interface TransitionRejection {
  ok: false;
  error:
    | { type: 'unknown-system'; path: '/system'; system: string; message: string }
    | { type: 'unknown-code'; path: '/code'; system: string; code: string; message: string };
}

const sameState = (order: OrderState): TransitionResult => ({
  ok: true,
  duplicate: true,
  created: false,
  next: order,
  transitions: [],
  alerts: [],
  deliveries: [],
  slaTimers: { schedule: [], cancel: [] },
  warnings: [],
});

/**
 * Applies one status event to an order, purely: returns the next state and the effects to perform.
 *
 * 1. The code's `sets` are evaluated (CEL over `{ event, data, facts, order }`, all against the facts
 *    before this event) and written into the facts.
 * 2. From the current state, the first transition (in definition order) whose guard holds (CEL over
 *    `{ facts, order: { id, channel }, channel }`) is taken, again and again, until none holds, a
 *    terminal state is reached, or as many steps as there are states were taken (a loop: warning).
 *    A guard that fails to evaluate — typically a fact not reported yet — does not hold.
 * 3. A code that `implies` a state raises a `path-violation` alert when the order neither was in that
 *    state, nor entered it through this event, nor had already passed it (the implied state can reach
 *    the state before the event). The event is applied all the same.
 * 4. Leaving a state cancels its SLA timers; entering one schedules them (`slaTimers`).
 *
 * Every time comes from `clock`: `since`, transition times and SLA deadlines are when the engine
 * applied the event, not the source's `occurredAt` (kept in `lastRaw`), which a system may send late.
 *
 * @param order the stored state, or `{ orderId }` for the first event of an order
 * @example
 * const r = transition(graph, { orderId: 'DY1' }, { eventId: 'e1', system: 'douyin', code: 'PAID',
 *   occurredAt: '2026-11-11T00:00:00+08:00', channel: 'douyin' }, clock);
 * if (r.ok) save(r.next, r.slaTimers, r.deliveries);
 */
export function transition(
  graph: CompiledStatusGraph,
  order: OrderState | NewOrder,
  event: StatusEvent,
  clock: Clock,
): TransitionResult | TransitionRejection {
  const existing = 'status' in order ? order : undefined;
  const key = eventKey(event.system, event.eventId);
  if (existing?.seenEvents.includes(key)) return sameState(existing);

  const codes = graph.systems.get(event.system);
  if (!codes) {
    return {
      ok: false,
      error: {
        type: 'unknown-system',
        path: '/system',
        system: event.system,
        message: `system "${event.system}" is not part of status graph ${graph.definition.id}`,
      },
    };
  }
  const status = codes.get(event.code);
  if (!status) {
    return {
      ok: false,
      error: {
        type: 'unknown-code',
        path: '/code',
        system: event.system,
        code: event.code,
        message: `code "${event.code}" is not in the dictionary of system "${event.system}"`,
      },
    };
  }

  const now = clock.now();
  const before: OrderState = existing ?? {
    orderId: order.orderId,
    status: graph.initialState,
    since: now,
    facts: {},
    lastRaw: {},
    seenEvents: [],
  };
  const channel = before.channel ?? event.channel;
  const cause: EventCause = { system: event.system, code: event.code, eventId: event.eventId };
  const warnings: Report[] = [];

  const facts = applySets(graph, status, before, channel, event, warnings);

  const guardContext: CelContext = {
    facts: withNamespaces(graph, facts),
    order: { id: before.orderId, channel: channel ?? null },
    channel: channel ?? null,
  };
  const transitions: StatusChange[] = [];
  let current = before.status;
  for (;;) {
    const next = graph.states.get(current)?.terminal
      ? undefined
      : firstOpen(graph, current, guardContext, warnings);
    if (!next) break;
    if (transitions.length >= graph.states.size) {
      warnings.push({
        path: next.pointer,
        nodeId: next.id,
        severity: 'warning',
        message: `stopped after ${transitions.length} transitions in one event: the guards form a loop`,
      });
      break;
    }
    transitions.push({ id: next.id, from: current, to: next.to, at: now, cause });
    current = next.to;
  }

  const alerts: AlertEffect[] = [];
  const violation = pathViolation(graph, status, before, transitions, current, cause, now);
  if (violation) alerts.push(violation);

  const next: OrderState = {
    orderId: before.orderId,
    ...(channel === undefined ? {} : { channel }),
    status: current,
    since: transitions.length > 0 ? now : before.since,
    facts,
    lastRaw: {
      ...before.lastRaw,
      [event.system]: {
        code: event.code,
        eventId: event.eventId,
        occurredAt: event.occurredAt,
        receivedAt: now,
      },
    },
    seenEvents: [...before.seenEvents, key],
  };

  const schedule: SlaTimer[] = [];
  const cancel: string[] = [];
  const stay = { orderId: next.orderId, channel, state: next.status, enteredAt: next.since };
  if (transitions.length > 0) {
    if (existing) {
      cancel.push(
        ...slaTimerIdsFor(graph, {
          orderId: existing.orderId,
          channel: existing.channel,
          state: existing.status,
          enteredAt: existing.since,
        }),
      );
    }
    schedule.push(...slaTimersFor(graph, stay));
  } else if (!existing) {
    schedule.push(...slaTimersFor(graph, stay));
  } else if (existing.channel === undefined && channel !== undefined) {
    // The channel became known only now: the channel's own SLAs of the current stay still need timers.
    schedule.push(...slaTimersFor(graph, stay, true));
  }

  const deliveries: DeliveryEffect[] = transitions.map((t, i) => ({
    topic: 'status.changed',
    key: `${next.orderId}/${key}/${i}`,
    payload: {
      orderId: next.orderId,
      channel: channel ?? null,
      transition: t.id,
      from: t.from,
      to: t.to,
      at: new Date(t.at).toISOString(),
      cause,
    },
  }));
  deliveries.push(...alerts.map(alertDelivery));

  return {
    ok: true,
    duplicate: false,
    created: !existing,
    next,
    transitions,
    alerts,
    deliveries,
    slaTimers: { schedule, cancel },
    warnings,
  };
}

/** Evaluates every `sets` expression against the facts before the event, so their order does not matter. */
function applySets(
  graph: CompiledStatusGraph,
  status: CompiledSystemStatus,
  before: OrderState,
  channel: string | undefined,
  event: StatusEvent,
  warnings: Report[],
): Facts {
  const facts = structuredClone(before.facts);
  if (status.sets.length === 0) return facts;
  const data = event.data ?? {};
  const context: CelContext = {
    event: {
      eventId: event.eventId,
      system: event.system,
      code: event.code,
      occurredAt: event.occurredAt,
      channel: event.channel ?? null,
      data,
    },
    data,
    facts: withNamespaces(graph, before.facts),
    order: { id: before.orderId, channel: channel ?? null },
  };
  for (const setter of status.sets) {
    let value: FactValue | undefined;
    let problem: string;
    try {
      value = toFactValue(setter.expression.evaluate(context));
      problem = 'the result is not a JSON value';
    } catch (e) {
      if (!(e instanceof CelError)) throw e;
      problem = e.summary;
    }
    if (value === undefined) {
      warnings.push({
        path: setter.pointer,
        nodeId: `${status.system}:${status.code}`,
        severity: 'warning',
        message: `fact ${setter.factPath} not set by event ${event.eventId}: ${problem}`,
      });
      continue;
    }
    setFact(facts, setter.segments, value);
  }
  return facts;
}

function firstOpen(
  graph: CompiledStatusGraph,
  state: string,
  context: CelContext,
  warnings: Report[],
): CompiledTransition | undefined {
  for (const candidate of graph.transitionsFrom.get(state) ?? []) {
    try {
      if (candidate.guard.evaluateBoolean(context)) return candidate;
    } catch (e) {
      if (!(e instanceof CelError)) throw e;
      // A missing fact ("no such key") is the normal state of an incomplete order, not a problem.
      if (e.phase === 'result') {
        warnings.push({
          path: `${candidate.pointer}/guard`,
          nodeId: candidate.id,
          severity: 'warning',
          message: e.summary,
        });
      }
    }
  }
  return undefined;
}

function pathViolation(
  graph: CompiledStatusGraph,
  status: CompiledSystemStatus,
  before: OrderState,
  transitions: readonly StatusChange[],
  current: string,
  cause: EventCause,
  now: number,
): PathViolationAlert | undefined {
  const implied = status.implies;
  if (implied === undefined || implied === before.status) return undefined;
  if (transitions.some((t) => t.to === implied)) return undefined;
  if (graph.reachableFrom.get(implied)?.has(before.status)) return undefined;
  return {
    type: 'path-violation',
    key: `path-violation/${before.orderId}/${eventKey(cause.system, cause.eventId)}`,
    orderId: before.orderId,
    state: current,
    level: 'breach',
    at: now,
    message:
      `${cause.system} reported ${cause.code}, which implies "${implied}", ` +
      `but order ${before.orderId} is in "${current}" and the graph does not lead there`,
    notify: [],
    implies: implied,
    from: before.status,
    cause,
  };
}

/** Every fact namespace present as at least an empty map, so `has(facts.wms.outboundNo)` is false, not an error. */
function withNamespaces(graph: CompiledStatusGraph, facts: Facts): Facts {
  const seeded: Facts = {};
  for (const namespace of graph.factNamespaces) seeded[namespace] = {};
  return Object.assign(seeded, facts);
}

function setFact(facts: Facts, segments: readonly string[], value: FactValue): void {
  let node: Facts = facts;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      node[segment] = value;
      return;
    }
    const child = node[segment];
    if (isFactMap(child)) {
      node = child;
    } else {
      const created: Facts = {};
      node[segment] = created;
      node = created;
    }
  });
}

function isFactMap(value: FactValue | undefined): value is Facts {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** CEL results as JSON: timestamps become ISO strings; anything not representable gives undefined. */
function toFactValue(value: unknown): FactValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(toFactValue);
    return items.every((v) => v !== undefined) ? (items as FactValue[]) : undefined;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Facts = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = toFactValue(v);
      if (converted === undefined) return undefined;
      out[k] = converted;
    }
    return out;
  }
  return undefined;
}
