import { duplicateKeys, type LintRule, report, runRules } from './lintRule.ts';
import type { PlaybookDefinition } from './playbookDefinition.ts';
import type { Report } from './report.ts';

type Rule = LintRule<PlaybookDefinition>;

/** DOMAIN.md: at least 3 one-click disposals per risk type. */
const MIN_DISPOSALS = 3;

const duplicateIds: Rule = {
  name: 'duplicate-id',
  check: (def) => [
    ...duplicateKeys(def.sources, ['sources'], 'id', 'source'),
    ...duplicateKeys(def.scoring.factors, ['scoring', 'factors'], 'id', 'scoring factor'),
    ...duplicateKeys(def.disposals, ['disposals'], 'id', 'disposal'),
  ],
};

const enoughDisposals: Rule = {
  name: 'min-disposals',
  check: (def) =>
    def.disposals.length >= MIN_DISPOSALS
      ? []
      : [
          report(
            'warning',
            ['disposals'],
            `only ${def.disposals.length} disposal(s); offer at least ${MIN_DISPOSALS} one-click disposals per risk type`,
          ),
        ],
};

const scoringWeights: Rule = {
  name: 'weights-all-zero',
  check: (def) =>
    def.scoring.factors.every((f) => f.weight === 0)
      ? [
          report(
            'warning',
            ['scoring', 'factors'],
            'every scoring factor weighs 0, so every order scores the same',
          ),
        ]
      : [],
};

/** Semantic rules of a risk playbook, in the order their reports appear. */
export const playbookRules: readonly Rule[] = [duplicateIds, enoughDisposals, scoringWeights];

/** Semantic lint of a structurally valid playbook. */
export function lintPlaybook(definition: PlaybookDefinition): Report[] {
  return runRules(playbookRules, definition);
}
