import type { DefinitionKind } from '@orderloom/schema';
import { useEffect, useRef, useState } from 'react';
import { type DraftLint, lintDraft } from './lintDraft.ts';
import type { LintRequest } from './lintDraftWorker.ts';
import { useDebouncedValue } from './useDebouncedValue.ts';

const noLint: DraftLint = { value: undefined, reports: [] };

let worker: Worker | null | undefined;
let nextId = 0;
const pending = new Map<number, (lint: DraftLint) => void>();

/** The shared lint worker, started on first use; null where workers are unavailable. */
function lintWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('./lintDraftWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ id: number; lint: DraftLint }>) => {
      pending.get(event.data.id)?.(event.data.lint);
      pending.delete(event.data.id);
    };
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * Lints the editor text with the shared `validate()` in a worker, 250 ms after it stopped changing.
 * Returns the lint and the text it was computed on (which lags `text` while typing and linting).
 */
export function useDraftLint(kind: DefinitionKind, text: string): { lint: DraftLint; lintedText: string } {
  const debounced = useDebouncedValue(text, 250);
  const [result, setResult] = useState<{ lint: DraftLint; lintedText: string }>({
    lint: noLint,
    lintedText: '',
  });
  const latest = useRef(0);

  useEffect(() => {
    if (!debounced) return;
    const id = ++nextId;
    latest.current = id;
    const apply = (lint: DraftLint) => {
      // An answer overtaken by a newer request is dropped.
      if (latest.current === id) setResult({ lint, lintedText: debounced });
    };
    const target = lintWorker();
    if (!target) {
      apply(lintDraft(kind, debounced));
      return;
    }
    pending.set(id, apply);
    target.postMessage({ id, kind, text: debounced } satisfies LintRequest);
    return () => {
      pending.delete(id);
    };
  }, [kind, debounced]);

  return result;
}
