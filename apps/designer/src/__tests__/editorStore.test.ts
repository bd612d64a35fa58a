import { beforeEach, describe, expect, it } from 'vitest';

// The editor store persists to sessionStorage, which Node does not have: stub it before importing.
const memory = new Map<string, string>();
globalThis.sessionStorage ??= {
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, v),
  removeItem: (k: string) => void memory.delete(k),
  clear: () => memory.clear(),
  key: () => null,
  length: 0,
};

const { isDirty, useEditorStore } = await import('../store/editorStore.ts');
const { useHistoryStore } = await import('../store/historyStore.ts');
const key = 'status-graph/g';
const store = () => useEditorStore.getState();
const buffer = () => {
  const current = store().buffers[key];
  if (!current) throw new Error('no buffer');
  return current;
};

beforeEach(() => {
  store().clearAll();
  store().syncFromServer(key, 'A', 1);
});

describe('editor buffer with undo history', () => {
  it('undoes edits after a save, making the buffer dirty again, and redoes them', () => {
    store().setText(key, 'B');
    store().setText(key, 'C');
    store().markSaved(key, 'C', 2);
    expect(isDirty(buffer())).toBe(false);
    expect(store().undo(key)).toBe(true);
    expect(buffer().text).toBe('B');
    expect(isDirty(buffer())).toBe(true);
    expect(store().undo(key)).toBe(true);
    expect(buffer().text).toBe('A');
    expect(store().undo(key)).toBe(false);
    expect(store().redo(key)).toBe(true);
    expect(store().redo(key)).toBe(true);
    expect(buffer().text).toBe('C');
    expect(isDirty(buffer())).toBe(false);
    expect(store().redo(key)).toBe(false);
  });

  it('merges edits of one group made in quick succession into one step', () => {
    store().setText(key, 'A1', 'field-1');
    store().setText(key, 'A12', 'field-1');
    store().setText(key, 'A123', 'field-1');
    store().undo(key);
    expect(buffer().text).toBe('A');
  });

  it('keeps discarded edits one undo away after loading the server draft', () => {
    store().setText(key, 'mine');
    store().markConflict(key, 2);
    store().replaceWithServer(key, 'theirs', 2);
    expect(buffer()).toMatchObject({ text: 'theirs', baseRevision: 2, conflict: null });
    store().undo(key);
    expect(buffer().text).toBe('mine');
    expect(isDirty(buffer())).toBe(true);
  });

  it('ignores a server answer older than the buffer, and adopts a newer one when clean', () => {
    store().setText(key, 'B');
    store().markSaved(key, 'B', 3);
    store().syncFromServer(key, 'A', 2);
    expect(buffer()).toMatchObject({ text: 'B', baseRevision: 3 });
    store().syncFromServer(key, 'D', 4);
    expect(buffer()).toMatchObject({ text: 'D', savedText: 'D', baseRevision: 4 });
  });

  it('adopts a merge as unsaved edits on top of the server revision', () => {
    store().setText(key, 'mine');
    store().markConflict(key, 5);
    store().adoptMerge(key, 'merged', 'theirs', 5);
    expect(buffer()).toMatchObject({ text: 'merged', savedText: 'theirs', baseRevision: 5, conflict: null });
    expect(isDirty(buffer())).toBe(true);
  });

  it('forgets every history on sign-out', () => {
    store().setText(key, 'B');
    store().clearAll();
    expect(useHistoryStore.getState().histories).toEqual({});
  });
});
