/**
 * Status event ingest over HTTP: the real runtime (`apps/runtime/src/main.ts` in a child process) taking
 * signed events — API key check, strict parse, Ed25519 verification over RFC 8785 JSON, engine transition,
 * hash-chain append, order/timer/alert rows, outbox deliveries for a subscription, one immediate SQLite
 * commit (WAL, synchronous=NORMAL) — against a bare express endpoint (another child process) that only
 * parses the JSON body. Both get the same request bodies from autocannon, in alternating rounds:
 *
 * 1. throughput: as fast as 32 connections go;
 * 2. latency at a fixed 1,000 events/s: p99 of each.
 *
 * Every request carries a fresh eventId (autocannon `setupRequest` walks through pre-signed bodies).
 * Medians over the rounds are quoted. Run:
 *
 *   cd bench && npx tsx src/ingestHttp.ts     (writes results/ingest-http.json, ≈ 2 min)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import canonicalize from 'canonicalize';
import express from 'express';

// BENCH_PROFILE_DIR=<dir> writes a CPU profile of the runtime (one round only) for finding hot spots.
const profileDir = process.env.BENCH_PROFILE_DIR;
const rounds = profileDir ? 1 : 3;
const throughputSeconds = 6;
const fixedRateSeconds = 6;
const fixedRate = 1000;
const connections = 32;
const adminKey = 'bench-admin-key-0123456789';
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const runtimeDir = join(repoRoot, 'apps', 'runtime');

interface Server {
  url: string;
  child: ChildProcess;
}

function spawnServer(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  ready: string | undefined,
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

const systems = ['douyin', 'crm', 'wms', 'carrier', 'finance'] as const;
const lifecycle: [string, string, Record<string, unknown>?][] = [
  ['douyin', 'PAID'],
  ['crm', 'PUSHED'],
  ['wms', 'PACKING'],
  ['wms', 'OUTBOUND_DONE', { outboundNo: 'OB-1' }],
  ['carrier', 'WAYBILL_CREATED', { waybillNo: 'SF-1' }],
  ['finance', 'RECEIVED'],
];

/** Pre-signed requests: each order walks paid → released → packing → shipped over six events. */
function signedRequests(prefix: string, count: number, key: KeyObject): { path: string; body: string }[] {
  const out: { path: string; body: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const orderId = `${prefix}-${Math.floor(i / lifecycle.length)}`;
    const [system, code, data] = lifecycle[i % lifecycle.length] as (typeof lifecycle)[number];
    const event: Record<string, unknown> = {
      eventId: `${orderId}-${code}`,
      system,
      code,
      occurredAt: '2026-11-11T00:00:00+08:00',
      channel: 'douyin',
      keyId: 'bench',
      ...(data ? { data } : {}),
    };
    event.signature = sign(null, Buffer.from(canonicalize(event) ?? ''), key).toString('base64');
    out.push({ path: `/api/orders/${orderId}/events`, body: JSON.stringify(event) });
  }
  return out;
}

interface Run {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  total: number;
}

async function load(
  url: string,
  bodies: { path: string; body: string }[],
  seconds: number,
  rate: number | undefined,
  serviceKey: string,
  options: { amount?: number; uniqueBodies?: boolean } = {},
): Promise<Run> {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    ...(options.amount ? { amount: options.amount } : { duration: seconds }),
    ...(rate ? { overallRate: rate } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceKey}` },
    requests: [
      {
        setupRequest: (req) => {
          const item = bodies[next % bodies.length] as { path: string; body: string };
          next += 1;
          return { ...req, path: item.path, body: item.body };
        },
      },
    ],
  });
  // The runtime must see each eventId once (a replay is a cheaper idempotent 200); the bare side does not care.
  if ((options.uniqueBodies ?? true) && next > bodies.length)
    throw new Error(`ran out of unique bodies (${next} > ${bodies.length})`);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderloom-bench-ingest-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // Deliveries go to a local receiver so the outbox worker does its real work during the runs.
  const receiver = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const port = await freePort();
  const runtime = await spawnServer(
    [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', 'src/main.ts'],
    runtimeDir,
    {
      PORT: String(port),
      ORDERLOOM_DATA_DIR: dataDir,
      ORDERLOOM_ADMIN_KEY: adminKey,
      ORDERLOOM_MQTT_EMBEDDED: 'false',
      ORDERLOOM_WEBHOOK_ALLOW: '127.0.0.1',
      // Request logging off for both sides: the comparison is about the work, not log I/O.
      LOG_LEVEL: 'warn',
    },
    undefined,
  );
  runtime.url = `http://127.0.0.1:${port}`;
  await waitForHealth(runtime.url);
  const bare = await spawnServer(
    ['--import', 'tsx', join(here, 'ingestHttp.ts'), '--bare-server'],
    join(here, '..'),
    {},
    'bare listening',
  );
  const cleanup = () => {
    runtime.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    receiver.close();
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
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    for (const system of systems)
      await api('PUT', `/api/sources/${system}`, { publicKeys: [{ id: 'bench', publicKey: pem }] });
    await api('POST', '/api/subscriptions', {
      topics: ['status.changed', 'alert.*'],
      target: { type: 'webhook', url: receiverUrl },
    });

    // Warm-up: JIT, prepared statements, graph compile.
    const warm = signedRequests('warm', 3000, privateKey);
    await load(runtime.url, warm, 0, undefined, serviceKey, { amount: 3000 });
    await load(bare.url, warm, 0, undefined, serviceKey, { amount: 3000 });

    const runs: Record<string, Run[]> = { runtimeMax: [], bareMax: [], runtimeFixed: [], bareFixed: [] };
    for (let round = 0; round < rounds; round += 1) {
      const maxBodies = signedRequests(`r${round}-max`, 40_000, privateKey);
      const fixedBodies = signedRequests(`r${round}-fixed`, fixedRate * fixedRateSeconds + 2000, privateKey);
      const order = round % 2 === 0 ? (['runtime', 'bare'] as const) : (['bare', 'runtime'] as const);
      for (const side of order) {
        const url = side === 'runtime' ? runtime.url : bare.url;
        runs[`${side}Max`]?.push(
          await load(url, maxBodies, throughputSeconds, undefined, serviceKey, {
            uniqueBodies: side === 'runtime',
          }),
        );
      }
      for (const side of order) {
        const url = side === 'runtime' ? runtime.url : bare.url;
        runs[`${side}Fixed`]?.push(await load(url, fixedBodies, fixedRateSeconds, fixedRate, serviceKey));
      }
      process.stdout.write(`round ${round + 1}/${rounds} done\n`);
    }

    const pick = (name: string, f: (r: Run) => number) => median((runs[name] ?? []).map(f));
    const summary = {
      runtimeEventsPerSecond: pick('runtimeMax', (r) => r.requestsPerSecond),
      bareEventsPerSecond: pick('bareMax', (r) => r.requestsPerSecond),
      runtimeP99MsAt1000: pick('runtimeFixed', (r) => r.p99Ms),
      bareP99MsAt1000: pick('bareFixed', (r) => r.p99Ms),
      runtimeP50MsAt1000: pick('runtimeFixed', (r) => r.p50Ms),
      bareP50MsAt1000: pick('bareFixed', (r) => r.p50Ms),
    };
    const ratios = {
      throughput: summary.runtimeEventsPerSecond / summary.bareEventsPerSecond,
      p99At1000: summary.runtimeP99MsAt1000 / Math.max(summary.bareP99MsAt1000, 1),
    };
    const failures = Object.values(runs)
      .flat()
      .reduce((n, r) => n + r.non2xx + r.errors, 0);
    const verify = await api('GET', '/api/audit/verify');
    const result = {
      benchmark: 'status event ingest over HTTP vs bare express JSON endpoint',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
      settings: { rounds, throughputSeconds, fixedRateSeconds, fixedRate, connections },
      summary,
      ratios,
      targets: { throughputAtLeast: 0.5, p99AtMost: 2 },
      met: { throughput: ratios.throughput >= 0.5, p99: ratios.p99At1000 <= 2 },
      failures,
      auditVerify: verify,
      runs,
    };
    const out = join(
      repoRoot,
      'bench',
      'results',
      profileDir ? 'ingest-http-profile.json' : 'ingest-http.json',
    );
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.table({
      runtime: {
        'events/s': summary.runtimeEventsPerSecond,
        'p50 ms @1k/s': summary.runtimeP50MsAt1000,
        'p99 ms @1k/s': summary.runtimeP99MsAt1000,
      },
      bare: {
        'events/s': summary.bareEventsPerSecond,
        'p50 ms @1k/s': summary.bareP50MsAt1000,
        'p99 ms @1k/s': summary.bareP99MsAt1000,
      },
    });
    console.log(
      `throughput ratio ${ratios.throughput.toFixed(2)} (target ≥ 0.5), p99 ratio ${ratios.p99At1000.toFixed(2)} (target ≤ 2), failures ${failures}, audit verify ok=${String(verify.ok)}`,
    );
    console.log(`results → ${out}`);
  } finally {
    cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--bare-server')) {
  // The baseline: express with its JSON parser and nothing else.
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/api/orders/:id/events', (req, res) => {
    res.status(201).json({ orderId: req.params.id, eventId: (req.body as { eventId?: string }).eventId });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ port: (server.address() as AddressInfo).port, msg: 'bare listening' })}\n`,
    );
  });
} else {
  await main();
}
