import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';

export interface ConflictBannerProps {
  /** `conflict`: a save was refused; `stale`: the server has a newer draft than the one being edited. */
  reason: 'conflict' | 'stale';
  serverRevision: number | null;
  onCompare: () => void;
  /** Applies the local edits on top of the server's draft; absent while that is not possible. */
  onMerge: (() => void) | null;
  /** Why the edits cannot be merged automatically (shown as the Merge button's tooltip). */
  mergeBlocker: string | null;
  onOverwrite: () => void;
  onDiscard: () => void;
  busy: boolean;
}

/** Explains a concurrent edit and offers the three ways out; local edits stay until the user chooses. */
export function ConflictBanner({
  reason,
  serverRevision,
  onCompare,
  onMerge,
  mergeBlocker,
  onOverwrite,
  onDiscard,
  busy,
}: ConflictBannerProps) {
  const revision = serverRevision === null ? 'a newer revision' : `revision ${serverRevision}`;
  return (
    <div className="conflict-banner" role="alert" data-testid="conflict-banner">
      <Icon name="alert" size={18} />
      <div className="conflict-text">
        <strong>
          {reason === 'conflict'
            ? 'Not saved: someone else saved this draft first.'
            : 'This draft changed on the server.'}
        </strong>
        <span>
          The server now has {revision}. Your edits are kept here; compare them, then merge both, keep yours
          (overwriting theirs) or load theirs.
        </span>
      </div>
      <div className="conflict-actions">
        <Button size="sm" icon="diff" onClick={onCompare}>
          Compare
        </Button>
        <Button
          size="sm"
          variant="primary"
          disabled={busy}
          disabledReason={onMerge ? null : mergeBlocker}
          onClick={() => onMerge?.()}
        >
          Merge both
        </Button>
        <Button size="sm" variant="danger" busy={busy} onClick={onOverwrite}>
          Keep mine
        </Button>
        <Button size="sm" variant="ghost" onClick={onDiscard}>
          Load theirs
        </Button>
      </div>
    </div>
  );
}
