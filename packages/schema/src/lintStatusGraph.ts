import { factPathCovers, factPathsRead } from './factPathsRead.ts';
import { duplicateKeys, type LintRule, quoteList, report, runRules } from './lintRule.ts';
import type { Report } from './report.ts';
import type { StatusGraphDefinition } from './statusGraphDefinition.ts';

type Rule = LintRule<StatusGraphDefinition>;

const stateIds = (def: StatusGraphDefinition) => new Set(def.states.map((s) => s.id));

/** nodeId of a system status code: `<system>:<code>` (codes repeat across systems, e.g. RECEIVED). */
const statusNodeId = (system: string, code: string) => `${system}:${code}`;

const duplicateIds: Rule = {
  name: 'duplicate-id',
  check: (def) => [
    ...duplicateKeys(def.states, ['states'], 'id', 'state'),
    ...duplicateKeys(def.transitions, ['transitions'], 'id', 'transition'),
    ...duplicateKeys(def.systems, ['systems'], 'id', 'system'),
    ...def.systems.flatMap((system, i) =>
      duplicateKeys(system.statuses, ['systems', i, 'statuses'], 'code', `${system.id} status`, (s) =>
        statusNodeId(system.id, s.code),
      ),
    ),
    ...duplicateKeys(def.slas, ['slas'], 'id', 'SLA'),
  ],
};

const transitionEnds: Rule = {
  name: 'transition-unknown-state',
  check: (def) => {
    const known = stateIds(def);
    return def.transitions.flatMap((t, i) =>
      (['from', 'to'] as const)
        .filter((end) => !known.has(t[end]))
        .map((end) =>
          report('error', ['transitions', i, end], `"${end}" names unknown state "${t[end]}"`, t.id),
        ),
    );
  },
};

const impliesKnownState: Rule = {
  name: 'implies-unknown-state',
  check: (def) => {
    const known = stateIds(def);
    return def.systems.flatMap((system, i) =>
      system.statuses.flatMap((status, j) =>
        status.implies === undefined || known.has(status.implies)
          ? []
          : [
              report(
                'error',
                ['systems', i, 'statuses', j, 'implies'],
                `${system.id} ${status.code} implies unknown state "${status.implies}"`,
                statusNodeId(system.id, status.code),
              ),
            ],
      ),
    );
  },
};

const slaKnownState: Rule = {
  name: 'sla-unknown-state',
  check: (def) => {
    const known = stateIds(def);
    return def.slas.flatMap((sla, i) =>
      known.has(sla.state)
        ? []
        : [
            report(
              'error',
              ['slas', i, 'state'],
              `SLA "${sla.id}" is on unknown state "${sla.state}"`,
              sla.id,
            ),
          ],
    );
  },
};

const oneInitialState: Rule = {
  name: 'one-initial-state',
  check: (def) => {
    const initial = def.states.flatMap((s, i) => (s.initial ? [{ state: s, index: i }] : []));
    if (initial.length === 0) {
      return [report('error', ['states'], 'no initial state: mark exactly one state "initial": true')];
    }
    const names = quoteList(initial.map((x) => x.state.id));
    return initial
      .slice(1)
      .map(({ state, index }) =>
        report(
          'error',
          ['states', index, 'initial'],
          `several initial states (${names}); exactly one is allowed`,
          state.id,
        ),
      );
  },
};

const reachableStates: Rule = {
  name: 'unreachable-state',
  check: (def) => {
    const start = def.states.filter((s) => s.initial).map((s) => s.id);
    if (start.length === 0) return [];
    const next = new Map<string, string[]>();
    for (const t of def.transitions) next.set(t.from, [...(next.get(t.from) ?? []), t.to]);
    const reached = new Set(start);
    const queue = [...start];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const to of next.get(id) ?? []) {
        if (!reached.has(to)) {
          reached.add(to);
          queue.push(to);
        }
      }
    }
    return def.states.flatMap((s, i) =>
      reached.has(s.id)
        ? []
        : [
            report(
              'warning',
              ['states', i],
              `state "${s.id}" cannot be reached from the initial state by any transition`,
              s.id,
            ),
          ],
    );
  },
};

const terminalHasNoExit: Rule = {
  name: 'terminal-with-exits',
  check: (def) =>
    def.states.flatMap((s, i) => {
      if (!s.terminal) return [];
      const exits = def.transitions.filter((t) => t.from === s.id).map((t) => t.id);
      return exits.length === 0
        ? []
        : [
            report(
              'warning',
              ['states', i, 'terminal'],
              `terminal state "${s.id}" has outgoing transitions ${quoteList(exits)}`,
              s.id,
            ),
          ];
    }),
};

const factsUsedByGuards: Rule = {
  name: 'fact-never-read',
  check: (def) => {
    const read = def.transitions.flatMap((t) => factPathsRead(t.guard));
    return def.systems.flatMap((system, i) =>
      system.statuses.flatMap((status, j) =>
        Object.keys(status.sets)
          .filter((path) => !read.some((r) => factPathCovers(r, path)))
          .map((path) =>
            report(
              'warning',
              ['systems', i, 'statuses', j, 'sets', path],
              `${system.id} ${status.code} sets "${path}" but no transition guard reads facts.${path}, meaning no transition can use it`,
              statusNodeId(system.id, status.code),
            ),
          ),
      ),
    );
  },
};

/** Semantic rules of a status graph, in the order their reports appear. */
export const statusGraphRules: readonly Rule[] = [
  duplicateIds,
  transitionEnds,
  impliesKnownState,
  slaKnownState,
  oneInitialState,
  reachableStates,
  terminalHasNoExit,
  factsUsedByGuards,
];

/** Semantic lint of a structurally valid status graph. */
export function lintStatusGraph(definition: StatusGraphDefinition): Report[] {
  return runRules(statusGraphRules, definition);
}
