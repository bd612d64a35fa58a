const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 minutes ago" for recent times, a date otherwise; the exact time is for the title attribute. */
export function formatTime(iso: string, now: number = Date.now()): { label: string; exact: string } {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return { label: iso, exact: iso };
  const exact = absolute.format(time);
  const seconds = Math.round((time - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return { label: relative.format(seconds, 'second'), exact };
  if (abs < 3600) return { label: relative.format(Math.round(seconds / 60), 'minute'), exact };
  if (abs < 86_400) return { label: relative.format(Math.round(seconds / 3600), 'hour'), exact };
  if (abs < 7 * 86_400) return { label: relative.format(Math.round(seconds / 86_400), 'day'), exact };
  return { label: exact, exact };
}
