import type { Report } from '@orderloom/schema';
import { useState } from 'react';
import { describeError, ProblemError } from '../../api/apiClient.ts';
import type { DefinitionDetail } from '../../api/types.ts';
import { useCreateVersion } from '../../api/useCreateVersion.ts';
import { useDiff } from '../../api/useDiff.ts';
import { useVersion } from '../../api/useVersion.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Icon } from '../../components/Icon.tsx';
import { LazyJsonDiffView } from '../../components/LazyMonaco.tsx';
import { ReportList } from '../../components/ReportList.tsx';
import { toast } from '../../store/toastStore.ts';
import { DiffLabels } from './DiffDialog.tsx';
import { definitionText } from './definitionText.ts';
import { PatchSummary } from './PatchSummary.tsx';

export interface CreateVersionDialogProps {
  detail: DefinitionDetail;
  /** Errors the live lint sees in the saved draft, to warn before the runtime refuses. */
  draftErrorCount: number;
  onClose: () => void;
}

/** Freezes the saved draft as the next version, after showing what changed since the latest version. */
export function CreateVersionDialog({ detail, draftErrorCount, onClose }: CreateVersionDialogProps) {
  const { kind, id } = detail;
  const latest = detail.versions[0]?.version ?? null;
  const latestVersion = useVersion(kind, id, latest);
  const patch = useDiff(kind, id, latest, latest === null ? null : 'draft');
  const createVersion = useCreateVersion();
  const [note, setNote] = useState('');
  const [rejected, setRejected] = useState<Report[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const next = (latest ?? 0) + 1;

  async function confirm() {
    setError(null);
    setRejected(null);
    try {
      const created = await createVersion.mutateAsync({ kind, id, note: note.trim() });
      toast.success(`Version ${created.version ?? next} created`, note.trim() || undefined);
      onClose();
    } catch (cause) {
      if (cause instanceof ProblemError && cause.status === 422) {
        setRejected(cause.problem.errors ?? []);
        setError('The runtime refused: the saved draft has lint errors. Fix them, save, and try again.');
      } else {
        setError(describeError(cause));
      }
    }
  }

  const original = latest === null ? '' : definitionText(latestVersion.data?.definition);
  const waiting = latest !== null && latestVersion.isPending;

  return (
    <Dialog
      open
      size="xl"
      title={`Create version ${next}`}
      description={
        latest === null
          ? 'The saved draft becomes version 1, immutable from then on.'
          : `What changes from version ${latest} to the saved draft. The draft becomes version ${next}, immutable from then on.`
      }
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" icon="tag" busy={createVersion.isPending} onClick={() => void confirm()}>
            Create version {next}
          </Button>
        </>
      }
    >
      <div className="form">
        <label htmlFor="version-note">Note</label>
        <input
          id="version-note"
          value={note}
          maxLength={500}
          placeholder="What changed and why, e.g. “Raise carbon weight for the green-week promotion”"
          onChange={(event) => setNote(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void confirm();
          }}
          autoFocus
        />
      </div>
      {draftErrorCount > 0 && !rejected ? (
        <div className="panel-message warning">
          <Icon name="alert" /> The draft has {draftErrorCount} error{draftErrorCount === 1 ? '' : 's'}; the
          runtime will refuse to create a version until they are fixed.
        </div>
      ) : null}
      {error ? (
        <div className="panel-message error" role="alert" data-testid="create-version-error">
          <Icon name="error" /> {error}
        </div>
      ) : null}
      {rejected && rejected.length > 0 ? <ReportList reports={rejected} /> : null}
      {latest !== null ? <PatchSummary patch={patch.data} loading={patch.isPending} /> : null}
      <DiffLabels
        original={latest === null ? 'No version yet' : `Version ${latest}`}
        modified="Saved draft"
      />
      {waiting ? (
        <div className="editor-loading" style={{ height: 380 }}>
          Loading version {latest}…
        </div>
      ) : (
        <LazyJsonDiffView original={original} modified={definitionText(detail.draft)} height={380} />
      )}
    </Dialog>
  );
}
