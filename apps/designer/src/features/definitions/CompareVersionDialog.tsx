import type { DefinitionKind } from '@orderloom/schema';
import { useVersion } from '../../api/useVersion.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { LazyJsonDiffView } from '../../components/LazyMonaco.tsx';
import { DiffLabels } from './DiffDialog.tsx';
import { definitionText } from './definitionText.ts';

export interface CompareVersionDialogProps {
  kind: DefinitionKind;
  id: string;
  version: number;
  draftText: string;
  dirty: boolean;
  onClose: () => void;
}

/** A version next to the draft as it is in the editor. */
export function CompareVersionDialog({
  kind,
  id,
  version,
  draftText,
  dirty,
  onClose,
}: CompareVersionDialogProps) {
  const { data, isPending } = useVersion(kind, id, version);
  return (
    <Dialog open size="xl" title={`Version ${version} compared with the draft`} onClose={onClose}>
      <DiffLabels
        original={`Version ${version}`}
        modified={dirty ? 'Draft in the editor (unsaved)' : 'Draft'}
      />
      {isPending ? (
        <div className="editor-loading" style={{ height: 460 }}>
          Loading version {version}…
        </div>
      ) : (
        <LazyJsonDiffView original={definitionText(data?.definition)} modified={draftText} height={460} />
      )}
    </Dialog>
  );
}
