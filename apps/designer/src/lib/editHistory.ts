/**
 * The undo history of one editor buffer, as snapshots of its text. `past` holds the text before each
 * step (oldest first); `future` the texts undone (the next redo last). Pure: the caller passes the
 * time, so coalescing is testable without a clock.
 */
export interface EditHistory {
  past: readonly string[];
  future: readonly string[];
  /** The edit group of the last recorded step; `null` when the next edit must start a new step. */
  lastGroup: string | null;
  /** When the last step was recorded or extended (ms). */
  lastAt: number;
}

/** A history with nothing to undo or redo. */
export const emptyHistory: EditHistory = { past: [], future: [], lastGroup: null, lastAt: 0 };

/** How edits are grouped into steps. */
export interface RecordOptions {
  /** The current time in ms. */
  now: number;
  /**
   * Edits of one group (typing into one field, dragging one slider) close together in time form one
   * step; `null` always starts a new step (a button press, a node drop).
   */
  group?: string | null;
  /** Edits of the same group at most this far apart are one step. */
  coalesceMs?: number;
  /** The most steps kept; the oldest are forgotten first. */
  limit?: number;
}

/** Default window in which edits of one group merge into one step. */
export const defaultCoalesceMs = 1000;
/** Default number of undo steps kept per buffer. */
export const defaultHistoryLimit = 100;

/**
 * Records that the buffer changed from `before` to `after`. A new step clears the redo stack.
 *
 * @example
 * let h = recordEdit(emptyHistory, 'a', 'ab', { now: 0, group: 'name' });
 * h = recordEdit(h, 'ab', 'abc', { now: 300, group: 'name' }); // same step: undo returns 'a'
 */
export function recordEdit(
  history: EditHistory,
  before: string,
  after: string,
  { now, group = null, coalesceMs = defaultCoalesceMs, limit = defaultHistoryLimit }: RecordOptions,
): EditHistory {
  if (before === after) return history;
  const base = history.past.at(-1);
  const extends_ =
    group !== null &&
    group === history.lastGroup &&
    now - history.lastAt <= coalesceMs &&
    base !== undefined &&
    history.future.length === 0;
  if (extends_) {
    // Typing a character and deleting it again leaves nothing to undo.
    if (after === base) return { past: history.past.slice(0, -1), future: [], lastGroup: null, lastAt: now };
    return { ...history, lastAt: now };
  }
  const past = [...history.past, before];
  return {
    past: past.length > limit ? past.slice(past.length - limit) : past,
    future: [],
    lastGroup: group,
    lastAt: now,
  };
}

/** The text one step back and the history after undoing it, or `null` when there is nothing to undo. */
export function undoEdit(
  history: EditHistory,
  current: string,
): { history: EditHistory; text: string } | null {
  const text = history.past.at(-1);
  if (text === undefined) return null;
  return {
    text,
    history: {
      past: history.past.slice(0, -1),
      future: [...history.future, current],
      lastGroup: null,
      lastAt: history.lastAt,
    },
  };
}

/** The text one step forward and the history after redoing it, or `null` when there is nothing to redo. */
export function redoEdit(
  history: EditHistory,
  current: string,
): { history: EditHistory; text: string } | null {
  const text = history.future.at(-1);
  if (text === undefined) return null;
  return {
    text,
    history: {
      past: [...history.past, current],
      future: history.future.slice(0, -1),
      lastGroup: null,
      lastAt: history.lastAt,
    },
  };
}
