import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { e2eAdminKey, e2eBaseUrl, e2eDataDir, e2ePort } from './e2eEnvironment.ts';

const runtimeDir = fileURLToPath(new URL('../apps/runtime/', import.meta.url));

/**
 * Playwright against the real runtime (which serves the built designer from apps/designer/dist)
 * in Debian chromium. Build the designer first: `pnpm --filter @orderloom/designer build`.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  use: {
    baseURL: e2eBaseUrl,
    headless: true,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'npx tsx src/main.ts',
    cwd: runtimeDir,
    url: `${e2eBaseUrl}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(e2ePort),
      ORDERLOOM_DATA_DIR: e2eDataDir(),
      ORDERLOOM_ADMIN_KEY: e2eAdminKey,
      LOG_LEVEL: 'silent',
      // An ephemeral broker port, so e2e runs never collide with `npm start` or with each other.
      ORDERLOOM_MQTT_PORT: '0',
      ...(process.env.ORDERLOOM_DESIGNER_DIR
        ? { ORDERLOOM_DESIGNER_DIR: process.env.ORDERLOOM_DESIGNER_DIR }
        : {}),
    },
  },
});
