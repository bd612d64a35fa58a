import type { Sla } from '@orderloom/schema';

/** Escalation level of an alert. */
export type AlertLevel = Sla['levels'][number]['level'];

/** The event that caused a change or an alert. */
export interface EventCause {
  system: string;
  code: string;
  eventId: string;
}

/** One transition the order took (several may follow from one event). */
export interface StatusChange {
  /** Transition id in the definition. */
  id: string;
  from: string;
  to: string;
  /** Epoch ms, by the injected clock. */
  at: number;
  cause: EventCause;
}

/**
 * A deadline of one SLA level for one stay of an order in a state. The runtime stores these as rows
 * (keyed by `id`) and a scheduler hands each due one to `fireSlaTimer`, also after a restart.
 */
export interface SlaTimer {
  /** Deterministic: the same order, SLA, stay and level always give the same id. */
  id: string;
  orderId: string;
  slaId: string;
  state: string;
  /** Index of the level in the SLA's `levels`. */
  levelIndex: number;
  level: AlertLevel;
  atPercent: number;
  withinMinutes: number;
  /** When the order entered the state (the stay this timer belongs to), epoch ms. */
  enteredAt: number;
  /** `enteredAt + withinMinutes × atPercent / 100`, epoch ms. */
  dueAt: number;
  notify: string[];
}

/** An SLA level reached while the order is still in the state. */
export interface SlaAlert {
  type: 'sla';
  /** Same for every level of one stay, so the runtime can keep one alert and raise its level. */
  key: string;
  orderId: string;
  state: string;
  level: AlertLevel;
  at: number;
  message: string;
  notify: string[];
  slaId: string;
  atPercent: number;
  withinMinutes: number;
  enteredAt: number;
  dueAt: number;
}

/** A system reported a code implying a state the order cannot be in by the graph. */
export interface PathViolationAlert {
  type: 'path-violation';
  key: string;
  orderId: string;
  /** The canonical state after the event was applied. */
  state: string;
  level: AlertLevel;
  at: number;
  message: string;
  notify: string[];
  /** The state the code implies. */
  implies: string;
  /** The canonical state before the event. */
  from: string;
  cause: EventCause;
}

/** An alert to raise; the runtime stores it and enqueues its delivery. */
export type AlertEffect = SlaAlert | PathViolationAlert;

/** Payload of a `status.changed` delivery. */
export interface StatusChangedPayload {
  orderId: string;
  channel: string | null;
  transition: string;
  from: string;
  to: string;
  /** ISO 8601. */
  at: string;
  cause: EventCause;
}

/**
 * A message to enqueue for subscribers (outbox row). `key` is deterministic, so the runtime can use it
 * to make enqueuing idempotent.
 */
export type DeliveryEffect =
  | { topic: 'status.changed'; key: string; payload: StatusChangedPayload }
  | { topic: 'alert.sla'; key: string; payload: SlaAlert }
  | { topic: 'alert.path-violation'; key: string; payload: PathViolationAlert };

/** The delivery announcing an alert, on topic `alert.<type>`. */
export function alertDelivery(alert: AlertEffect): DeliveryEffect {
  const key = `${alert.key}/${alert.level}`;
  return alert.type === 'sla'
    ? { topic: 'alert.sla', key, payload: alert }
    : { topic: 'alert.path-violation', key, payload: alert };
}
