import type { DefinitionKind } from '@orderloom/schema';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError, ProblemError } from '../../api/apiClient.ts';
import { useDefinition } from '../../api/useDefinition.ts';
import { isSavingDraft, useIsSavingDraft, useSaveDraft } from '../../api/useSaveDraft.ts';
import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { LazyJsonDraftEditor } from '../../components/LazyMonaco.tsx';
import type { PlacedReport } from '../../lib/lintDraft.ts';
import type { TextRange } from '../../lib/locateReport.ts';
import { navigate } from '../../lib/router.ts';
import { useDraftLint } from '../../lib/useDraftLint.ts';
import type { EditorHandle } from '../../monaco/JsonDraftEditor.tsx';
import { type DefinitionView, useCanvasStore } from '../../store/canvasStore.ts';
import { bufferKey, isDirty, useEditorStore } from '../../store/editorStore.ts';
import { canEditDrafts, useSessionStore } from '../../store/sessionStore.ts';
import { toast } from '../../store/toastStore.ts';
import { describeKind } from '../kindRegistry.ts';
import './definitionEditor.css';
import { type AutosaveStatus, autosaveLabel, autosaveStatus } from './autosaveStatus.ts';
import { CompareVersionDialog } from './CompareVersionDialog.tsx';
import { ConflictBanner } from './ConflictBanner.tsx';
import { CreateVersionDialog } from './CreateVersionDialog.tsx';
import { DiffDialog } from './DiffDialog.tsx';
import { definitionText } from './definitionText.ts';
import { EnvironmentDialog } from './EnvironmentDialog.tsx';
import { editGroup } from './editGroup.ts';
import { type MergeResult, mergeDrafts } from './mergeDrafts.ts';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { UndoRedoButtons } from './UndoRedoButtons.tsx';
import { useAutosave } from './useAutosave.ts';
import { useHistoryShortcuts } from './useHistoryShortcuts.ts';
import { useSaveShortcut, useUnsavedChangesGuard } from './useSaveShortcut.ts';
import { type VersionAction, VersionsPanel } from './VersionsPanel.tsx';

type OpenDialog =
  | { type: 'create' }
  | { type: 'environment'; action: Exclude<VersionAction, 'create'> }
  | { type: 'compare'; version: number }
  | { type: 'conflict' }
  | null;

/** `manual`: Ctrl+S, the Save button or a conflict resolution; `auto`: the autosave timer. */
type SaveMode = 'manual' | 'auto';

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Merges the buffer's edits (from `savedText` to `text`) into the server's draft. */
function mergeWithServer(buffer: { text: string; savedText: string }, serverDraft: unknown): MergeResult {
  let base: unknown;
  let mine: unknown;
  try {
    base = JSON.parse(buffer.savedText);
    mine = JSON.parse(buffer.text);
  } catch {
    return { ok: false, conflicts: [] };
  }
  return mergeDrafts(base, mine, serverDraft);
}

/** Why "Merge both" is unavailable, for its tooltip. */
function mergeBlockerText(result: MergeResult | null): string | null {
  if (!result || result.ok) return null;
  if (result.conflicts.length === 0) return 'Your draft is not valid JSON, so it cannot be merged.';
  const shown = result.conflicts.slice(0, 3).join(', ');
  const more = result.conflicts.length > 3 ? ` and ${result.conflicts.length - 3} more` : '';
  return `Both sides changed ${shown}${more}: compare and choose.`;
}

function definitionName(value: unknown): string | undefined {
  const name = (value as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' && name.trim() ? name : undefined;
}

/** One definition: its draft in monaco with live lint, problems, versions and publishing. */
export function DefinitionPage({ kind, id }: { kind: DefinitionKind; id: string }) {
  const descriptor = describeKind(kind);
  const me = useSessionStore((s) => s.me);
  const key = bufferKey(kind, id);
  const { data: detail, error, isPending, refetch } = useDefinition(kind, id);
  const buffer = useEditorStore((s) => s.buffers[key]);
  const saveDraft = useSaveDraft();
  const savingDraft = useIsSavingDraft(kind, id);
  const queryClient = useQueryClient();
  // One save at a time: an autosave and Ctrl+S racing with the same base revision would make the
  // runtime refuse the second as a conflict with ourselves.
  const inFlight = useRef<Promise<void> | null>(null);
  const [failedText, setFailedText] = useState<string | null>(null);
  const editorHandle = useRef<EditorHandle | null>(null);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [resolving, setResolving] = useState(false);
  const canvas = descriptor.canvas;
  const chosenView = useCanvasStore((s) => s.views[key]);
  const view: DefinitionView = canvas ? (chosenView ?? 'canvas') : 'json';
  // A problem clicked on the canvas that has no element there: shown in the JSON view once monaco is up.
  const pendingReveal = useRef<TextRange | null>(null);

  useEffect(() => {
    if (detail)
      useEditorStore.getState().syncFromServer(key, definitionText(detail.draft), detail.draftRevision);
  }, [detail, key]);

  const text = buffer?.text ?? '';
  const { lint, lintedText } = useDraftLint(kind, text);
  const dirty = isDirty(buffer);
  const editable = canEditDrafts(me);
  const serverRevision = detail?.draftRevision ?? null;
  const stale = Boolean(buffer && dirty && serverRevision !== null && serverRevision > buffer.baseRevision);
  const draftErrorCount = lint.reports.filter((r) => r.severity === 'error').length;
  const name = definitionName(lint.value) ?? definitionName(detail?.draft) ?? id;

  useEffect(() => {
    document.title = `${dirty ? '● ' : ''}${name} · ${descriptor.singular} · Orderloom`;
    return () => {
      document.title = 'Orderloom Designer';
    };
  }, [dirty, name, descriptor.singular]);
  useUnsavedChangesGuard(dirty);

  const { mutateAsync } = saveDraft;
  const performSave = useCallback(
    async (mode: SaveMode) => {
      const manual = mode === 'manual';
      const current = useEditorStore.getState().buffers[key];
      if (!current || !detail) return;
      if (!editable) {
        if (manual) toast.error('This key cannot save drafts', 'Sign in with an analyst or admin key.');
        return;
      }
      if (!isDirty(current) && !current.conflict) {
        if (manual) toast.info('All changes are saved', `The draft is at revision ${current.baseRevision}.`);
        return;
      }
      // Autosave never resolves a conflict: only the user's choice in the banner does. Nor does it save
      // next to a save in flight elsewhere (a dialog saving before it acts).
      if (!manual && (current.conflict || isSavingDraft(queryClient, kind, id))) return;
      let definition: unknown;
      try {
        definition = JSON.parse(current.text);
      } catch {
        if (manual)
          toast.error(
            'Not saved: the draft is not valid JSON',
            'Fix the syntax error listed under Problems first.',
          );
        return;
      }
      try {
        const result = await mutateAsync({ kind, id, definition, baseRevision: current.baseRevision });
        useEditorStore.getState().markSaved(key, current.text, result.draftRevision);
        setFailedText(null);
        if (!manual) return;
        const errors = result.reports.filter((r) => r.severity === 'error').length;
        toast.success(
          `Draft saved · revision ${result.draftRevision}`,
          errors > 0
            ? `${errors} error${errors === 1 ? '' : 's'} to fix before it can become a version.`
            : undefined,
        );
      } catch (cause) {
        if (cause instanceof ProblemError && cause.status === 409) {
          const fresh = await refetch();
          useEditorStore.getState().markConflict(key, fresh.data?.draftRevision ?? null);
          toast.error(
            'Not saved: someone else saved this draft first',
            'Your edits are kept. Compare and choose.',
          );
        } else {
          setFailedText(current.text);
          toast.error('Could not save the draft', describeError(cause));
        }
      }
    },
    [key, detail, editable, mutateAsync, kind, id, refetch, queryClient],
  );

  const save = useCallback(
    async (mode: SaveMode = 'manual') => {
      while (inFlight.current) {
        if (mode === 'auto') return;
        await inFlight.current;
      }
      const run = performSave(mode);
      inFlight.current = run;
      try {
        await run;
      } finally {
        inFlight.current = null;
      }
    },
    [performSave],
  );

  useSaveShortcut(() => void save());

  const validJson = useMemo(() => parsesAsJson(text), [text]);
  const savedText = buffer?.savedText;
  const blocked = Boolean(buffer?.conflict) || stale;
  const serverDraft = detail?.draft;
  const merge = useMemo(
    () =>
      blocked && savedText !== undefined && serverDraft !== undefined
        ? mergeWithServer({ text, savedText }, serverDraft)
        : null,
    [blocked, text, savedText, serverDraft],
  );
  const mergeBlocker = mergeBlockerText(merge);
  const status: AutosaveStatus = autosaveStatus({
    dirty,
    saving: savingDraft,
    conflict: blocked,
    validJson,
    editable,
    failed: failedText !== null && failedText === text,
  });
  useAutosave(text, status, () => void save('auto'));

  const undo = useCallback(() => useEditorStore.getState().undo(key), [key]);
  const redo = useCallback(() => useEditorStore.getState().redo(key), [key]);
  useHistoryShortcuts(undo, redo);
  const edit = useCallback(
    (next: string) => useEditorStore.getState().setText(key, next, editGroup()),
    [key],
  );

  const keepMine = useCallback(async () => {
    setResolving(true);
    try {
      const fresh = await refetch();
      if (fresh.data) {
        useEditorStore.getState().rebase(key, fresh.data.draftRevision);
        setDialog(null);
        await save();
      }
    } finally {
      setResolving(false);
    }
  }, [key, refetch, save]);

  const mergeBoth = useCallback(async () => {
    setResolving(true);
    try {
      const fresh = await refetch();
      const current = useEditorStore.getState().buffers[key];
      if (!fresh.data || !current) return;
      const result = mergeWithServer(current, fresh.data.draft);
      if (!result.ok) {
        toast.error('Could not merge', mergeBlockerText(result) ?? undefined);
        return;
      }
      useEditorStore
        .getState()
        .adoptMerge(
          key,
          definitionText(result.value),
          definitionText(fresh.data.draft),
          fresh.data.draftRevision,
        );
      setDialog(null);
      await save();
    } finally {
      setResolving(false);
    }
  }, [key, refetch, save]);

  const loadTheirs = useCallback(async () => {
    const fresh = await refetch();
    if (fresh.data) {
      useEditorStore
        .getState()
        .replaceWithServer(key, definitionText(fresh.data.draft), fresh.data.draftRevision);
      setDialog(null);
      toast.info(
        'Loaded the server draft',
        `Revision ${fresh.data.draftRevision}. Undo (Ctrl+Z) brings your edits back.`,
      );
    }
  }, [key, refetch]);

  const selectProblem = useCallback(
    (report: PlacedReport) => {
      if (view === 'canvas' && canvas) {
        const element = report.source === 'lint' ? canvas.locate(lint.value, report) : null;
        if (element) {
          useCanvasStore.getState().reveal(key, element);
          return;
        }
        pendingReveal.current = report.range;
        useCanvasStore.getState().setView(key, 'json');
        return;
      }
      editorHandle.current?.reveal(report.range);
    },
    [view, canvas, lint.value, key],
  );
  const CanvasView = canvas?.component;

  if (error) {
    const notFound = error instanceof ProblemError && error.status === 404;
    return (
      <div className="page">
        <div className="empty-state">
          <Icon name={notFound ? 'file' : 'error'} size={32} />
          <h2>
            {notFound ? `No ${descriptor.singular.toLowerCase()} “${id}”` : 'Could not load the definition'}
          </h2>
          <p>{notFound ? 'It may have been removed, or the link is mistyped.' : describeError(error)}</p>
          <Button onClick={() => navigate(`/${kind}`)}>Back to {descriptor.label.toLowerCase()}</Button>
        </div>
      </div>
    );
  }

  const conflict = buffer?.conflict ?? null;

  return (
    <div className="definition-page">
      <header className="definition-header">
        <div className="definition-heading">
          <nav className="breadcrumbs" aria-label="Breadcrumb">
            <a
              className="crumb"
              href={`/${kind}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(`/${kind}`);
              }}
            >
              {descriptor.label}
            </a>
            <Icon name="chevronRight" size={12} />
            <span aria-current="page">{id}</span>
          </nav>
          <h1>
            {isPending ? <span className="skeleton-text" /> : name}
            {detail || dirty ? <SaveStatus status={status} /> : null}
          </h1>
        </div>
        <div className="definition-meta">
          <UndoRedoButtons bufferKey={key} onUndo={undo} onRedo={redo} />
          {buffer ? (
            <span
              className="meta-chip"
              title="The draft revision your edits are based on"
              data-testid="draft-revision"
            >
              Draft rev {buffer.baseRevision}
            </span>
          ) : null}
          <Button
            variant="primary"
            icon="save"
            busy={savingDraft}
            onClick={() => void save()}
            disabledReason={editable ? null : 'Service keys cannot save drafts.'}
            data-testid="save-draft"
          >
            Save draft <kbd>{navigator.platform.startsWith('Mac') ? '⌘S' : 'Ctrl+S'}</kbd>
          </Button>
        </div>
      </header>

      {conflict || stale ? (
        <ConflictBanner
          reason={conflict ? 'conflict' : 'stale'}
          serverRevision={serverRevision}
          busy={resolving}
          onCompare={() => setDialog({ type: 'conflict' })}
          onMerge={merge?.ok ? () => void mergeBoth() : null}
          mergeBlocker={mergeBlocker}
          onOverwrite={() => void keepMine()}
          onDiscard={() => setDialog({ type: 'conflict' })}
        />
      ) : null}

      <div className="definition-body">
        <section className="editor-column">
          {canvas ? (
            <ViewTabs
              view={view}
              canvasLabel={canvas.label}
              onChange={(next) => useCanvasStore.getState().setView(key, next)}
            />
          ) : null}
          {view === 'canvas' && CanvasView ? (
            <div className="canvas-frame" role="tabpanel" aria-label={canvas?.label ?? 'Canvas'}>
              {buffer ? (
                <Suspense fallback={<div className="editor-loading">Loading canvas…</div>}>
                  <CanvasView
                    bufferKey={key}
                    text={buffer.text}
                    onChange={edit}
                    lintedValue={lint.value}
                    reports={lint.reports}
                    editable={editable}
                  />
                </Suspense>
              ) : (
                <div className="editor-loading">Loading draft…</div>
              )}
            </div>
          ) : (
            <div className="editor-frame" data-testid="draft-editor" {...(canvas ? jsonTabPanel : {})}>
              {buffer ? (
                <LazyJsonDraftEditor
                  kind={kind}
                  id={id}
                  value={buffer.text}
                  readOnly={!editable}
                  onChange={edit}
                  reports={lint.reports}
                  lintedText={lintedText}
                  onReady={(handle) => {
                    editorHandle.current = handle;
                    if (pendingReveal.current) {
                      handle.reveal(pendingReveal.current);
                      pendingReveal.current = null;
                    }
                  }}
                />
              ) : (
                <div className="editor-loading">Loading draft…</div>
              )}
            </div>
          )}
          <ProblemsPanel reports={lint.reports} checking={lintedText !== text} onSelect={selectProblem} />
        </section>
        {detail ? (
          <VersionsPanel
            detail={detail}
            me={me}
            dirty={dirty}
            onAction={(action) =>
              setDialog(action === 'create' ? { type: 'create' } : { type: 'environment', action })
            }
            onCompare={(version) => setDialog({ type: 'compare', version })}
          />
        ) : (
          <aside className="versions-panel" aria-busy="true" />
        )}
      </div>

      {dialog?.type === 'create' && detail ? (
        <CreateVersionDialog
          detail={detail}
          draftErrorCount={draftErrorCount}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.type === 'environment' && detail ? (
        <EnvironmentDialog action={dialog.action} detail={detail} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.type === 'compare' ? (
        <CompareVersionDialog
          kind={kind}
          id={id}
          versions={detail?.versions ?? []}
          version={dialog.version}
          draftText={text}
          dirty={dirty}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.type === 'conflict' && detail ? (
        <DiffDialog
          title="Resolve the conflicting edit"
          description={`Left: the server's draft (revision ${detail.draftRevision}). Right: your edits.`}
          originalLabel={`Server draft · revision ${detail.draftRevision}`}
          modifiedLabel="Your edits"
          original={definitionText(detail.draft)}
          modified={text}
          onClose={() => setDialog(null)}
          footer={
            <>
              <Button variant="ghost" onClick={() => setDialog(null)}>
                Decide later
              </Button>
              <Button variant="secondary" onClick={() => void loadTheirs()}>
                Discard mine, load theirs
              </Button>
              <Button
                variant="primary"
                disabled={resolving}
                disabledReason={merge?.ok ? null : mergeBlocker}
                onClick={() => void mergeBoth()}
              >
                Merge both
              </Button>
              <Button variant="danger" busy={resolving} onClick={() => void keepMine()}>
                Keep mine and overwrite
              </Button>
            </>
          }
        />
      ) : null}
    </div>
  );
}

const jsonTabPanel = { role: 'tabpanel', 'aria-label': 'JSON' } as const;

/** The header's save state: saved, unsaved (autosave pending), saving, paused or failed. */
function SaveStatus({ status }: { status: AutosaveStatus }) {
  const label = autosaveLabel(status);
  const tone = status.state === 'paused' || status.state === 'failed' ? ' unsaved-paused' : '';
  return (
    <span className="save-status" role="status" data-autosave={status.state}>
      {status.state === 'saved' ? (
        <span className="saved" data-testid="saved-indicator">
          <Icon name="check" size={14} /> {label}
        </span>
      ) : (
        <span
          className={`unsaved${tone}`}
          data-testid="unsaved-indicator"
          title={
            status.state === 'pending'
              ? 'Saved automatically a moment after your last edit'
              : status.state === 'saving'
                ? 'Saving the draft'
                : 'Ctrl+S saves now'
          }
        >
          {status.state === 'saving' ? (
            <span className="spinner" aria-hidden />
          ) : (
            <span className="unsaved-dot" aria-hidden />
          )}{' '}
          {label}
        </span>
      )}
    </span>
  );
}

const viewLabels: Record<DefinitionView, string> = { canvas: 'Canvas', json: 'JSON' };

/** The Canvas | JSON switch of kinds that have a canvas; both views edit the same buffer. */
function ViewTabs({
  view,
  canvasLabel,
  onChange,
}: {
  view: DefinitionView;
  canvasLabel: string | undefined;
  onChange: (view: DefinitionView) => void;
}) {
  const views: DefinitionView[] = ['canvas', 'json'];
  return (
    <div className="view-tabs" role="tablist" aria-label="Editor view">
      {views.map((v) => (
        <button
          key={v}
          type="button"
          role="tab"
          aria-selected={view === v}
          tabIndex={view === v ? 0 : -1}
          className={`view-tab${view === v ? ' active' : ''}`}
          onClick={() => onChange(v)}
          onKeyDown={(event) => {
            if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
            const next = v === 'canvas' ? 'json' : 'canvas';
            onChange(next);
            (
              event.currentTarget.parentElement?.querySelector(`[data-view="${next}"]`) as HTMLElement | null
            )?.focus();
          }}
          data-view={v}
        >
          {v === 'canvas' && canvasLabel ? canvasLabel : viewLabels[v]}
        </button>
      ))}
    </div>
  );
}
