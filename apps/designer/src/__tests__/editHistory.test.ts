import { describe, expect, it } from 'vitest';
import { type EditHistory, emptyHistory, recordEdit, redoEdit, undoEdit } from '../lib/editHistory.ts';

/** Applies edits the way the editor store does and returns the history and the current text. */
function edit(
  start: string,
  steps: { text: string; at: number; group?: string | null }[],
  limit?: number,
): { history: EditHistory; text: string } {
  let history = emptyHistory;
  let text = start;
  for (const step of steps) {
    history = recordEdit(history, text, step.text, {
      now: step.at,
      group: step.group ?? null,
      ...(limit ? { limit } : {}),
    });
    text = step.text;
  }
  return { history, text };
}

describe('edit history', () => {
  it('undoes and redoes single steps in order', () => {
    const { history, text } = edit('a', [
      { text: 'b', at: 0 },
      { text: 'c', at: 10 },
    ]);
    const back = undoEdit(history, text);
    expect(back?.text).toBe('b');
    const backAgain = back && undoEdit(back.history, back.text);
    expect(backAgain?.text).toBe('a');
    expect(backAgain && undoEdit(backAgain.history, backAgain.text)).toBeNull();
    const forward = backAgain && redoEdit(backAgain.history, backAgain.text);
    expect(forward?.text).toBe('b');
    const forwardAgain = forward && redoEdit(forward.history, forward.text);
    expect(forwardAgain?.text).toBe('c');
    expect(forwardAgain && redoEdit(forwardAgain.history, forwardAgain.text)).toBeNull();
  });

  it('merges quick edits of one group into one step, but not edits without a group', () => {
    const typed = edit('', [
      { text: 'S', at: 0, group: 'label' },
      { text: 'Sh', at: 200, group: 'label' },
      { text: 'Shi', at: 900, group: 'label' },
      { text: 'Ship', at: 1800, group: 'label' },
    ]);
    expect(typed.history.past).toEqual(['']);
    const clicks = edit('', [
      { text: 'one', at: 0 },
      { text: 'two', at: 10 },
    ]);
    expect(clicks.history.past).toEqual(['', 'one']);
  });

  it('starts a new step after a pause, in another group, or after an undo', () => {
    const paused = edit('', [
      { text: 'a', at: 0, group: 'f' },
      { text: 'ab', at: 1500, group: 'f' },
    ]);
    expect(paused.history.past).toEqual(['', 'a']);
    const other = edit('', [
      { text: 'a', at: 0, group: 'f' },
      { text: 'ab', at: 100, group: 'g' },
    ]);
    expect(other.history.past).toEqual(['', 'a']);
    const undone = undoEdit(other.history, other.text);
    if (!undone) throw new Error('nothing to undo');
    const after = recordEdit(undone.history, undone.text, 'ax', { now: 150, group: 'f' });
    expect(after.past).toEqual(['', 'a']);
    expect(after.future).toEqual([]);
  });

  it('drops a merged step that ends where it began', () => {
    const { history } = edit('a', [
      { text: 'ab', at: 0, group: 'f' },
      { text: 'a', at: 100, group: 'f' },
    ]);
    expect(history.past).toEqual([]);
  });

  it('ignores changes that change nothing and forgets the oldest steps beyond the limit', () => {
    const same = recordEdit(emptyHistory, 'x', 'x', { now: 0 });
    expect(same).toBe(emptyHistory);
    const { history } = edit(
      '0',
      ['1', '2', '3', '4', '5'].map((text, i) => ({ text, at: i * 10 })),
      3,
    );
    expect(history.past).toEqual(['2', '3', '4']);
  });

  it('clears the redo stack when a new edit is made after undoing', () => {
    const { history, text } = edit('a', [{ text: 'b', at: 0 }]);
    const undone = undoEdit(history, text);
    if (!undone) throw new Error('nothing to undo');
    expect(undone.history.future).toEqual(['b']);
    const next = recordEdit(undone.history, undone.text, 'c', { now: 20 });
    expect(next.future).toEqual([]);
    expect(redoEdit(next, 'c')).toBeNull();
  });
});
