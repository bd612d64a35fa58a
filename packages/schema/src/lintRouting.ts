import { duplicateKeys, type LintRule, quoteList, report, runRules } from './lintRule.ts';
import type { Report } from './report.ts';
import type { RoutingDefinition } from './routingDefinition.ts';

type Rule = LintRule<RoutingDefinition>;

const parameterNames = (def: RoutingDefinition) => new Set(def.parameters.map((p) => p.name));

const duplicateIds: Rule = {
  name: 'duplicate-id',
  check: (def) => [
    ...duplicateKeys(def.factors, ['factors'], 'id', 'factor'),
    ...duplicateKeys(def.constraints, ['constraints'], 'id', 'constraint'),
    ...duplicateKeys(def.parameters, ['parameters'], 'name', 'parameter'),
    ...duplicateKeys(def.segments, ['segments'], 'id', 'segment'),
  ],
};

const customNeedsExpression: Rule = {
  name: 'custom-expression',
  check: (def) => {
    const lists = [
      { key: 'factors', what: 'factor', items: def.factors },
      { key: 'constraints', what: 'constraint', items: def.constraints },
    ] as const;
    return lists.flatMap(({ key, what, items }) =>
      items.flatMap((item, i): Report[] => {
        if (item.type === 'custom' && item.expression === undefined) {
          return [
            report(
              'error',
              [key, i, 'expression'],
              `custom ${what} "${item.id}" needs a CEL expression`,
              item.id,
            ),
          ];
        }
        if (item.type !== 'custom' && item.expression !== undefined) {
          return [
            report(
              'warning',
              [key, i, 'expression'],
              `expression is ignored: ${what} "${item.id}" is built-in (${item.type}); only custom ${what}s use one`,
              item.id,
            ),
          ];
        }
        return [];
      }),
    );
  },
};

const constraintParameter: Rule = {
  name: 'constraint-parameter',
  check: (def) => {
    const known = parameterNames(def);
    return def.constraints.flatMap((c, i): Report[] => {
      if (c.parameter === undefined) return [];
      if (c.type !== 'eta') {
        return [
          report(
            'warning',
            ['constraints', i, 'parameter'],
            `parameter is ignored: only eta constraints read one`,
            c.id,
          ),
        ];
      }
      return known.has(c.parameter)
        ? []
        : [
            report(
              'error',
              ['constraints', i, 'parameter'],
              `unknown parameter "${c.parameter}"; define it under parameters`,
              c.id,
            ),
          ];
    });
  },
};

const factorWeightParameter: Rule = {
  name: 'factor-weight-parameter',
  check: (def) => {
    const known = parameterNames(def);
    return def.factors.flatMap((f, i) =>
      f.weightParameter === undefined || known.has(f.weightParameter)
        ? []
        : [
            report(
              'error',
              ['factors', i, 'weightParameter'],
              `unknown parameter "${f.weightParameter}"; define it under parameters`,
              f.id,
            ),
          ],
    );
  },
};

const segmentReferences: Rule = {
  name: 'segment-references',
  check: (def) => {
    const factorIds = new Set(def.factors.map((f) => f.id));
    const known = parameterNames(def);
    return def.segments.flatMap((s, i) => [
      ...Object.keys(s.weights)
        .filter((id) => !factorIds.has(id))
        .map((id) =>
          report(
            'error',
            ['segments', i, 'weights', id],
            `unknown factor "${id}"; factors are ${quoteList([...factorIds])}`,
            s.id,
          ),
        ),
      ...Object.keys(s.parameters)
        .filter((name) => !known.has(name))
        .map((name) =>
          report('error', ['segments', i, 'parameters', name], `unknown parameter "${name}"`, s.id),
        ),
    ]);
  },
};

const parameterWindows: Rule = {
  name: 'parameter-windows',
  check: (def) =>
    def.parameters.flatMap((p, i) => {
      const reports: Report[] = [];
      const valid: { index: number; from: number; to: number }[] = [];
      p.windows.forEach((w, j) => {
        const from = Date.parse(w.from);
        const to = Date.parse(w.to);
        if (from >= to) {
          reports.push(
            report('error', ['parameters', i, 'windows', j, 'to'], `window ends before it starts`, p.name),
          );
          return;
        }
        const overlapping = valid.find((v) => v.from < to && from < v.to);
        if (overlapping !== undefined) {
          reports.push(
            report(
              'error',
              ['parameters', i, 'windows', j],
              `window overlaps window ${overlapping.index} of parameter "${p.name}"; which value applies would be ambiguous`,
              p.name,
            ),
          );
        }
        valid.push({ index: j, from, to });
      });
      return reports;
    }),
};

const fallbackTiers: Rule = {
  name: 'fallback-tiers',
  check: (def) =>
    def.fallbackTiers.flatMap((tier, i) =>
      def.fallbackTiers.indexOf(tier) < i
        ? [report('error', ['fallbackTiers', i], `tier "${tier}" is already tried earlier`)]
        : [],
    ),
};

const weightsAllZero: Rule = {
  name: 'weights-all-zero',
  check: (def) => {
    const base = new Map(def.factors.map((f) => [f.id, effectiveWeight(def, f.weight, f.weightParameter)]));
    const allZero = (weights: Iterable<number>) => [...weights].every((w) => w === 0);
    const reports: Report[] = [];
    if (allZero(base.values())) {
      reports.push(
        report('warning', ['factors'], 'every factor weighs 0, so every candidate scores the same'),
      );
    }
    def.segments.forEach((s, i) => {
      if (Object.keys(s.weights).length === 0) return;
      const merged = new Map([...base, ...Object.entries(s.weights)]);
      if (allZero(merged.values())) {
        reports.push(
          report(
            'warning',
            ['segments', i, 'weights'],
            `in segment "${s.id}" every factor weighs 0, so every candidate scores the same`,
            s.id,
          ),
        );
      }
    });
    return reports;
  },
};

const splitPolicy: Rule = {
  name: 'split-policy',
  check: (def) =>
    def.split.policy === 'fewest-parcels' && def.split.maxParcels === 1
      ? [
          report(
            'warning',
            ['split', 'maxParcels'],
            'maxParcels 1 never splits; raise it or use policy "none"',
          ),
        ]
      : [],
};

function effectiveWeight(def: RoutingDefinition, weight: number, parameter: string | undefined): number {
  if (parameter === undefined) return weight;
  return def.parameters.find((p) => p.name === parameter)?.value ?? weight;
}

/** Semantic rules of a routing strategy, in the order their reports appear. */
export const routingRules: readonly Rule[] = [
  duplicateIds,
  customNeedsExpression,
  constraintParameter,
  factorWeightParameter,
  segmentReferences,
  parameterWindows,
  fallbackTiers,
  weightsAllZero,
  splitPolicy,
];

/** Semantic lint of a structurally valid routing strategy. */
export function lintRouting(definition: RoutingDefinition): Report[] {
  return runRules(routingRules, definition);
}
