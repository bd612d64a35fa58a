import type { DefinitionKind } from '@orderloom/schema';
import { useId, useState } from 'react';
import type { VersionInfo } from '../../api/types.ts';
import type { DiffSide } from '../../api/useDiff.ts';
import { useVersion } from '../../api/useVersion.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Icon } from '../../components/Icon.tsx';
import { LazyJsonDiffView } from '../../components/LazyMonaco.tsx';
import { DiffLabels } from './DiffDialog.tsx';
import { definitionText } from './definitionText.ts';

export interface CompareVersionDialogProps {
  kind: DefinitionKind;
  id: string;
  /** Every version of the definition, newest first. */
  versions: readonly VersionInfo[];
  /** The version shown on the left when the dialog opens (the draft is on the right). */
  version: number;
  draftText: string;
  dirty: boolean;
  onClose: () => void;
}

const swapPath = 'M7 4L3 8l4 4M3 8h14M17 20l4-4-4-4M21 16H7';

/** Any two versions, or a version and the draft as it is in the editor, side by side. */
export function CompareVersionDialog({
  kind,
  id,
  versions,
  version,
  draftText,
  dirty,
  onClose,
}: CompareVersionDialogProps) {
  const [left, setLeft] = useState<DiffSide>(version);
  const [right, setRight] = useState<DiffSide>('draft');
  const leftVersion = useVersion(kind, id, left === 'draft' ? null : left);
  const rightVersion = useVersion(kind, id, right === 'draft' ? null : right);
  const draftLabel = dirty ? 'Draft in the editor (unsaved)' : 'Draft';
  const label = (side: DiffSide) => (side === 'draft' ? draftLabel : `Version ${side}`);
  const text = (side: DiffSide, data: { definition: unknown } | undefined) =>
    side === 'draft' ? draftText : definitionText(data?.definition);
  const loading =
    (left !== 'draft' && leftVersion.isPending) || (right !== 'draft' && rightVersion.isPending);
  const original = text(left, leftVersion.data);
  const modified = text(right, rightVersion.data);

  return (
    <Dialog
      open
      size="xl"
      title="Compare versions"
      description="Pick any two versions, or a version and the draft. Left is the older side of the diff."
      onClose={onClose}
    >
      <div className="compare-pickers" data-testid="compare-pickers">
        <SidePicker
          label="Left"
          value={left}
          versions={versions}
          draftLabel={draftLabel}
          onChange={setLeft}
        />
        <Button
          size="sm"
          variant="ghost"
          aria-label="Swap sides"
          title="Swap sides"
          onClick={() => {
            setLeft(right);
            setRight(left);
          }}
          data-testid="compare-swap"
        >
          <Icon path={swapPath} />
          Swap
        </Button>
        <SidePicker
          label="Right"
          value={right}
          versions={versions}
          draftLabel={draftLabel}
          onChange={setRight}
        />
      </div>
      <DiffLabels original={label(left)} modified={label(right)} />
      {loading ? (
        <div className="editor-loading" style={{ height: 460 }}>
          Loading…
        </div>
      ) : (
        <>
          {left === right || original === modified ? (
            <p className="compare-identical muted small" data-testid="compare-identical">
              {left === right ? 'Both sides are the same.' : 'No differences.'}
            </p>
          ) : null}
          <LazyJsonDiffView original={original} modified={modified} height={460} />
        </>
      )}
    </Dialog>
  );
}

function SidePicker({
  label,
  value,
  versions,
  draftLabel,
  onChange,
}: {
  label: string;
  value: DiffSide;
  versions: readonly VersionInfo[];
  draftLabel: string;
  onChange: (side: DiffSide) => void;
}) {
  const id = useId();
  return (
    <div className="compare-picker">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={String(value)}
        onChange={(event) => onChange(event.target.value === 'draft' ? 'draft' : Number(event.target.value))}
        data-testid={`compare-${label.toLowerCase()}`}
      >
        <option value="draft">{draftLabel}</option>
        {versions.map((v) => (
          <option key={v.version} value={String(v.version)}>
            v{v.version}
            {v.note ? ` · ${v.note}` : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
