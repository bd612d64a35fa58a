import { checkCel } from '@orderloom/schema';

/** A marker of the CEL editor: 1-based lines and columns, end exclusive (monaco's convention). */
export interface CelMarker {
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

/**
 * The range to underline for an error that `checkCel` places at `line`/`column`: the token starting
 * there (a word, a number, or one character). An error at the end of a line ("got EOF") underlines its
 * last character, so the squiggle stays visible.
 */
export function celMarkerRange(text: string, line: number, column: number): Omit<CelMarker, 'message'> {
  const lines = text.split('\n');
  const lineNumber = Math.min(Math.max(1, line), lines.length);
  const content = lines[lineNumber - 1] ?? '';
  if (column > content.length) {
    const start = Math.max(1, content.length);
    return {
      startLineNumber: lineNumber,
      startColumn: start,
      endLineNumber: lineNumber,
      endColumn: start + 1,
    };
  }
  const start = Math.max(1, column);
  const token = /^[\w.]+/.exec(content.slice(start - 1))?.[0] ?? '';
  return {
    startLineNumber: lineNumber,
    startColumn: start,
    endLineNumber: lineNumber,
    endColumn: start + Math.max(1, token.length),
  };
}

/** The markers of an expression: one error where the shared `checkCel` says it stops parsing, or none. */
export function celMarkers(text: string): CelMarker[] {
  if (text.trim() === '') return [];
  const result = checkCel(text);
  if (result.ok) return [];
  return [{ message: result.message, ...celMarkerRange(text, result.line, result.column) }];
}
