import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { deferredSessionStorage } from './deferredSessionStorage.ts';
import { useHistoryStore } from './historyStore.ts';

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
  /**
   * Adopts the server's draft unless local edits exist or the buffer is already at that revision or a
   * newer one; never discards unsaved text.
   */
  syncFromServer: (key: string, text: string, revision: number) => void;
  /**
   * Replaces the buffer's text and records the change for undo. Edits of one `group` (one form field,
   * the monaco editor) in quick succession become one undo step; `null` makes the change its own step.
   */
  setText: (key: string, text: string, group?: string | null) => void;
  /** Steps the buffer back one edit; returns false when there is nothing to undo. */
  undo: (key: string) => boolean;
  /** Steps the buffer forward one undone edit; returns false when there is nothing to redo. */
  redo: (key: string) => boolean;
  markSaved: (key: string, text: string, revision: number) => void;
  markConflict: (key: string, serverRevision: number | null) => void;
  /**
   * Explicitly replaces local text with the server's (the user chose to discard their edits). Recorded
   * as an undo step, so the discarded edits are one Ctrl+Z away.
   */
  replaceWithServer: (key: string, text: string, revision: number) => void;
  /**
   * Adopts a merge of the local edits with the server's draft: `text` is the merge, based on the
   * server's `serverText` at `revision` (so the buffer is dirty until the merge is saved).
   */
  adoptMerge: (key: string, text: string, serverText: string, revision: number) => void;
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

const history = () => useHistoryStore.getState();

/**
 * Editor-buffer slice. Buffers are persisted per tab, so a reload never loses unsaved work; a buffer
 * restored on top of a newer server draft surfaces as a conflict on save instead of being overwritten.
 * Every change of a buffer's text is recorded in the undo history (store/historyStore.ts) from here.
 */
export const useEditorStore = create<EditorState>()(
  persist(
    (set, get) => ({
      buffers: {},
      syncFromServer: (key, text, revision) =>
        set((state) => {
          const current = state.buffers[key];
          // A refetch started before our own save can answer with an older revision: ignore it.
          if (current && (isDirty(current) || revision <= current.baseRevision)) return state;
          if (current) history().record(key, current.text, text, null);
          else history().reset(key);
          return {
            buffers: {
              ...state.buffers,
              [key]: { text, savedText: text, baseRevision: revision, conflict: null },
            },
          };
        }),
      setText: (key, text, group = null) =>
        set((state) => {
          const current = state.buffers[key];
          if (!current || current.text === text) return state;
          history().record(key, current.text, text, group);
          return { buffers: { ...state.buffers, [key]: { ...current, text } } };
        }),
      undo: (key) => {
        const current = get().buffers[key];
        const text = current ? history().undo(key, current.text) : null;
        if (!current || text === null) return false;
        set((state) => ({ buffers: { ...state.buffers, [key]: { ...current, text } } }));
        return true;
      },
      redo: (key) => {
        const current = get().buffers[key];
        const text = current ? history().redo(key, current.text) : null;
        if (!current || text === null) return false;
        set((state) => ({ buffers: { ...state.buffers, [key]: { ...current, text } } }));
        return true;
      },
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
        set((state) => {
          const current = state.buffers[key];
          if (current) history().record(key, current.text, text, null);
          return {
            buffers: {
              ...state.buffers,
              [key]: { text, savedText: text, baseRevision: revision, conflict: null },
            },
          };
        }),
      adoptMerge: (key, text, serverText, revision) =>
        set((state) => {
          const current = state.buffers[key];
          if (!current) return state;
          history().record(key, current.text, text, null);
          return {
            buffers: {
              ...state.buffers,
              [key]: { text, savedText: serverText, baseRevision: revision, conflict: null },
            },
          };
        }),
      rebase: (key, revision) =>
        set((state) => {
          const current = state.buffers[key];
          if (!current) return state;
          return {
            buffers: { ...state.buffers, [key]: { ...current, baseRevision: revision, conflict: null } },
          };
        }),
      clearAll: () => {
        history().clearAll();
        set({ buffers: {} });
      },
    }),
    { name: 'orderloom.editor', storage: deferredSessionStorage() },
  ),
);
