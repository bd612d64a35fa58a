import './simulator.css';
import { useReactFlow } from '@xyflow/react';
import { lazy, type ReactNode, Suspense, useEffect, useRef } from 'react';
import { Icon } from '../../../components/Icon.tsx';
import { useSimulatorStore } from './simulatorStore.ts';

const SimulatorPanel = lazy(() => import('./SimulatorPanel.tsx'));

/**
 * Puts the simulator drawer under the status-graph canvas: a "Simulate" bar while closed, the simulator
 * (loaded on first open) while open. The canvas stays above it, highlighting the simulated state.
 * Must sit inside the canvas's `ReactFlowProvider`.
 */
export function SimulatorDock({
  bufferKey,
  text,
  children,
}: {
  bufferKey: string;
  text: string;
  children: ReactNode;
}) {
  const open = useSimulatorStore((s) => s.open[bufferKey] ?? false);
  const flow = useReactFlow();
  const shownOpen = useRef(open);
  // Opening or closing the drawer resizes the canvas: fit the graph into its new size.
  useEffect(() => {
    if (shownOpen.current === open) return;
    shownOpen.current = open;
    const frame = requestAnimationFrame(
      () => void flow.fitView({ padding: 0.1, minZoom: 0.55, duration: 200 }),
    );
    return () => cancelAnimationFrame(frame);
  }, [open, flow]);
  return (
    <div className="sim-layout">
      {children}
      {open ? (
        <Suspense fallback={<div className="sim-dock open sim-loading">Loading the simulator…</div>}>
          <SimulatorPanel bufferKey={bufferKey} text={text} />
        </Suspense>
      ) : (
        <section className="sim-dock collapsed" aria-label="Simulator">
          <header className="sim-header">
            <button
              type="button"
              className="sim-toggle"
              aria-expanded={false}
              onClick={() => useSimulatorStore.getState().setOpen(bufferKey, true)}
              data-testid="simulator-toggle"
            >
              <Icon name="chevronRight" size={14} />
              Simulate
            </button>
            <span className="muted small">
              Feed system events and move a simulated clock through this draft, on the runtime’s engine.
            </span>
          </header>
        </section>
      )}
    </div>
  );
}
