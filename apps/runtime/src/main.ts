import { loadConfig } from './config.ts';
import { createLogger } from './createLogger.ts';
import { startRuntime } from './startRuntime.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
const runtime = await startRuntime(config, { logger });

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  // Requests in flight get a grace period; after it, remaining connections are cut.
  const force = setTimeout(() => runtime.server.closeAllConnections(), 10_000);
  force.unref();
  runtime.close().then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
