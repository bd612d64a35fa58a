import type { Report } from '@orderloom/schema';
import { findNodeAtLocation, type Node, parseTree, type Segment } from 'jsonc-parser';

/** A half-open character range `[start, end)` in the editor text. */
export interface TextRange {
  start: number;
  end: number;
}

/** Splits an RFC 6901 JSON Pointer into its unescaped reference tokens. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Converts pointer tokens into jsonc-parser path segments, using numbers inside arrays. */
function toSegments(root: Node, tokens: string[]): { segments: Segment[]; node: Node } {
  const segments: Segment[] = [];
  let node: Node = root;
  for (const token of tokens) {
    const segment: Segment = node.type === 'array' && /^\d+$/.test(token) ? Number(token) : token;
    const child = findNodeAtLocation(node, [segment]);
    if (!child) break;
    segments.push(segment);
    node = child;
  }
  return { segments, node };
}

/**
 * Where a report belongs in the JSON text: the `"key": value` pair its pointer names (just the key for
 * objects and arrays, so a marker does not cover a whole block), or the nearest existing ancestor when
 * the pointer names something missing. A CEL report's `line`/`column` narrow the range inside the string.
 * Returns `null` when the text is not parseable.
 */
export function locateReport(
  text: string,
  report: Pick<Report, 'path' | 'line' | 'column'>,
): TextRange | null {
  const root = parseTree(text);
  if (!root) return null;
  const tokens = parsePointer(report.path);
  const { segments, node } = toSegments(root, tokens);
  const complete = segments.length === tokens.length;

  const property = node.parent?.type === 'property' ? node.parent : undefined;
  const key = property?.children?.[0];

  if (!complete) {
    // The pointer names something missing (e.g. a required field): point at the closest thing present.
    if (key) return { start: key.offset, end: key.offset + key.length };
    return { start: node.offset, end: node.offset + 1 };
  }

  if (node.type === 'string' && report.line !== undefined && report.column !== undefined) {
    const contentStart = node.offset + 1;
    const contentEnd = node.offset + node.length - 1;
    const start =
      contentStart + stringOffset(text.slice(contentStart, contentEnd), report.line, report.column);
    // "Unexpected end of input" points past the last character: mark the whole expression instead.
    if (start >= contentEnd) {
      return contentEnd > contentStart
        ? { start: contentStart, end: contentEnd }
        : { start: node.offset, end: node.offset + node.length };
    }
    return { start, end: contentEnd };
  }

  if (node.type === 'object' || node.type === 'array') {
    if (key) return { start: key.offset, end: key.offset + key.length };
    return { start: node.offset, end: node.offset + 1 };
  }
  // A scalar under a key: cover `"key": value`, since the finding may be about either (unknown factor
  // names are keys, negative weights are values).
  if (key) return { start: key.offset, end: node.offset + node.length };
  return { start: node.offset, end: node.offset + node.length };
}

/** Offset inside a JSON string literal's raw text of a 1-based line/column of its decoded value. */
function stringOffset(raw: string, line: number, column: number): number {
  let currentLine = 1;
  let currentColumn = 1;
  let i = 0;
  while (i < raw.length) {
    if (currentLine === line && currentColumn === column) return i;
    if (raw[i] === '\\') {
      const escaped = raw[i + 1];
      i += escaped === 'u' ? 6 : 2;
      if (escaped === 'n') {
        currentLine += 1;
        currentColumn = 1;
        continue;
      }
    } else {
      i += 1;
    }
    currentColumn += 1;
  }
  return Math.min(i, raw.length);
}

/** 1-based line and column of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
