/**
 * Chooses Orderloom's CEL library by measurement: correctness on the expressions our definitions use
 * (guards, segment conditions, custom factors) and speed when an expression is parsed once and
 * evaluated many times, as the runtime does per published version.
 *
 * Run: `cd bench && npx tsx src/celCompare.ts`
 */
import { parse as bufParse, plan as bufPlan, celEnv, isCelError } from '@bufbuild/cel';
import { parse as marcParse } from '@marcbachmann/cel-js';

type Outcome = boolean | number | string | 'error';
type Evaluator = (context: Record<string, unknown>) => unknown;

interface Library {
  name: string;
  /** Parses and plans once; the returned function evaluates. Throws on a syntax error. */
  compile: (expression: string) => Evaluator;
}

const bufEnv = celEnv();

const libraries: Library[] = [
  {
    name: '@marcbachmann/cel-js 8.0.0',
    compile: (expression) => {
      const fn = marcParse(expression);
      return (context) => fn(context);
    },
  },
  {
    name: '@bufbuild/cel 0.6.1',
    compile: (expression) => {
      const fn = bufPlan(bufEnv, bufParse(expression));
      return (context) => {
        const result = fn(context as never);
        // bufbuild returns errors as values; cel-js throws them. Normalise to throwing.
        if (isCelError(result)) throw result;
        return result;
      };
    },
  },
];

const order = {
  id: 'DY26111100001',
  channel: 'douyin',
  customer: { id: 'C124301', tier: 'vip', ltv: 19828 },
  destination: { region: 'south-china', city: 'Guangzhou' },
  lines: [
    { sku: 'SKU-1021', qty: 2, weightKg: 2.4 },
    { sku: 'SKU-1016', qty: 1, weightKg: 1.4 },
  ],
  promisedHours: 24,
  value: 420,
};
const shippedFacts = {
  wms: { outboundNo: 'OB11100000' },
  carrier: { waybillNo: 'SF369926300900' },
  finance: { paymentConfirmed: true },
};
const shippedGuard =
  'has(facts.wms.outboundNo) && has(facts.carrier.waybillNo) && facts.finance.paymentConfirmed == true';

interface Case {
  name: string;
  expression: string;
  context: Record<string, unknown>;
  /** What the CEL specification says the expression yields. */
  expected: Outcome;
}

const cases: Case[] = [
  {
    name: 'has() on nested map, present',
    expression: 'has(facts.wms.outboundNo)',
    context: { facts: shippedFacts },
    expected: true,
  },
  {
    name: 'has() on nested map, absent',
    expression: 'has(facts.wms.outboundNo)',
    context: { facts: { wms: {} } },
    expected: false,
  },
  {
    name: 'three-condition shipped guard',
    expression: shippedGuard,
    context: { facts: shippedFacts },
    expected: true,
  },
  {
    name: '&& short-circuits an error',
    expression: 'false && facts.none.x == 1',
    context: { facts: {} },
    expected: false,
  },
  {
    name: '|| short-circuits an error',
    expression: 'true || facts.none.x == 1',
    context: { facts: {} },
    expected: true,
  },
  {
    name: '|| absorbs an error on the left',
    expression: 'facts.none.x == 1 || true',
    context: { facts: {} },
    expected: true,
  },
  {
    name: 'missing key is an error',
    expression: 'facts.wms.none == 1',
    context: { facts: shippedFacts },
    expected: 'error',
  },
  { name: 'int division truncates', expression: '7 / 2 == 3 && 7 % 3 == 1', context: {}, expected: true },
  { name: 'double division', expression: '7.0 / 2.0', context: {}, expected: 3.5 },
  { name: 'int + double is an error', expression: '1 + 1.5', context: {}, expected: 'error' },
  { name: 'double(int) * double', expression: 'double(3) * 1.5', context: {}, expected: 4.5 },
  {
    name: 'double field > int literal',
    expression: 'order.promisedHours * 1.3 > 30',
    context: { order },
    expected: true,
  },
  {
    name: 'double field == int literal',
    expression: 'order.value == 420',
    context: { order },
    expected: true,
  },
  { name: 'double literal == int literal', expression: '2.0 == 2', context: {}, expected: true },
  {
    name: 'string functions',
    expression:
      'order.id.startsWith("DY") && order.id.contains("2611") && order.id.matches("^DY[0-9]+$") && size(order.id) == 13',
    context: { order },
    expected: true,
  },
  {
    name: '`in` a list literal',
    expression: 'order.channel in ["douyin", "pinduoduo"]',
    context: { order },
    expected: true,
  },
  {
    name: '`in` a map',
    expression: '"wms" in facts && !("crm" in facts)',
    context: { facts: shippedFacts },
    expected: true,
  },
  {
    name: 'exists() macro',
    expression: 'order.lines.exists(l, l.qty > 1)',
    context: { order },
    expected: true,
  },
  {
    name: 'all() macro',
    expression: 'order.lines.all(l, l.weightKg < 2.0)',
    context: { order },
    expected: false,
  },
  {
    name: 'ternary',
    expression: 'order.customer.tier == "vip" ? 1.5 : 1.0',
    context: { order },
    expected: 1.5,
  },
  {
    name: 'timestamp difference vs duration',
    expression:
      'timestamp("2026-11-11T00:20:00+08:00") - timestamp("2026-11-11T00:00:00+08:00") > duration("15m")',
    context: {},
    expected: true,
  },
  {
    name: 'duration equality',
    expression: 'duration("1h30m") == duration("90m")',
    context: {},
    expected: true,
  },
];

function outcomeOf(lib: Library, c: Case): Outcome {
  try {
    const value = lib.compile(c.expression)(c.context);
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
    return `unexpected ${typeof value}`;
  } catch {
    return 'error';
  }
}

const matches = (got: Outcome, expected: Outcome) =>
  typeof got === 'number' && typeof expected === 'number'
    ? Math.abs(got - expected) < 1e-9
    : got === expected;

console.log('## Correctness (expected = CEL specification)\n');
console.log(`| case | expected | ${libraries.map((l) => l.name).join(' | ')} |`);
console.log(`|---|---|${libraries.map(() => '---').join('|')}|`);
const passed = libraries.map(() => 0);
for (const c of cases) {
  const cells = libraries.map((lib, i) => {
    const got = outcomeOf(lib, c);
    const ok = matches(got, c.expected);
    if (ok) passed[i] = (passed[i] ?? 0) + 1;
    return ok ? `ok (${String(got)})` : `**${String(got)}**`;
  });
  console.log(`| ${c.name} | ${String(c.expected)} | ${cells.join(' | ')} |`);
}
console.log(`| **passed** | ${cases.length} | ${passed.join(' | ')} |\n`);

interface SpeedCase {
  name: string;
  expression: string;
  context: Record<string, unknown>;
}

const speedCases: SpeedCase[] = [
  { name: 'shipped guard (3 conditions)', expression: shippedGuard, context: { facts: shippedFacts } },
  {
    name: 'segment: tier && channel in list',
    expression: 'order.customer.tier == "vip" && order.channel in ["douyin", "miniprogram"]',
    context: { order },
  },
  {
    name: 'custom factor: arithmetic + ternary',
    expression: 'order.value / 100.0 * (order.customer.tier == "vip" ? 1.5 : 1.0)',
    context: { order },
  },
  { name: 'exists() over 2 lines', expression: 'order.lines.exists(l, l.qty > 1)', context: { order } },
  {
    name: 'string: startsWith && ==',
    expression: 'order.id.startsWith("DY") && order.destination.region == "south-china"',
    context: { order },
  },
];

let sink = 0;
function nsPerEval(evaluate: Evaluator, context: Record<string, unknown>, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    if (evaluate(context)) sink++;
  }
  return Number(process.hrtime.bigint() - start) / iterations;
}

function nsPerCompile(lib: Library, expression: string, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) lib.compile(expression);
  return Number(process.hrtime.bigint() - start) / iterations;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const ITERATIONS = 100_000;
const ROUNDS = 5;
console.log(
  `## Speed: parse once, evaluate ${ITERATIONS.toLocaleString('en')} times; median of ${ROUNDS} alternating rounds\n`,
);
console.log(
  '| expression | cel-js ns/eval | bufbuild ns/eval | bufbuild ÷ cel-js | cel-js µs/parse | bufbuild µs/parse |',
);
console.log('|---|---:|---:|---:|---:|---:|');
const ratios: number[] = [];
for (const sc of speedCases) {
  const compiled = libraries.map((lib) => lib.compile(sc.expression));
  for (const fn of compiled) nsPerEval(fn, sc.context, ITERATIONS / 5);
  const samples: number[][] = libraries.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    compiled.forEach((fn, i) => {
      samples[i]?.push(nsPerEval(fn, sc.context, ITERATIONS));
    });
  }
  const [marc, buf] = samples.map(median) as [number, number];
  const [marcParseNs, bufParseNs] = libraries.map((lib) => nsPerCompile(lib, sc.expression, 2_000)) as [
    number,
    number,
  ];
  ratios.push(buf / marc);
  console.log(
    `| ${sc.name} | ${marc.toFixed(0)} | ${buf.toFixed(0)} | ${(buf / marc).toFixed(1)}× | ${(marcParseNs / 1000).toFixed(1)} | ${(bufParseNs / 1000).toFixed(1)} |`,
  );
}
const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
console.log(
  `\nGeometric mean: @bufbuild/cel takes ${geo.toFixed(1)}× as long as @marcbachmann/cel-js per evaluation.`,
);
if (sink < 0) console.log(sink);
