import type { RequestHandler } from 'express';
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

  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // Route patterns, never raw URLs, keep the label set bounded.
      const base = typeof res.locals.routeBase === 'string' ? res.locals.routeBase : req.baseUrl;
      const route = req.route?.path
        ? `${base}${String(req.route.path)}`
        : res.statusCode === 404
          ? 'unmatched'
          : 'other';
      end({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  };

  const routeBase: RequestHandler = (req, res, next) => {
    res.locals.routeBase = req.baseUrl;
    next();
  };

  return { registry, middleware, routeBase };
}
