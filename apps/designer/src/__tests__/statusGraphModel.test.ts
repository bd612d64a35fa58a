import { validate } from '@orderloom/schema';
import { describe, expect, it } from 'vitest';
import { graphToFlow } from '../features/status-graph/graphToFlow.ts';
import { layoutGraph } from '../features/status-graph/layoutGraph.ts';
import {
  addState,
  connectStates,
  copyStates,
  elementForReport,
  findFreePosition,
  findStates,
  type GraphDraft,
  graphDraftText,
  markersByElement,
  moveStates,
  parseGraphDraft,
  pasteFragment,
  pasteOffset,
  removeElements,
  updateState,
} from '../features/status-graph/statusGraphModel.ts';

function sample(): GraphDraft {
  return {
    kind: 'status-graph',
    id: 'g',
    name: 'G',
    schemaVersion: 1,
    states: [
      { id: 'created', labels: { en: 'Created', zh: '已下单' }, initial: true, position: { x: 0, y: 0 } },
      { id: 'shipped', labels: { en: 'Shipped' }, steward: 'WMS', position: { x: 300, y: 0 } },
      { id: 'closed', labels: { en: 'Closed' }, terminal: true },
    ],
    systems: [
      {
        id: 'wms',
        name: 'WMS',
        statuses: [{ code: 'OUT', label: '', meaning: '', sets: {}, implies: 'shipped' }],
      },
    ],
    transitions: [
      { id: 'ship', from: 'created', to: 'shipped', guard: 'has(facts.wms.out)', label: 'left the DC' },
      { id: 'close', from: 'shipped', to: 'closed', guard: 'true' },
    ],
    slas: [{ id: 'ship-fast', state: 'created', withinMinutes: 60 }],
  };
}

describe('parseGraphDraft', () => {
  it('reads a status graph and explains what it cannot draw', () => {
    const ok = parseGraphDraft(graphDraftText(sample()));
    expect(ok.ok && ok.draft.states.map((s) => s.id)).toEqual(['created', 'shipped', 'closed']);
    const broken = parseGraphDraft('{"states": [');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.message).toMatch(/not valid/);
    expect(parseGraphDraft('{"states": {}}')).toEqual({
      ok: false,
      message: 'The draft has no "states" array.',
    });
    expect(parseGraphDraft('{"states": [{"labels": {}}]}')).toMatchObject({ ok: false });
  });
});

describe('graphToFlow', () => {
  it('maps states to nodes and transitions to labelled edges', () => {
    const { nodes, edges } = graphToFlow(sample(), new Map());
    expect(nodes.map((n) => [n.id, n.position])).toEqual([
      ['created', { x: 0, y: 0 }],
      ['shipped', { x: 300, y: 0 }],
      ['closed', expect.objectContaining({ x: expect.any(Number), y: expect.any(Number) })],
    ]);
    expect(nodes[0]?.data.slaCount).toBe(1);
    expect(nodes[1]?.data.state.steward).toBe('WMS');
    expect(edges.map((e) => [e.id, e.source, e.target, e.label])).toEqual([
      ['ship', 'created', 'shipped', 'left the DC'],
      ['close', 'shipped', 'closed', 'close'],
    ]);
  });

  it('skips duplicated ids and transitions to unknown states, and marks linted elements', () => {
    const draft = sample();
    draft.states.push({ id: 'shipped', labels: { en: 'Again' } });
    draft.transitions?.push({ id: 'ghost', from: 'created', to: 'nowhere', guard: 'true' });
    const markers = new Map([
      ['transition:ship', 'error' as const],
      ['state:closed', 'warning' as const],
    ]);
    const { nodes, edges } = graphToFlow(draft, markers);
    expect(nodes.map((n) => n.id)).toEqual(['created', 'shipped', 'closed']);
    expect(edges.map((e) => e.id)).toEqual(['ship', 'close']);
    expect(edges[0]?.className).toBe('edge-error');
    expect(nodes[2]?.data.marker).toBe('warning');
  });
});

describe('edits', () => {
  it('adds a state with a fresh id at a rounded position', () => {
    const first = addState(sample(), { x: 10.4, y: 20.6 });
    expect(first.id).toBe('state');
    expect(first.draft.states.at(-1)).toMatchObject({
      id: 'state',
      position: { x: 10, y: 21 },
      initial: false,
    });
    const second = addState(first.draft, { x: 0, y: 0 });
    expect(second.id).toBe('state-2');
    expect(sample().states).toHaveLength(3);
  });

  it('finds a free spot for a new state instead of stacking it on another', () => {
    const size = { width: 200, height: 80 };
    expect(findFreePosition(sample(), { x: 0, y: 400 }, size)).toEqual({ x: 0, y: 400 });
    const free = findFreePosition(sample(), { x: 10, y: 10 }, size);
    expect(free.x).toBe(10);
    expect(Math.abs(free.y - 10)).toBeGreaterThanOrEqual(80);
  });

  it('connects two states with a true guard and refuses unknown ends', () => {
    const result = connectStates(sample(), 'created', 'closed');
    expect(result?.id).toBe('created-to-closed');
    expect(result?.draft.transitions?.at(-1)).toEqual({
      id: 'created-to-closed',
      from: 'created',
      to: 'closed',
      guard: 'true',
    });
    const again = result && connectStates(result.draft, 'created', 'closed');
    expect(again?.id).toBe('created-to-closed-2');
    expect(connectStates(sample(), 'created', 'nowhere')).toBeNull();
  });

  it('deletes states together with every transition touching them and their SLAs', () => {
    const next = removeElements(sample(), { states: ['shipped'] });
    expect(next.states.map((s) => s.id)).toEqual(['created', 'closed']);
    expect(next.transitions).toEqual([]);
    expect(next.slas).toHaveLength(1);
    const withSla = removeElements(sample(), { states: ['created'] });
    expect(withSla.slas).toEqual([]);
    expect(withSla.transitions?.map((t) => t.id)).toEqual(['close']);
    const onlyEdge = removeElements(sample(), { transitions: ['close'] });
    expect(onlyEdge.states).toHaveLength(3);
    expect(onlyEdge.transitions?.map((t) => t.id)).toEqual(['ship']);
    expect(onlyEdge.slas).toHaveLength(1);
  });

  it('moves states and keeps the others where they were', () => {
    const next = moveStates(sample(), new Map([['closed', { x: 600.2, y: 99.7 }]]));
    expect(next.states[2]?.position).toEqual({ x: 600, y: 100 });
    expect(next.states[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('renames a state everywhere it is referenced', () => {
    const next = updateState(sample(), 'shipped', { id: 'dispatched' });
    expect(next.states[1]?.id).toBe('dispatched');
    expect(next.transitions?.map((t) => [t.from, t.to])).toEqual([
      ['created', 'dispatched'],
      ['dispatched', 'closed'],
    ]);
    expect(next.systems?.[0]?.statuses[0]?.implies).toBe('dispatched');
    expect(validate('status-graph', next).filter((r) => r.severity === 'error')).toEqual([]);
  });

  it('produces drafts that still validate after add, connect and layout', () => {
    const added = addState(sample(), { x: 0, y: 0 });
    const connected = connectStates(added.draft, 'shipped', added.id);
    expect(connected).not.toBeNull();
    if (!connected) return;
    const laid = layoutGraph(connected.draft);
    expect(validate('status-graph', laid).filter((r) => r.severity === 'error')).toEqual([]);
    const x = (id: string) => laid.states.find((s) => s.id === id)?.position?.x ?? Number.NaN;
    expect(x('created')).toBeLessThan(x('shipped'));
    expect(x('shipped')).toBeLessThan(x('closed'));
    expect(x('shipped')).toBeLessThan(x(added.id));
  });
});

describe('elementForReport', () => {
  it('finds the state or transition a report points at', () => {
    const draft = sample();
    expect(elementForReport(draft, { path: '/transitions/0/guard' })).toEqual({
      type: 'transition',
      id: 'ship',
    });
    expect(elementForReport(draft, { path: '/states/2/terminal' })).toEqual({ type: 'state', id: 'closed' });
    expect(elementForReport(draft, { path: '/slas/0/withinMinutes' })).toEqual({
      type: 'state',
      id: 'created',
    });
    expect(elementForReport(draft, { path: '/name', nodeId: 'close' })).toEqual({
      type: 'transition',
      id: 'close',
    });
    expect(elementForReport(draft, { path: '/name' })).toBeNull();
  });

  it('marks a transition whose guard does not parse as an error', () => {
    const draft = sample();
    const broken = {
      ...draft,
      transitions: [{ id: 'ship', from: 'created', to: 'shipped', guard: 'has(facts.' }],
    };
    const markers = markersByElement(broken, validate('status-graph', broken));
    expect(markers.get('transition:ship')).toBe('error');
  });
});

describe('copy and paste', () => {
  it('copies states with the transitions among them and their SLAs, not edges leaving the selection', () => {
    const fragment = copyStates(sample(), ['created', 'shipped']);
    expect(fragment?.states.map((s) => s.id)).toEqual(['created', 'shipped']);
    expect(fragment?.transitions.map((t) => t.id)).toEqual(['ship']);
    expect(fragment?.slas.map((sla) => sla.id)).toEqual(['ship-fast']);
    expect(copyStates(sample(), ['ship'])).toBeNull();
    expect(copyStates(sample(), [])).toBeNull();
  });

  it('does not share objects with the draft it was copied from', () => {
    const draft = sample();
    const fragment = copyStates(draft, ['shipped']);
    if (!fragment?.states[0]?.labels) throw new Error('nothing copied');
    fragment.states[0].labels.en = 'Changed';
    expect(draft.states[1]?.labels?.en).toBe('Shipped');
  });

  it('pastes with fresh unique ids, remapped references and an offset, and stays valid', () => {
    const draft = sample();
    const fragment = copyStates(draft, ['created', 'shipped']);
    if (!fragment) throw new Error('nothing copied');
    const first = pasteFragment(draft, fragment, { x: 40, y: 40 });
    expect(first.states).toEqual(['created-copy', 'shipped-copy']);
    expect(first.transitions).toEqual(['ship-copy']);
    const pasted = first.draft.states.slice(-2);
    expect(pasted.map((s) => s.position)).toEqual([
      { x: 40, y: 40 },
      { x: 340, y: 40 },
    ]);
    expect(pasted[1]?.labels?.en).toBe('Shipped (copy)');
    expect(pasted[0]?.initial).toBe(false);
    expect(first.draft.transitions?.at(-1)).toMatchObject({
      id: 'ship-copy',
      from: 'created-copy',
      to: 'shipped-copy',
      guard: 'has(facts.wms.out)',
    });
    expect(first.draft.slas?.at(-1)).toMatchObject({ id: 'ship-fast-copy', state: 'created-copy' });
    expect(validate('status-graph', first.draft).filter((r) => r.severity === 'error')).toEqual([]);

    const second = pasteFragment(first.draft, fragment, { x: 80, y: 80 });
    expect(second.states).toEqual(['created-copy-2', 'shipped-copy-2']);
    const ids = second.draft.states.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    const copyOfCopy = copyStates(second.draft, ['shipped-copy']);
    if (!copyOfCopy) throw new Error('nothing copied');
    const third = pasteFragment(second.draft, copyOfCopy, { x: 0, y: 0 });
    expect(third.states).toEqual(['shipped-copy-3']);
    expect(third.draft.states.at(-1)?.labels?.en).toBe('Shipped (copy)');
  });
});

describe('pasteOffset', () => {
  it('keeps the preferred offset when the copies land on free space', () => {
    const draft = sample();
    const fragment = copyStates(draft, ['shipped']);
    if (!fragment) throw new Error('nothing copied');
    expect(pasteOffset(draft, fragment, { x: 0, y: 300 }, { width: 160, height: 60 })).toEqual({
      x: 0,
      y: 300,
    });
  });

  it('moves the copies down until none covers a state', () => {
    const draft = sample();
    const fragment = copyStates(draft, ['created', 'shipped']);
    if (!fragment) throw new Error('nothing copied');
    const size = { width: 160, height: 60 };
    const offset = pasteOffset(draft, fragment, { x: 40, y: 40 }, size);
    expect(offset.x).toBe(40);
    expect(offset.y).toBeGreaterThanOrEqual(size.height);
    const pasted = pasteFragment(draft, fragment, offset).draft.states;
    const originals = pasted.slice(0, 3).flatMap((s) => (s.position ? [s.position] : []));
    for (const copy of pasted.slice(3)) {
      for (const o of originals) {
        const apart =
          Math.abs((copy.position?.x ?? 0) - o.x) >= size.width ||
          Math.abs((copy.position?.y ?? 0) - o.y) >= size.height;
        expect(apart).toBe(true);
      }
    }
  });
});

describe('findStates', () => {
  it('finds states by id, any label or steward, ignoring case', () => {
    const draft = sample();
    expect(findStates(draft, 'SHIP')).toEqual(['shipped']);
    expect(findStates(draft, '已下')).toEqual(['created']);
    expect(findStates(draft, 'wms')).toEqual(['shipped']);
    expect(findStates(draft, 'e')).toEqual(['created', 'shipped', 'closed']);
    expect(findStates(draft, '  ')).toEqual([]);
    expect(findStates(draft, 'nothing like it')).toEqual([]);
  });
});
