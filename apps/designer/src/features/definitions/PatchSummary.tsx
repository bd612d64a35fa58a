import type { PatchOperation } from '../../api/types.ts';
import { uniqueKeys } from '../../lib/uniqueKeys.ts';

function preview(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return '';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The runtime's RFC 6902 patch as a short list of what changes. */
export function PatchSummary({ patch, loading }: { patch: PatchOperation[] | undefined; loading: boolean }) {
  if (loading) return <p className="muted small">Computing changes…</p>;
  if (!patch) return null;
  if (patch.length === 0) return <p className="muted small">No differences.</p>;
  const shown = patch.slice(0, 8);
  const keys = uniqueKeys(shown, (op) => `${op.op}|${op.path}|${op.from ?? ''}`);
  return (
    <div className="patch-summary" data-testid="patch-summary">
      <strong>
        {patch.length} change{patch.length === 1 ? '' : 's'}
      </strong>
      <ul>
        {shown.map((op, index) => (
          <li key={keys[index]}>
            <span className={`op op-${op.op}`}>{op.op}</span>
            <code>{op.path || '/'}</code>
            {op.op === 'add' || op.op === 'replace' ? (
              <span className="op-value">→ {preview(op.value)}</span>
            ) : null}
            {op.op === 'move' || op.op === 'copy' ? <span className="op-value">from {op.from}</span> : null}
          </li>
        ))}
      </ul>
      {patch.length > shown.length ? (
        <p className="muted small">and {patch.length - shown.length} more…</p>
      ) : null}
    </div>
  );
}
