import type { AlertFact } from '@orderloom/schema';
import { describe, expect, it } from 'vitest';
import { compileRouting } from '../compileRouting.ts';
import { FactorTable } from '../FactorTable.ts';
import { indexFacts } from '../indexFacts.ts';
import { rankingWithFactors } from '../rankingWithFactors.ts';
import type { RoutingDecision } from '../routingDecision.ts';
import { factor, facts, lane, noon, order, rainstorm, routing, warehouse } from './builders.ts';

/** Every built-in factor, min-max (no −0 from negation, so a JSON round trip is exact). */
const definition = routing({
  factors: [
    factor('capacity', { weight: 20 }),
    factor('saturation', { weight: 10 }),
    factor('carbon', { weight: 10 }),
    factor('cost', { weight: 20 }),
    factor('eta', { weight: 25 }),
    factor('customer', { weight: 5 }),
    factor('weather', { weight: 15 }),
    factor('age', { weight: 5, direction: 'lower-better' }),
  ],
  constraints: [
    { id: 'stock', type: 'stock' },
    { id: 'eta', type: 'eta' },
  ],
});

const coldWave: AlertFact = rainstorm({
  id: 'AL-COLD',
  regions: ['north-china'],
  modes: ['ground', 'rail'],
  impact: 0.82,
});

/** `count` warehouses with a ground and an air lane each; every fifth lacks SKU-B. */
function region(count: number) {
  const warehouses = Array.from({ length: count }, (_, i) =>
    warehouse(`WH-${String(i).padStart(3, '0')}`, {
      tier: (['own', 'regional', '3pl'] as const)[i % 3],
      region: i % 4 === 0 ? 'north-china' : 'south-china',
      load: 100 + ((i * 97) % 800),
      ageDays: 200 + ((i * 311) % 3000),
      stock: i % 5 === 0 ? { 'SKU-A': 10 } : { 'SKU-A': 10, 'SKU-B': 3, 'SKU-C': 1 },
    }),
  );
  const lanes = warehouses.flatMap((w, i) => [
    lane(`LN-${w.id}-ground`, w.id, { etaHours: 20 + (i % 9), costPerKg: 1 + (i % 4) }),
    lane(`LN-${w.id}-air`, w.id, { mode: 'air', etaHours: 8 + (i % 5), costPerKg: 6 + (i % 3), co2PerKg: 1 }),
  ]);
  return facts(warehouses, lanes, [rainstorm(), coldWave]);
}

const twoLines = order({
  customer: { id: 'C9', tier: 'vip', ltv: 20000 },
  lines: [
    { sku: 'SKU-A', qty: 2, weightKg: 1.5 },
    { sku: 'SKU-B', qty: 1, weightKg: 0.4 },
  ],
});

/** Every object of the decision, with its path, to check that all of them are plain data. */
function* objects(value: unknown, path = ''): Generator<[string, object]> {
  if (typeof value !== 'object' || value === null) return;
  yield [path, value];
  for (const [key, child] of Object.entries(value)) yield* objects(child, `${path}/${key}`);
}

describe('decision shape', () => {
  it('is plain JSON data but its factor table, which serialises as the records in ranking order', () => {
    const d = compileRouting(definition).route(twoLines, indexFacts(region(10)), noon);
    expect(d.ranking).toHaveLength(20);
    const { factorTable, ...plain } = d;
    expect(factorTable).toBeInstanceOf(FactorTable);
    expect(JSON.parse(JSON.stringify(plain))).toStrictEqual(plain);
    for (const [path, object] of objects(plain)) {
      const prototype = Object.getPrototypeOf(object);
      expect(prototype === Object.prototype || prototype === Array.prototype, path).toBe(true);
    }
    const records = rankingWithFactors(d).map((r) => r.factors);
    expect(JSON.parse(JSON.stringify(d))).toStrictEqual({ ...plain, factorTable: records });
    for (const [path, object] of objects(records)) {
      const prototype = Object.getPrototypeOf(object);
      expect(prototype === Object.prototype || prototype === Array.prototype, path).toBe(true);
    }
  });

  it('keeps its key order (stored decisions and their hashes depend on it)', () => {
    const d = compileRouting(definition).route(twoLines, indexFacts(region(10)), noon);
    expect(Object.keys(d)).toEqual([
      'allocation',
      'ranking',
      'factorTable',
      'tierUsed',
      'explanation',
      'explanationDetail',
      'parameters',
      'snapshot',
    ]);
    const feasible = d.ranking.findIndex((r) => r.feasible);
    const rejected = d.ranking.findIndex((r) => !r.feasible);
    expect(Object.keys(d.ranking[feasible] ?? {})).toEqual([
      'warehouse',
      'lane',
      'tier',
      'score',
      'feasible',
    ]);
    expect(Object.keys(d.ranking[rejected] ?? {})).toEqual([
      'warehouse',
      'lane',
      'tier',
      'score',
      'feasible',
      'rejectedBy',
    ]);
    // With its factor record, the candidate has the key order of the runtime's answers.
    const [withFactors, rejectedWithFactors] = rankingWithFactors(d, [feasible, rejected]);
    expect(Object.keys(withFactors ?? {})).toEqual([
      'warehouse',
      'lane',
      'tier',
      'score',
      'feasible',
      'factors',
    ]);
    expect(Object.keys(rejectedWithFactors ?? {})).toEqual([
      'warehouse',
      'lane',
      'tier',
      'score',
      'feasible',
      'factors',
      'rejectedBy',
    ]);
    for (const r of rankingWithFactors(d)) {
      expect(Object.keys(r.factors)).toEqual(definition.factors.map((f) => f.id));
      for (const value of Object.values(r.factors)) {
        expect(Object.keys(value)).toEqual(['raw', 'normalized', 'weight', 'contribution']);
      }
    }
    const source = region(10).warehouses[1];
    expect(Object.keys(d.snapshot.facts.warehouses[1] ?? {})).toEqual(Object.keys(source ?? {}));
    expect(d.snapshot.facts.warehouses[1]?.stock).toEqual({ 'SKU-A': 10, 'SKU-B': 3 });
  });

  it('holds nothing over from one decision to the next (larger and smaller regions in turn)', () => {
    const strategy = compileRouting(definition);
    const small = indexFacts(region(3));
    const large = indexFacts(region(90));
    const first: RoutingDecision = strategy.route(twoLines, small, noon);
    const big = strategy.route(order({ id: 'ORD-2' }), large, noon);
    expect(big.ranking).toHaveLength(180);
    expect(strategy.route(twoLines, small, noon)).toEqual(first);
    expect(strategy.route(order({ id: 'ORD-2' }), large, noon)).toEqual(big);
    expect(compileRouting(definition).route(order({ id: 'ORD-2' }), region(90), noon)).toEqual(big);
  });
});

describe('factor table', () => {
  const strategy = compileRouting(definition);
  const indexed = indexFacts(region(10));
  const ids = definition.factors.map((f) => f.id);

  it('holds each candidate’s values at its ranking position; the contributions add up to its score exactly', () => {
    const d = strategy.route(twoLines, indexed, noon);
    const table = d.factorTable;
    expect(table.length).toBe(d.ranking.length);
    expect(table.factorIds).toEqual(ids);
    const weightSum = table.weights.reduce((a, b) => a + b, 0);
    const cost = ids.indexOf('cost');
    for (let r = 0; r < d.ranking.length; r++) {
      const candidate = d.ranking[r] as RoutingDecision['ranking'][number];
      // 2 × 1.5 kg + 1 × 0.4 kg: the cost of the candidate's own lane, so position r is candidate r.
      const lane = d.snapshot.facts.lanes.find((l) => l.id === candidate.lane);
      expect(table.raw(r, cost)).toBe((lane?.costPerParcel ?? 0) + (lane?.costPerKg ?? 0) * 3.4);
      let score = 0;
      const record = table.factorsOf(r);
      expect(Object.keys(record)).toEqual(ids);
      ids.forEach((id, f) => {
        const contribution = (table.normalized(r, f) * (table.weights[f] as number)) / weightSum;
        expect(table.contribution(r, f)).toBe(contribution);
        expect(record[id]).toEqual({
          raw: table.raw(r, f),
          normalized: table.normalized(r, f),
          weight: table.weights[f],
          contribution,
        });
        expect(table.value(r, f)).toEqual(record[id]);
        score += contribution;
      });
      expect(Object.is(score, candidate.score), `position ${r}`).toBe(true);
    }
  });

  it('keeps its values while the strategy makes further decisions over the same facts', () => {
    const first = strategy.route(twoLines, indexed, noon);
    const recorded = JSON.stringify(first.factorTable);
    const fresh = JSON.stringify(compileRouting(definition).route(twoLines, indexed, noon).factorTable);
    expect(recorded).toBe(fresh);
    for (const kg of [0.2, 7, 40]) {
      strategy.route(
        order({ id: `ORD-${kg}`, lines: [{ sku: 'SKU-A', qty: 1, weightKg: kg }] }),
        indexed,
        noon,
      );
    }
    expect(JSON.stringify(first.factorTable)).toBe(recorded);
  });

  it('gives zero contributions when the weights add up to zero', () => {
    const weightless = compileRouting(
      routing({ factors: [factor('cost', { weight: 0 }), factor('eta', { weight: 0 })] }),
    ).route(twoLines, indexed, noon);
    const records = rankingWithFactors(weightless).map((r) => r.factors);
    expect(records.length).toBeGreaterThan(1);
    for (const record of records) {
      expect(record.cost?.contribution).toBe(0);
      expect(record.eta?.contribution).toBe(0);
    }
    expect(new Set(records.map((r) => r.cost?.raw)).size).toBeGreaterThan(1);
  });

  it('materialises the positions asked for, in that order, and refuses others', () => {
    const d = strategy.route(twoLines, indexed, noon);
    const all = rankingWithFactors(d);
    expect(rankingWithFactors(d, [3, 0])).toEqual([all[3], all[0]]);
    expect(rankingWithFactors(d, [])).toEqual([]);
    expect(() => d.factorTable.factorsOf(d.ranking.length)).toThrow(RangeError);
    expect(() => d.factorTable.factorsOf(-1)).toThrow(RangeError);
    expect(() => d.factorTable.factorsOf(0.5)).toThrow(RangeError);
    expect(() => rankingWithFactors(d, [d.ranking.length])).toThrow(RangeError);
  });

  it('is empty when no candidate serves the destination', () => {
    const d = strategy.route(order({ destination: { region: 'nowhere' } }), indexed, noon);
    expect(d.ranking).toEqual([]);
    expect(d.factorTable.length).toBe(0);
    expect(d.factorTable.toJSON()).toEqual([]);
    expect(d.factorTable.factorIds).toEqual(ids);
  });
});
