import { type Almanac, Engine } from 'json-rules-engine';
import type { PeerCandidate, PeerInput, PeerResult } from './routingPeerInput.ts';

type Direction = 'higher' | 'lower';

interface OrderFact {
  customerTier: string;
  ltv: number;
  promisedHours: number;
  lines: { qty: number; weightKg: number }[];
}

const fact = <T>(almanac: Almanac, id: string) => almanac.factValue<T>(id);

/** The 8 factors as json-rules-engine dynamic facts (it has no arithmetic in conditions). */
const factors: { id: string; direction: Direction; compute: (a: Almanac) => Promise<number> }[] = [
  {
    id: 'capacity',
    direction: 'higher',
    compute: async (a) => {
      const c = await fact<PeerCandidate>(a, 'candidate');
      return c.capacityPerDay > 0 ? (c.capacityPerDay - c.load) / c.capacityPerDay : 0;
    },
  },
  {
    id: 'saturation',
    direction: 'lower',
    compute: async (a) => (await fact<PeerCandidate>(a, 'candidate')).saturation,
  },
  {
    id: 'carbon',
    direction: 'lower',
    compute: async (a) =>
      (await fact<PeerCandidate>(a, 'candidate')).co2PerKg * (await fact<number>(a, 'weightKg')),
  },
  {
    id: 'cost',
    direction: 'lower',
    compute: async (a) => {
      const c = await fact<PeerCandidate>(a, 'candidate');
      return c.costPerParcel + c.costPerKg * (await fact<number>(a, 'weightKg'));
    },
  },
  {
    id: 'eta',
    direction: 'lower',
    compute: async (a) =>
      (await fact<number>(a, 'effectiveEtaHours')) / (await fact<OrderFact>(a, 'order')).promisedHours,
  },
  {
    id: 'customer',
    direction: 'higher',
    compute: async (a) => {
      const { tier, mode } = await fact<PeerCandidate>(a, 'candidate');
      const affinity = tier === 'own' ? 1 : tier === 'regional' ? 0.6 : 0.3;
      const service =
        mode === 'air' || mode === 'cold-chain' ? 1 : mode === 'rail' ? 0.7 : mode === 'ground' ? 0.6 : 0.4;
      return affinity * service;
    },
  },
  {
    id: 'weather',
    direction: 'higher',
    compute: async (a) => (await fact<PeerCandidate>(a, 'candidate')).weather,
  },
  {
    id: 'age',
    direction: 'lower',
    compute: async (a) => {
      const params = await fact<PeerInput['params']>(a, 'params');
      return Math.exp(-(await fact<PeerCandidate>(a, 'candidate')).ageDays / params.ageDecayDays);
    },
  },
];

/**
 * The benchmark strategy as json-rules-engine rules, run once per candidate: dynamic facts compute the
 * order weight, effective ETA and the 8 factors; the `stock` and `eta` rules are the constraints; the
 * `factors` rule forces every factor fact and carries the values out in its event. json-rules-engine has
 * no arithmetic or aggregation over candidates, so normalisation, weighting, the choice and the
 * explanation are JavaScript around it.
 */
export function jsonRulesRouter(): { decide(input: PeerInput): Promise<PeerResult> } {
  const engine = new Engine([], { replaceFactsInEventParams: true });
  engine.addFact('weightKg', async (_p, a) => {
    const order = await fact<OrderFact>(a, 'order');
    let kg = 0;
    for (const l of order.lines) kg += l.qty * l.weightKg;
    return kg;
  });
  engine.addFact('effectiveEtaHours', async (_p, a) => {
    const c = await fact<PeerCandidate>(a, 'candidate');
    return c.etaHours / Math.max(c.weather, 0.01);
  });
  engine.addFact('etaLimitHours', async (_p, a) => {
    const order = await fact<OrderFact>(a, 'order');
    return order.promisedHours * (await fact<PeerInput['params']>(a, 'params')).etaTolerance;
  });
  engine.addFact('stockShortLines', async (_p, a) => {
    const c = await fact<PeerCandidate>(a, 'candidate');
    return c.lines.filter((l) => l.stock < l.qty).length;
  });
  for (const f of factors) engine.addFact(f.id, (_p, a) => f.compute(a));
  engine.addRule({
    name: 'stock',
    conditions: { all: [{ fact: 'stockShortLines', operator: 'equal', value: 0 }] },
    event: { type: 'stock-ok' },
  });
  engine.addRule({
    name: 'eta',
    conditions: {
      all: [{ fact: 'effectiveEtaHours', operator: 'lessThanInclusive', value: { fact: 'etaLimitHours' } }],
    },
    event: { type: 'eta-ok' },
  });
  engine.addRule({
    name: 'factors',
    conditions: {
      all: factors.map((f) => ({ fact: f.id, operator: 'greaterThanInclusive', value: -Number.MAX_VALUE })),
    },
    event: { type: 'factors', params: Object.fromEntries(factors.map((f) => [f.id, { fact: f.id }])) },
  });

  return {
    async decide(input) {
      const runs = await Promise.all(
        input.candidates.map((candidate) =>
          engine.run({ candidate, order: input.order, params: input.params }),
        ),
      );
      const n = runs.length;
      const raw = factors.map(() => new Array<number>(n));
      const feasible = new Array<boolean>(n);
      runs.forEach((run, i) => {
        let stockOk = false;
        let etaOk = false;
        for (const e of run.events) {
          if (e.type === 'stock-ok') stockOk = true;
          else if (e.type === 'eta-ok') etaOk = true;
          else if (e.type === 'factors') {
            for (let k = 0; k < factors.length; k++) {
              (raw[k] as number[])[i] = e.params?.[(factors[k] as (typeof factors)[number]).id];
            }
          }
        }
        feasible[i] = stockOk && etaOk;
      });
      const o = input.order;
      const priority = Math.max(
        o.customerTier === 'vip' ? 1 : o.customerTier === 'gold' ? 0.7 : 0.2,
        Math.min(1, o.ltv / input.params.ltvReference),
      );
      const weights = factors.map((f) => (input.weights[f.id] ?? 0) * (f.id === 'customer' ? priority : 1));
      const weightSum = weights.reduce((s, w) => s + w, 0);
      const contributions = factors.map((f, k) => {
        const values = raw[k] as number[];
        const min = Math.min(...values);
        const max = Math.max(...values);
        return values.map((v) => {
          const normalized =
            max === min ? 1 : f.direction === 'higher' ? (v - min) / (max - min) : (max - v) / (max - min);
          return (normalized * (weights[k] as number)) / weightSum;
        });
      });
      const scores = input.candidates.map((_, i) =>
        contributions.reduce((s, col) => s + (col[i] as number), 0),
      );
      const eligible = input.candidates.map((_, i) => i).filter((i) => feasible[i]);
      if (eligible.length === 0) return { warehouse: null, lane: null, score: null, explanation: '' };
      const bestTier = Math.min(...eligible.map((i) => (input.candidates[i] as PeerCandidate).tierRank));
      const pool = eligible
        .filter((i) => (input.candidates[i] as PeerCandidate).tierRank === bestTier)
        .sort((a, b) => (scores[b] as number) - (scores[a] as number));
      const w = pool[0] as number;
      const r = pool[1];
      const winner = input.candidates[w] as PeerCandidate;
      let explanation = '';
      if (r !== undefined) {
        const runnerUp = input.candidates[r] as PeerCandidate;
        const differences = factors
          .map((f, k) => ({
            factor: f.id,
            delta:
              ((contributions[k] as number[])[w] as number) - ((contributions[k] as number[])[r] as number),
          }))
          .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
          .slice(0, 3)
          .map((d) => `${d.factor} ${d.delta.toFixed(2)}`);
        explanation = `${winner.warehouse} via ${winner.lane} beat ${runnerUp.warehouse} via ${runnerUp.lane} by ${((scores[w] as number) - (scores[r] as number)).toFixed(2)}: ${differences.join(', ')}`;
      }
      return { warehouse: winner.warehouse, lane: winner.lane, score: scores[w] as number, explanation };
    },
  };
}
