import { useSessionStore } from '../store/sessionStore.ts';
import type { Problem } from './types.ts';

/** An HTTP error from the runtime, carrying its RFC 9457 problem details. */
export class ProblemError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ProblemError';
    this.status = problem.status;
    this.problem = problem;
  }
}

interface RequestOptions {
  method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  body?: unknown;
  /** Sends `body` (a string) as is with this content type, e.g. `text/csv`; JSON otherwise. */
  contentType?: string;
  /** Overrides the session key (used by sign-in before the key is stored). */
  apiKey?: string;
  signal?: AbortSignal;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/**
 * Calls the runtime's HTTP API with the session's Bearer key and decodes JSON.
 * Non-2xx responses throw {@link ProblemError}; a 401 on a stored session signs out.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const apiKey = options.apiKey ?? useSessionStore.getState().apiKey;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  const raw = options.contentType !== undefined && typeof options.body === 'string';
  if (options.body !== undefined)
    headers['content-type'] = raw ? (options.contentType as string) : 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? null : raw ? (options.body as string) : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ProblemError({
      type: 'about:blank',
      title: 'Runtime unreachable',
      status: 0,
      detail: 'The Orderloom runtime did not answer. Check that it is running.',
    });
  }

  const text = await response.text();
  let payload: unknown = null;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }

  if (!response.ok) {
    const problem: Problem = isProblem(payload)
      ? payload
      : { type: 'about:blank', title: response.statusText || 'Request failed', status: response.status };
    if (response.status === 401 && !options.apiKey) useSessionStore.getState().expire();
    throw new ProblemError(problem);
  }
  return payload as T;
}

/** A human sentence for any error thrown by {@link apiRequest} or elsewhere. */
export function describeError(error: unknown): string {
  if (error instanceof ProblemError) {
    const { title, detail } = error.problem;
    return detail && detail !== title ? `${title}: ${detail}` : title;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
