/**
 * A span of simulated time, to the second below a minute and to the minute above: `45s`, `12m`,
 * `1h 05m`, `2d 3h`. Negative spans are formatted by their size.
 *
 * @example formatDuration(65 * 60_000) // '1h 05m'
 */
export function formatDuration(ms: number): string {
  const size = Math.abs(ms);
  const totalMinutes = Math.floor(size / 60_000);
  if (totalMinutes === 0) return `${Math.floor(size / 1000)}s`;
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  const seconds = Math.floor((size % 60_000) / 1000);
  return seconds ? `${minutes}m ${String(seconds).padStart(2, '0')}s` : `${minutes}m`;
}

/**
 * Simulated time since the start of the simulation, as `T+h:mm`.
 *
 * @example formatElapsed(Date.parse('2026-11-11T00:15:00Z'), Date.parse('2026-11-11T00:00:00Z')) // 'T+0:15'
 */
export function formatElapsed(at: number, startAt: number): string {
  const minutes = Math.floor((at - startAt) / 60_000);
  const sign = minutes < 0 ? '−' : '+';
  const size = Math.abs(minutes);
  return `T${sign}${Math.floor(size / 60)}:${String(size % 60).padStart(2, '0')}`;
}
