import { STATUS_CODES } from 'node:http';
import type { Problem, Report } from '@orderloom/schema';
import { jsonPointer } from '@orderloom/schema';
import bytes from 'bytes';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { z } from 'zod';

/** The problem types the API answers with; `type` URIs are `urn:orderloom:problem:<name>`. */
export const problemTypes = {
  'invalid-request': { status: 400, title: 'Invalid request' },
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  'invalid-signature': { status: 401, title: 'Invalid event signature' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'stale-revision': { status: 409, title: 'Stale draft revision' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'lint-errors': { status: 422, title: 'Definition has lint errors' },
  'unprocessable-event': { status: 422, title: 'Event cannot be applied' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

/** A name from {@link problemTypes}. */
export type ProblemType = keyof typeof problemTypes;

/**
 * An error that the error middleware turns into an RFC 9457 problem+json response.
 * `extensions` are extra members, e.g. `currentRevision` on a stale save.
 */
export class HttpProblem extends Error {
  readonly problemType: ProblemType;
  readonly errors: Report[] | undefined;
  readonly extensions: Record<string, unknown>;
  readonly status: number;
  readonly title: string;

  constructor(
    problemType: ProblemType,
    detail: string,
    options: { errors?: Report[]; extensions?: Record<string, unknown>; status?: number } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.problemType = problemType;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.status = options.status ?? problemTypes[problemType].status;
    this.title =
      this.status === problemTypes[problemType].status
        ? problemTypes[problemType].title
        : (STATUS_CODES[this.status] ?? problemTypes[problemType].title);
  }

  /** The response body. */
  toProblem(): Problem & Record<string, unknown> {
    return {
      ...this.extensions,
      type: `urn:orderloom:problem:${this.problemType}`,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** Sends an {@link HttpProblem} as `application/problem+json`. */
export function sendProblem(res: Response, problem: HttpProblem): void {
  const body = problem.toProblem();
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Turns zod issues into lint reports whose paths point into the parsed document. */
export function issuesToReports(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PropertyKey[] = [],
): Report[] {
  return issues.flatMap((issue): Report[] => {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: jsonPointer([...path, key]),
        severity: 'error',
        message: `unknown field "${key}"`,
      }));
    }
    return [{ path: jsonPointer(path), severity: 'error', message: issue.message }];
  });
}

/**
 * Parses a request part with a zod schema, or throws a 400 problem listing every issue with a
 * JSON Pointer into that part.
 *
 * @example
 * const { definition, baseRevision } = parseRequest(saveDraftRequestSchema, req.body, 'body');
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'body' | 'query',
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const errors = issuesToReports(result.error.issues);
  throw new HttpProblem('invalid-request', `The request ${part} is invalid: ${summarize(errors)}`, {
    errors,
  });
}

function summarize(errors: Report[]): string {
  const first = errors[0];
  if (!first) return 'see errors';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.path || '(root)'}: ${first.message}${more}`;
}

/** 404 problem for any `/api` route that does not exist. */
export const apiNotFound: RequestHandler = (req, res) => {
  sendProblem(
    res,
    new HttpProblem('not-found', `No API route ${req.method} ${req.originalUrl.split('?')[0]}`),
  );
};

interface HttpishError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
  limit?: unknown;
  message?: unknown;
  expose?: unknown;
}

/**
 * Last middleware: problems go out as problem+json; body-parser and other client errors keep their
 * 4xx status; anything else is logged and answered with a 500 that reveals nothing.
 */
export function errorMiddleware(): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    sendProblem(res, toProblem(err));
    if (res.statusCode >= 500) req.log.error({ err }, 'request failed');
  };
}

const genericTypes: Partial<Record<number, ProblemType>> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
};

/** The problem to answer for an error thrown while handling a request (4xx for client mistakes). */
export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const e: HttpishError = typeof err === 'object' && err !== null ? err : {};
  switch (e.type) {
    case 'entity.too.large': {
      const limit = typeof e.limit === 'number' ? bytes.format(e.limit) : 'the limit';
      return new HttpProblem('payload-too-large', `The request body exceeds ${limit}.`);
    }
    case 'entity.parse.failed':
      return new HttpProblem('malformed-json', `The request body is not valid JSON: ${String(e.message)}`);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new HttpProblem('unsupported-media-type', String(e.message));
  }
  const status =
    typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const detail =
      e.expose !== false && typeof e.message === 'string' ? e.message : 'The request was rejected.';
    return new HttpProblem(genericTypes[status] ?? 'invalid-request', detail, { status });
  }
  return new HttpProblem('internal', 'Something went wrong on the server; it has been logged.');
}
