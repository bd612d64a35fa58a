import '../monaco/celEditor.css';
import { lazy, Suspense } from 'react';
import type { CelEditorProps } from '../monaco/CelEditor.tsx';
import type { JsonDiffViewProps } from '../monaco/JsonDiffView.tsx';
import type { JsonDraftEditorProps } from '../monaco/JsonDraftEditor.tsx';

const loadDraftEditor = () => import('../monaco/JsonDraftEditor.tsx');
const loadDiffView = () => import('../monaco/JsonDiffView.tsx');
const loadCelEditor = () => import('../monaco/CelEditor.tsx');

const DraftEditor = lazy(loadDraftEditor);
const DiffView = lazy(loadDiffView);
const CelEditor = lazy(loadCelEditor);

/** Starts downloading monaco in the background once the shell is idle, so opening a draft is instant. */
export function preloadMonaco(): void {
  const start = () => void loadDraftEditor().then(loadDiffView);
  if ('requestIdleCallback' in window) window.requestIdleCallback(start, { timeout: 3000 });
  else setTimeout(start, 1500);
}

/** The draft editor, loaded on demand. */
export function LazyJsonDraftEditor(props: JsonDraftEditorProps) {
  return (
    <Suspense fallback={<div className="editor-loading">Loading editor…</div>}>
      <DraftEditor {...props} />
    </Suspense>
  );
}

/** The diff view, loaded on demand. */
export function LazyJsonDiffView(props: JsonDiffViewProps) {
  return (
    <Suspense
      fallback={
        <div className="editor-loading" style={{ height: props.height ?? 420 }}>
          Loading diff…
        </div>
      }
    >
      <DiffView {...props} />
    </Suspense>
  );
}

/**
 * The CEL expression editor, loaded on demand. Until monaco is there the expression is shown as text
 * in a box of the editor's size, so the form does not jump.
 */
export function LazyCelEditor(props: CelEditorProps) {
  return (
    <Suspense
      fallback={
        <div className="cel-editor cel-editor-loading" aria-busy="true">
          <pre style={{ minHeight: (props.minLines ?? 1) * 18 + 10 }}>{props.value}</pre>
        </div>
      }
    >
      <CelEditor {...props} />
    </Suspense>
  );
}
