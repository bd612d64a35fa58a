import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { PlacedReport } from '../lib/lintDraft.ts';
import type { TextRange } from '../lib/locateReport.ts';
import { draftModelPath, monaco } from './monacoSetup.ts';

/** Lets the page move the cursor to a problem. */
export interface EditorHandle {
  reveal: (range: TextRange) => void;
  focus: () => void;
}

export interface JsonDraftEditorProps {
  kind: string;
  id: string;
  value: string;
  readOnly: boolean;
  onChange: (text: string) => void;
  /** Reports computed from `lintedText`; applied as markers only while the model still holds that text. */
  reports: PlacedReport[];
  lintedText: string;
  onReady: (handle: EditorHandle) => void;
}

const markerOwner = 'orderloom';

/** The monaco JSON editor of a draft, with lint markers. Default export so it can be `React.lazy`-loaded. */
export default function JsonDraftEditor(props: JsonDraftEditorProps) {
  const { kind, id, value, readOnly, onChange, reports, lintedText, onReady } = props;
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);

  const handleMount: OnMount = (editor) => {
    editorRef.current = editor;
    onReady({
      reveal: (range) => {
        const model = editor.getModel();
        if (!model) return;
        const start = model.getPositionAt(range.start);
        const end = model.getPositionAt(range.end);
        const selection = new monaco.Selection(start.lineNumber, start.column, end.lineNumber, end.column);
        editor.setSelection(selection);
        editor.revealRangeInCenterIfOutsideViewport(selection);
        editor.focus();
      },
      focus: () => editor.focus(),
    });
  };

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || model.getValue() !== lintedText) return;
    const markers = reports
      .filter((report) => report.source === 'lint')
      .map((report): monaco.editor.IMarkerData => {
        const start = model.getPositionAt(report.range.start);
        const end = model.getPositionAt(report.range.end);
        return {
          severity: report.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
          message: report.message,
          source: report.path || '/',
          startLineNumber: start.lineNumber,
          startColumn: start.column,
          endLineNumber: end.lineNumber,
          endColumn: end.column,
        };
      });
    monaco.editor.setModelMarkers(model, markerOwner, markers);
  }, [reports, lintedText]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly });
  }, [readOnly]);

  return (
    <Editor
      path={draftModelPath(kind, id)}
      defaultLanguage="json"
      language="json"
      value={value}
      theme="orderloom"
      onChange={(text) => onChange(text ?? '')}
      onMount={handleMount}
      loading={<div className="editor-loading">Loading editor…</div>}
      options={{
        readOnly,
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 13,
        lineHeight: 20,
        fontFamily: "'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, monospace",
        tabSize: 2,
        scrollBeyondLastLine: false,
        renderLineHighlight: 'line',
        fixedOverflowWidgets: true,
        stickyScroll: { enabled: true, maxLineCount: 3 },
        wordWrap: 'on',
        wrappingIndent: 'indent',
        // Definitions legitimately contain ×, →, CJK labels and the like.
        unicodeHighlight: { ambiguousCharacters: false, invisibleCharacters: true },
        padding: { top: 8, bottom: 8 },
        scrollbar: { verticalScrollbarSize: 10, horizontalScrollbarSize: 10 },
      }}
    />
  );
}
