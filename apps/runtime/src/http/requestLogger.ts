import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express as App, RequestHandler } from 'express';
import type { Logger } from 'pino';

declare global {
  namespace Express {
    interface Request {
      /** A logger bound to this request's id, method and URL (created on first use). */
      log: Logger;
      /** This request's id, unique within the process. */
      id: number;
    }
  }
}

const startedAt = Symbol('startedAt');
const requestLog = Symbol('requestLog');

interface LoggedRequest extends IncomingMessage {
  id: number;
  originalUrl?: string;
  [startedAt]?: number;
  [requestLog]?: Logger;
}

/**
 * Logs one line per finished request through `logger` itself — `request completed` at info, or at
 * error for a 5xx — with the request's id, method, URL and headers (the logger's redaction applies:
 * `req.headers.authorization`), the status and the duration in ms. Unlike a child logger per request,
 * nothing is allocated for a request whose line the level filters out. Also installs `req.log` on
 * `app`'s requests: a child logger bound to the request, created only when a handler logs.
 */
export function requestLogger(app: App, logger: Logger): RequestHandler {
  let nextId = 0;
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: LoggedRequest): Logger {
      let log = this[requestLog];
      if (!log) {
        log = logger.child({ req: { id: this.id, method: this.method, url: this.originalUrl ?? this.url } });
        this[requestLog] = log;
      }
      return log;
    },
  });

  function onFinish(this: ServerResponse): void {
    const status = this.statusCode;
    const level = status >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const req = this.req as LoggedRequest;
    const responseTime = Math.round(performance.now() - (req[startedAt] ?? 0));
    logger[level](
      {
        req: {
          id: req.id,
          method: req.method,
          url: req.originalUrl ?? req.url,
          headers: { ...req.headers },
          remoteAddress: req.socket?.remoteAddress,
        },
        res: { statusCode: status },
        responseTime,
      },
      'request completed',
    );
  }

  return (req, res, next) => {
    nextId = (nextId + 1) & 0x7fffffff;
    req.id = nextId;
    (req as LoggedRequest)[startedAt] = performance.now();
    // Skipped when not even 5xx answers would be logged (level above error).
    if (logger.isLevelEnabled('error')) res.on('finish', onFinish);
    next();
  };
}
