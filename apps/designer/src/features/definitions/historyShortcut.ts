/** The keys of a keyboard event that decide whether it is an undo or redo shortcut. */
export type ShortcutKeys = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/**
 * What a key press asks of the edit history: Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo.
 *
 * @example
 * historyShortcut({ key: 'Z', ctrlKey: true, shiftKey: true, metaKey: false, altKey: false }) // 'redo'
 */
export function historyShortcut(event: ShortcutKeys): 'undo' | 'redo' | null {
  if (event.altKey || !(event.ctrlKey || event.metaKey)) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && event.ctrlKey && !event.shiftKey) return 'redo';
  return null;
}

/** Input types that hold text the browser can undo by itself. */
const textInputTypes = new Set([
  'text',
  'search',
  'number',
  'email',
  'url',
  'tel',
  'password',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
]);

/** The parts of an element that tell whether it is a text field. */
export interface ElementLike {
  tagName: string;
  type?: string;
  isContentEditable?: boolean;
}

/**
 * Whether an element edits text with its own undo (a text input, a textarea, monaco's hidden
 * textarea, contenteditable). Sliders, checkboxes, selects and buttons have none, so the designer's
 * history handles Ctrl+Z there.
 */
export function isTextEntry(element: ElementLike): boolean {
  if (element.isContentEditable) return true;
  const tag = element.tagName.toUpperCase();
  if (tag === 'TEXTAREA') return true;
  return tag === 'INPUT' && textInputTypes.has((element.type ?? 'text').toLowerCase());
}
