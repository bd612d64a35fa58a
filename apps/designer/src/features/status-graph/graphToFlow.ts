import { type Edge, MarkerType, type Node } from '@xyflow/react';
import type { DraftState, DraftTransition, GraphDraft } from './statusGraphModel.ts';

/** Data of a state node. */
export interface StateNodeData extends Record<string, unknown> {
  state: DraftState;
  marker: 'error' | 'warning' | null;
  slaCount: number;
}

/** Data of a transition edge. */
export interface TransitionEdgeData extends Record<string, unknown> {
  transition: DraftTransition;
  marker: 'error' | 'warning' | null;
}

export type StateNode = Node<StateNodeData, 'state'>;
export type TransitionEdge = Edge<TransitionEdgeData>;

const markerColors = { error: '#c2362f', warning: '#b26a00', none: '#8a93a6' } as const;

/** Edge labels sit between nodes; long ones are cut (the side panel shows them whole). */
function shorten(label: string, max = 26): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** Where a state without a stored position is drawn: a grid, so new drafts are still readable. */
function fallbackPosition(index: number): { x: number; y: number } {
  return { x: 40 + (index % 4) * 240, y: 40 + Math.floor(index / 4) * 160 };
}

/**
 * Maps a draft to React Flow nodes and edges. Node ids are state ids and edge ids transition ids;
 * a duplicated id is drawn once (the problems panel reports the duplicate) and a transition naming an
 * unknown state is not drawn.
 */
export function graphToFlow(
  draft: GraphDraft,
  markers: ReadonlyMap<string, 'error' | 'warning'>,
): { nodes: StateNode[]; edges: TransitionEdge[] } {
  const seen = new Set<string>();
  const nodes: StateNode[] = [];
  draft.states.forEach((state, index) => {
    if (seen.has(state.id)) return;
    seen.add(state.id);
    nodes.push({
      id: state.id,
      type: 'state',
      position: state.position ?? fallbackPosition(index),
      data: {
        state,
        marker: markers.get(`state:${state.id}`) ?? null,
        slaCount: (draft.slas ?? []).filter((sla) => sla.state === state.id).length,
      },
    });
  });

  const edgeIds = new Set<string>();
  const edges: TransitionEdge[] = [];
  for (const transition of draft.transitions ?? []) {
    const { id, from, to } = transition;
    if (edgeIds.has(id) || from === undefined || to === undefined || !seen.has(from) || !seen.has(to))
      continue;
    edgeIds.add(id);
    const marker = markers.get(`transition:${id}`) ?? null;
    edges.push({
      id,
      source: from,
      target: to,
      label: shorten(transition.label || id),
      className: marker ? `edge-${marker}` : undefined,
      markerEnd: {
        type: MarkerType.ArrowClosed,
        width: 18,
        height: 18,
        color: markerColors[marker ?? 'none'],
      },
      data: { transition, marker },
    });
  }
  return { nodes, edges };
}

function sameStateNode(a: StateNode, b: StateNode): boolean {
  return (
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.selected === b.selected &&
    a.className === b.className &&
    a.data.marker === b.data.marker &&
    a.data.slaCount === b.data.slaCount &&
    (a.data.state === b.data.state || JSON.stringify(a.data.state) === JSON.stringify(b.data.state))
  );
}

function sameTransitionEdge(a: TransitionEdge, b: TransitionEdge): boolean {
  return (
    a.source === b.source &&
    a.target === b.target &&
    a.label === b.label &&
    a.selected === b.selected &&
    a.className === b.className &&
    a.data?.marker === b.data?.marker &&
    (a.data?.transition === b.data?.transition ||
      JSON.stringify(a.data?.transition) === JSON.stringify(b.data?.transition))
  );
}

/**
 * The elements to show after the draft was re-mapped to `next`: each element that did not change since
 * `previous` keeps its previous object (and React Flow's measurements), so after a keystroke in a
 * 1,000-state graph only the changed node re-renders. Elements already shown keep their selection —
 * React Flow applies a click before reporting it, and a late lint result may re-map the draft in
 * between; new ones are selected when `selectedOf` says so (e.g. just pasted).
 */
function syncElements<T extends { id: string; selected?: boolean; measured?: unknown }>(
  previous: readonly T[],
  next: readonly T[],
  selectedOf: (id: string) => boolean,
  same: (a: T, b: T) => boolean,
): T[] {
  const before = new Map(previous.map((e) => [e.id, e]));
  return next.map((fresh) => {
    const old = before.get(fresh.id);
    const element = { ...fresh, selected: old ? (old.selected ?? false) : selectedOf(fresh.id) };
    if (!old) return element;
    if (same(old, element)) return old;
    return old.measured ? { ...element, measured: old.measured } : element;
  });
}

/** {@link syncElements} for state nodes. */
export function syncNodes(
  previous: readonly StateNode[],
  next: readonly StateNode[],
  selectedOf: (id: string) => boolean,
): StateNode[] {
  return syncElements(previous, next, selectedOf, sameStateNode);
}

/** {@link syncElements} for transition edges. */
export function syncEdges(
  previous: readonly TransitionEdge[],
  next: readonly TransitionEdge[],
  selectedOf: (id: string) => boolean,
): TransitionEdge[] {
  return syncElements(previous, next, selectedOf, sameTransitionEdge);
}
