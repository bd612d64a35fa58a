const palette = [
  '#3b4cca',
  '#f59e0b',
  '#16a34a',
  '#dc2626',
  '#0891b2',
  '#9333ea',
  '#64748b',
  '#db2777',
  '#65a30d',
  '#92400e',
];

/**
 * The colour of the factor at `index` in its strategy's definition order — the same in the strategy
 * form, the what-if bars and the decision explorer.
 */
export function factorColor(index: number): string {
  return palette[index % palette.length] ?? '#475569';
}
