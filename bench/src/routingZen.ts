import { ZenEngine } from '@gorules/zen-engine';
import type { PeerInput, PeerResult } from './routingPeerInput.ts';

type Direction = 'higher' | 'lower';

/** The benchmark's 8 factors as ZEN expressions over one candidate (loop mode: fields are the item's). */
const factorExpressions: { id: string; key: string; value: string; direction: Direction }[] = [
  {
    id: 'capacity',
    key: 'fCapacity',
    value: 'capacityPerDay > 0 ? (capacityPerDay - load) / capacityPerDay : 0',
    direction: 'higher',
  },
  { id: 'saturation', key: 'fSaturation', value: 'saturation', direction: 'lower' },
  { id: 'carbon', key: 'fCarbon', value: 'co2PerKg * $nodes.order.weightKg', direction: 'lower' },
  {
    id: 'cost',
    key: 'fCost',
    value: 'costPerParcel + costPerKg * $nodes.order.weightKg',
    direction: 'lower',
  },
  { id: 'eta', key: 'fEta', value: '$.effEta / $nodes.request.order.promisedHours', direction: 'lower' },
  {
    id: 'customer',
    key: 'fCustomer',
    value:
      '(tier == "own" ? 1 : (tier == "regional" ? 0.6 : 0.3)) * (mode == "air" or mode == "cold-chain" ? 1 : (mode == "rail" ? 0.7 : (mode == "ground" ? 0.6 : 0.4)))',
    direction: 'higher',
  },
  { id: 'weather', key: 'fWeather', value: 'weather', direction: 'higher' },
  {
    id: 'age',
    key: 'fAge',
    value: '2.718281828459045 ^ (0 - ageDays / $nodes.request.params.ageDecayDays)',
    direction: 'lower',
  },
];

const node = (id: string, type: string, name: string, content?: unknown) => ({
  id,
  type,
  name,
  position: { x: 0, y: 0 },
  ...(content === undefined ? {} : { content }),
});
const expressions = (list: [string, string][]) =>
  list.map(([key, value], i) => ({ id: `${key}-${i}`, key, value }));

/**
 * The benchmark strategy as a JDM decision graph: order aggregates → per-candidate factors and
 * constraints (loop) → min/max per factor and the weight sum → normalised values, contributions and
 * score (loop) → fallback tier, best and runner-up, per-factor differences and the explanation.
 */
export function routingGraph(): object {
  const ranges: [string, string][] = factorExpressions.flatMap((f) => [
    [`min_${f.id}`, `min(map(candidates, #.${f.key}))`],
    [`max_${f.id}`, `max(map(candidates, #.${f.key}))`],
  ]);
  const weight = (id: string) =>
    id === 'customer'
      ? '$nodes.request.weights.customer * $nodes.order.priority'
      : `$nodes.request.weights.${id}`;
  ranges.push(['weightSum', factorExpressions.map((f) => `(${weight(f.id)})`).join(' + ')]);

  const scoring: [string, string][] = [];
  for (const f of factorExpressions) {
    const min = `$nodes.ranges.min_${f.id}`;
    const max = `$nodes.ranges.max_${f.id}`;
    const normalized =
      f.direction === 'higher'
        ? `(${f.key} - ${min}) / (${max} - ${min})`
        : `(${max} - ${f.key}) / (${max} - ${min})`;
    scoring.push([`n_${f.id}`, `${max} == ${min} ? 1 : ${normalized}`]);
    scoring.push([`k_${f.id}`, `$.n_${f.id} * (${weight(f.id)}) / $nodes.ranges.weightSum`]);
  }
  scoring.push(['score', factorExpressions.map((f) => `$.k_${f.id}`).join(' + ')]);

  const nodes = [
    node('request', 'inputNode', 'request'),
    node('order', 'expressionNode', 'order', {
      passThrough: true,
      expressions: expressions([
        ['weightKg', 'sum(map(order.lines, #.qty * #.weightKg))'],
        [
          'priority',
          'max([order.customerTier == "vip" ? 1 : (order.customerTier == "gold" ? 0.7 : 0.2), min([1, order.ltv / params.ltvReference])])',
        ],
      ]),
    }),
    node('factors', 'expressionNode', 'factors', {
      inputField: 'candidates',
      outputPath: 'candidates',
      executionMode: 'loop',
      passThrough: true,
      expressions: expressions([
        ['effEta', 'etaHours / max([weather, 0.01])'],
        ...factorExpressions.map((f): [string, string] => [f.key, f.value]),
        ['stockOk', 'all(lines, #.stock >= #.qty)'],
        ['etaOk', '$.effEta <= $nodes.request.order.promisedHours * $nodes.request.params.etaTolerance'],
        ['feasible', '$.stockOk and $.etaOk'],
      ]),
    }),
    node('ranges', 'expressionNode', 'ranges', { passThrough: true, expressions: expressions(ranges) }),
    node('score', 'expressionNode', 'score', {
      inputField: 'candidates',
      outputPath: 'candidates',
      executionMode: 'loop',
      passThrough: true,
      expressions: expressions(scoring),
    }),
    node('pick', 'expressionNode', 'pick', {
      passThrough: false,
      expressions: expressions([
        ['feasible', 'filter(candidates, #.feasible)'],
        ['bestTier', 'len($.feasible) > 0 ? min(map($.feasible, #.tierRank)) : null'],
        ['pool', 'filter($.feasible, #.tierRank == $.bestTier)'],
        ['best', 'len($.pool) > 0 ? max(map($.pool, #.score)) : null'],
        ['winner', 'len($.pool) > 0 ? filter($.pool, #.score == $.best)[0] : null'],
        ['others', 'filter($.pool, #.score < $.best)'],
        ['second', 'len($.others) > 0 ? max(map($.others, #.score)) : null'],
        ['runnerUp', '$.second != null ? filter($.pool, #.score == $.second)[0] : null'],
        ['margin', '$.second != null ? $.best - $.second : null'],
        ...factorExpressions.map((f): [string, string] => [
          `d_${f.id}`,
          `$.runnerUp != null ? $.winner.k_${f.id} - $.runnerUp.k_${f.id} : null`,
        ]),
        [
          'explanation',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a ZEN template literal, evaluated by zen-engine
          '$.runnerUp == null ? "" : `${$.winner.warehouse} via ${$.winner.lane} beat ${$.runnerUp.warehouse} via ${$.runnerUp.lane} by ${round($.margin * 100) / 100}: cost ${round($.d_cost * 100) / 100}, eta ${round($.d_eta * 100) / 100}, carbon ${round($.d_carbon * 100) / 100}`',
        ],
      ]),
    }),
    node('response', 'outputNode', 'response'),
  ];
  const order = ['request', 'order', 'factors', 'ranges', 'score', 'pick', 'response'];
  const edges = order.slice(1).map((target, i) => ({
    id: `e${i}`,
    type: 'edge',
    sourceId: order[i] as string,
    targetId: target,
  }));
  return { nodes, edges };
}

interface ZenPick {
  winner?: { warehouse: string; lane: string; score: number } | null;
  explanation?: string | null;
}

/** Compiles the graph once; returns an async decide function (ZEN's Node binding is promise-based). */
export function zenRouter(): { decide(input: PeerInput): Promise<PeerResult>; dispose(): void } {
  const engine = new ZenEngine();
  const decision = engine.createDecision(routingGraph());
  return {
    async decide(input) {
      const response = await decision.evaluate(input);
      const pick = response.result as ZenPick;
      return {
        warehouse: pick.winner?.warehouse ?? null,
        lane: pick.winner?.lane ?? null,
        score: pick.winner?.score ?? null,
        explanation: pick.explanation ?? '',
      };
    },
    dispose() {
      engine.dispose();
    },
  };
}
