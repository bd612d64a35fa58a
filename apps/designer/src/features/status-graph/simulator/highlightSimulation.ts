import type { Edge, Node } from '@xyflow/react';
import { type SimulationHighlight, useSimulatorStore } from './simulatorStore.ts';

/** The simulator's current state and fired transitions for a canvas, or null while it is closed. */
export function useSimulationHighlight(bufferKey: string): SimulationHighlight | null {
  return useSimulatorStore((s) => (s.open[bufferKey] ? (s.highlights[bufferKey] ?? null) : null));
}

/**
 * Marks the simulated state's node (`sim-current`) and the transitions of the step shown (`sim-fired`,
 * animated). Untouched nodes and edges keep their identity, so React Flow re-renders only the marked ones.
 */
export function highlightSimulation<N extends Node, E extends Edge>(
  nodes: N[],
  edges: E[],
  highlight: SimulationHighlight | null,
): { nodes: N[]; edges: E[] } {
  if (!highlight) return { nodes, edges };
  const fired = new Set(highlight.transitions);
  return {
    nodes: nodes.map((n) =>
      n.id === highlight.state
        ? { ...n, className: [n.className, 'sim-current'].filter(Boolean).join(' ') }
        : n,
    ),
    edges: fired.size
      ? edges.map((e) =>
          fired.has(e.id)
            ? { ...e, animated: true, className: [e.className, 'sim-fired'].filter(Boolean).join(' ') }
            : e,
        )
      : edges,
  };
}
