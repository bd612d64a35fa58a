/**
 * Backtest over 100,000 stored decisions: a temp database gets the demo strategy (version 1), the
 * china-peak facts and 100,000 decisions made by routing the data set's 2,000 orders 50 times at
 * decision times spread over Double-11 (promotion windows and alerts switch on and off), each stored
 * with its snapshot exactly as `POST /api/route` stores it. Then the runtime's backtest runner — the one
 * behind `POST /api/backtests`: decisions listed once, cut into chunks of 500, evaluated by worker
 * threads (one per core, at most 4) with their own read connections, partial results merged in chunk
 * order — evaluates a candidate version 2 (shipping cost weighted 200 instead of 10–20) against
 * baseline version 1 over all of them. The main thread's event-loop delay is sampled meanwhile, to show
 * the API stays responsive. A second run makes the baseline a version other than the one that decided,
 * so both are evaluated for every snapshot.
 *
 * Run: cd bench && npx tsx src/backtest.ts     (writes results/backtest.json, ≈ 1 min)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { validate } from '@orderloom/schema';
import {
  loadAlerts,
  loadLanes,
  loadOrders,
  loadWarehouses,
  peakSeasonRouting,
} from '@orderloom/schema/fixtures';
import { createLogger } from '../../apps/runtime/src/createLogger.ts';
import { createDefinitionsRepository } from '../../apps/runtime/src/db/definitionsRepository.ts';
import { migrate } from '../../apps/runtime/src/db/migrate.ts';
import { openDatabase } from '../../apps/runtime/src/db/openDatabase.ts';
import { createRoutingRuntime } from '../../apps/runtime/src/routing/routingRuntime.ts';
import { seedDemo } from '../../apps/runtime/src/seedDemo.ts';

const decisionsWanted = Number(process.env.BENCH_DECISIONS ?? 100_000);
const targetSeconds = 10;
const here = dirname(fileURLToPath(import.meta.url));
const system = { name: 'system', keyId: null };

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderloom-bench-backtest-'));
  const db = openDatabase(join(dataDir, 'orderloom.db'));
  try {
    migrate(db);
    seedDemo(db, [peakSeasonRouting], createLogger('silent'));
    const routing = createRoutingRuntime({ db });
    routing.facts.bulk('warehouses', loadWarehouses(), { replace: false, actor: system });
    routing.facts.bulk('lanes', loadLanes(), { replace: false, actor: system });
    routing.facts.bulk('alerts', loadAlerts(), { replace: false, actor: system });

    const orders = loadOrders();
    const rounds = Math.ceil(decisionsWanted / orders.length);
    const start = Date.parse('2026-11-09T16:00:00Z');
    const spreadMs = 4 * 24 * 3600 * 1000;
    const generating = performance.now();
    let made = 0;
    const batch = db.transaction((round: number) => {
      for (const [i, order] of orders.entries()) {
        if (made >= decisionsWanted) return;
        const at = start + Math.floor(((round * orders.length + i) / decisionsWanted) * spreadMs);
        const result = routing.decisions.route(
          { strategy: 'peak-season', environment: 'production', order },
          { at },
        );
        if (!result.ok) throw new Error(`routing failed: ${result.reason}`);
        made++;
      }
    });
    for (let round = 0; round < rounds; round++) batch.immediate(round);
    const generateSeconds = (performance.now() - generating) / 1000;
    const dbBytes =
      (db.pragma('page_count', { simple: true }) as number) *
      (db.pragma('page_size', { simple: true }) as number);
    console.log(
      `stored ${made} decisions in ${generateSeconds.toFixed(1)} s (${(dbBytes / 1e6).toFixed(0)} MB)`,
    );

    const definitions = createDefinitionsRepository(db);
    const candidate = {
      ...peakSeasonRouting,
      parameters: peakSeasonRouting.parameters.map((p) =>
        p.name === 'costWeight' ? { ...p, value: 200, windows: [] } : p,
      ),
    };
    definitions.saveDraft({
      kind: 'routing',
      id: 'peak-season',
      definition: candidate,
      baseRevision: 1,
      actor: system,
    });
    const version = definitions.createVersion({
      kind: 'routing',
      id: 'peak-season',
      note: 'cost weight 200',
      actor: system,
      lint: (draft) => validate('routing', draft),
    });
    if (!version.ok) throw new Error('candidate version failed');

    const run = async (label: string, candidateVersion: number, baseline: number) => {
      const id = `bt_bench_${label}`;
      const lookup = routing.strategies.lookup('peak-season', candidateVersion);
      if (!lookup.ok) throw new Error('candidate lookup failed');
      const maxSeq = routing.decisions.decisions.maxSeq();
      routing.backtests.create({
        id,
        strategy: 'peak-season',
        candidate: { version: candidateVersion },
        candidateDefinition: lookup.compiled.definition,
        baseline,
        from: undefined,
        to: undefined,
        limit: undefined,
        maxSeq,
        total: routing.decisions.decisions.countMatching({ strategy: 'peak-season', maxSeq }),
        actor: system,
      });
      const lag = monitorEventLoopDelay({ resolution: 1 });
      lag.enable();
      const began = performance.now();
      routing.runner.submit(id);
      await routing.runner.idle();
      const seconds = (performance.now() - began) / 1000;
      lag.disable();
      const backtest = routing.backtests.get(id);
      if (backtest?.state !== 'succeeded' || !backtest.result)
        throw new Error(`backtest ${label}: ${backtest?.error}`);
      const eventLoopDelayMs = { p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 };
      console.log(
        `${label}: ${backtest.result.decisions} decisions in ${seconds.toFixed(2)} s ` +
          `(${((seconds * 1e6) / backtest.result.decisions).toFixed(0)} µs each), changed ${(
            (backtest.result.changedShare ?? 0) * 100
          ).toFixed(
            1,
          )} %, event-loop delay p99 ${eventLoopDelayMs.p99.toFixed(1)} ms, max ${eventLoopDelayMs.max.toFixed(1)} ms`,
      );
      return { seconds, eventLoopDelayMs, result: backtest.result };
    };

    // The usual case: the baseline made the stored decisions, so only the candidate is evaluated.
    const usual = await run('candidate-2-vs-baseline-1', 2, 1);
    // The baseline is another version than the one that decided: both are evaluated per snapshot.
    const both = await run('candidate-1-vs-baseline-2', 1, 2);

    const result = {
      benchmark: 'backtest over stored decision snapshots',
      command: 'cd bench && npx tsx src/backtest.ts',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg(), node: process.version },
      decisions: made,
      candidatesPerDecision: 'china-peak: 55–62 (10–12 warehouses × lanes to the destination region)',
      generateSeconds,
      databaseMegabytes: dbBytes / 1e6,
      target: { seconds: targetSeconds },
      runs: {
        'candidate 2 vs baseline 1 (baseline = recorded version: one evaluation per decision)': usual,
        'candidate 1 vs baseline 2 (two evaluations per decision)': both,
      },
      met: usual.seconds <= targetSeconds,
    };
    const out = join(here, '..', 'results', 'backtest.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`target ≤ ${targetSeconds} s: ${result.met ? 'met' : 'missed'}; results → ${out}`);
  } finally {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
