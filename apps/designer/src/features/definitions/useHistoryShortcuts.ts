import { useEffect, useRef } from 'react';
import { historyShortcut, isTextEntry } from './historyShortcut.ts';

/**
 * Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z and Ctrl+Y on the page run the buffer's undo and redo, except where the
 * focused element has its own undo (monaco, text fields) or a dialog is open.
 */
export function useHistoryShortcuts(onUndo: () => void, onRedo: () => void): void {
  const latest = useRef({ onUndo, onRedo });
  latest.current = { onUndo, onRedo };
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = historyShortcut(event);
      if (!action || event.defaultPrevented) return;
      const target = event.target;
      if (
        target instanceof Element &&
        (target.closest('.monaco-editor') || isTextEntry(target as HTMLElement))
      )
        return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      if (action === 'undo') latest.current.onUndo();
      else latest.current.onRedo();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
