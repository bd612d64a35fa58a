import { describe, expect, it } from 'vitest';
import { compileRouting, RoutingDefinitionError } from '../compileRouting.ts';
import { rankingWithFactors } from '../rankingWithFactors.ts';
import type { RankedCandidateWithFactors, RoutingDecision } from '../routingDecision.ts';
import { at, factor, facts, lane, noon, order, rainstorm, routing, warehouse } from './builders.ts';

/** Two candidates that differ on every built-in factor. */
const twoCandidates = facts(
  [
    warehouse('WH-A', { tier: 'own', capacityPerDay: 1000, load: 200, ageDays: 300 }),
    warehouse('WH-B', { tier: 'own', capacityPerDay: 1000, load: 800, ageDays: 3000 }),
  ],
  [
    lane('LN-A', 'WH-A', {
      mode: 'ground',
      saturation: 0.9,
      co2PerKg: 0.1,
      costPerParcel: 5,
      costPerKg: 2,
      etaHours: 24,
    }),
    lane('LN-B', 'WH-B', {
      mode: 'air',
      saturation: 0.3,
      co2PerKg: 0.05,
      costPerParcel: 8,
      costPerKg: 1,
      etaHours: 36,
    }),
  ],
);

/** 1.5 kg × 2 + 3 kg × 1 = 6 kg. */
const sixKilos = order({
  lines: [
    { sku: 'SKU-A', qty: 2, weightKg: 1.5 },
    { sku: 'SKU-B', qty: 1, weightKg: 3 },
  ],
});

const entry = (decision: RoutingDecision, warehouseId: string): RankedCandidateWithFactors => {
  const found = rankingWithFactors(decision).find((r) => r.warehouse === warehouseId);
  if (!found) throw new Error(`${warehouseId} is not in the ranking`);
  return found;
};
const raw = (decision: RoutingDecision, warehouseId: string, factorId: string) =>
  entry(decision, warehouseId).factors[factorId]?.raw;
const winner = (decision: RoutingDecision) => decision.allocation[0]?.warehouse;
const routeWith = (type: Parameters<typeof factor>[0], overrides: Parameters<typeof factor>[1] = {}) =>
  compileRouting(routing({ factors: [factor(type, overrides)] })).route(sixKilos, twoCandidates, noon);

describe('built-in factors', () => {
  it('capacity: remaining share of the day, more is better', () => {
    const d = routeWith('capacity');
    expect(raw(d, 'WH-A', 'capacity')).toBeCloseTo(0.8);
    expect(raw(d, 'WH-B', 'capacity')).toBeCloseTo(0.2);
    expect(winner(d)).toBe('WH-A');
  });

  it('saturation: the lane carrier saturation, less is better', () => {
    const d = routeWith('saturation');
    expect(raw(d, 'WH-A', 'saturation')).toBe(0.9);
    expect(raw(d, 'WH-B', 'saturation')).toBe(0.3);
    expect(winner(d)).toBe('WH-B');
  });

  it('carbon: co2PerKg × order weight', () => {
    const d = routeWith('carbon');
    expect(raw(d, 'WH-A', 'carbon')).toBeCloseTo(0.1 * 6);
    expect(raw(d, 'WH-B', 'carbon')).toBeCloseTo(0.05 * 6);
    expect(winner(d)).toBe('WH-B');
  });

  it('cost: costPerParcel + costPerKg × order weight; a line without weight counts 1 kg per unit', () => {
    const d = routeWith('cost');
    expect(raw(d, 'WH-A', 'cost')).toBeCloseTo(5 + 2 * 6);
    expect(raw(d, 'WH-B', 'cost')).toBeCloseTo(8 + 1 * 6);
    expect(winner(d)).toBe('WH-B');
    const unweighted = compileRouting(routing({ factors: [factor('cost')] })).route(
      order({ lines: [{ sku: 'SKU-A', qty: 3 }] }),
      twoCandidates,
      noon,
    );
    expect(raw(unweighted, 'WH-A', 'cost')).toBeCloseTo(5 + 2 * 3);
  });

  it('eta: effective ETA as a share of the promise, or hours without a promise', () => {
    const d = routeWith('eta');
    expect(raw(d, 'WH-A', 'eta')).toBeCloseTo(24 / 48);
    expect(raw(d, 'WH-B', 'eta')).toBeCloseTo(36 / 48);
    expect(winner(d)).toBe('WH-A');
    const { promisedHours: _, ...unpromised } = sixKilos;
    const hours = compileRouting(routing({ factors: [factor('eta')] })).route(
      unpromised,
      twoCandidates,
      noon,
    );
    expect(raw(hours, 'WH-B', 'eta')).toBe(36);
  });

  it('eta: a rainstorm alert stretches the ETA of the lanes it hits', () => {
    const stormy = { ...twoCandidates, alerts: [rainstorm()] };
    const d = compileRouting(routing({ factors: [factor('eta')] })).route(sixKilos, stormy, noon);
    expect(raw(d, 'WH-A', 'eta')).toBeCloseTo(24 / 0.63 / 48);
    expect(raw(d, 'WH-B', 'eta')).toBeCloseTo(36 / 48);
    expect(winner(d)).toBe('WH-B');
  });

  it('customer: tier affinity × lane service level, weighted by the customer priority (tier or LTV)', () => {
    const mixed = facts(
      [warehouse('WH-A', { tier: 'regional' }), warehouse('WH-B', { tier: 'regional' })],
      [
        lane('LN-A', 'WH-A', { mode: 'air', costPerParcel: 9, costPerKg: 2 }),
        lane('LN-B', 'WH-B', { mode: 'ground', costPerParcel: 5, costPerKg: 2 }),
      ],
    );
    const strategy = compileRouting(
      routing({ factors: [factor('customer', { weight: 10 }), factor('cost', { weight: 5 })] }),
    );
    const regular = strategy.route(sixKilos, mixed, noon);
    expect(raw(regular, 'WH-A', 'customer')).toBeCloseTo(0.6 * 1);
    expect(raw(regular, 'WH-B', 'customer')).toBeCloseTo(0.6 * 0.6);
    expect(entry(regular, 'WH-A').factors.customer?.weight).toBeCloseTo(10 * 0.2);
    const vip = strategy.route({ ...sixKilos, customer: { id: 'C9', tier: 'vip', ltv: 0 } }, mixed, noon);
    expect(entry(vip, 'WH-A').factors.customer?.weight).toBe(10);
    const richRegular = strategy.route(
      { ...sixKilos, customer: { id: 'C8', tier: 'regular', ltv: 40000 } },
      mixed,
      noon,
    );
    expect(entry(richRegular, 'WH-A').factors.customer?.weight).toBeCloseTo(10 * (40000 / 50000));
    // For a regular customer the cheaper ground lane wins; a VIP's premium service outweighs the cost.
    expect(winner(regular)).toBe('WH-B');
    expect(winner(vip)).toBe('WH-A');
  });

  it('weather: product of the impacts of active alerts on the lane mode at either end', () => {
    const coldWave = rainstorm({
      id: 'AL-COLD',
      regions: ['east-china'],
      modes: ['ground', 'rail'],
      impact: 0.8,
    });
    const sea = rainstorm({ id: 'AL-SEA', modes: ['sea'], impact: 0.2 });
    const eastOrigin = facts(
      [warehouse('WH-A', { region: 'east-china' }), warehouse('WH-B', { region: 'central-china' })],
      [lane('LN-A', 'WH-A', { mode: 'ground' }), lane('LN-B', 'WH-B', { mode: 'air' })],
      [rainstorm(), coldWave, sea],
    );
    const d = compileRouting(routing({ factors: [factor('weather')] })).route(sixKilos, eastOrigin, noon);
    expect(raw(d, 'WH-A', 'weather')).toBeCloseTo(0.63 * 0.8);
    expect(raw(d, 'WH-B', 'weather')).toBe(1);
    expect(winner(d)).toBe('WH-B');
    expect(d.snapshot.facts.alerts.map((a) => a.id)).toEqual(['AL-RAIN-SC', 'AL-COLD']);
  });

  it('weather: an alert applies from validFrom (inclusive) to validTo (exclusive)', () => {
    const stormy = { ...twoCandidates, alerts: [rainstorm()] };
    const strategy = compileRouting(routing({ factors: [factor('weather')] }));
    expect(raw(strategy.route(sixKilos, stormy, at('2026-11-10T00:00:00')), 'WH-A', 'weather')).toBe(0.63);
    expect(raw(strategy.route(sixKilos, stormy, at('2026-11-12T23:59:59')), 'WH-A', 'weather')).toBe(0.63);
    const after = strategy.route(sixKilos, stormy, at('2026-11-13T00:00:00'));
    expect(raw(after, 'WH-A', 'weather')).toBe(1);
    expect(after.snapshot.facts.alerts).toEqual([]);
    expect(raw(strategy.route(sixKilos, stormy, at('2026-11-09T23:59:59')), 'WH-A', 'weather')).toBe(1);
  });

  it('age: exp(−ageDays / ageDecayDays), 1500 days unless the parameter says otherwise', () => {
    const d = routeWith('age');
    expect(raw(d, 'WH-A', 'age')).toBeCloseTo(Math.exp(-300 / 1500));
    expect(raw(d, 'WH-B', 'age')).toBeCloseTo(Math.exp(-3000 / 1500));
    expect(d.parameters.ageDecayDays).toBe(1500);
    expect(winner(d)).toBe('WH-A');
    const older = compileRouting(
      routing({
        factors: [factor('age', { direction: 'lower-better' })],
        parameters: [{ name: 'ageDecayDays', value: 600 }],
      }),
    ).route(sixKilos, twoCandidates, noon);
    expect(raw(older, 'WH-A', 'age')).toBeCloseTo(Math.exp(-300 / 600));
    expect(winner(older)).toBe('WH-B');
  });

  it('custom: a CEL number over order, warehouse, lane, candidate and params', () => {
    const strategy = compileRouting(
      routing({
        factors: [
          factor('custom', {
            id: 'distanceProxy',
            expression: 'lane.etaHours * params.hourCost + candidate.cost',
            direction: 'lower-better',
          }),
        ],
        parameters: [{ name: 'hourCost', value: 0.5 }],
      }),
    );
    const d = strategy.route(sixKilos, twoCandidates, noon);
    expect(raw(d, 'WH-A', 'distanceProxy')).toBeCloseTo(24 * 0.5 + 17);
    expect(raw(d, 'WH-B', 'distanceProxy')).toBeCloseTo(36 * 0.5 + 14);
    expect(winner(d)).toBe('WH-A');
  });

  it('refuses to compile a custom factor whose expression does not parse, naming its JSON Pointer', () => {
    const broken = routing({
      factors: [factor('cost'), factor('custom', { id: 'x', expression: 'lane.etaHours *' })],
    });
    expect(() => compileRouting(broken)).toThrow(RoutingDefinitionError);
    try {
      compileRouting(broken);
    } catch (error) {
      expect((error as RoutingDefinitionError).reports).toEqual([
        expect.objectContaining({ path: '/factors/1/expression', severity: 'error', line: 1 }),
      ]);
    }
  });
});

describe('normalisation and score', () => {
  const three = facts(
    [warehouse('WH-A'), warehouse('WH-B'), warehouse('WH-C')],
    [
      lane('LN-A', 'WH-A', { costPerParcel: 10, costPerKg: 0 }),
      lane('LN-B', 'WH-B', { costPerParcel: 12, costPerKg: 0 }),
      lane('LN-C', 'WH-C', { costPerParcel: 20, costPerKg: 0 }),
    ],
  );
  const normalized = (d: RoutingDecision, w: string, f = 'cost') => entry(d, w).factors[f]?.normalized;

  it('min-max: 0..1 across the candidates, mirrored for lower-better', () => {
    const d = compileRouting(routing({ factors: [factor('cost')] })).route(order(), three, noon);
    expect(normalized(d, 'WH-A')).toBe(1);
    expect(normalized(d, 'WH-B')).toBeCloseTo(0.8);
    expect(normalized(d, 'WH-C')).toBe(0);
    const higher = compileRouting(
      routing({ factors: [factor('cost', { direction: 'higher-better' })] }),
    ).route(order(), three, noon);
    expect(normalized(higher, 'WH-B')).toBeCloseTo(0.2);
  });

  it('min-max: all candidates equal → 1 each', () => {
    const d = compileRouting(routing({ factors: [factor('saturation')] })).route(order(), three, noon);
    expect(rankingWithFactors(d).map((r) => r.factors.saturation?.normalized)).toEqual([1, 1, 1]);
  });

  it('rank: dense rank from 1 (best) to 0 (worst), ties share a value', () => {
    const tied = facts(three.warehouses, [
      ...three.lanes.slice(0, 2),
      lane('LN-C', 'WH-C', { costPerParcel: 12, costPerKg: 0 }),
    ]);
    const d = compileRouting(routing({ factors: [factor('cost', { normalization: 'rank' })] })).route(
      order(),
      tied,
      noon,
    );
    expect(normalized(d, 'WH-A')).toBe(1);
    expect(normalized(d, 'WH-B')).toBe(0);
    expect(normalized(d, 'WH-C')).toBe(0);
    const spread = compileRouting(routing({ factors: [factor('cost', { normalization: 'rank' })] })).route(
      order(),
      three,
      noon,
    );
    expect(normalized(spread, 'WH-B')).toBe(0.5);
  });

  it('none: the raw value, negated for lower-better', () => {
    const d = compileRouting(routing({ factors: [factor('cost', { normalization: 'none' })] })).route(
      order(),
      three,
      noon,
    );
    expect(normalized(d, 'WH-C')).toBe(-(20 + 0));
  });

  it('contribution = normalized × weight / Σ weights; score = Σ contributions', () => {
    const strategy = compileRouting(
      routing({ factors: [factor('cost', { weight: 3 }), factor('eta', { weight: 1 })] }),
    );
    const withEta = facts(three.warehouses, [
      lane('LN-A', 'WH-A', { costPerParcel: 10, costPerKg: 0, etaHours: 30 }),
      lane('LN-B', 'WH-B', { costPerParcel: 12, costPerKg: 0, etaHours: 10 }),
      lane('LN-C', 'WH-C', { costPerParcel: 20, costPerKg: 0, etaHours: 20 }),
    ]);
    const d = strategy.route(order(), withEta, noon);
    const b = entry(d, 'WH-B');
    expect(b.factors.cost?.contribution).toBeCloseTo((0.8 * 3) / 4);
    expect(b.factors.eta?.contribution).toBeCloseTo((1 * 1) / 4);
    expect(b.score).toBeCloseTo(0.6 + 0.25);
    expect(entry(d, 'WH-A').score).toBeCloseTo(0.75);
    expect(winner(d)).toBe('WH-B');
  });
});
