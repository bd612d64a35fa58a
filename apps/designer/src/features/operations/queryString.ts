/**
 * A `?a=1&b=x` query string from filters, leaving out empty values; `''` when nothing is set.
 *
 * @example queryString({ status: 'packing', channel: '' }) // '?status=packing'
 */
export function queryString(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
