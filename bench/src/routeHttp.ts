/**
 * Routing decisions over HTTP: `POST /api/route` on the real runtime (`apps/runtime/src/main.ts` in a
 * child process, temp data dir with the demo strategy and the china-peak facts) — API key check, strict
 * parse of the order, the published strategy compiled once, the decision over facts held in memory (on
 * the main thread, or on the decision thread when the main one is busy), the decision with its complete
 * snapshot stored by the main thread's group commit (WAL, synchronous=NORMAL) before the answer — against a bare express endpoint (another child process) that parses the same body
 * and answers constant JSON. Orders are drawn from orders.jsonl; all servers get the same bodies from
 * autocannon, in alternating rounds:
 *
 * 1. throughput: as fast as `connections` connections go;
 * 2. latency at a fixed 1,000 requests/s (autocannon `overallRate`): p99 of each.
 *
 * Two bare servers run: `bare` answers a tiny constant (`{"ok":true}`, the target's baseline) and
 * `bareSized` answers a constant copy of one real decision (≈ 58 kB: every candidate's factor table), so
 * the cost of the answer's size can be told apart from the cost of deciding and storing. `runtime` is the
 * default answer (the candidates allocated and the runner-up, with their factor tables); `runtimeAll` is
 * the same runtime asked for `?ranking=all` (every candidate's factor table, ≈ 54 kB; the stored decision
 * is identical). Medians over the rounds are quoted. Run:
 *
 *   cd bench && npx tsx src/routeHttp.ts     (writes results/route-http.json, ≈ 2 min)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import {
  adminApi,
  countFailures,
  listenBare,
  load,
  machine,
  medianOf,
  type Run,
  repoRoot,
  type Server,
  spawnBare,
  startRuntime,
  writeResult,
} from './httpBenchHarness.ts';

const rounds = 3;
const throughputSeconds = 5;
const fixedRateSeconds = 5;
const fixedRate = 1000;
const connections = 10;
const ordersFile = join(repoRoot, 'packages', 'schema', 'fixtures', 'china-peak', 'orders.jsonl');
const self = fileURLToPath(import.meta.url);

type Side = 'runtime' | 'runtimeAll' | 'bare' | 'bareSized';

/** Request bodies: the data set's 2,000 orders, cycled through (every request stores a new decision). */
function routeBodies(): string[] {
  const orders = readFileSync(ordersFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return orders.map((order) => JSON.stringify({ strategy: 'peak-season', order }));
}

/** POSTs `bodies` in turn, cycling through them. */
async function loadRoutes(
  url: string,
  bodies: string[],
  seconds: number,
  rate: number | undefined,
  key: string,
): Promise<Run> {
  let next = 0;
  const { run } = await load({
    url,
    connections,
    seconds,
    rate,
    key,
    nextRequest: () => ({ body: bodies[next++ % bodies.length] as string }),
  });
  return run;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderloom-bench-route-'));
  const { runtime, startMs: firstStartMs } = await startRuntime(dataDir);
  const servers: Partial<Record<Side, Server>> = { runtime };
  const cleanup = () => {
    for (const server of Object.values(servers)) server?.child.kill('SIGTERM');
  };
  try {
    const api = adminApi(runtime.url);
    const serviceKey = String((await api('POST', '/api/keys', { name: 'bench', role: 'service' })).secret);
    const bodies = routeBodies();
    const sample = await api('POST', '/api/route?ranking=all', JSON.parse(bodies[0] as string));
    const sampleFile = join(dataDir, 'decision.json');
    writeFileSync(sampleFile, JSON.stringify(sample));
    servers.bare = await spawnBare(self);
    servers.bareSized = await spawnBare(self, [sampleFile]);
    const url = (side: Side) =>
      side === 'runtimeAll'
        ? `${runtime.url}/api/route?ranking=all`
        : `${(servers[side] as Server).url}/api/route`;
    const sides: Side[] = ['runtime', 'runtimeAll', 'bare', 'bareSized'];

    // Warm-up: JIT, prepared statements, strategy compile.
    for (const side of sides) await loadRoutes(url(side), bodies, 2, undefined, serviceKey);

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
        record(`${side}Max`, await loadRoutes(url(side), bodies, throughputSeconds, undefined, serviceKey));
      }
      for (const side of order) {
        record(`${side}Fixed`, await loadRoutes(url(side), bodies, fixedRateSeconds, fixedRate, serviceKey));
      }
      process.stdout.write(`round ${round + 1}/${rounds} done\n`);
    }

    const pick = (name: string, f: (r: Run) => number) => medianOf(runs, name, f);
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
      allThroughput: summary.runtimeAll.requestsPerSecond / summary.bare.requestsPerSecond,
      allP99At1000: summary.runtimeAll.p99MsAt1000 / summary.bare.p99MsAt1000,
      allThroughputVsSized: summary.runtimeAll.requestsPerSecond / summary.bareSized.requestsPerSecond,
      allP99At1000VsSized: summary.runtimeAll.p99MsAt1000 / summary.bareSized.p99MsAt1000,
    };
    const failures = countFailures(runs);
    const stored = await api('GET', '/api/decisions?limit=1');
    const result = {
      benchmark: 'POST /api/route (decision + durable snapshot) vs bare express JSON endpoints',
      command: 'cd bench && npx tsx src/routeHttp.ts',
      date: new Date().toISOString(),
      machine: machine(),
      settings: {
        rounds,
        throughputSeconds,
        fixedRateSeconds,
        fixedRate,
        connections,
        orders: bodies.length,
      },
      responseBytes: {
        runtime: Buffer.byteLength(
          JSON.stringify(await api('POST', '/api/route', JSON.parse(bodies[1] as string))),
        ),
        runtimeAll: JSON.stringify(sample).length,
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
    const out = writeResult('route-http.json', result);
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
        `?ranking=all vs bare: throughput ${ratios.allThroughput.toFixed(2)}×, p99 ${ratios.allP99At1000.toFixed(2)}×; ` +
        `?ranking=all vs bareSized: throughput ${ratios.allThroughputVsSized.toFixed(2)}×, p99 ${ratios.allP99At1000VsSized.toFixed(2)}×; failures ${failures}`,
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
  listenBare(app);
} else {
  await main();
}
