import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** The local, possibly unsaved, text of one definition's draft. */
export interface DraftBuffer {
  /** What the editor shows now. */
  text: string;
  /** The text as last loaded from or saved to the runtime. */
  savedText: string;
  /** The draft revision `text` was based on; sent as `baseRevision` when saving. */
  baseRevision: number;
  /** Set when a save was refused because someone else saved first. */
  conflict: { serverRevision: number | null; at: string } | null;
}

export interface EditorState {
  buffers: Record<string, DraftBuffer>;
  /** Adopts the server's draft unless local edits exist; never discards unsaved text. */
  syncFromServer: (key: string, text: string, revision: number) => void;
  setText: (key: string, text: string) => void;
  markSaved: (key: string, text: string, revision: number) => void;
  markConflict: (key: string, serverRevision: number | null) => void;
  /** Explicitly replaces local text with the server's (the user chose to discard their edits). */
  replaceWithServer: (key: string, text: string, revision: number) => void;
  /** Keeps the local text but rebases it on the server's revision (the user chose to overwrite). */
  rebase: (key: string, revision: number) => void;
  /** Forgets every buffer (on sign-out, so the next person in this tab starts clean). */
  clearAll: () => void;
}

/** Buffer key of a definition. */
export function bufferKey(kind: string, id: string): string {
  return `${kind}/${id}`;
}

/** True when the buffer holds edits that the runtime has not stored yet. */
export function isDirty(buffer: DraftBuffer | undefined): boolean {
  return buffer !== undefined && buffer.text !== buffer.savedText;
}

/**
 * Editor-buffer slice. Buffers are persisted per tab, so a reload never loses unsaved work; a buffer
 * restored on top of a newer server draft surfaces as a conflict on save instead of being overwritten.
 */
export const useEditorStore = create<EditorState>()(
  persist(
    (set) => ({
      buffers: {},
      syncFromServer: (key, text, revision) =>
        set((state) => {
          const current = state.buffers[key];
          if (current && (isDirty(current) || current.baseRevision === revision)) return state;
          return {
            buffers: {
              ...state.buffers,
              [key]: { text, savedText: text, baseRevision: revision, conflict: null },
            },
          };
        }),
      setText: (key, text) =>
        set((state) => {
          const current = state.buffers[key];
          if (!current || current.text === text) return state;
          return { buffers: { ...state.buffers, [key]: { ...current, text } } };
        }),
      markSaved: (key, text, revision) =>
        set((state) => {
          const current = state.buffers[key];
          if (!current) return state;
          return {
            buffers: {
              ...state.buffers,
              [key]: { ...current, savedText: text, baseRevision: revision, conflict: null },
            },
          };
        }),
      markConflict: (key, serverRevision) =>
        set((state) => {
          const current = state.buffers[key];
          if (!current) return state;
          const conflict = { serverRevision, at: new Date().toISOString() };
          return { buffers: { ...state.buffers, [key]: { ...current, conflict } } };
        }),
      replaceWithServer: (key, text, revision) =>
        set((state) => ({
          buffers: {
            ...state.buffers,
            [key]: { text, savedText: text, baseRevision: revision, conflict: null },
          },
        })),
      rebase: (key, revision) =>
        set((state) => {
          const current = state.buffers[key];
          if (!current) return state;
          return {
            buffers: { ...state.buffers, [key]: { ...current, baseRevision: revision, conflict: null } },
          };
        }),
      clearAll: () => set({ buffers: {} }),
    }),
    { name: 'orderloom.editor', storage: createJSONStorage(() => sessionStorage) },
  ),
);
