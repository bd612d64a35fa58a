// `npm start`: install, build what changed, and run the runtime (API + designer on one port).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildDesignerIfStale, childEnv, install, root } from './toolchain.mjs';

install();
buildDesignerIfStale();

const runtime = spawn(
  join(root, 'apps/runtime/node_modules/.bin/tsx'),
  [join(root, 'apps/runtime/src/main.ts')],
  {
    cwd: root,
    stdio: 'inherit',
    env: childEnv,
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => runtime.kill(signal));
runtime.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
