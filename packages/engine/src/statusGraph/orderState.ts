/** A JSON value stored as an evidence fact. */
export type FactValue = string | number | boolean | null | FactValue[] | { [key: string]: FactValue };

/**
 * The evidence an order has accumulated, nested by fact path:
 * `{ wms: { outboundNo: 'OB1' }, finance: { paymentConfirmed: true } }`.
 */
export type Facts = { [key: string]: FactValue };

/** The last code a system reported for an order. */
export interface RawStatus {
  code: string;
  eventId: string;
  /** When the source system says it happened (ISO 8601, as sent). */
  occurredAt: string;
  /** When the engine applied it, by the injected clock (epoch ms). */
  receivedAt: number;
}

/**
 * Everything the engine needs to know about one order between two events. JSON-serialisable, so the
 * runtime can store it as one row and hand it back unchanged.
 */
export interface OrderState {
  orderId: string;
  /** Sales channel (e.g. `douyin`), taken from the first event that names one. */
  channel?: string;
  /** The canonical state id. */
  status: string;
  /** When the order entered `status`, by the injected clock (epoch ms). */
  since: number;
  facts: Facts;
  /** Each system's last raw status, keyed by system id (last received wins). */
  lastRaw: Record<string, RawStatus>;
  /** `system/eventId` of every event applied, so re-applying one is a no-op. */
  seenEvents: string[];
}

/** An order the engine has not seen yet: pass this as the state of its first event. */
export interface NewOrder {
  orderId: string;
}

/** The key under which an event is remembered in {@link OrderState.seenEvents}. */
export function eventKey(system: string, eventId: string): string {
  return `${system}/${eventId}`;
}
