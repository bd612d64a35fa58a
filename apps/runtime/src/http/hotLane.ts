import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { ApiKey, ApiKeyRole } from '../apiSchemas.ts';
import type { KeysRepository } from '../db/keysRepository.ts';
import type { HttpMetrics } from './httpMetrics.ts';
import { type HttpProblem, toProblem } from './problem.ts';

/** What a hot route handler gets: the request already authenticated and its body parsed. */
export interface HotRequest {
  params: Record<string, string>;
  /** As express's `simple` query parser gives it. */
  query: Record<string, unknown>;
  body: unknown;
  principal: ApiKey;
}

/** An endpoint served by the hot lane, besides its express route (which stays the reference). */
export interface HotRoute {
  method: 'POST';
  /** The route pattern, as the metrics label it (e.g. `/api/orders/:id/events`). */
  pattern: string;
  /** The path parameters when `path` (without its query) is this route's, else undefined. */
  match(path: string): Record<string, string> | undefined;
  roles: readonly ApiKeyRole[];
  /** The answer's status, JSON body and extra headers; throws an {@link HttpProblem} to refuse. */
  handle(
    request: HotRequest,
  ): Promise<{ status: number; body: Uint8Array | string; headers?: Record<string, string> }>;
}

/** The runtime's request listener, and how many requests it served itself. */
export type HotLane = RequestListener & { served(): number };

const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const noop = () => {};

/**
 * The runtime's request listener: the hot endpoints (a decision, an event) in their common case — a
 * known key with the right role, a JSON body with a length within `bodyLimit`, no content encoding —
 * are served here without express's middleware chain, which costs more per request than reading,
 * parsing and answering (≈ 110 µs against ≈ 40 µs on this machine); every other request, including
 * every one these checks turn away, goes to `app`, which answers it as its own routes define (the
 * same handlers, so the same decisions, problems and status codes). Hot requests get the same headers
 * (`Cache-Control: no-store`), request log line (`logRequest`, the request logger's) and metrics.
 */
export function createHotLane(deps: {
  app: RequestListener;
  keys: KeysRepository;
  metrics: HttpMetrics;
  /** The request logger middleware (it only needs the raw request and response). */
  logRequest: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  bodyLimit: number;
  routes: readonly HotRoute[];
  /** Called with the error behind a 5xx answer. */
  onError?: (err: unknown) => void;
}): HotLane {
  const { app, keys, metrics, logRequest, bodyLimit, routes } = deps;
  let served = 0;

  function hotRoute(req: IncomingMessage): { route: HotRoute; params: Record<string, string> } | undefined {
    if (req.method !== 'POST') return undefined;
    const type = req.headers['content-type'];
    if (type !== 'application/json' && type !== 'application/json; charset=utf-8') return undefined;
    if (req.headers['content-encoding'] !== undefined || req.headers['transfer-encoding'] !== undefined)
      return undefined;
    const length = Number(req.headers['content-length']);
    if (!(length > 0 && length <= bodyLimit)) return undefined;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    for (const route of routes) {
      const params = route.match(path);
      if (params) return { route, params };
    }
    return undefined;
  }

  function send(res: ServerResponse, status: number, type: string, body: Uint8Array | string): void {
    res.statusCode = status;
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    res.end(body);
  }

  function sendProblem(res: ServerResponse, problem: HttpProblem): void {
    send(res, problem.status, 'application/problem+json; charset=utf-8', JSON.stringify(problem.toProblem()));
  }

  const listener: RequestListener = (req, res) => {
    const hot = hotRoute(req);
    const header = hot && req.headers.authorization;
    const secret = header ? bearer.exec(header)?.[1] : undefined;
    const principal = secret ? keys.findBySecret(secret) : undefined;
    if (!hot || !principal || !hot.route.roles.includes(principal.role)) {
      app(req, res);
      return;
    }
    const { route, params } = hot;
    served++;
    const started = performance.now();
    logRequest(req, res, noop);
    res.on('finish', () => {
      metrics.observe('POST', route.pattern, res.statusCode, (performance.now() - started) / 1000);
    });
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const query = q < 0 ? {} : { ...parseQuery(url.slice(q + 1)) };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      let body: unknown;
      try {
        // More bytes than announced: the client is broken; answer as the body parser would.
        if (size > bodyLimit)
          throw Object.assign(new Error('too large'), { type: 'entity.too.large', limit: bodyLimit });
        const text = Buffer.concat(chunks, size).toString('utf8');
        body = JSON.parse(text);
        // As the body parser's strict mode: only an object or an array.
        if (typeof body !== 'object' || body === null)
          throw new SyntaxError(`Unexpected token in JSON at position 0`);
      } catch (err) {
        sendProblem(
          res,
          toProblem(err instanceof SyntaxError ? { type: 'entity.parse.failed', message: err.message } : err),
        );
        return;
      }
      route.handle({ params, query, body, principal }).then(
        (answer) => {
          for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
          send(res, answer.status, 'application/json; charset=utf-8', answer.body);
        },
        (err: unknown) => {
          const problem = toProblem(err);
          sendProblem(res, problem);
          if (problem.status >= 500) (deps.onError ?? noop)(err);
        },
      );
    });
  };
  return Object.assign(listener, { served: () => served });
}
