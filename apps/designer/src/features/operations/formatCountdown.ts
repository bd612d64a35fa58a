/** An SLA deadline seen from now. */
export interface Countdown {
  /** "2h 05m left", "overdue by 12m". */
  label: string;
  overdue: boolean;
  /** `soon` within the hour, so the view can colour it. */
  urgency: 'overdue' | 'soon' | 'later';
}

function span(ms: number): string {
  const totalMinutes = Math.floor(ms / 60_000);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (totalMinutes > 0) return `${minutes}m`;
  return `${Math.floor(ms / 1000)}s`;
}

/**
 * The time left until an SLA deadline, or how long ago it passed.
 *
 * @example formatCountdown('2026-11-11T10:00:00Z', Date.parse('2026-11-11T07:55:00Z')).label // '2h 05m left'
 */
export function formatCountdown(dueAt: string, now: number): Countdown {
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return { label: dueAt, overdue: false, urgency: 'later' };
  const delta = due - now;
  if (delta < 0) return { label: `overdue by ${span(-delta)}`, overdue: true, urgency: 'overdue' };
  return { label: `${span(delta)} left`, overdue: false, urgency: delta <= 3_600_000 ? 'soon' : 'later' };
}
