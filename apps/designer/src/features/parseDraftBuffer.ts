/** Result of {@link parseDraftBuffer}: the buffer's JSON object, or why there is none as a sentence. */
export type DraftBufferParse = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** Whether a JSON value is an object (not null, not an array). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the editor text of a draft as a JSON object; a syntax error or another JSON value is reported
 * as a sentence instead of throwing. Each kind's model then checks the shape its view relies on.
 *
 * @example
 * const parsed = parseDraftBuffer(text);
 * if (!parsed.ok) return parsed;
 * if (!Array.isArray(parsed.value.states)) return { ok: false, message: 'The draft has no "states" array.' };
 */
export function parseDraftBuffer(text: string): DraftBufferParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return {
      ok: false,
      message: `The JSON is not valid (${cause instanceof Error ? cause.message : String(cause)}).`,
    };
  }
  if (!isObject(value)) return { ok: false, message: 'The draft is not a JSON object.' };
  return { ok: true, value };
}
