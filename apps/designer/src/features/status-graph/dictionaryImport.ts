import { apiRequest } from '../../api/apiClient.ts';
import { definitionPath } from '../../api/useDefinition.ts';
import { isObject } from '../parseDraftBuffer.ts';
import type { DictionaryImportResult } from './systemsModel.ts';

/** The two forms the runtime takes a dictionary in. */
export type DictionaryFormat = 'csv' | 'json';

/** CSV when the file says so or the text does not look like JSON; JSON for `.json` files and `{`/`[` text. */
export function detectDictionaryFormat(text: string, fileName?: string): DictionaryFormat {
  const name = fileName?.toLowerCase() ?? '';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv') || name.endsWith('.tsv') || name.endsWith('.txt')) return 'csv';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

/** What to send: the CSV text as is, or the JSON dictionary `{ system, statuses }`. */
export type DictionaryPayload =
  | { ok: true; body: unknown; contentType?: string }
  | { ok: false; message: string };

/**
 * The request body of a dictionary import. JSON may be the dictionary `{ system, statuses }`, a bare
 * `statuses` array, or a dictionary without `system` (the chosen system is filled in); a dictionary of
 * another system is refused before it reaches the runtime.
 */
export function dictionaryPayload(text: string, format: DictionaryFormat, system: string): DictionaryPayload {
  if (text.trim() === '') return { ok: false, message: 'Choose a file or paste the dictionary.' };
  if (format === 'csv') return { ok: true, body: text, contentType: 'text/csv' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return {
      ok: false,
      message: `The JSON is not valid (${cause instanceof Error ? cause.message : String(cause)}).`,
    };
  }
  if (Array.isArray(value)) return { ok: true, body: { system, statuses: value } };
  if (!isObject(value)) return { ok: false, message: 'A JSON dictionary is an object { system, statuses }.' };
  if (value.system !== undefined && value.system !== system) {
    return {
      ok: false,
      message: `This is the dictionary of "${String(value.system)}", not "${system}": choose that system or edit the file.`,
    };
  }
  return { ok: true, body: { ...value, system } };
}

/**
 * `POST /api/definitions/status-graph/:id/dictionaries/:system`: merges the dictionary into the server
 * draft (refused with 409 unless the draft is still at `baseRevision`) and returns the conflict report.
 */
export function postDictionary(
  definitionId: string,
  system: string,
  payload: Extract<DictionaryPayload, { ok: true }>,
  baseRevision: number,
): Promise<DictionaryImportResult> {
  const path = `${definitionPath('status-graph', definitionId)}/dictionaries/${encodeURIComponent(system)}`;
  return apiRequest<DictionaryImportResult>(`${path}?baseRevision=${baseRevision}`, {
    method: 'POST',
    body: payload.body,
    ...(payload.contentType ? { contentType: payload.contentType } : {}),
  });
}

/** The definition id of a status graph's buffer key (`status-graph/<id>`). */
export function definitionIdOfBuffer(bufferKey: string): string {
  return bufferKey.slice(bufferKey.indexOf('/') + 1);
}
