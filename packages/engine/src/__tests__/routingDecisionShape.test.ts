import type { AlertFact } from '@orderloom/schema';
import { describe, expect, it } from 'vitest';
import { compileRouting } from '../compileRouting.ts';
import { indexFacts } from '../indexFacts.ts';
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
  it('is plain JSON data: a JSON round trip gives a strictly equal decision', () => {
    const d = compileRouting(definition).route(twoLines, indexFacts(region(10)), noon);
    expect(d.ranking).toHaveLength(20);
    expect(JSON.parse(JSON.stringify(d))).toStrictEqual(d);
    for (const [path, object] of objects(d)) {
      const prototype = Object.getPrototypeOf(object);
      expect(prototype === Object.prototype || prototype === Array.prototype, path).toBe(true);
    }
  });

  it('keeps its key order (stored decisions and their hashes depend on it)', () => {
    const d = compileRouting(definition).route(twoLines, indexFacts(region(10)), noon);
    expect(Object.keys(d)).toEqual([
      'allocation',
      'ranking',
      'tierUsed',
      'explanation',
      'explanationDetail',
      'parameters',
      'snapshot',
    ]);
    const feasible = d.ranking.find((r) => r.feasible);
    const rejected = d.ranking.find((r) => !r.feasible);
    expect(Object.keys(feasible ?? {})).toEqual([
      'warehouse',
      'lane',
      'tier',
      'score',
      'feasible',
      'factors',
    ]);
    expect(Object.keys(rejected ?? {})).toEqual([
      'warehouse',
      'lane',
      'tier',
      'score',
      'feasible',
      'factors',
      'rejectedBy',
    ]);
    for (const r of d.ranking) {
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
