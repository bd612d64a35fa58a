import { describe, expect, it } from 'vitest';
import { graphToFlow, syncNodes } from '../features/status-graph/graphToFlow.ts';
import type { GraphDraft } from '../features/status-graph/statusGraphModel.ts';

const draft = (enA: string): GraphDraft => ({
  states: [
    { id: 'a', labels: { en: enA }, position: { x: 0, y: 0 } },
    { id: 'b', labels: { en: 'B' }, position: { x: 200, y: 0 } },
  ],
  transitions: [{ id: 'ab', from: 'a', to: 'b', guard: 'true' }],
});
const map = (d: GraphDraft) => graphToFlow(d, new Map()).nodes;

describe('syncNodes', () => {
  it('keeps the objects of unchanged nodes and replaces the changed one, with its measurements', () => {
    const first = syncNodes([], map(draft('A')), () => false).map((n) => ({
      ...n,
      measured: { width: 180, height: 60 },
    }));
    const next = syncNodes(first, map(draft('A2')), () => false);
    expect(next[1]).toBe(first[1]);
    expect(next[0]).not.toBe(first[0]);
    expect(next[0]?.data.state.labels?.en).toBe('A2');
    expect(next[0]?.measured).toEqual({ width: 180, height: 60 });
  });

  it('keeps the selection of shown nodes and takes it from selectedOf for new ones', () => {
    const shown = syncNodes([], map(draft('A')), () => false).map((n) => ({ ...n, selected: n.id === 'a' }));
    const withNew = map({ ...draft('A'), states: [...draft('A').states, { id: 'c', labels: { en: 'C' } }] });
    const next = syncNodes(shown, withNew, (id) => id === 'c' || id === 'b');
    expect(next.map((n) => [n.id, n.selected])).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
    expect(next[0]).toBe(shown[0]);
  });
});
