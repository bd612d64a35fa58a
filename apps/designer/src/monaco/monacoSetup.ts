import { loader } from '@monaco-editor/react';
import { definitionJsonSchema, definitionKinds } from '@orderloom/schema';
import 'monaco-editor/features/register.all';
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';

/**
 * Monaco from the local package (never a CDN), with JSON as its only language. Imported only by the
 * lazily loaded editor modules, so the designer's first paint does not wait for it.
 */
self.MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

/** Model path of a definition's draft; the JSON Schema of its kind is attached by this path. */
export function draftModelPath(kind: string, id: string): string {
  return `file:///orderloom/${kind}/${id}.json`;
}

jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  trailingCommas: 'error',
  enableSchemaRequest: false,
  // The schema drives completion and hover; the findings come from the shared validate(), the one
  // report shape the runtime also returns, so the same problem is not reported twice with two wordings.
  schemaValidation: 'ignore',
  schemas: definitionKinds.map((kind) => ({
    uri: `https://orderloom.dev/schemas/${kind}.json`,
    fileMatch: [`orderloom/${kind}/*.json`],
    schema: definitionJsonSchema(kind),
  })),
});

monaco.editor.defineTheme('orderloom', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'string.key.json', foreground: '3b4cca' },
    { token: 'string.value.json', foreground: '0f766e' },
    { token: 'number', foreground: 'b45309' },
    { token: 'keyword.json', foreground: '9333ea' },
  ],
  colors: {
    'editor.background': '#ffffff',
    'editorLineNumber.foreground': '#a3aab8',
    'editorLineNumber.activeForeground': '#3b4252',
    'editor.lineHighlightBackground': '#f5f7fb',
    'editorGutter.background': '#fafbfd',
  },
});

loader.config({ monaco });

export { monaco };
