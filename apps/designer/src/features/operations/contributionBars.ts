/** What a candidate's factor table looks like in a decision (`ranking[].factors`). */
export type FactorTable = Record<
  string,
  { raw: number; normalized: number; weight: number; contribution: number }
>;

/** One coloured segment of a candidate's stacked contribution bar. */
export interface ContributionSegment {
  factor: string;
  contribution: number;
  /** Width in percent of the whole bar (the bar spans `scale`). */
  widthPercent: number;
  /** Index into the factor palette, stable across candidates. */
  colorIndex: number;
}

/**
 * The factors in a stable order for legends and bars: by weight (heaviest first), then by name, so
 * the same factor keeps its colour and position in every candidate's bar.
 */
export function factorOrder(tables: readonly FactorTable[]): string[] {
  const weights = new Map<string, number>();
  for (const table of tables) {
    for (const [factor, value] of Object.entries(table)) {
      weights.set(factor, Math.max(weights.get(factor) ?? 0, value.weight));
    }
  }
  return [...weights.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f);
}

/**
 * Splits a candidate's score into bar segments. Contributions already sum to the score (each is
 * `normalized × weight / Σ weights`), so with `scale = 1` a full bar is a perfect score; pass the
 * best score instead to stretch the leader to full width. Negative or missing contributions draw
 * nothing; widths never exceed 100 % in total.
 *
 * @example contributionSegments({ eta: {…contribution: 0.3}, cost: {…contribution: 0.2} }, ['eta', 'cost'])
 * // → [{ factor: 'eta', widthPercent: 30, … }, { factor: 'cost', widthPercent: 20, … }]
 */
export function contributionSegments(
  factors: FactorTable,
  order: readonly string[],
  scale = 1,
): ContributionSegment[] {
  const segments: ContributionSegment[] = [];
  let used = 0;
  order.forEach((factor, colorIndex) => {
    const contribution = factors[factor]?.contribution ?? 0;
    if (!(contribution > 0) || !(scale > 0)) return;
    const width = Math.min((contribution / scale) * 100, 100 - used);
    if (width <= 0) return;
    used += width;
    segments.push({ factor, contribution, widthPercent: Math.round(width * 100) / 100, colorIndex });
  });
  return segments;
}
