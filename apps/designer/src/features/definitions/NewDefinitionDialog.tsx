import { type DefinitionKind, idSchema } from '@orderloom/schema';
import { type FormEvent, useState } from 'react';
import { describeError, ProblemError } from '../../api/apiClient.ts';
import { useSaveDraft } from '../../api/useSaveDraft.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { definitionHref, navigate } from '../../lib/router.ts';
import { toast } from '../../store/toastStore.ts';
import { describeKind } from '../kindRegistry.ts';

/** "Peak season 2026" → "peak-season-2026". */
function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** Creates a minimal valid definition of a kind (PUT draft with baseRevision 0) and opens it. */
export function NewDefinitionDialog({ kind, onClose }: { kind: DefinitionKind; onClose: () => void }) {
  const descriptor = describeKind(kind);
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [idEdited, setIdEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const saveDraft = useSaveDraft();

  const effectiveId = idEdited ? id : slugify(name);
  const idCheck = idSchema.safeParse(effectiveId);
  const idProblem = effectiveId && !idCheck.success ? idCheck.error.issues[0]?.message : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || !idCheck.success) {
      setError(!name.trim() ? 'Give the definition a name.' : (idProblem ?? 'Choose an id.'));
      return;
    }
    setError(null);
    try {
      await saveDraft.mutateAsync({
        kind,
        id: effectiveId,
        definition: descriptor.skeleton(effectiveId, name.trim()),
        baseRevision: 0,
      });
      toast.success(`${descriptor.singular} created`, `${name.trim()} is ready to edit.`);
      onClose();
      navigate(definitionHref(kind, effectiveId));
    } catch (cause) {
      setError(
        cause instanceof ProblemError && cause.status === 409
          ? `A ${descriptor.singular.toLowerCase()} with the id "${effectiveId}" already exists.`
          : describeError(cause),
      );
    }
  }

  return (
    <Dialog
      open
      title={`New ${descriptor.singular.toLowerCase()}`}
      description="Starts from a minimal skeleton that already passes validation."
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="new-definition" busy={saveDraft.isPending}>
            Create
          </Button>
        </>
      }
    >
      <form id="new-definition" className="form" onSubmit={submit} noValidate>
        <label htmlFor="new-name">Name</label>
        <input
          id="new-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder={kind === 'routing' ? 'Peak season 2026' : 'A short, descriptive name'}
          autoFocus
        />
        <label htmlFor="new-id">Id</label>
        <input
          id="new-id"
          value={effectiveId}
          onChange={(event) => {
            setIdEdited(true);
            setId(event.target.value);
          }}
          className="mono"
          spellCheck={false}
          aria-invalid={idProblem ? true : undefined}
        />
        <p className="help">{idProblem ?? 'Used in URLs and API calls; cannot be changed later.'}</p>
        {error ? (
          <div className="form-error" role="alert">
            {error}
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}
