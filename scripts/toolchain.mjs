// Shared by start.mjs and test.mjs: bootstrap pnpm, install, and build the designer only when its inputs changed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];

/** Environment for child processes: native addons build against the system's Node headers when present. */
export const childEnv = {
  ...process.env,
  ...(existsSync('/usr/include/node/node.h') ? { npm_config_nodedir: '/usr' } : {}),
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
};

/** Runs a command in the repository root, inheriting stdio; exits the process when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: childEnv, ...options });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

let pnpmCommand;
/** The pinned pnpm: the global one if it is the right version, else fetched once through npx. */
export function pnpm(args, options) {
  if (!pnpmCommand) {
    const global = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env: childEnv });
    pnpmCommand = global.stdout?.trim() === PNPM_VERSION ? ['pnpm'] : ['npx', '-y', `pnpm@${PNPM_VERSION}`];
  }
  run(pnpmCommand[0], [...pnpmCommand.slice(1), ...args], options);
}

export function install() {
  pnpm(['install', '--frozen-lockfile', '--config.update-notifier=false']);
}

function hashTree(hash, path) {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name === 'dist' || name === '__tests__') continue;
      hashTree(hash, join(path, name));
    }
  } else {
    hash.update(path.slice(root.length)).update(readFileSync(path));
  }
}

/** Builds apps/designer unless dist/ was built from exactly the current sources. */
export function buildDesignerIfStale() {
  const hash = createHash('sha256');
  for (const input of ['apps/designer', 'packages/schema/src', 'packages/engine/src', 'pnpm-lock.yaml']) {
    hashTree(hash, join(root, input));
  }
  const digest = hash.digest('hex');
  const stamp = join(root, 'apps/designer/dist/.build-hash');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
    console.log('designer: up to date, not rebuilt');
    return;
  }
  pnpm(['--filter', '@orderloom/designer', 'build']);
  writeFileSync(stamp, digest);
}
