/** A hash shortened for tables: the first 8 and last 4 hex digits (`dbc33fb6…3798`). */
export function shortHash(hash: string): string {
  return hash.length <= 14 ? hash : `${hash.slice(0, 8)}…${hash.slice(-4)}`;
}
