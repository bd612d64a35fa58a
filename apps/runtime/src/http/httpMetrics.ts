import type { Request, RequestHandler, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** A Prometheus registry with process metrics and the HTTP request duration histogram. */
export interface HttpMetrics {
  registry: Registry;
  /** Observes every request's duration, labelled by method, route pattern and status. */
  middleware: RequestHandler;
  /**
   * Remembers the mount path of the router a request enters; place it in front of mounted routers so
   * the label keeps the full pattern even when an error leaves the router (which resets `baseUrl`).
   */
  routeBase: RequestHandler;
  /** Observes one request served outside express (see `createHotLane`). */
  observe(method: string, route: string, status: number, seconds: number): void;
}

/**
 * Creates a registry of its own (not prom-client's global one), so several apps in one process —
 * as in tests — never register a metric twice.
 */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // No allocation per request beyond the listener registration: one shared listener (not a timer
  // closure per request), the start time on the request, and one labelled child per label set.
  const children = new Map<string, { observe(seconds: number): void }>();
  const startedAt = Symbol('startedAt');
  type Timed = Request & { [startedAt]?: number };

  function onFinish(this: Response): void {
    const req = this.req as Timed;
    const seconds = (performance.now() - (req[startedAt] ?? 0)) / 1000;
    // Route patterns, never raw URLs, keep the label set bounded.
    const routeBase = this.locals.routeBase;
    const base = typeof routeBase === 'string' ? routeBase : req.baseUrl;
    const status = this.statusCode;
    const route = req.route?.path
      ? `${base}${String(req.route.path)}`
      : status === 404
        ? 'unmatched'
        : 'other';
    observe(req.method, route, status, seconds);
  }

  function observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = duration.labels({ method, route, status_code: String(status) });
      children.set(key, child);
    }
    child.observe(seconds);
  }

  const middleware: RequestHandler = (req, res, next) => {
    (req as Timed)[startedAt] = performance.now();
    res.on('finish', onFinish);
    next();
  };

  const routeBase: RequestHandler = (req, res, next) => {
    res.locals.routeBase = req.baseUrl;
    next();
  };

  return { registry, middleware, routeBase, observe };
}
