import { type Logger, pino } from 'pino';
import type { Config } from './config.ts';

/** The runtime's JSON logger; API key secrets in request headers are never logged. */
export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  });
}
