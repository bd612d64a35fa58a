/**
 * Core routing benchmark: one decision over 20 candidates (10 warehouses × 2 lanes), 8 factors and
 * 2 constraints, with the explanation record — Orderloom's compiled strategy vs the same decision as a
 * @gorules/zen-engine JDM graph and as json-rules-engine rules; then again at 200 candidates. Orderloom's
 * decision holds its factor table as columns; the per-candidate factor records are built on demand
 * (`rankingWithFactors`), which the timed loop does not ask for; a second Orderloom row builds them all, as
 * `GET /api/decisions/:id` does, for comparison.
 *
 * Run: cd bench && npx tsx src/routingCore.ts   (writes results/routing-core.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRouting, rankingWithFactors } from '@orderloom/engine';
import { jsonRulesRouter } from './routingJsonRules.ts';
import { type PeerResult, peerInput } from './routingPeerInput.ts';
import { makeRoutingScenario, type RoutingScenario } from './routingScenario.ts';
import { zenRouter } from './routingZen.ts';

/** Engines run in short alternating slices so that background load hits all of them alike. */
const rounds = 9;
const sliceMs = { orderloom: 120, zen: 350, jsonRules: 350 };

/** Where the built records go, so that building them cannot be optimised away. */
export let recordsSink: unknown;

interface Engines {
  orderloom(i: number): PeerResult;
  orderloomRawFacts(i: number): PeerResult;
  orderloomAllRecords(i: number): PeerResult;
  zen(i: number): Promise<PeerResult>;
  jsonRules(i: number): Promise<PeerResult>;
}

function engines(s: RoutingScenario): Engines & { dispose(): void } {
  const strategy = compileRouting(s.definition);
  const zen = zenRouter();
  const rules = jsonRulesRouter();
  const order = (i: number) => s.orders[i % s.orders.length] as RoutingScenario['orders'][number];
  const ours = (decision: ReturnType<typeof strategy.route>): PeerResult => {
    const a = decision.allocation[0];
    return {
      warehouse: a?.warehouse ?? null,
      lane: a?.lane ?? null,
      score: decision.ranking.find((r) => r.warehouse === a?.warehouse && r.lane === a?.lane)?.score ?? null,
      explanation: decision.explanation,
    };
  };
  return {
    orderloom: (i) => ours(strategy.route(order(i), s.indexed, s.at)),
    orderloomRawFacts: (i) => ours(strategy.route(order(i), s.facts, s.at)),
    orderloomAllRecords: (i) => {
      const decision = strategy.route(order(i), s.indexed, s.at);
      recordsSink = rankingWithFactors(decision);
      return ours(decision);
    },
    zen: (i) => zen.decide(peerInput(s.definition, order(i), s.indexed, s.at)),
    jsonRules: (i) => rules.decide(peerInput(s.definition, order(i), s.indexed, s.at)),
    dispose: () => zen.dispose(),
  };
}

async function verify(s: RoutingScenario, e: Engines): Promise<{ agreed: number; orders: number }> {
  let agreed = 0;
  for (let i = 0; i < s.orders.length; i++) {
    const a = e.orderloom(i);
    const z = await e.zen(i);
    const j = await e.jsonRules(i);
    const same = (p: PeerResult) =>
      p.warehouse === a.warehouse &&
      p.lane === a.lane &&
      (p.score === null ? a.score === null : Math.abs(p.score - (a.score ?? Number.NaN)) < 1e-9);
    if (same(z) && same(j)) agreed++;
    else {
      console.error(`disagreement on ${s.orders[i]?.id}:`, { orderloom: a, zen: z, jsonRules: j });
    }
  }
  return { agreed, orders: s.orders.length };
}

/** µs per decision over one time slice (after `warm` untimed decisions). */
async function measure(run: (i: number) => unknown, budget: number, warm = 16): Promise<number> {
  for (let i = 0; i < warm; i++) await run(i);
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let k = 0; k < 8; k++) await run(iterations++);
    elapsed = performance.now() - start;
  } while (elapsed < budget);
  return (elapsed * 1000) / iterations;
}

function measureSync(run: (i: number) => unknown, budget: number, warm = 512): number {
  for (let i = 0; i < warm; i++) run(i);
  let iterations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let k = 0; k < 128; k++) run(iterations++);
    elapsed = performance.now() - start;
  } while (elapsed < budget);
  return (elapsed * 1000) / iterations;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (us: number) => (us >= 100 ? us.toFixed(0) : us.toFixed(2));

async function runScenario(warehouses: number) {
  const s = makeRoutingScenario(warehouses);
  const e = engines(s);
  const agreement = await verify(s, e);
  const samples = {
    orderloom: [] as number[],
    orderloomRawFacts: [] as number[],
    orderloomAllRecords: [] as number[],
    zen: [] as number[],
    jsonRules: [] as number[],
  };
  // Untimed warm-up so every engine is compiled/JIT-ed before the first slice.
  measureSync(e.orderloom, 300, 5000);
  measureSync(e.orderloomRawFacts, 100, 2000);
  measureSync(e.orderloomAllRecords, 100, 2000);
  await measure(e.zen, 300, 64);
  await measure(e.jsonRules, 300, 64);
  for (let r = 0; r < rounds; r++) {
    samples.orderloom.push(measureSync(e.orderloom, sliceMs.orderloom));
    samples.zen.push(await measure(e.zen, sliceMs.zen));
    samples.jsonRules.push(await measure(e.jsonRules, sliceMs.jsonRules));
    samples.orderloomRawFacts.push(measureSync(e.orderloomRawFacts, sliceMs.orderloom / 2));
    samples.orderloomAllRecords.push(measureSync(e.orderloomAllRecords, sliceMs.orderloom / 2));
  }
  e.dispose();
  const us = {
    orderloom: median(samples.orderloom),
    orderloomRawFacts: median(samples.orderloomRawFacts),
    orderloomAllRecords: median(samples.orderloomAllRecords),
    zen: median(samples.zen),
    jsonRules: median(samples.jsonRules),
  };
  const ratios = { zen: us.zen / us.orderloom, jsonRules: us.jsonRules / us.orderloom };
  const roundRatios = {
    zen: samples.zen.map((z, r) => z / (samples.orderloom[r] as number)),
    jsonRules: samples.jsonRules.map((j, r) => j / (samples.orderloom[r] as number)),
  };
  const row = (name: string, value: number, note = '') =>
    console.log(`  ${name.padEnd(44)} ${fmt(value).padStart(8)} µs/decision${note}`);
  console.log(
    `\n${s.candidates} candidates (${warehouses} warehouses × 2 lanes), 8 factors, 2 constraints, explanation`,
  );
  console.log(`  same winner and score in all three engines: ${agreement.agreed}/${agreement.orders} orders`);
  row('orderloom compiled strategy (indexed facts)', us.orderloom);
  row('orderloom, raw facts (indexFacts per decision)', us.orderloomRawFacts);
  row(
    'orderloom + every candidate’s factor record',
    us.orderloomAllRecords,
    `  (json-rules-engine ${(us.jsonRules / us.orderloomAllRecords).toFixed(0)}×)`,
  );
  row('@gorules/zen-engine JDM graph', us.zen, `  → ${ratios.zen.toFixed(0)}× (target ≥ 100×)`);
  row('json-rules-engine rules', us.jsonRules, `  → ${ratios.jsonRules.toFixed(0)}× (target ≥ 200×)`);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(
    `  per-round ratios: zen ${list(roundRatios.zen)}; json-rules-engine ${list(roundRatios.jsonRules)}`,
  );
  return {
    candidates: s.candidates,
    warehouses,
    orders: s.orders.length,
    agreement,
    microsecondsPerDecision: us,
    ratios,
    samples,
    roundRatios,
  };
}

const started = performance.now();
console.log(
  `routing core benchmark — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  `median of ${rounds} alternating rounds; the peers' glue (candidate, stock and alert joins) is timed with them`,
);
const scenarios = [await runScenario(10), await runScenario(100)];
const seconds = (performance.now() - started) / 1000;
console.log(`\ntotal ${seconds.toFixed(1)} s`);

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'routing-core.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'routing-core',
      command: 'cd bench && npx tsx src/routingCore.ts',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? null,
      loadAverage: loadavg(),
      rounds,
      targets: { zen: 100, jsonRules: 200 },
      scenarios,
      seconds,
    },
    null,
    2,
  )}\n`,
);
console.log(`results → ${out}`);
