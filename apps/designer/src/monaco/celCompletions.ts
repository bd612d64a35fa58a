import type { CelVariable } from './celVariables.ts';

/** One completion the CEL editor offers; the editor turns it into a monaco completion item. */
export interface CelCompletion {
  label: string;
  kind: 'variable' | 'field' | 'function' | 'method' | 'keyword';
  detail: string;
  documentation?: string;
  /** Text inserted in place of the word being typed; a monaco snippet when `snippet` is set. */
  insertText: string;
  snippet?: boolean;
}

interface CelFunction {
  name: string;
  signature: string;
  documentation: string;
  snippet: string;
}

/** Global functions and macros of CEL that cel-js implements. */
export const celFunctions: readonly CelFunction[] = [
  {
    name: 'has',
    signature: 'has(a.b) → bool',
    documentation:
      'Whether the field is present, e.g. has(facts.wms.outboundNo). A missing fact is not an error.',
    snippet: 'has($1)',
  },
  {
    name: 'size',
    signature: 'size(x) → int',
    documentation: 'Length of a string, list or map.',
    snippet: 'size($1)',
  },
  { name: 'int', signature: 'int(x) → int', documentation: 'Converts to an integer.', snippet: 'int($1)' },
  {
    name: 'uint',
    signature: 'uint(x) → uint',
    documentation: 'Converts to an unsigned integer.',
    snippet: 'uint($1)',
  },
  {
    name: 'double',
    signature: 'double(x) → double',
    documentation: 'Converts to a double: CEL never mixes int and double silently (double(x) * 1.2).',
    snippet: 'double($1)',
  },
  {
    name: 'string',
    signature: 'string(x) → string',
    documentation: 'Converts to a string.',
    snippet: 'string($1)',
  },
  { name: 'bool', signature: 'bool(x) → bool', documentation: 'Converts to a bool.', snippet: 'bool($1)' },
  {
    name: 'timestamp',
    signature: 'timestamp(string) → timestamp',
    documentation: 'Parses an RFC 3339 time, e.g. timestamp(facts.crm.pushedAt).',
    snippet: 'timestamp($1)',
  },
  {
    name: 'duration',
    signature: 'duration(string) → duration',
    documentation: 'Parses a duration such as "15m" or "2h".',
    snippet: 'duration("$1")',
  },
  {
    name: 'dyn',
    signature: 'dyn(x) → dyn',
    documentation: 'Treats the value as dynamically typed.',
    snippet: 'dyn($1)',
  },
];

/** Methods offered after a value: macros on lists and maps, string functions. */
const celMethods: readonly CelFunction[] = [
  {
    name: 'exists',
    signature: 'list.exists(x, p) → bool',
    documentation: 'Whether some element satisfies the predicate.',
    snippet: 'exists(x, $1)',
  },
  {
    name: 'all',
    signature: 'list.all(x, p) → bool',
    documentation: 'Whether every element satisfies the predicate.',
    snippet: 'all(x, $1)',
  },
  {
    name: 'exists_one',
    signature: 'list.exists_one(x, p) → bool',
    documentation: 'Whether exactly one element satisfies the predicate.',
    snippet: 'exists_one(x, $1)',
  },
  {
    name: 'map',
    signature: 'list.map(x, e) → list',
    documentation: 'Transforms each element.',
    snippet: 'map(x, $1)',
  },
  {
    name: 'filter',
    signature: 'list.filter(x, p) → list',
    documentation: 'The elements that satisfy the predicate.',
    snippet: 'filter(x, $1)',
  },
  {
    name: 'contains',
    signature: 'string.contains(s) → bool',
    documentation: 'Whether the string contains s.',
    snippet: 'contains($1)',
  },
  {
    name: 'startsWith',
    signature: 'string.startsWith(s) → bool',
    documentation: 'Whether the string starts with s.',
    snippet: 'startsWith($1)',
  },
  {
    name: 'endsWith',
    signature: 'string.endsWith(s) → bool',
    documentation: 'Whether the string ends with s.',
    snippet: 'endsWith($1)',
  },
  {
    name: 'matches',
    signature: 'string.matches(re) → bool',
    documentation: 'Whether the string matches the RE2 regular expression.',
    snippet: 'matches($1)',
  },
  {
    name: 'size',
    signature: 'x.size() → int',
    documentation: 'Length of a string, list or map.',
    snippet: 'size()',
  },
];

const celKeywords = ['true', 'false', 'null', 'in'] as const;

/**
 * Whether `text` ends inside a string literal (`'…`, `"…`, or a triple-quoted one), where completion
 * would only get in the way.
 */
export function endsInsideString(text: string): boolean {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote) {
      if (char === '\\' && quote.length === 1) {
        i++;
        continue;
      }
      if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = null;
      }
      continue;
    }
    if (char === '"' || char === "'") {
      quote = text.startsWith(char.repeat(3), i) ? char.repeat(3) : char;
      i += quote.length - 1;
    }
  }
  return quote !== null;
}

/** Where completion happens: the member chain before the cursor and the word being typed. */
export interface CelCompletionContext {
  /** `facts.wms.out|` → `['facts', 'wms']`; empty at the top level. */
  chain: string[];
  /** The partial word under the cursor (`out`), replaced by the chosen item. */
  word: string;
  /** True when the chain hangs off something other than a name (a call, an index): `x[0].`. */
  afterExpression: boolean;
}

/** Reads the member chain and word at the end of `textBeforeCursor`; `null` inside a string literal. */
export function celCompletionContext(textBeforeCursor: string): CelCompletionContext | null {
  if (endsInsideString(textBeforeCursor)) return null;
  const match = /((?:[A-Za-z_][\w]*\s*\.\s*)*)([A-Za-z_][\w]*)?$/.exec(textBeforeCursor);
  const chainText = match?.[1] ?? '';
  const word = match?.[2] ?? '';
  const start = textBeforeCursor.length - (match?.[0].length ?? 0);
  const before = textBeforeCursor.slice(0, start).trimEnd();
  const chain = chainText
    .split('.')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!before.endsWith('.')) return { chain, word, afterExpression: false };
  // `1.` starts a double literal, not a member access.
  if (chain.length === 0 && /\d$/.test(before.slice(0, -1).trimEnd())) return null;
  // `order.lines[0].` or `size(x).`: a member of something the editor cannot resolve by name.
  return { chain, word, afterExpression: true };
}

function variableItem(variable: CelVariable, kind: 'variable' | 'field'): CelCompletion {
  return {
    label: variable.name,
    kind,
    detail: variable.detail,
    ...(variable.documentation ? { documentation: variable.documentation } : {}),
    insertText: variable.name,
  };
}

function functionItem(fn: CelFunction, kind: 'function' | 'method'): CelCompletion {
  return {
    label: fn.name,
    kind,
    detail: fn.signature,
    documentation: fn.documentation,
    insertText: fn.snippet,
    snippet: true,
  };
}

/** The variable a member chain names, or undefined when it is unknown. */
export function resolveCelChain(
  variables: readonly CelVariable[],
  chain: readonly string[],
): CelVariable | undefined {
  let scope: readonly CelVariable[] | undefined = variables;
  let found: CelVariable | undefined;
  for (const name of chain) {
    found = scope?.find((v) => v.name === name);
    if (!found) return undefined;
    scope = found.fields;
  }
  return found;
}

/**
 * The completions at the end of `textBeforeCursor`: after `facts.wms.` the fields the WMS dictionary
 * sets, at the top level the variables, functions and keywords. Not filtered by the word being typed
 * (the editor filters and ranks); empty inside a string literal or after an unknown member chain.
 *
 * @example
 * celCompletions(statusGraphGuardVariables(systems), 'has(facts.wms.').map((c) => c.label);
 * // → ['acceptedAt', 'outboundNo', 'packingAt']
 */
export function celCompletions(variables: readonly CelVariable[], textBeforeCursor: string): CelCompletion[] {
  const context = celCompletionContext(textBeforeCursor);
  if (!context) return [];
  if (context.afterExpression) return celMethods.map((m) => functionItem(m, 'method'));
  if (context.chain.length === 0) {
    return [
      ...variables.map((v) => variableItem(v, 'variable')),
      ...celFunctions.map((f) => functionItem(f, 'function')),
      ...celKeywords.map(
        (keyword): CelCompletion => ({
          label: keyword,
          kind: 'keyword',
          detail: 'keyword',
          insertText: keyword,
        }),
      ),
    ];
  }
  const target = resolveCelChain(variables, context.chain);
  if (!target) return [];
  const fields = (target.fields ?? []).map((f) => variableItem(f, 'field'));
  // Known maps offer their keys; leaves (and maps of unknown keys) offer methods such as contains().
  return fields.length > 0 ? fields : celMethods.map((m) => functionItem(m, 'method'));
}
