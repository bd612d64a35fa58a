import type { PersistStorage, StorageValue } from 'zustand/middleware';

/**
 * A zustand persist storage over sessionStorage that serialises and writes at most every `delayMs`
 * (the latest state wins) and at once when the page is hidden or left, so a reload or a closed tab
 * still finds the last edit. Editor buffers of large drafts are hundreds of kB: serialising them on
 * every keystroke would cost more than the keystroke itself.
 */
export function deferredSessionStorage<S>(delayMs = 500): PersistStorage<S> {
  const pending = new Map<string, StorageValue<S>>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    for (const [name, value] of pending) {
      try {
        sessionStorage.setItem(name, JSON.stringify(value));
      } catch {
        // Quota exceeded: the in-memory state is still there; the next write tries again.
      }
    }
    pending.clear();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush();
    });
  }

  return {
    getItem(name) {
      const waiting = pending.get(name);
      if (waiting) return waiting;
      const text = sessionStorage.getItem(name);
      return text === null ? null : (JSON.parse(text) as StorageValue<S>);
    },
    setItem(name, value) {
      pending.set(name, value);
      timer ??= setTimeout(flush, delayMs);
    },
    removeItem(name) {
      pending.delete(name);
      sessionStorage.removeItem(name);
    },
  };
}
