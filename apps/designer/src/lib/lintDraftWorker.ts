/// <reference lib="webworker" />
import type { DefinitionKind } from '@orderloom/schema';
import { lintDraft } from './lintDraft.ts';

/** A lint request to the worker: the editor text of one definition. */
export interface LintRequest {
  id: number;
  kind: DefinitionKind;
  text: string;
}

// Off the main thread, so linting a large draft never stalls a drag or a keystroke.
self.onmessage = (event: MessageEvent<LintRequest>) => {
  const { id, kind, text } = event.data;
  self.postMessage({ id, lint: lintDraft(kind, text) });
};
