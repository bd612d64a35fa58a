/**
 * Builds an RFC 6901 JSON Pointer from path segments (`['transitions', 2, 'guard']` →
 * `/transitions/2/guard`). The empty path is the whole document, `''`.
 */
export function jsonPointer(segments: readonly PropertyKey[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
