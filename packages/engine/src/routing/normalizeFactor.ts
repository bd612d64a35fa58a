import type { Factor } from '@orderloom/schema';

/**
 * Normalises one factor's raw values across the candidates of a decision: reads `raw[offset + i]`
 * and writes `out[outOffset + i]` for i < n.
 * - `min-max`: (v − min) / (max − min), mirrored for `lower-better`; all equal → 1.
 * - `rank`: dense rank of the distinct values, best 1, worst 0; ties share a value; one value → 1.
 * - `none`: the raw value, negated for `lower-better` (for factors already on a comparable scale).
 */
export function normalizeFactor(
  raw: readonly number[],
  offset: number,
  n: number,
  higherBetter: boolean,
  method: Factor['normalization'],
  out: number[],
  outOffset: number,
): void {
  const end = offset + n;
  const shift = outOffset - offset;
  if (method === 'none') {
    for (let i = offset; i < end; i++)
      out[i + shift] = higherBetter ? (raw[i] as number) : -(raw[i] as number);
    return;
  }
  if (method === 'min-max') {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = offset; i < end; i++) {
      const v = raw[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const span = max - min;
    for (let i = offset; i < end; i++) {
      const v = raw[i] as number;
      out[i + shift] = span === 0 ? 1 : higherBetter ? (v - min) / span : (max - v) / span;
    }
    return;
  }
  const distinct = Array.from(new Set(raw.slice(offset, end))).sort((a, b) => (higherBetter ? b - a : a - b));
  const last = distinct.length - 1;
  const position = new Map<number, number>();
  for (let k = 0; k <= last; k++) position.set(distinct[k] as number, k);
  for (let i = offset; i < end; i++)
    out[i + shift] = last === 0 ? 1 : 1 - (position.get(raw[i] as number) as number) / last;
}
