import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import bytes from 'bytes';
import { z } from 'zod';

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
  ORDERLOOM_DESIGNER_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
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
  /** Absolute directory of the designer's static build, served at `/`. */
  designerDir: string;
  /** pino log level; `silent` turns logging off. */
  logLevel: (typeof logLevels)[number];
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
    designerDir: e.ORDERLOOM_DESIGNER_DIR ? resolve(cwd, e.ORDERLOOM_DESIGNER_DIR) : defaultDesignerDir,
    logLevel: e.LOG_LEVEL,
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
