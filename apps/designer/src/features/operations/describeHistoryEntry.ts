import type { HistoryEntry } from './operationsTypes.ts';

/** A history entry as one line of the order timeline. */
export interface TimelineItem {
  kind: 'event' | 'transition';
  /** "wms OUTBOUND_DONE" or "packing → delivered". */
  title: string;
  /** Why: the transition id and its cause; empty for events. */
  detail: string;
  /** When the source system says the event happened. */
  occurredAt: string | null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function text(value: unknown, fallback = '?'): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

/**
 * Reads an entry of `GET /api/orders/:id/history`: event entries carry `event`, transition entries
 * `transition` and `cause`.
 */
export function describeHistoryEntry(entry: HistoryEntry['entry']): TimelineItem {
  if (entry.type === 'transition') {
    const transition = record(entry.transition);
    const cause = record(entry.cause);
    const because = cause.system ? ` · caused by ${text(cause.system)} ${text(cause.code)}` : '';
    return {
      kind: 'transition',
      title: `${text(transition.from)} → ${text(transition.to)}`,
      detail: `transition ${text(transition.id)}${because}`,
      occurredAt: null,
    };
  }
  const event = record(entry.event);
  return {
    kind: 'event',
    title: `${text(event.system)} ${text(event.code)}`,
    detail: '',
    occurredAt: typeof event.occurredAt === 'string' ? event.occurredAt : null,
  };
}
