import dagre from '@dagrejs/dagre';
import { type GraphDraft, moveStates, type Point } from './statusGraphModel.ts';

/** Size the layout reserves for a state node (a little more than it draws, for breathing room). */
export const stateNodeSize = { width: 180, height: 86 };

/**
 * Lays the states out in layers from left to right along the transitions (dagre), and stores the
 * positions in the draft. Positions are top-left corners, as React Flow expects.
 */
export function layoutGraph(draft: GraphDraft): GraphDraft {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 40, marginy: 40 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(draft.states.map((s) => s.id));
  for (const id of ids) graph.setNode(id, { ...stateNodeSize });
  for (const t of draft.transitions ?? []) {
    if (t.from !== undefined && t.to !== undefined && ids.has(t.from) && ids.has(t.to) && t.from !== t.to)
      graph.setEdge(t.from, t.to, { width: 120, height: 20 }, t.id);
  }
  dagre.layout(graph);
  const positions = new Map<string, Point>();
  for (const id of ids) {
    const node = graph.node(id);
    positions.set(id, { x: node.x - stateNodeSize.width / 2, y: node.y - stateNodeSize.height / 2 });
  }
  return moveStates(draft, positions);
}
