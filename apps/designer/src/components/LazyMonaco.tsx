import { lazy, Suspense } from 'react';
import type { JsonDiffViewProps } from '../monaco/JsonDiffView.tsx';
import type { JsonDraftEditorProps } from '../monaco/JsonDraftEditor.tsx';

const loadDraftEditor = () => import('../monaco/JsonDraftEditor.tsx');
const loadDiffView = () => import('../monaco/JsonDiffView.tsx');

const DraftEditor = lazy(loadDraftEditor);
const DiffView = lazy(loadDiffView);

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
