import { useEffect, useRef } from 'react';
import { registerCelLanguage, setCelModelVariables } from './celLanguage.ts';
import { celMarkers } from './celMarkers.ts';
import type { CelVariable } from './celVariables.ts';
import { disposeQuietly } from './disposeQuietly.ts';
import { monaco } from './monacoSetup.ts';

export interface CelEditorProps {
  value: string;
  /** Called with the whole expression on every edit, like an input's onChange. */
  onChange: (value: string) => void;
  /** What completion offers (`facts.wms.outboundNo`, `order.customer.tier`…). */
  variables: readonly CelVariable[];
  /** The accessible name of the editor, e.g. "Guard (CEL)". */
  ariaLabel: string;
  readOnly?: boolean;
  /** Height in lines: grows with the text from `minLines` to `maxLines`, then scrolls. */
  minLines?: number;
  maxLines?: number;
  placeholder?: string;
  /** On the wrapper, which also carries `aria-invalid` while the expression does not parse. */
  testId?: string;
  /** Ids of elements describing the editor (its status line), for the wrapper. */
  describedBy?: string;
}

const lineHeight = 18;
const verticalPadding = 10;
const markerOwner = 'orderloom-cel';

let nextModelId = 1;

/**
 * A compact monaco editor for one CEL expression: highlighting, an error marker where the shared
 * `checkCel` stops parsing, and completion of the given variables. Tab leaves the editor (tab focus
 * mode), so it sits in a form like any input. Default export so it can be `React.lazy`-loaded.
 */
export default function CelEditor(props: CelEditorProps) {
  const { value, readOnly = false, minLines = 1, maxLines = 8, ariaLabel, placeholder } = props;
  const containerRef = useRef<HTMLDivElement | null>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(props.onChange);
  onChangeRef.current = props.onChange;
  const variablesRef = useRef(props.variables);
  variablesRef.current = props.variables;
  const applyingRef = useRef(false);
  // Values this editor reported and the buffer has not echoed back yet: while typing fast the parent
  // may re-render with an older one, which must not overwrite newer keystrokes.
  const echoesRef = useRef<string[]>([]);
  const invalid = celMarkers(value).length > 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; later prop changes go through the effects below.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    registerCelLanguage();
    // Like a native input, an editor inside a disabled fieldset cannot be edited.
    const locked = readOnly || container.closest('fieldset:disabled') !== null;
    const model = monaco.editor.createModel(
      value,
      'cel',
      monaco.Uri.parse(`inmemory://cel/${nextModelId++}.cel`),
    );
    const editor = monaco.editor.create(container, {
      model,
      theme: 'orderloom',
      readOnly: locked,
      ariaLabel,
      ...(placeholder ? { placeholder } : {}),
      tabFocusMode: true,
      // A real textarea rather than an EditContext div: canvas shortcuts (React Flow's Space and
      // Delete, N for a new state) recognise it as a text field and leave its keys alone.
      editContext: false,
      automaticLayout: true,
      fixedOverflowWidgets: true,
      minimap: { enabled: false },
      lineNumbers: 'off',
      glyphMargin: false,
      folding: false,
      lineDecorationsWidth: 8,
      lineNumbersMinChars: 0,
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      wrappingIndent: 'same',
      overviewRulerLanes: 0,
      overviewRulerBorder: false,
      hideCursorInOverviewRuler: true,
      renderLineHighlight: 'none',
      guides: { indentation: false },
      stickyScroll: { enabled: false },
      contextmenu: false,
      links: false,
      scrollbar: {
        vertical: 'auto',
        horizontal: 'hidden',
        verticalScrollbarSize: 8,
        alwaysConsumeMouseWheel: false,
      },
      fontSize: 12,
      lineHeight,
      fontFamily: "'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, monospace",
      padding: { top: verticalPadding / 2, bottom: verticalPadding / 2 },
      quickSuggestions: { other: true, comments: false, strings: false },
      suggestOnTriggerCharacters: true,
      wordBasedSuggestions: 'off',
      suggest: { showWords: false, showStatusBar: false },
      unicodeHighlight: { ambiguousCharacters: false },
      matchBrackets: 'always',
    });
    editorRef.current = editor;

    const mark = () =>
      monaco.editor.setModelMarkers(
        model,
        markerOwner,
        celMarkers(model.getValue()).map((m) => ({ ...m, severity: monaco.MarkerSeverity.Error })),
      );
    mark();

    const fit = () => {
      const min = minLines * lineHeight + verticalPadding;
      const max = maxLines * lineHeight + verticalPadding;
      container.style.height = `${Math.min(max, Math.max(min, editor.getContentHeight()))}px`;
    };
    fit();

    const subscriptions = [
      setCelModelVariables(model, () => variablesRef.current),
      editor.onDidContentSizeChange(fit),
      model.onDidChangeContent(() => {
        mark();
        if (applyingRef.current) return;
        const next = model.getValue();
        echoesRef.current.push(next);
        if (echoesRef.current.length > 100) echoesRef.current.shift();
        onChangeRef.current(next);
      }),
    ];
    return () => {
      disposeQuietly(...subscriptions, editor, model);
      editorRef.current = null;
    };
  }, []);

  // The buffer changed elsewhere (JSON view, undo): show it without echoing it back as an edit.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const echo = echoesRef.current.indexOf(value);
    if (echo >= 0) {
      echoesRef.current.splice(0, echo + 1);
      return;
    }
    echoesRef.current = [];
    if (model.getValue() === value) return;
    applyingRef.current = true;
    try {
      model.setValue(value);
    } finally {
      applyingRef.current = false;
    }
  }, [value]);

  useEffect(() => {
    const locked = readOnly || containerRef.current?.closest('fieldset:disabled') != null;
    editorRef.current?.updateOptions({ readOnly: locked, ariaLabel });
  }, [readOnly, ariaLabel]);

  return (
    <div
      className={`cel-editor nokey${invalid ? ' invalid' : ''}${readOnly ? ' read-only' : ''}`}
      data-testid={props.testId}
      aria-invalid={invalid || undefined}
      aria-describedby={props.describedBy}
    >
      <div
        ref={containerRef}
        className="cel-editor-host"
        style={{ height: minLines * lineHeight + verticalPadding }}
      />
    </div>
  );
}
