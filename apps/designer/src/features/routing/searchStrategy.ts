import type { RoutingDraft } from './routingModel.ts';

/** One item of a strategy a search found. */
export interface StrategyMatch {
  /** The form's `data-field` of the item (`factors/2`), for highlighting and scrolling to it. */
  field: string;
  /** The section, as the form titles it. */
  section: 'Factors' | 'Constraints' | 'Parameters' | 'Segments';
  /** The item's name as shown (label, falling back to its id). */
  name: string;
}

type Named = { id?: string | undefined; label?: string | undefined; name?: string | undefined };

/**
 * The factors, constraints, parameters and segments whose id, label or name contains the query
 * (case-insensitive, surrounding spaces ignored), in form order. An empty query finds nothing.
 *
 * @example
 * searchStrategy(draft, 'eta') // [{ field: 'factors/1', section: 'Factors', name: 'ETA vs promise' }, …]
 */
export function searchStrategy(draft: RoutingDraft, query: string): StrategyMatch[] {
  const needle = query.trim().toLocaleLowerCase();
  if (needle === '') return [];
  const lists: [string, StrategyMatch['section'], readonly Named[] | undefined][] = [
    ['factors', 'Factors', draft.factors],
    ['constraints', 'Constraints', draft.constraints],
    ['parameters', 'Parameters', draft.parameters],
    ['segments', 'Segments', draft.segments],
  ];
  return lists.flatMap(([key, section, items]) =>
    (items ?? []).flatMap((item, index) => {
      const names = [item.id, item.label, item.name].filter((n): n is string => typeof n === 'string');
      if (!names.some((n) => n.toLocaleLowerCase().includes(needle))) return [];
      return [{ field: `${key}/${index}`, section, name: item.label ?? item.name ?? item.id ?? `#${index}` }];
    }),
  );
}
