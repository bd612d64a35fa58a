/**
 * The harness shared by the HTTP benchmarks (`ingestHttp.ts`, `routeHttp.ts`): the real runtime started in
 * a child process on a temp data dir, bare express baselines in other child processes, autocannon runs
 * (as fast as possible, or at a fixed `overallRate`) and the medians over alternating rounds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { Express } from 'express';

/** The runtime's admin key in every HTTP benchmark. */
export const adminKey = 'bench-admin-key-0123456789';
const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root, as seen from `bench/src`. */
export const repoRoot = join(benchDir, '..');
const runtimeDir = join(repoRoot, 'apps', 'runtime');
const bareReady = 'bare listening';

/** A server running in a child process. */
export interface Server {
  url: string;
  child: ChildProcess;
}

/** One autocannon run, as kept in the results file. */
export interface Run {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

function spawnServer(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  ready?: string,
): Promise<Server> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (ready === undefined) return Promise.resolve({ url: '', child });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.includes(ready));
      if (line) resolve({ url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${buffer}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`runtime at ${url} did not become healthy`);
}

/**
 * Starts `apps/runtime/src/main.ts` on a free port over `dataDir` (embedded MQTT and request logging off)
 * and waits for `/health`. `startMs` is the time from spawn to healthy.
 */
export async function startRuntime(
  dataDir: string,
  options: { nodeArgs?: string[]; env?: Record<string, string> } = {},
): Promise<{ runtime: Server; startMs: number }> {
  const port = await freePort();
  const runtime = await spawnServer(
    [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'],
    runtimeDir,
    {
      PORT: String(port),
      ORDERLOOM_DATA_DIR: dataDir,
      ORDERLOOM_ADMIN_KEY: adminKey,
      ORDERLOOM_MQTT_EMBEDDED: 'false',
      ...options.env,
      // Request logging off on every side: the comparison is about the work, not log I/O.
      LOG_LEVEL: 'warn',
    },
  );
  runtime.url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  await waitForHealth(runtime.url);
  return { runtime, startMs: performance.now() - started };
}

/**
 * Starts `script` (a benchmark file, absolute path) with `--bare-server` and `args` in a child process and
 * resolves once it has printed its port (see {@link listenBare}).
 */
export function spawnBare(script: string, args: string[] = []): Promise<Server> {
  return spawnServer(['--import', 'tsx', script, '--bare-server', ...args], benchDir, {}, bareReady);
}

/** Listens on a free port and prints the line {@link spawnBare} waits for. */
export function listenBare(app: Express): void {
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ port: (server.address() as AddressInfo).port, msg: bareReady })}\n`,
    );
  });
}

/** A JSON client for the runtime's admin API; throws on any non-2xx answer. */
export function adminApi(runtimeUrl: string) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${runtimeUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
}

/**
 * One autocannon run of POST requests: for `seconds` (or `amount` requests), unlimited or at `rate`
 * requests/s overall. `nextRequest` gives each request's body (and path, if it varies); `sent` is how many
 * it was asked for.
 */
export async function load(options: {
  url: string;
  connections: number;
  seconds: number;
  amount?: number | undefined;
  rate: number | undefined;
  key: string;
  nextRequest: () => { path?: string; body: string };
}): Promise<{ run: Run; sent: number }> {
  let sent = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    ...(options.rate ? { overallRate: options.rate } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.key}` },
    requests: [
      {
        setupRequest: (req) => {
          sent += 1;
          return { ...req, ...options.nextRequest() };
        },
      },
    ],
  });
  return {
    run: {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      total: result.requests.total,
    },
    sent,
  };
}

/** The median of `f` over the runs named `name`. */
export function medianOf(runs: Record<string, Run[]>, name: string, f: (r: Run) => number): number {
  const sorted = (runs[name] ?? []).map(f).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Non-2xx answers plus connection errors over all runs. */
export function countFailures(runs: Record<string, Run[]>): number {
  return Object.values(runs)
    .flat()
    .reduce((n, r) => n + r.non2xx + r.errors, 0);
}

/** The machine the numbers were taken on. */
export function machine() {
  return { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version };
}

/** Writes `result` as pretty JSON to `bench/results/<fileName>` and returns the path. */
export function writeResult(fileName: string, result: unknown): string {
  const out = join(benchDir, 'results', fileName);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  return out;
}
