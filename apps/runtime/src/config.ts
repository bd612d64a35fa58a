import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import bytes from 'bytes';
import { z } from 'zod';
import type { RetryPolicy } from './effects/retryPolicy.ts';
import { parseWebhookAllowList } from './effects/webhookUrlPolicy.ts';

const defaultDesignerDir = fileURLToPath(new URL('../../designer/dist', import.meta.url));

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  ORDERLOOM_DATA_DIR: z.string().min(1).default('./data'),
  ORDERLOOM_ADMIN_KEY: z
    .string()
    .regex(/^\S+$/, 'must not be empty or contain whitespace (it is sent as "Authorization: Bearer <key>")')
    .optional(),
  ORDERLOOM_BODY_LIMIT: z
    .string()
    .default('1mb')
    .transform((value, ctx) => {
      const parsed = bytes.parse(value);
      if (parsed === null || !Number.isFinite(parsed) || parsed <= 0) {
        ctx.addIssue({ code: 'custom', message: 'use a byte count such as 1048576, "512kb" or "1mb"' });
        return z.NEVER;
      }
      return parsed;
    }),
  ORDERLOOM_FACTS_BULK_LIMIT: z
    .string()
    .default('32mb')
    .transform((value, ctx) => {
      const parsed = bytes.parse(value);
      if (parsed === null || !Number.isFinite(parsed) || parsed <= 0) {
        ctx.addIssue({ code: 'custom', message: 'use a byte count such as 1048576, "512kb" or "32mb"' });
        return z.NEVER;
      }
      return parsed;
    }),
  ORDERLOOM_DESIGNER_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  ORDERLOOM_WEBHOOK_ALLOW: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseWebhookAllowList(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
        return z.NEVER;
      }
    }),
  ORDERLOOM_MQTT_EMBEDDED: z.enum(['true', 'false', '1', '0']).default('true'),
  ORDERLOOM_MQTT_PORT: z.coerce.number().int().min(0).max(65535).default(1883),
  ORDERLOOM_MQTT_HOST: z.string().min(1).default('127.0.0.1'),
  ORDERLOOM_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  ORDERLOOM_DELIVERY_BASE_DELAY_MS: z.coerce.number().int().min(1).default(1000),
  ORDERLOOM_DELIVERY_BACKOFF_FACTOR: z.coerce.number().min(1).max(10).default(2),
  ORDERLOOM_DELIVERY_MAX_DELAY_MS: z.coerce.number().int().min(1).default(3_600_000),
  ORDERLOOM_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  ORDERLOOM_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  ORDERLOOM_DELIVERY_POLL_MS: z.coerce.number().int().min(1).default(500),
  ORDERLOOM_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  ORDERLOOM_SIGNING_KEY_FILE: z.string().min(1).optional(),
});

/** Runtime settings, read once at start from the environment (see {@link loadConfig}). */
export interface Config {
  /** TCP port to listen on; 0 picks a free port. */
  port: number;
  /** Absolute directory holding the SQLite database and `admin-key.txt`. */
  dataDir: string;
  /** Secret of the admin key created on first start when no key exists yet. */
  adminKey: string | undefined;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Largest accepted body of `POST /api/facts/:collection/bulk` (snapshots of thousands of facts). */
  factsBulkBodyLimit: number;
  /** Absolute directory of the designer's static build, served at `/`. */
  designerDir: string;
  /** pino log level; `silent` turns logging off. */
  logLevel: (typeof logLevels)[number];
  /** Webhook targets allowed although loopback or private: hosts, host:port or CIDRs. */
  webhookAllow: string[];
  /** The embedded MQTT broker (aedes) started with the runtime. */
  mqttBroker: { enabled: boolean; port: number; host: string };
  /** The outbox worker sending webhook and MQTT deliveries. */
  delivery: { retry: RetryPolicy; timeoutMs: number; concurrency: number; pollIntervalMs: number };
  /** How often the runtime signs a checkpoint of the audit log head (ms; 0 = only on shutdown and on demand). */
  checkpointIntervalMs: number;
  /** PKCS#8 PEM file of the runtime's Ed25519 signing key; created (mode 0600) when missing. */
  signingKeyFile: string;
}

/**
 * Reads the runtime's configuration from environment variables.
 * Relative directories are resolved against `cwd` (the process's working directory by default).
 *
 * @throws Error naming every invalid variable.
 * @example
 * const config = loadConfig({ PORT: '0', ORDERLOOM_DATA_DIR: tmpDir, LOG_LEVEL: 'silent' });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const result = envSchema.safeParse(withoutEmptyValues(env));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = result.data;
  return {
    port: e.PORT,
    dataDir: resolve(cwd, e.ORDERLOOM_DATA_DIR),
    adminKey: e.ORDERLOOM_ADMIN_KEY,
    bodyLimit: e.ORDERLOOM_BODY_LIMIT,
    factsBulkBodyLimit: e.ORDERLOOM_FACTS_BULK_LIMIT,
    designerDir: e.ORDERLOOM_DESIGNER_DIR ? resolve(cwd, e.ORDERLOOM_DESIGNER_DIR) : defaultDesignerDir,
    logLevel: e.LOG_LEVEL,
    webhookAllow: e.ORDERLOOM_WEBHOOK_ALLOW,
    mqttBroker: {
      enabled: e.ORDERLOOM_MQTT_EMBEDDED === 'true' || e.ORDERLOOM_MQTT_EMBEDDED === '1',
      port: e.ORDERLOOM_MQTT_PORT,
      host: e.ORDERLOOM_MQTT_HOST,
    },
    delivery: {
      retry: {
        maxAttempts: e.ORDERLOOM_DELIVERY_MAX_ATTEMPTS,
        baseDelayMs: e.ORDERLOOM_DELIVERY_BASE_DELAY_MS,
        factor: e.ORDERLOOM_DELIVERY_BACKOFF_FACTOR,
        maxDelayMs: e.ORDERLOOM_DELIVERY_MAX_DELAY_MS,
      },
      timeoutMs: e.ORDERLOOM_DELIVERY_TIMEOUT_MS,
      concurrency: e.ORDERLOOM_DELIVERY_CONCURRENCY,
      pollIntervalMs: e.ORDERLOOM_DELIVERY_POLL_MS,
    },
    checkpointIntervalMs: e.ORDERLOOM_CHECKPOINT_INTERVAL_MS,
    signingKeyFile: resolve(
      cwd,
      e.ORDERLOOM_SIGNING_KEY_FILE ?? join(e.ORDERLOOM_DATA_DIR, 'runtime-signing-key.pem'),
    ),
  };
}

// An exported-but-empty variable (`PORT=`) means "unset", as in most shells' intent.
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
