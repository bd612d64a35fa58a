import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { chinaPeakStatusGraph } from '../../fixtures/demoDefinitions.ts';
import type { statusGraphDefinitionSchema } from '../statusGraphDefinition.ts';
import { validate } from '../validate.ts';
import { at, copy, expectClean, expectOneReport } from './helpers.ts';

type GraphInput = z.input<typeof statusGraphDefinitionSchema>;

/** a → b → c, with one WMS code whose fact the a → b guard reads. */
const graph = (): GraphInput & Required<Pick<GraphInput, 'systems' | 'transitions' | 'slas'>> => ({
  kind: 'status-graph',
  id: 'small',
  name: 'Small graph',
  schemaVersion: 1,
  states: [
    { id: 'a', labels: { en: 'A' }, initial: true },
    { id: 'b', labels: { en: 'B' } },
    { id: 'c', labels: { en: 'C' }, terminal: true },
  ],
  systems: [
    {
      id: 'wms',
      statuses: [
        { code: 'OUT', sets: { 'wms.outboundNo': 'data.outboundNo' }, implies: 'b' },
        { code: 'DONE', implies: 'c' },
      ],
    },
  ],
  transitions: [
    { id: 'ab', from: 'a', to: 'b', guard: 'has(facts.wms.outboundNo)' },
    { id: 'bc', from: 'b', to: 'c', guard: 'true' },
  ],
  slas: [{ id: 'leave-a', state: 'a', withinMinutes: 15 }],
});

const state = (id: string, extra: Partial<GraphInput['states'][number]> = {}) => ({
  id,
  labels: { en: id },
  ...extra,
});

describe('status-graph rules', () => {
  it('the small graph and the china-peak graph are clean (the passing case of every rule below)', () => {
    expectClean('status-graph', graph());
    expectClean('status-graph', copy(chinaPeakStatusGraph));
  });

  describe('duplicate ids', () => {
    it('reports repeated state, transition, system and SLA ids', () => {
      const def = graph();
      def.states.push(state('b'));
      def.transitions.push({ id: 'ab', from: 'b', to: 'c', guard: 'true' });
      def.systems.push({ id: 'wms' });
      def.slas.push({ id: 'leave-a', state: 'b', withinMinutes: 5 });
      const reports = validate('status-graph', def).filter((r) => /duplicate/.test(r.message));
      expect(reports.map((r) => [r.path, r.nodeId])).toEqual([
        ['/states/3/id', 'b'],
        ['/transitions/2/id', 'ab'],
        ['/systems/1/id', 'wms'],
        ['/slas/1/id', 'leave-a'],
      ]);
    });

    it('reports a code repeated within one system, with a system-qualified nodeId', () => {
      const def = graph();
      at(def.systems, 0).statuses?.push({ code: 'DONE' });
      expectOneReport('status-graph', def, {
        path: '/systems/0/statuses/2/code',
        severity: 'error',
        nodeId: 'wms:DONE',
        message: /duplicate wms status code "DONE"/,
      });
    });

    it('allows the same code in two systems', () => {
      const def = graph();
      def.systems.push({ id: 'finance', statuses: [{ code: 'DONE' }] });
      expectClean('status-graph', def);
    });
  });

  it.each(['from', 'to'] as const)('reports a transition whose %s names an unknown state', (end) => {
    const def = graph();
    const t = at(def.transitions, 1);
    t[end] = 'nowhere';
    expectOneReport('status-graph', def, {
      path: `/transitions/1/${end}`,
      severity: 'error',
      nodeId: 'bc',
      message: /unknown state "nowhere"/,
    });
  });

  it('reports a code implying an unknown state', () => {
    const def = graph();
    at(at(def.systems, 0).statuses, 0).implies = 'shipped';
    expectOneReport('status-graph', def, {
      path: '/systems/0/statuses/0/implies',
      severity: 'error',
      nodeId: 'wms:OUT',
    });
  });

  it('reports an SLA on an unknown state', () => {
    const def = graph();
    def.slas[0] = { id: 'leave-a', state: 'paid', withinMinutes: 15 };
    expectOneReport('status-graph', def, { path: '/slas/0/state', severity: 'error', nodeId: 'leave-a' });
  });

  describe('initial state', () => {
    it('reports a graph without an initial state', () => {
      const def = graph();
      def.states[0] = state('a');
      expectOneReport('status-graph', def, {
        path: '/states',
        severity: 'error',
        message: /no initial state/,
      });
    });

    it('reports every initial state after the first', () => {
      const def = graph();
      def.states[1] = state('b', { initial: true });
      def.states[2] = state('c', { initial: true, terminal: true });
      const reports = validate('status-graph', def);
      expect(reports.map((r) => [r.path, r.nodeId, r.severity])).toEqual([
        ['/states/1/initial', 'b', 'error'],
        ['/states/2/initial', 'c', 'error'],
      ]);
      expect(reports[0]?.message).toMatch(/several initial states \("a", "b", "c"\)/);
    });
  });

  it('warns about a state no transition reaches from the initial state', () => {
    const def = graph();
    def.states.push(state('orphan'));
    def.transitions.push({ id: 'orphan-c', from: 'orphan', to: 'c', guard: 'true' });
    expectOneReport('status-graph', def, { path: '/states/3', severity: 'warning', nodeId: 'orphan' });
  });

  it('warns about a terminal state with outgoing transitions', () => {
    const def = graph();
    def.transitions.push({ id: 'reopen', from: 'c', to: 'b', guard: 'true' });
    expectOneReport('status-graph', def, {
      path: '/states/2/terminal',
      severity: 'warning',
      nodeId: 'c',
      message: /"reopen"/,
    });
  });

  describe('facts set by a code but read by no guard', () => {
    it('warns, naming the code and the fact', () => {
      const def = graph();
      at(at(def.systems, 0).statuses, 1).sets = { 'wms.doneAt': 'event.occurredAt' };
      expectOneReport('status-graph', def, {
        path: '/systems/0/statuses/1/sets/wms.doneAt',
        severity: 'warning',
        nodeId: 'wms:DONE',
        message: /meaning no transition can use it/,
      });
    });

    it.each([
      ['a whole system map', 'size(facts.wms) > 1'],
      ['index syntax', 'facts["wms"]["doneAt"] != ""'],
      ['a macro over the facts', 'facts.exists(k, k == "wms")'],
    ])('counts a guard reading %s as using the fact', (_how, guard) => {
      const def = graph();
      at(at(def.systems, 0).statuses, 1).sets = { 'wms.doneAt': 'event.occurredAt' };
      def.transitions[1] = { id: 'bc', from: 'b', to: 'c', guard };
      expectClean('status-graph', def);
    });
  });

  it('reports a guard that does not compile, with line and column inside the guard', () => {
    const def = graph();
    def.transitions[0] = {
      id: 'ab',
      from: 'a',
      to: 'b',
      guard: 'has(facts.wms.outboundNo) &&\n  facts.x ==== 1',
    };
    const report = expectOneReport('status-graph', def, {
      path: '/transitions/0/guard',
      severity: 'error',
      nodeId: 'ab',
    });
    expect(report).toMatchObject({
      line: 2,
      column: 13,
      message: 'guard does not compile: Unexpected token: EQ',
    });
  });

  it('reports a fact value expression that does not compile', () => {
    const def = graph();
    at(at(def.systems, 0).statuses, 0).sets = { 'wms.outboundNo': 'data.' };
    const report = expectOneReport('status-graph', def, {
      path: '/systems/0/statuses/0/sets/wms.outboundNo',
      severity: 'error',
      nodeId: 'wms:OUT',
    });
    expect(report).toMatchObject({ line: 1, column: 6 });
  });
});
