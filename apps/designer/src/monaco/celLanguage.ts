import { type CelCompletion, celCompletions } from './celCompletions.ts';
import type { CelVariable } from './celVariables.ts';
import { monaco } from './monacoSetup.ts';

/** Monaco language id of CEL expressions. */
export const celLanguageId = 'cel';

/**
 * CEL tokens for monaco's monarch tokenizer: keywords, the `has` macro and functions, the variables
 * Orderloom passes in, strings (quoted, triple-quoted, raw, bytes), numbers (int, uint, hex, double)
 * and operators. Token names map onto the colours of the `vs`-based theme.
 */
export const celMonarch: monaco.languages.IMonarchLanguage = {
  defaultToken: 'invalid',
  tokenPostfix: '.cel',
  keywords: ['true', 'false', 'null', 'in'],
  reserved: [
    'as',
    'break',
    'const',
    'continue',
    'else',
    'for',
    'function',
    'if',
    'import',
    'let',
    'loop',
    'package',
    'namespace',
    'return',
    'var',
    'void',
    'while',
  ],
  macros: ['has', 'all', 'exists', 'exists_one', 'map', 'filter'],
  functions: [
    'size',
    'int',
    'uint',
    'double',
    'string',
    'bytes',
    'bool',
    'type',
    'dyn',
    'duration',
    'timestamp',
    'matches',
    'contains',
    'startsWith',
    'endsWith',
  ],
  variables: [
    'facts',
    'order',
    'channel',
    'event',
    'data',
    'candidate',
    'warehouse',
    'lane',
    'params',
    'customer',
    'destination',
  ],
  operators: ['&&', '||', '!', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '?', ':'],
  symbols: /[=><!~?:&|+\-*/^%]+/,
  escapes: /\\(?:[abfnrtv\\"'`?]|[0-7]{3}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})/,
  tokenizer: {
    root: [
      [/[rR][bB]?"""/, { token: 'string.quote', next: '@rawTripleDouble' }],
      [/[rR][bB]?'''/, { token: 'string.quote', next: '@rawTripleSingle' }],
      [/[bB]?[rR]?"""/, { token: 'string.quote', next: '@tripleDouble' }],
      [/[bB]?[rR]?'''/, { token: 'string.quote', next: '@tripleSingle' }],
      [/[rR][bB]?"/, { token: 'string.quote', next: '@rawDouble' }],
      [/[rR][bB]?'/, { token: 'string.quote', next: '@rawSingle' }],
      [/[bB]?"/, { token: 'string.quote', next: '@double' }],
      [/[bB]?'/, { token: 'string.quote', next: '@single' }],
      [
        /[A-Za-z_][\w]*(?=\s*\()/,
        {
          cases: {
            '@macros': 'keyword.flow',
            '@functions': 'type.identifier',
            '@default': 'identifier',
          },
        },
      ],
      [
        /[A-Za-z_][\w]*/,
        {
          cases: {
            '@keywords': 'keyword',
            '@reserved': 'invalid',
            '@variables': 'variable.predefined',
            '@default': 'identifier',
          },
        },
      ],
      { include: '@whitespace' },
      [/[{}()[\]]/, '@brackets'],
      [/0[xX][0-9a-fA-F]+[uU]?/, 'number.hex'],
      [/\d+\.\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|\d+[eE][-+]?\d+/, 'number.float'],
      [/\d+[uU]?/, 'number'],
      [/[,.]/, 'delimiter'],
      [/@symbols/, { cases: { '@operators': 'operator', '@default': 'invalid' } }],
    ],
    whitespace: [
      [/[ \t\r\n]+/, ''],
      [/\/\/.*$/, 'comment'],
    ],
    double: [
      [/[^\\"]+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/"/, { token: 'string.quote', next: '@pop' }],
    ],
    single: [
      [/[^\\']+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/\\./, 'string.escape.invalid'],
      [/'/, { token: 'string.quote', next: '@pop' }],
    ],
    rawDouble: [
      [/[^"]+/, 'string'],
      [/"/, { token: 'string.quote', next: '@pop' }],
    ],
    rawSingle: [
      [/[^']+/, 'string'],
      [/'/, { token: 'string.quote', next: '@pop' }],
    ],
    tripleDouble: [
      [/[^\\"]+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/"""/, { token: 'string.quote', next: '@pop' }],
      [/["\\]/, 'string'],
    ],
    tripleSingle: [
      [/[^\\']+/, 'string'],
      [/@escapes/, 'string.escape'],
      [/'''/, { token: 'string.quote', next: '@pop' }],
      [/['\\]/, 'string'],
    ],
    rawTripleDouble: [
      [/[^"]+/, 'string'],
      [/"""/, { token: 'string.quote', next: '@pop' }],
      [/"/, 'string'],
    ],
    rawTripleSingle: [
      [/[^']+/, 'string'],
      [/'''/, { token: 'string.quote', next: '@pop' }],
      [/'/, 'string'],
    ],
  },
};

const celConfiguration: monaco.languages.LanguageConfiguration = {
  comments: { lineComment: '//' },
  brackets: [
    ['(', ')'],
    ['[', ']'],
    ['{', '}'],
  ],
  autoClosingPairs: [
    { open: '(', close: ')' },
    { open: '[', close: ']' },
    { open: '{', close: '}' },
    { open: '"', close: '"', notIn: ['string'] },
    { open: "'", close: "'", notIn: ['string'] },
  ],
  surroundingPairs: [
    { open: '(', close: ')' },
    { open: '"', close: '"' },
    { open: "'", close: "'" },
  ],
  wordPattern: /[A-Za-z_][\w]*/,
};

/** What completion offers in each CEL model, by model URI; set by the editor that owns the model. */
const variablesByModel = new Map<string, () => readonly CelVariable[]>();

/** Makes completion in `model` offer `variables()` (read on every request, so it follows the draft). */
export function setCelModelVariables(
  model: monaco.editor.ITextModel,
  variables: () => readonly CelVariable[],
): monaco.IDisposable {
  const key = model.uri.toString();
  variablesByModel.set(key, variables);
  return { dispose: () => variablesByModel.delete(key) };
}

const completionKinds: Record<CelCompletion['kind'], monaco.languages.CompletionItemKind> = {
  variable: monaco.languages.CompletionItemKind.Variable,
  field: monaco.languages.CompletionItemKind.Field,
  function: monaco.languages.CompletionItemKind.Function,
  method: monaco.languages.CompletionItemKind.Method,
  keyword: monaco.languages.CompletionItemKind.Keyword,
};

let registered = false;

/** Registers the CEL language, its tokenizer and its completion provider with monaco (once). */
export function registerCelLanguage(): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: celLanguageId, extensions: ['.cel'], aliases: ['CEL'] });
  monaco.languages.setMonarchTokensProvider(celLanguageId, celMonarch);
  monaco.languages.setLanguageConfiguration(celLanguageId, celConfiguration);
  monaco.languages.registerCompletionItemProvider(celLanguageId, {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const variables = variablesByModel.get(model.uri.toString())?.() ?? [];
      const before = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const word = model.getWordUntilPosition(position);
      const range = {
        startLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endLineNumber: position.lineNumber,
        endColumn: word.endColumn,
      };
      const suggestions = celCompletions(variables, before).map(
        (item, index): monaco.languages.CompletionItem => ({
          label: { label: item.label, description: item.detail },
          kind: completionKinds[item.kind],
          detail: item.detail,
          ...(item.documentation ? { documentation: item.documentation } : {}),
          insertText: item.insertText,
          ...(item.snippet
            ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet }
            : {}),
          // Variables and fields first, in the order given; then functions, then keywords.
          sortText: String(index).padStart(4, '0'),
          range,
        }),
      );
      return { suggestions };
    },
  });
}
