/**
 * Routing decisions over HTTP: `POST /api/route` on the real runtime (`apps/runtime/src/main.ts` in a
 * child process, temp data dir with the demo strategy and the china-peak facts) — API key check, strict
 * parse of the order, the published strategy compiled once, the decision over facts held in memory, the
 * decision with its complete snapshot stored in one immediate SQLite commit (WAL, synchronous=NORMAL)
 * before the answer — against a bare express endpoint (another child process) that parses the same body
 * and answers constant JSON. Orders are drawn from orders.jsonl; all servers get the same bodies from
 * autocannon, in alternating rounds:
 *
 * 1. throughput: as fast as `connections` connections go;
 * 2. latency at a fixed 1,000 requests/s (autocannon `overallRate`): p99 of each.
 *
 * Two bare servers run: `bare` answers a tiny constant (`{"ok":true}`, the target's baseline) and
 * `bareSized` answers a constant copy of one real decision (≈ 58 kB: every candidate's factor table), so
 * the cost of the answer's size can be told apart from the cost of deciding and storing. `runtimeTop`
 * is the same runtime asked for `?ranking=top` (allocated candidates and the runner-up in the answer;
 * the stored decision is identical). Medians over the rounds are quoted. Run:
 *
 *   cd bench && npx tsx src/routeHttp.ts     (writes results/route-http.json, ≈ 2 min)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import express from 'express';

const rounds = 3;
const throughputSeconds = 5;
const fixedRateSeconds = 5;
const fixedRate = 1000;
const connections = 10;
const adminKey = 'bench-admin-key-0123456789';
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const runtimeDir = join(repoRoot, 'apps', 'runtime');
const ordersFile = join(repoRoot, 'packages', 'schema', 'fixtures', 'china-peak', 'orders.jsonl');

type Side = 'runtime' | 'runtimeTop' | 'bare' | 'bareSized';

interface Server {
  url: string;
  child: ChildProcess;
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

/** Request bodies: the data set's 2,000 orders, cycled through (every request stores a new decision). */
function routeBodies(): string[] {
  const orders = readFileSync(ordersFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return orders.map((order) => JSON.stringify({ strategy: 'peak-season', order }));
}

interface Run {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

async function load(url: string, bodies: string[], seconds: number, rate: number | undefined, key: string) {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [
      {
        setupRequest: (req) => {
          const body = bodies[next % bodies.length] as string;
          next += 1;
          return { ...req, body };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  } satisfies Run;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderloom-bench-route-'));
  const port = await freePort();
  const runtime = await spawnServer(['--import', 'tsx', 'src/main.ts'], runtimeDir, {
    PORT: String(port),
    ORDERLOOM_DATA_DIR: dataDir,
    ORDERLOOM_ADMIN_KEY: adminKey,
    ORDERLOOM_MQTT_EMBEDDED: 'false',
    // Request logging off on every side: the comparison is about the work, not log I/O.
    LOG_LEVEL: 'warn',
  });
  runtime.url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  await waitForHealth(runtime.url);
  const firstStartMs = performance.now() - started;
  const servers: Partial<Record<Side, Server>> = { runtime };
  const cleanup = () => {
    for (const server of Object.values(servers)) server?.child.kill('SIGTERM');
  };
  try {
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${runtime.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const serviceKey = String((await api('POST', '/api/keys', { name: 'bench', role: 'service' })).secret);
    const bodies = routeBodies();
    const sample = await api('POST', '/api/route', JSON.parse(bodies[0] as string));
    const sampleFile = join(dataDir, 'decision.json');
    writeFileSync(sampleFile, JSON.stringify(sample));
    servers.bare = await spawnServer(
      ['--import', 'tsx', join(here, 'routeHttp.ts'), '--bare-server'],
      join(here, '..'),
      {},
      'bare listening',
    );
    servers.bareSized = await spawnServer(
      ['--import', 'tsx', join(here, 'routeHttp.ts'), '--bare-server', sampleFile],
      join(here, '..'),
      {},
      'bare listening',
    );
    const url = (side: Side) =>
      side === 'runtimeTop'
        ? `${runtime.url}/api/route?ranking=top`
        : `${(servers[side] as Server).url}/api/route`;
    const sides: Side[] = ['runtime', 'runtimeTop', 'bare', 'bareSized'];

    // Warm-up: JIT, prepared statements, strategy compile.
    for (const side of sides) await load(url(side), bodies, 2, undefined, serviceKey);

    const runs: Record<string, Run[]> = {};
    const record = (name: string, run: Run) => {
      const list = runs[name] ?? [];
      list.push(run);
      runs[name] = list;
    };
    for (let round = 0; round < rounds; round += 1) {
      // Rotate who goes first, so no side always runs on a machine warmed (or tired) by the others.
      const order = sides.map((_, i) => sides[(i + round) % sides.length] as Side);
      for (const side of order) {
        record(`${side}Max`, await load(url(side), bodies, throughputSeconds, undefined, serviceKey));
      }
      for (const side of order) {
        record(`${side}Fixed`, await load(url(side), bodies, fixedRateSeconds, fixedRate, serviceKey));
      }
      process.stdout.write(`round ${round + 1}/${rounds} done\n`);
    }

    const pick = (name: string, f: (r: Run) => number) => median((runs[name] ?? []).map(f));
    const summary = Object.fromEntries(
      sides.map((side) => [
        side,
        {
          requestsPerSecond: pick(`${side}Max`, (r) => r.requestsPerSecond),
          p50MsAt1000: pick(`${side}Fixed`, (r) => r.p50Ms),
          p99MsAt1000: pick(`${side}Fixed`, (r) => r.p99Ms),
        },
      ]),
    ) as Record<Side, { requestsPerSecond: number; p50MsAt1000: number; p99MsAt1000: number }>;
    const ratios = {
      throughput: summary.runtime.requestsPerSecond / summary.bare.requestsPerSecond,
      p99At1000: summary.runtime.p99MsAt1000 / summary.bare.p99MsAt1000,
      throughputVsSized: summary.runtime.requestsPerSecond / summary.bareSized.requestsPerSecond,
      p99At1000VsSized: summary.runtime.p99MsAt1000 / summary.bareSized.p99MsAt1000,
      topThroughput: summary.runtimeTop.requestsPerSecond / summary.bare.requestsPerSecond,
      topP99At1000: summary.runtimeTop.p99MsAt1000 / summary.bare.p99MsAt1000,
    };
    const failures = Object.values(runs)
      .flat()
      .reduce((n, r) => n + r.non2xx + r.errors, 0);
    const stored = await api('GET', '/api/decisions?limit=1');
    const result = {
      benchmark: 'POST /api/route (decision + durable snapshot) vs bare express JSON endpoints',
      command: 'cd bench && npx tsx src/routeHttp.ts',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
      settings: {
        rounds,
        throughputSeconds,
        fixedRateSeconds,
        fixedRate,
        connections,
        orders: bodies.length,
      },
      responseBytes: {
        runtime: JSON.stringify(sample).length,
        bare: 11,
        bareSized: JSON.stringify(sample).length,
      },
      candidatesInSample: (sample.ranking as unknown[]).length,
      firstStartMs,
      summary,
      ratios,
      targets: { throughputAtLeast: 0.5, p99AtMost: 1.5 },
      met: { throughput: ratios.throughput >= 0.5, p99: ratios.p99At1000 <= 1.5 },
      failures,
      lastStoredDecision: (stored.items as unknown[])[0],
      runs,
    };
    const out = join(repoRoot, 'bench', 'results', 'route-http.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.table(
      Object.fromEntries(
        sides.map((side) => [
          side,
          {
            'req/s': Math.round(summary[side].requestsPerSecond),
            'p50 ms @1k/s': summary[side].p50MsAt1000,
            'p99 ms @1k/s': summary[side].p99MsAt1000,
          },
        ]),
      ),
    );
    console.log(
      `vs bare: throughput ${ratios.throughput.toFixed(2)}× (target ≥ 0.5), p99 ${ratios.p99At1000.toFixed(2)}× (target ≤ 1.5); ` +
        `vs bareSized: throughput ${ratios.throughputVsSized.toFixed(2)}×, p99 ${ratios.p99At1000VsSized.toFixed(2)}×; ` +
        `?ranking=top vs bare: throughput ${ratios.topThroughput.toFixed(2)}×, p99 ${ratios.topP99At1000.toFixed(2)}×; failures ${failures}`,
    );
    console.log(`results → ${out}`);
  } finally {
    cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--bare-server')) {
  // The baseline: express with its JSON parser, answering a constant.
  const constantFile = process.argv[process.argv.indexOf('--bare-server') + 1];
  const constant = constantFile ? readFileSync(constantFile, 'utf8') : JSON.stringify({ ok: true });
  const app = express();
  app.set('etag', false);
  app.use(express.json({ limit: '1mb' }));
  app.post('/api/route', (_req, res) => {
    res.type('application/json').send(constant);
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ port: (server.address() as AddressInfo).port, msg: 'bare listening' })}\n`,
    );
  });
} else {
  await main();
}
