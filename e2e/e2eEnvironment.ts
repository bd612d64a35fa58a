import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Port of the runtime the e2e tests start (fixed so the config and specs agree). */
export const e2ePort = Number(process.env.ORDERLOOM_E2E_PORT ?? 8391);

/** Where the runtime under test serves the designer and the API. */
export const e2eBaseUrl = `http://127.0.0.1:${e2ePort}`;

/** The admin key the runtime creates on first start (ORDERLOOM_ADMIN_KEY). */
export const e2eAdminKey = 'e2e-admin-secret';

/**
 * A fresh data directory per run. Playwright evaluates the config in the runner and in each worker;
 * the environment variable makes them all agree on one directory.
 */
export function e2eDataDir(): string {
  process.env.ORDERLOOM_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'orderloom-e2e-'));
  return process.env.ORDERLOOM_E2E_DATA_DIR;
}
