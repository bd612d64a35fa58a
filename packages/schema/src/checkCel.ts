import { parse } from '@marcbachmann/cel-js';

/** Result of {@link checkCel}: either the expression parses, or where and why it does not. */
export type CelCheck = { ok: true } | { ok: false; message: string; line: number; column: number };

/**
 * Checks that a CEL expression parses, without evaluating or type-checking it. Used by `validate` and by
 * the designer for monaco markers.
 *
 * `line` and `column` are 1-based and count UTF-16 code units inside the expression, as monaco does.
 *
 * @example
 * checkCel('has(facts.wms.outboundNo) &&');
 * // → { ok: false, message: 'Unexpected token: EOF', line: 1, column: 29 }
 */
export function checkCel(expression: string): CelCheck {
  try {
    parse(expression);
    return { ok: true };
  } catch (error) {
    const offset = errorOffset(error);
    const before = expression.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return {
      ok: false,
      message: errorSummary(error),
      line: before.split('\n').length,
      column: offset - lineStart + 1,
    };
  }
}

function errorOffset(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 0;
  const range: unknown = 'range' in error ? error.range : undefined;
  if (typeof range === 'object' && range !== null && 'start' in range && typeof range.start === 'number') {
    return range.start;
  }
  const node: unknown = 'node' in error ? error.node : undefined;
  if (typeof node === 'object' && node !== null && 'pos' in node && typeof node.pos === 'number')
    return node.pos;
  return 0;
}

function errorSummary(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    'summary' in error &&
    typeof error.summary === 'string'
  ) {
    return error.summary;
  }
  // The full message repeats the expression with a caret under the error; the first paragraph is the cause.
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n\n')[0] ?? message;
}
