import { describe, expect, it } from 'vitest';
import { type AutosaveInput, autosaveLabel, autosaveStatus } from '../autosaveStatus.ts';

const edited: AutosaveInput = {
  dirty: true,
  saving: false,
  conflict: false,
  validJson: true,
  editable: true,
  failed: false,
};

describe('autosaveStatus', () => {
  it('saves a dirty, valid buffer without a conflict', () => {
    expect(autosaveStatus(edited)).toEqual({ state: 'pending' });
    expect(autosaveLabel(autosaveStatus(edited))).toBe('Unsaved changes');
  });

  it('reports a clean buffer as saved and a save in flight as saving', () => {
    expect(autosaveLabel(autosaveStatus({ ...edited, dirty: false }))).toBe('All changes saved');
    expect(autosaveLabel(autosaveStatus({ ...edited, saving: true }))).toBe('Saving…');
  });

  it('pauses on a conflict, on invalid JSON and for keys that cannot save', () => {
    expect(autosaveLabel(autosaveStatus({ ...edited, conflict: true, validJson: false }))).toBe(
      'Autosave paused: conflict',
    );
    expect(autosaveLabel(autosaveStatus({ ...edited, validJson: false }))).toBe(
      'Autosave paused: invalid JSON',
    );
    expect(autosaveStatus({ ...edited, editable: false })).toEqual({ state: 'paused', reason: 'read-only' });
  });

  it('does not retry a text whose save failed', () => {
    expect(autosaveStatus({ ...edited, failed: true })).toEqual({ state: 'failed' });
  });
});
