// `npm test`: install what the tests need (pnpm packages, Debian chromium and mosquitto) and run every test.
import { existsSync } from 'node:fs';
import { buildDesignerIfStale, install, pnpm, run } from './toolchain.mjs';

// Debian packages the tests drive for real: chromium (e2e) and mosquitto (an external MQTT broker).
const missing = [
  ['/usr/bin/chromium', 'chromium'],
  ['/usr/sbin/mosquitto', 'mosquitto'],
].filter(([file]) => !existsSync(file));
if (missing.length > 0) {
  const packages = missing.map(([, name]) => name);
  console.log(`Installing Debian packages for the tests: ${packages.join(', ')}`);
  const apt = (...args) =>
    process.getuid?.() === 0 ? run('apt-get', args) : run('sudo', ['apt-get', ...args]);
  apt('update', '-qq');
  apt('install', '-y', '-qq', ...packages);
}

install();
console.log('\n▶ lint (biome)');
pnpm(['exec', 'biome', 'ci', '.']);
console.log('\n▶ type-check (tsc)');
pnpm(['exec', 'tsc', '-p', 'tsconfig.json']);
console.log('\n▶ unit + integration tests (vitest)');
pnpm(['exec', 'vitest', 'run']);
console.log('\n▶ designer build');
buildDesignerIfStale();
console.log('\n▶ e2e (playwright, Debian chromium)');
pnpm(['exec', 'playwright', 'test', '-c', 'e2e/playwright.config.ts']);
console.log('\nAll test stages passed.');
