/** How definitions are shown in editors and diffs: 2-space JSON (empty for "nothing published"). */
export function definitionText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}
