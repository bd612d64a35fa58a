import { useEffect, useRef } from 'react';
import { disposeQuietly } from './disposeQuietly.ts';
import { monaco } from './monacoSetup.ts';

export interface JsonDiffViewProps {
  original: string;
  modified: string;
  /** The most height the view takes; it shrinks to fit when unchanged regions are folded away. */
  height?: number;
}

const minHeight = 140;
const modelDisposeDelayMs = 5_000;

let nextModelId = 1;

/**
 * A read-only monaco diff of two JSON texts. Written against monaco directly rather than
 * @monaco-editor/react's DiffEditor, which disposes the models before the widget on unmount and makes
 * monaco throw ("TextModel got disposed before DiffEditorWidget model got reset").
 */
export default function JsonDiffView({ original, modified, height = 420 }: JsonDiffViewProps) {
  const containerRef = useRef<HTMLDivElement | null>(null);
  const editorRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  const modelsRef = useRef<{ original: monaco.editor.ITextModel; modified: monaco.editor.ITextModel } | null>(
    null,
  );
  const maxHeightRef = useRef(height);
  maxHeightRef.current = height;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const id = nextModelId++;
    const models = {
      original: monaco.editor.createModel(
        '',
        'json',
        monaco.Uri.parse(`inmemory://diff/${id}/original.json`),
      ),
      modified: monaco.editor.createModel(
        '',
        'json',
        monaco.Uri.parse(`inmemory://diff/${id}/modified.json`),
      ),
    };
    const editor = monaco.editor.createDiffEditor(container, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12,
      lineHeight: 18,
      renderOverviewRuler: false,
      hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 5 },
      theme: 'orderloom',
    });
    editor.setModel(models);
    // Fit the folded diff instead of leaving a tall empty editor under a one-line change.
    const fit = () => {
      const content = Math.max(
        editor.getOriginalEditor().getContentHeight(),
        editor.getModifiedEditor().getContentHeight(),
      );
      container.style.height = `${Math.min(maxHeightRef.current, Math.max(minHeight, content + 2))}px`;
    };
    const subscriptions = [
      editor.onDidUpdateDiff(fit),
      editor.getModifiedEditor().onDidContentSizeChange(fit),
      editor.getOriginalEditor().onDidContentSizeChange(fit),
    ];
    editorRef.current = editor;
    modelsRef.current = models;
    return () => {
      disposeQuietly(...subscriptions);
      // Detach before disposing: monaco throws if a model dies while a diff widget still holds it.
      editor.setModel(null);
      disposeQuietly(editor);
      // A diff computed in the editor worker may still be in flight; if its models vanish first the
      // worker answers null and monaco rejects with "no diff result available". Let it settle.
      setTimeout(() => disposeQuietly(models.original, models.modified), modelDisposeDelayMs);
      editorRef.current = null;
      modelsRef.current = null;
    };
  }, []);

  useEffect(() => {
    const models = modelsRef.current;
    if (!models) return;
    if (models.original.getValue() !== original) models.original.setValue(original);
    if (models.modified.getValue() !== modified) models.modified.setValue(modified);
  }, [original, modified]);

  return <div className="diff-view" ref={containerRef} style={{ height }} />;
}
