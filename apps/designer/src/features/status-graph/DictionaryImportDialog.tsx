import type { Report } from '@orderloom/schema';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { apiRequest, describeError, ProblemError } from '../../api/apiClient.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import type { DefinitionDetail } from '../../api/types.ts';
import { definitionPath, useDefinition } from '../../api/useDefinition.ts';
import { isSavingDraft, useSaveDraft } from '../../api/useSaveDraft.ts';
import { Button } from '../../components/Button.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Icon } from '../../components/Icon.tsx';
import { isDirty, useEditorStore } from '../../store/editorStore.ts';
import { toast } from '../../store/toastStore.ts';
import { definitionText } from '../definitions/definitionText.ts';
import {
  type DictionaryFormat,
  definitionIdOfBuffer,
  detectDictionaryFormat,
  dictionaryPayload,
  postDictionary,
} from './dictionaryImport.ts';
import { checkSystemId, type DictionaryImportResult } from './systemsModel.ts';

const newSystem = '\u0000new';
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface DictionaryImportDialogProps {
  bufferKey: string;
  /** Ids of the systems the draft has. */
  systems: readonly string[];
  /** The system chosen when the dialog opens (else the first, or a new one). */
  initialSystem?: string;
  onClose: () => void;
  onImported: (result: DictionaryImportResult) => void;
}

interface ImportError {
  message: string;
  errors?: Report[];
}

/**
 * Imports a system's status dictionary (CSV `code,label,meaning,implies` or JSON) into the server
 * draft. The import changes the server draft, so unsaved local edits are saved first (or the import is
 * blocked while a save conflict is open); afterwards the server draft is loaded into the buffer, so the
 * canvas and the JSON view show exactly what the runtime merged.
 */
export function DictionaryImportDialog({
  bufferKey,
  systems,
  initialSystem,
  onClose,
  onImported,
}: DictionaryImportDialogProps) {
  const formId = useId();
  const id = definitionIdOfBuffer(bufferKey);
  const queryClient = useQueryClient();
  const saveDraft = useSaveDraft();
  const { data: detail } = useDefinition('status-graph', id);
  const buffer = useEditorStore((s) => s.buffers[bufferKey]);
  const [systemChoice, setSystemChoice] = useState(initialSystem ?? systems[0] ?? newSystem);
  const [newSystemId, setNewSystemId] = useState('');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | undefined>();
  const [formatChoice, setFormatChoice] = useState<DictionaryFormat | 'auto'>('auto');
  const [busy, setBusy] = useState<'saving' | 'importing' | null>(null);
  const [error, setError] = useState<ImportError | null>(null);

  const system = systemChoice === newSystem ? newSystemId.trim() : systemChoice;
  const systemError =
    systemChoice === newSystem && newSystemId.trim() !== '' ? checkSystemId(newSystemId) : null;
  const format = formatChoice === 'auto' ? detectDictionaryFormat(text, fileName) : formatChoice;
  const dirty = isDirty(buffer);
  const serverRevision = detail?.draftRevision ?? null;
  const blockedReason = !buffer
    ? 'The draft is still loading.'
    : buffer.conflict || (dirty && serverRevision !== null && serverRevision > buffer.baseRevision)
      ? 'Someone else saved this draft since you started editing. Resolve the conflict (banner above the editor) before importing.'
      : null;

  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
    setError(null);
  };

  const submit = async () => {
    setError(null);
    if (system === '') {
      setError({ message: 'Choose a system or name a new one.' });
      return;
    }
    if (systemError) {
      setError({ message: `System id: ${systemError}` });
      return;
    }
    const payload = dictionaryPayload(text, format, system);
    if (!payload.ok) {
      setError({ message: payload.message });
      return;
    }
    if (blockedReason) return;
    setBusy('saving');
    const baseRevision = await saveLocalEdits();
    if (baseRevision === null) {
      setBusy(null);
      return;
    }
    setBusy('importing');
    try {
      const result = await postDictionary(id, system, payload, baseRevision);
      const fresh = await apiRequest<DefinitionDetail>(definitionPath('status-graph', id));
      useEditorStore
        .getState()
        .replaceWithServer(bufferKey, definitionText(fresh.draft), fresh.draftRevision);
      void queryClient.invalidateQueries({ queryKey: queryKeys.definition('status-graph', id), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.definitions(), exact: true });
      const count = result.conflicts.length;
      toast.success(
        `Imported the ${result.system} dictionary · revision ${result.draftRevision}`,
        `${result.added.length} added, ${result.updated.length} updated, ${count} conflict${count === 1 ? '' : 's'}.`,
      );
      onImported(result);
    } catch (cause) {
      setBusy(null);
      if (cause instanceof ProblemError && cause.status === 409) {
        void queryClient.invalidateQueries({
          queryKey: queryKeys.definition('status-graph', id),
          exact: true,
        });
        setError({
          message:
            'The server draft changed since it was loaded, so nothing was imported. Reload the draft (or resolve the conflict) and import again.',
        });
      } else {
        setError({
          message: describeError(cause),
          ...(cause instanceof ProblemError && cause.problem.errors ? { errors: cause.problem.errors } : {}),
        });
      }
    }
  };

  /**
   * Saves the buffer if it holds unsaved edits and returns the revision to import onto, or `null`
   * (with the reason shown) when they cannot be saved.
   */
  const saveLocalEdits = async (): Promise<number | null> => {
    // An autosave may be on its way; saving next to it with the same base revision would conflict.
    for (let i = 0; i < 200 && isSavingDraft(queryClient, 'status-graph', id); i++) await delay(50);
    const current = useEditorStore.getState().buffers[bufferKey];
    if (!current) return null;
    if (!isDirty(current)) return current.baseRevision;
    let definition: unknown;
    try {
      definition = JSON.parse(current.text);
    } catch {
      setError({
        message:
          'Your unsaved draft is not valid JSON, so it cannot be saved before the import. Fix it first.',
      });
      return null;
    }
    try {
      const saved = await saveDraft.mutateAsync({
        kind: 'status-graph',
        id,
        definition,
        baseRevision: current.baseRevision,
      });
      useEditorStore.getState().markSaved(bufferKey, current.text, saved.draftRevision);
      return saved.draftRevision;
    } catch (cause) {
      if (!(cause instanceof ProblemError && cause.status === 409)) {
        setError({
          message: `Your edits could not be saved, so nothing was imported: ${describeError(cause)}`,
        });
        return null;
      }
      const server = await apiRequest<DefinitionDetail>(definitionPath('status-graph', id)).catch(() => null);
      if (server && definitionText(server.draft) === current.text) {
        // An autosave that won the race stored this very text: nothing conflicts.
        useEditorStore.getState().markSaved(bufferKey, current.text, server.draftRevision);
        return server.draftRevision;
      }
      useEditorStore.getState().markConflict(bufferKey, server?.draftRevision ?? null);
      setError({
        message:
          'Your edits could not be saved: someone else saved this draft first. Nothing was imported; resolve the conflict first.',
      });
      return null;
    }
  };

  return (
    <Dialog
      open
      title="Import a status dictionary"
      description="Merges a system's codes into the draft on the server and reports semantic conflicts."
      onClose={onClose}
      size="lg"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="primary"
            icon="upload"
            busy={busy !== null}
            onClick={() => void submit()}
            disabledReason={blockedReason}
            data-testid="import-submit"
          >
            {busy === 'saving'
              ? 'Saving…'
              : busy === 'importing'
                ? 'Importing…'
                : dirty
                  ? 'Save draft and import'
                  : 'Import'}
          </Button>
        </>
      }
    >
      <form
        className="form dictionary-import"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {blockedReason ? (
          <p className="form-error" role="alert">
            <Icon name="error" size={16} /> {blockedReason}
          </p>
        ) : dirty ? (
          <p className="import-note" data-testid="import-unsaved-note">
            <Icon name="alert" size={16} /> The draft has unsaved edits. The import changes the draft on the
            server, so your edits are saved first; then the merged draft is loaded here.
          </p>
        ) : null}
        <div className="import-row">
          <div className="import-field">
            <label htmlFor={`${formId}-system`}>System</label>
            <select
              id={`${formId}-system`}
              className="input"
              value={systemChoice}
              onChange={(event) => setSystemChoice(event.target.value)}
            >
              {systems.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
              <option value={newSystem}>New system…</option>
            </select>
          </div>
          {systemChoice === newSystem ? (
            <div className="import-field">
              <label htmlFor={`${formId}-new-system`}>New system id</label>
              <input
                id={`${formId}-new-system`}
                className="input mono"
                value={newSystemId}
                placeholder="e.g. pdd"
                aria-invalid={systemError ? true : undefined}
                onChange={(event) => setNewSystemId(event.target.value)}
              />
              {systemError ? <p className="field-error">{systemError}</p> : null}
            </div>
          ) : null}
          <div className="import-field">
            <label htmlFor={`${formId}-format`}>Format</label>
            <select
              id={`${formId}-format`}
              className="input"
              value={formatChoice}
              onChange={(event) => setFormatChoice(event.target.value as DictionaryFormat | 'auto')}
            >
              <option value="auto">Detect ({format.toUpperCase()})</option>
              <option value="csv">CSV</option>
              <option value="json">JSON</option>
            </select>
          </div>
        </div>
        <label htmlFor={`${formId}-file`}>File</label>
        <input
          id={`${formId}-file`}
          className="input import-file"
          type="file"
          accept=".csv,.json,.txt,text/csv,application/json"
          onChange={(event) => void readFile(event.target.files?.[0])}
        />
        <label htmlFor={`${formId}-text`}>
          Dictionary {fileName ? <span className="muted">· {fileName}</span> : null}
        </label>
        <textarea
          id={`${formId}-text`}
          className="input mono import-text"
          rows={8}
          spellCheck={false}
          placeholder={'code,label,meaning,implies\nSHIPPED,已发货,handed to the carrier,shipped'}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setError(null);
          }}
        />
        <p className="help">
          CSV: a header <code>code,label,meaning,implies</code> (only <code>code</code> is required). JSON:{' '}
          <code>
            {'{ "system": "wms", "statuses": [{ "code", "label", "meaning", "sets", "implies" }] }'}
          </code>
          . Known codes get the imported words; their mapping is kept unless the import carries one.
        </p>
        {error ? (
          <div className="form-error" role="alert" data-testid="import-error">
            <Icon name="error" size={16} />
            <div>
              <p>{error.message}</p>
              {error.errors?.length ? (
                <ul className="import-errors">
                  {error.errors.map((e) => (
                    <li key={`${e.path}|${e.line ?? ''}|${e.message}`}>
                      {e.line !== undefined ? `Line ${e.line}: ` : ''}
                      {e.path ? <code>{e.path}</code> : null} {e.message}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </div>
        ) : null}
      </form>
    </Dialog>
  );
}
