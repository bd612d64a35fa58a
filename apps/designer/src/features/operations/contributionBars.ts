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
 * The factors in the order of the strategy's definition (the engine writes each candidate's factor
 * table in that order), so a factor keeps its colour and position in every candidate's bar and the
 * same colour as in the strategy editor and the what-if panel.
 */
export function factorOrder(tables: readonly FactorTable[]): string[] {
  const order = new Set<string>();
  for (const table of tables) for (const factor of Object.keys(table)) order.add(factor);
  return [...order];
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
