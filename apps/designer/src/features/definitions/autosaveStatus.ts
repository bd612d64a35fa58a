/** What the header says about saving, and whether autosave may save now. */
export type AutosaveStatus =
  | { state: 'saved' }
  | { state: 'pending' }
  | { state: 'saving' }
  | { state: 'paused'; reason: 'conflict' | 'invalid JSON' | 'read-only' }
  | { state: 'failed' };

/** The facts about a buffer that decide its autosave status. */
export interface AutosaveInput {
  /** The buffer differs from what the runtime stored. */
  dirty: boolean;
  /** A save request is in flight. */
  saving: boolean;
  /** A save was refused (409), or the server has a newer draft than the buffer is based on. */
  conflict: boolean;
  /** The buffer parses as JSON. */
  validJson: boolean;
  /** The signed-in key may save drafts. */
  editable: boolean;
  /** The last save of exactly this text failed for another reason; retrying it would fail again. */
  failed: boolean;
}

/**
 * The autosave status of a buffer. Only `pending` lets autosave save: a conflict waits for the user
 * to choose, invalid JSON cannot be stored, and a failed text is not retried until it changes (no loop).
 *
 * @example
 * autosaveStatus({ dirty: true, saving: false, conflict: false, validJson: true, editable: true, failed: false })
 * // { state: 'pending' }
 */
export function autosaveStatus(input: AutosaveInput): AutosaveStatus {
  if (!input.dirty) return { state: 'saved' };
  if (input.saving) return { state: 'saving' };
  if (input.conflict) return { state: 'paused', reason: 'conflict' };
  if (!input.editable) return { state: 'paused', reason: 'read-only' };
  if (!input.validJson) return { state: 'paused', reason: 'invalid JSON' };
  if (input.failed) return { state: 'failed' };
  return { state: 'pending' };
}

/** The header's words for a status. */
export function autosaveLabel(status: AutosaveStatus): string {
  switch (status.state) {
    case 'saved':
      return 'All changes saved';
    case 'pending':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'paused':
      return status.reason === 'read-only' ? 'Unsaved changes' : `Autosave paused: ${status.reason}`;
    case 'failed':
      return 'Autosave failed · Ctrl+S to retry';
  }
}
