import { create } from 'zustand';
import type { SimulationStep, SimulationStepInput } from './simulateStatusGraph.ts';

/** One status graph's simulation: the script, how much of it is applied, and where it starts. */
export interface SimulatorSession {
  steps: SimulationStep[];
  /** Steps applied (0 = the start); the frame shown is `frames[cursor]`. */
  cursor: number;
  orderId: string;
  /** Epoch ms of the simulated clock at the start. */
  startAt: number;
  /** The scenario last loaded, for the picker. */
  scenarioId: string | null;
}

/** What the canvas highlights while the simulator is open. */
export interface SimulationHighlight {
  state: string | null;
  /** Transitions taken in the step shown. */
  transitions: readonly string[];
}

export interface SimulatorState {
  /** Whether the simulator drawer is open, per buffer key. */
  open: Record<string, boolean>;
  sessions: Record<string, SimulatorSession>;
  highlights: Record<string, SimulationHighlight>;
  setOpen: (key: string, open: boolean) => void;
  /** Inserts a step after the one shown and shows it (later steps are kept after it). */
  addStep: (key: string, step: SimulationStepInput) => void;
  removeStep: (key: string, index: number) => void;
  /** Replaces the script and rewinds to the start. */
  loadScript: (key: string, steps: readonly SimulationStepInput[], scenarioId: string | null) => void;
  /** Shows the frame after `cursor` steps (clamped to the script). */
  jumpTo: (key: string, cursor: number) => void;
  setHighlight: (key: string, highlight: SimulationHighlight | null) => void;
}

/** The simulated clock's default start: Double 11, midnight in China. */
export const defaultSimulationStart = Date.parse('2026-11-11T00:00:00+08:00');

/** A new, empty session. */
export function emptySession(): SimulatorSession {
  return { steps: [], cursor: 0, orderId: 'SIM-0001', startAt: defaultSimulationStart, scenarioId: null };
}

let lastStepId = 0;
const withId = (step: SimulationStepInput): SimulationStep => ({ ...step, id: `step-${++lastStepId}` });

/**
 * Simulator slice: the script of each open status graph survives closing the drawer and switching to
 * the JSON view, so an analyst can edit a guard and replay the same events on the changed draft.
 */
export const useSimulatorStore = create<SimulatorState>()((set) => {
  const update = (key: string, change: (session: SimulatorSession) => Partial<SimulatorSession>) =>
    set((state) => {
      const session = state.sessions[key] ?? emptySession();
      return { sessions: { ...state.sessions, [key]: { ...session, ...change(session) } } };
    });
  return {
    open: {},
    sessions: {},
    highlights: {},
    setOpen: (key, open) => set((state) => ({ open: { ...state.open, [key]: open } })),
    addStep: (key, step) =>
      update(key, (s) => ({
        steps: [...s.steps.slice(0, s.cursor), withId(step), ...s.steps.slice(s.cursor)],
        cursor: s.cursor + 1,
      })),
    removeStep: (key, index) =>
      update(key, (s) => ({
        steps: s.steps.filter((_, i) => i !== index),
        cursor: index < s.cursor ? s.cursor - 1 : s.cursor,
      })),
    loadScript: (key, steps, scenarioId) =>
      update(key, () => ({ steps: steps.map(withId), cursor: 0, scenarioId })),
    jumpTo: (key, cursor) =>
      update(key, (s) => ({ cursor: Math.max(0, Math.min(s.steps.length, Math.round(cursor))) })),
    setHighlight: (key, highlight) =>
      set((state) => {
        const { [key]: _, ...rest } = state.highlights;
        return { highlights: highlight ? { ...rest, [key]: highlight } : rest };
      }),
  };
});
