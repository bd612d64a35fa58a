/**
 * Stable React keys for list items that may repeat (two identical lint reports, two identical
 * patch operations): the item's own key, suffixed with how often it occurred before.
 */
export function uniqueKeys<T>(items: readonly T[], keyOf: (item: T) => string): string[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = keyOf(item);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}#${count}`;
  });
}
