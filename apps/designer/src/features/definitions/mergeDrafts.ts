import { applyPatch, createPatch, type Operation } from 'rfc6902';

/** Result of a three-way merge: the merged draft, or the JSON Pointers both sides changed. */
export type MergeResult = { ok: true; value: unknown } | { ok: false; conflicts: string[] };

const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/'));
const same = (a: Operation, b: Operation) => JSON.stringify(a) === JSON.stringify(b);

function resolve(document: unknown, pointer: string): unknown {
  let node = document;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Arrays a patch adds items to or removes items from: every later index in them moves. */
function reshapedArrays(base: unknown, patch: readonly Operation[]): string[] {
  return patch
    .filter(
      (op) => (op.op === 'add' || op.op === 'remove') && Array.isArray(resolve(base, parentOf(op.path))),
    )
    .map((op) => parentOf(op.path));
}

/**
 * Three-way merge of JSON drafts: applies the changes from `base` to `mine` on top of `theirs`.
 * It refuses (listing the paths) when both sides changed the same value differently, or when one side
 * added or removed items of an array the other side changed by index, since the indexes no longer
 * name the same items.
 *
 * @example
 * mergeDrafts({ a: 1, b: 1 }, { a: 2, b: 1 }, { a: 1, b: 3 }) // { ok: true, value: { a: 2, b: 3 } }
 */
export function mergeDrafts(base: unknown, mine: unknown, theirs: unknown): MergeResult {
  const ours = createPatch(base, mine);
  const their = createPatch(base, theirs);
  const conflicts = new Set<string>();
  for (const op of ours) {
    if (their.some((t) => overlaps(op.path, t.path) && !same(op, t))) conflicts.add(op.path);
  }
  for (const array of reshapedArrays(base, their)) {
    for (const op of ours)
      if (op.path.startsWith(`${array}/`) && !their.some((t) => same(op, t))) conflicts.add(op.path);
  }
  for (const array of reshapedArrays(base, ours)) {
    for (const t of their)
      if (t.path.startsWith(`${array}/`) && !ours.some((op) => same(op, t))) conflicts.add(t.path);
  }
  if (conflicts.size > 0) return { ok: false, conflicts: [...conflicts] };
  // Changes both sides made identically are already in theirs.
  const pending = ours.filter((op) => !their.some((t) => same(op, t)));
  const merged = structuredClone(theirs);
  const errors = applyPatch(merged, pending);
  const failed = pending.filter((_, i) => errors[i]);
  return failed.length > 0
    ? { ok: false, conflicts: failed.map((op) => op.path) }
    : { ok: true, value: merged };
}
