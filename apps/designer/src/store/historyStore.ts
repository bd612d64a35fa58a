import { create } from 'zustand';
import { type EditHistory, emptyHistory, recordEdit, redoEdit, undoEdit } from '../lib/editHistory.ts';

export interface HistoryState {
  /** Undo history per buffer key. Kept in memory only: a reload starts with an empty history. */
  histories: Record<string, EditHistory>;
  /** Records a buffer change; edits of one `group` in quick succession become one step. */
  record: (key: string, before: string, after: string, group: string | null) => void;
  /** Steps back; returns the text to show, or `null` when there is nothing to undo. */
  undo: (key: string, current: string) => string | null;
  /** Steps forward; returns the text to show, or `null` when there is nothing to redo. */
  redo: (key: string, current: string) => string | null;
  /** Forgets one buffer's history (a freshly loaded draft). */
  reset: (key: string) => void;
  clearAll: () => void;
}

/**
 * Undo/redo slice of the editor buffers. Only the editor store writes to it (every buffer change goes
 * through there), so the history and the buffer cannot drift apart.
 */
export const useHistoryStore = create<HistoryState>()((set, get) => {
  const step = (key: string, current: string, move: typeof undoEdit): string | null => {
    const result = move(get().histories[key] ?? emptyHistory, current);
    if (!result) return null;
    set((state) => ({ histories: { ...state.histories, [key]: result.history } }));
    return result.text;
  };
  return {
    histories: {},
    record: (key, before, after, group) =>
      set((state) => {
        const current = state.histories[key] ?? emptyHistory;
        const next = recordEdit(current, before, after, { now: Date.now(), group });
        return next === current ? state : { histories: { ...state.histories, [key]: next } };
      }),
    undo: (key, current) => step(key, current, undoEdit),
    redo: (key, current) => step(key, current, redoEdit),
    reset: (key) =>
      set((state) => {
        if (!state.histories[key]) return state;
        const { [key]: _gone, ...rest } = state.histories;
        return { histories: rest };
      }),
    clearAll: () => set({ histories: {} }),
  };
});

/** Whether a buffer has a step to undo / to redo. */
export function useHistoryAvailability(key: string): { canUndo: boolean; canRedo: boolean } {
  const canUndo = useHistoryStore((s) => (s.histories[key]?.past.length ?? 0) > 0);
  const canRedo = useHistoryStore((s) => (s.histories[key]?.future.length ?? 0) > 0);
  return { canUndo, canRedo };
}
