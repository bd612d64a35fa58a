import { isTextEntry } from './historyShortcut.ts';

const groupIds = new WeakMap<Element, string>();
let lastGroupId = 0;

/**
 * The undo group of an edit made now: the focused form field (or the monaco editor holding focus), so
 * typing into one field or dragging one slider merges into one undo step; `null` when focus is on a
 * button, a canvas node or nothing (each such edit is its own step).
 */
export function editGroup(active: Element | null = document.activeElement): string | null {
  if (!active || active === document.body) return null;
  const holder =
    active.closest('.monaco-editor') ??
    (isTextEntry(active as HTMLInputElement) || /^(INPUT|SELECT)$/.test(active.tagName) ? active : null);
  if (!holder) return null;
  let id = groupIds.get(holder);
  if (id === undefined) {
    lastGroupId += 1;
    id = `field-${lastGroupId}`;
    groupIds.set(holder, id);
  }
  return id;
}
