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
