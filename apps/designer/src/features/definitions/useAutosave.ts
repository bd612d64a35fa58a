import { useEffect, useRef } from 'react';
import type { AutosaveStatus } from './autosaveStatus.ts';

/** Quiet time after the last edit before the draft is saved. */
export const autosaveDelayMs = 1500;

/**
 * Saves `delayMs` after the last change of `text` while the status is `pending`. Any edit restarts the
 * wait; a status that is not `pending` (saving, conflict, invalid JSON, failed) cancels it, and the
 * wait starts again once the status returns to `pending` (e.g. when a save in flight finishes).
 */
export function useAutosave(
  text: string,
  status: AutosaveStatus,
  save: () => void,
  delayMs = autosaveDelayMs,
): void {
  const latest = useRef(save);
  latest.current = save;
  const pending = status.state === 'pending';
  // biome-ignore lint/correctness/useExhaustiveDependencies: every change of `text` restarts the wait
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => latest.current(), delayMs);
    return () => window.clearTimeout(timer);
  }, [text, pending, delayMs]);
}
