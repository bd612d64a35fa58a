import type { JourneyDefinition } from './journeyDefinition.ts';
import { duplicateKeys, type LintRule, report, runRules } from './lintRule.ts';
import type { Report } from './report.ts';

type Rule = LintRule<JourneyDefinition>;

const duplicateIds: Rule = {
  name: 'duplicate-id',
  check: (def) => duplicateKeys(def.steps, ['steps'], 'id', 'step'),
};

const hasAction: Rule = {
  name: 'needs-action',
  check: (def) =>
    def.steps.some((s) => s.type === 'action')
      ? []
      : [report('error', ['steps'], 'a journey needs at least one action step; without one it does nothing')],
};

const noTrailingWait: Rule = {
  name: 'trailing-wait',
  check: (def) => {
    const last = def.steps.length - 1;
    const step = def.steps[last];
    return step?.type === 'wait'
      ? [
          report(
            'warning',
            ['steps', last],
            `wait "${step.id}" is the last step, so nothing happens after it`,
            step.id,
          ),
        ]
      : [];
  },
};

/** Semantic rules of a journey, in the order their reports appear. */
export const journeyRules: readonly Rule[] = [duplicateIds, hasAction, noTrailingWait];

/** Semantic lint of a structurally valid journey. */
export function lintJourney(definition: JourneyDefinition): Report[] {
  return runRules(journeyRules, definition);
}
