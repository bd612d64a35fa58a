/**
 * Status event ingest over HTTP: the real runtime (`apps/runtime/src/main.ts` in a child process) taking
 * signed events — API key check, strict parse, Ed25519 verification over RFC 8785 JSON, engine transition,
 * hash-chain append, order/timer/alert rows, outbox deliveries for a subscription, one immediate SQLite
 * commit (WAL, synchronous=NORMAL) before the answer; the runtime stores events and sends the webhooks on
 * its status writer thread — against a bare express endpoint (another child process) that only parses
 * the JSON body. Both get the same request bodies from autocannon, in alternating rounds:
 *
 * 1. throughput: as fast as 32 connections go;
 * 2. latency at a fixed 1,000 events/s: p99 of each.
 *
 * Every request carries a fresh eventId (autocannon `setupRequest` walks through pre-signed bodies).
 * Medians over the rounds are quoted. Run:
 *
 *   cd bench && npx tsx src/ingestHttp.ts     (writes results/ingest-http.json, ≈ 2 min)
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import canonicalize from 'canonicalize';
import express from 'express';
import {
  adminApi,
  countFailures,
  listenBare,
  load,
  machine,
  medianOf,
  type Run,
  spawnBare,
  startRuntime,
  writeResult,
} from './httpBenchHarness.ts';

// BENCH_PROFILE_DIR=<dir> writes a CPU profile of the runtime (one round only) for finding hot spots.
const profileDir = process.env.BENCH_PROFILE_DIR;
const rounds = profileDir ? 1 : 3;
const throughputSeconds = 6;
const fixedRateSeconds = 6;
const fixedRate = 1000;
const connections = 32;

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

/** POSTs `bodies` in turn; the runtime must see each eventId once, so running out of them is an error. */
async function loadEvents(
  url: string,
  bodies: { path: string; body: string }[],
  seconds: number,
  rate: number | undefined,
  serviceKey: string,
  options: { amount?: number; uniqueBodies?: boolean } = {},
): Promise<Run> {
  let next = 0;
  const { run, sent } = await load({
    url,
    connections,
    seconds,
    amount: options.amount,
    rate,
    key: serviceKey,
    nextRequest: () => bodies[next++ % bodies.length] as { path: string; body: string },
  });
  // A replay is a cheaper idempotent 200 on the runtime; the bare side does not care.
  if ((options.uniqueBodies ?? true) && sent > bodies.length)
    throw new Error(`ran out of unique bodies (${sent} > ${bodies.length})`);
  return run;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderloom-bench-ingest-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // Deliveries go to a local receiver so the outbox worker does its real work during the runs.
  const receiver = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const { runtime } = await startRuntime(dataDir, {
    ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
    env: { ORDERLOOM_WEBHOOK_ALLOW: '127.0.0.1' },
  });
  const bare = await spawnBare(fileURLToPath(import.meta.url));
  const cleanup = () => {
    runtime.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    receiver.close();
  };
  try {
    const api = adminApi(runtime.url);
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
    await loadEvents(runtime.url, warm, 0, undefined, serviceKey, { amount: 3000 });
    await loadEvents(bare.url, warm, 0, undefined, serviceKey, { amount: 3000 });

    const runs: Record<string, Run[]> = { runtimeMax: [], bareMax: [], runtimeFixed: [], bareFixed: [] };
    for (let round = 0; round < rounds; round += 1) {
      const maxBodies = signedRequests(`r${round}-max`, 40_000, privateKey);
      const fixedBodies = signedRequests(`r${round}-fixed`, fixedRate * fixedRateSeconds + 2000, privateKey);
      const order = round % 2 === 0 ? (['runtime', 'bare'] as const) : (['bare', 'runtime'] as const);
      for (const side of order) {
        const url = side === 'runtime' ? runtime.url : bare.url;
        runs[`${side}Max`]?.push(
          await loadEvents(url, maxBodies, throughputSeconds, undefined, serviceKey, {
            uniqueBodies: side === 'runtime',
          }),
        );
      }
      for (const side of order) {
        const url = side === 'runtime' ? runtime.url : bare.url;
        runs[`${side}Fixed`]?.push(
          await loadEvents(url, fixedBodies, fixedRateSeconds, fixedRate, serviceKey),
        );
      }
      process.stdout.write(`round ${round + 1}/${rounds} done\n`);
    }

    const pick = (name: string, f: (r: Run) => number) => medianOf(runs, name, f);
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
    const failures = countFailures(runs);
    const verify = await api('GET', '/api/audit/verify');
    const result = {
      benchmark: 'status event ingest over HTTP vs bare express JSON endpoint',
      date: new Date().toISOString(),
      machine: machine(),
      settings: { rounds, throughputSeconds, fixedRateSeconds, fixedRate, connections },
      summary,
      ratios,
      targets: { throughputAtLeast: 0.5, p99AtMost: 2 },
      met: { throughput: ratios.throughput >= 0.5, p99: ratios.p99At1000 <= 2 },
      failures,
      auditVerify: verify,
      runs,
    };
    const out = writeResult(profileDir ? 'ingest-http-profile.json' : 'ingest-http.json', result);
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
  listenBare(app);
} else {
  await main();
}
