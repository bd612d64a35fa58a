import { create } from 'zustand';
import type { CanvasSelection } from '../features/kindDescriptor.ts';

/** Which view a definition page shows: its canvas or the JSON editor. */
export type DefinitionView = 'canvas' | 'json';

export interface CanvasState {
  /** The chosen view per buffer key; absent means the kind's default. */
  views: Record<string, DefinitionView>;
  /** The element the side panel shows, per buffer key. */
  selections: Record<string, CanvasSelection | null>;
  /** Bumped when something outside the canvas (a problem) asks it to select and show an element. */
  revealRequests: Record<string, number>;
  setView: (key: string, view: DefinitionView) => void;
  /** Records what the canvas selected (no scrolling). */
  select: (key: string, selection: CanvasSelection | null) => void;
  /** Selects an element and asks the canvas to bring it into view. */
  reveal: (key: string, selection: CanvasSelection) => void;
}

/** Canvas slice: view toggle and selection, shared by the definition page and the lazily loaded canvas. */
export const useCanvasStore = create<CanvasState>()((set) => ({
  views: {},
  selections: {},
  revealRequests: {},
  setView: (key, view) => set((state) => ({ views: { ...state.views, [key]: view } })),
  select: (key, selection) =>
    set((state) => {
      const current = state.selections[key] ?? null;
      if (current?.type === selection?.type && current?.id === selection?.id) return state;
      return { selections: { ...state.selections, [key]: selection } };
    }),
  reveal: (key, selection) =>
    set((state) => ({
      selections: { ...state.selections, [key]: selection },
      revealRequests: { ...state.revealRequests, [key]: (state.revealRequests[key] ?? 0) + 1 },
    })),
}));
