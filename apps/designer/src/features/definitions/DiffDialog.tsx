import type { ReactNode } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { LazyJsonDiffView } from '../../components/LazyMonaco.tsx';

export interface DiffDialogProps {
  title: string;
  description?: ReactNode;
  originalLabel: string;
  modifiedLabel: string;
  original: string;
  modified: string;
  onClose: () => void;
  footer?: ReactNode;
}

/** A read-only comparison of two texts. */
export function DiffDialog(props: DiffDialogProps) {
  return (
    <Dialog
      open
      size="xl"
      title={props.title}
      description={props.description}
      onClose={props.onClose}
      footer={props.footer}
    >
      <DiffLabels original={props.originalLabel} modified={props.modifiedLabel} />
      <LazyJsonDiffView original={props.original} modified={props.modified} height={460} />
    </Dialog>
  );
}

/** The captions above the two sides of a diff. */
export function DiffLabels({ original, modified }: { original: string; modified: string }) {
  return (
    <div className="diff-labels">
      <span>{original}</span>
      <span>{modified}</span>
    </div>
  );
}
