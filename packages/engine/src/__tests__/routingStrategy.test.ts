import { describe, expect, it } from 'vitest';
import { compileRouting, RoutingDefinitionError } from '../compileRouting.ts';
import type { RoutingDecision } from '../routingDecision.ts';
import { at, factor, facts, lane, noon, order, routing, warehouse } from './builders.ts';

const winner = (decision: RoutingDecision) => decision.allocation[0]?.warehouse;

/** A cheap slow lane and a dear fast lane: cost and ETA pull in opposite directions. */
const cheapOrFast = facts(
  [warehouse('WH-CHEAP'), warehouse('WH-FAST')],
  [
    lane('LN-CHEAP', 'WH-CHEAP', { costPerParcel: 4, costPerKg: 1, etaHours: 40 }),
    lane('LN-FAST', 'WH-FAST', { mode: 'air', costPerParcel: 12, costPerKg: 6, etaHours: 12 }),
  ],
);

describe('parameters', () => {
  const definition = routing({
    factors: [factor('cost', { weight: 20, weightParameter: 'costWeight' }), factor('eta', { weight: 15 })],
    parameters: [
      {
        name: 'costWeight',
        value: 20,
        windows: [
          { from: '2026-11-01T00:00:00+08:00', to: '2026-11-14T00:00:00+08:00', value: 5, label: 'peak' },
        ],
      },
      { name: 'etaTolerance', value: 1 },
    ],
  });
  const strategy = compileRouting(definition);

  it('a window overrides the value inside [from, to)', () => {
    expect(strategy.route(order(), cheapOrFast, at('2026-11-01T00:00:00')).parameters.costWeight).toBe(5);
    expect(strategy.route(order(), cheapOrFast, at('2026-11-13T23:59:59')).parameters.costWeight).toBe(5);
    expect(strategy.route(order(), cheapOrFast, at('2026-11-14T00:00:00')).parameters.costWeight).toBe(20);
    expect(strategy.route(order(), cheapOrFast, at('2026-10-31T23:59:59')).parameters.costWeight).toBe(20);
  });

  it('a factor weight follows its weightParameter, so the peak-season cost weight changes the decision', () => {
    const offPeak = strategy.route(order(), cheapOrFast, at('2026-10-20T12:00:00'));
    const peak = strategy.route(order(), cheapOrFast, noon);
    expect(offPeak.factorTable.factorsOf(0).cost?.weight).toBe(20);
    expect(peak.factorTable.factorsOf(0).cost?.weight).toBe(5);
    expect(winner(offPeak)).toBe('WH-CHEAP');
    expect(winner(peak)).toBe('WH-FAST');
  });
});

describe('segments', () => {
  const definition = routing({
    factors: [factor('cost', { weight: 20 }), factor('eta', { weight: 10 })],
    parameters: [{ name: 'etaTolerance', value: 1 }],
    constraints: [{ id: 'eta', type: 'eta', parameter: 'etaTolerance' }],
    segments: [
      {
        id: 'vip',
        when: 'order.customer.tier == "vip"',
        weights: { eta: 40 },
        parameters: { etaTolerance: 0.5 },
      },
      { id: 'douyin', when: 'channel == "douyin"', weights: { cost: 1 } },
    ],
  });
  const strategy = compileRouting(definition);

  it('the first segment whose `when` holds overrides weights and parameters', () => {
    const vip = strategy.route(order({ customer: { id: 'C1', tier: 'vip', ltv: 0 } }), cheapOrFast, noon);
    expect(vip.segment).toBe('vip');
    expect(vip.parameters.etaTolerance).toBe(0.5);
    expect(vip.factorTable.factorsOf(0).eta?.weight).toBe(40);
    // The douyin segment also matches (the builder's order is from douyin) but comes second.
    expect(vip.factorTable.factorsOf(0).cost?.weight).toBe(20);
    expect(winner(vip)).toBe('WH-FAST');
  });

  it('a later segment applies when earlier ones do not match; none applies → no segment', () => {
    const douyin = strategy.route(order(), cheapOrFast, noon);
    expect(douyin.segment).toBe('douyin');
    expect(douyin.factorTable.factorsOf(0).cost?.weight).toBe(1);
    const plain = strategy.route(order({ channel: 'miniprogram' }), cheapOrFast, noon);
    expect(plain.segment).toBeUndefined();
    expect(plain.parameters.etaTolerance).toBe(1);
    expect(winner(plain)).toBe('WH-CHEAP');
  });

  it('segment parameters tighten constraints: a VIP promise with tolerance 0.5 rejects the slow lane', () => {
    const vip = strategy.route(
      order({ customer: { id: 'C1', tier: 'vip', ltv: 0 }, promisedHours: 48 }),
      cheapOrFast,
      noon,
    );
    expect(vip.ranking.find((r) => r.warehouse === 'WH-CHEAP')?.rejectedBy).toEqual(['eta']);
  });

  it('refuses segment weights for unknown factors and `when` that does not parse', () => {
    const bad = routing({
      factors: [factor('cost')],
      segments: [{ id: 's', when: 'order.customer.tier ==', weights: { speed: 2 } }],
    });
    try {
      compileRouting(bad);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RoutingDefinitionError);
      expect((error as RoutingDefinitionError).reports.map((r) => r.path).sort()).toEqual([
        '/segments/0/weights/speed',
        '/segments/0/when',
      ]);
    }
  });
});

describe('fallback tiers', () => {
  const tiers = facts(
    [
      warehouse('WH-OWN', { tier: 'own', stock: { 'SKU-A': 0 } }),
      warehouse('WH-REG', { tier: 'regional' }),
      warehouse('WH-3PL', { tier: '3pl' }),
    ],
    [
      lane('LN-OWN', 'WH-OWN', { costPerParcel: 1 }),
      lane('LN-REG', 'WH-REG', { costPerParcel: 9 }),
      lane('LN-3PL', 'WH-3PL', { costPerParcel: 2 }),
    ],
  );

  it('uses the first tier that has a feasible candidate, even when a later tier scores higher', () => {
    const strategy = compileRouting(routing({ constraints: [{ id: 'stock', type: 'stock' }] }));
    const d = strategy.route(order(), tiers, noon);
    expect(d.tierUsed).toBe('regional');
    expect(winner(d)).toBe('WH-REG');
    expect(d.ranking.map((r) => r.warehouse)).toEqual(['WH-REG', 'WH-3PL', 'WH-OWN']);
    expect(d.explanation).toContain('fallback to tier regional: no feasible candidate in own');
    expect(d.explanation).toContain('preferred over WH-3PL via LN-3PL (3pl) by fallback tier order');
  });

  it('own wins when feasible', () => {
    const stocked = facts(
      [warehouse('WH-OWN', { tier: 'own' }), warehouse('WH-3PL', { tier: '3pl' })],
      [lane('LN-OWN', 'WH-OWN', { costPerParcel: 9 }), lane('LN-3PL', 'WH-3PL', { costPerParcel: 1 })],
    );
    const d = compileRouting(routing({ constraints: [{ id: 'stock', type: 'stock' }] })).route(
      order(),
      stocked,
      noon,
    );
    expect(d.tierUsed).toBe('own');
    expect(winner(d)).toBe('WH-OWN');
  });

  it('tiers left out of fallbackTiers are not candidates at all', () => {
    const strategy = compileRouting(
      routing({ constraints: [{ id: 'stock', type: 'stock' }], fallbackTiers: ['own', '3pl'] }),
    );
    const d = strategy.route(order(), tiers, noon);
    expect(d.ranking.map((r) => r.warehouse)).toEqual(['WH-3PL', 'WH-OWN']);
    expect(d.tierUsed).toBe('3pl');
    expect(d.snapshot.facts.warehouses.map((w) => w.id)).toEqual(['WH-OWN', 'WH-3PL']);
  });
});

describe('split policy', () => {
  const abOrder = order({
    lines: [
      { sku: 'SKU-A', qty: 1, weightKg: 1 },
      { sku: 'SKU-B', qty: 2, weightKg: 1 },
    ],
  });
  const halves = facts(
    [
      warehouse('WH-A', { stock: { 'SKU-A': 5 } }),
      warehouse('WH-B', { stock: { 'SKU-B': 5 } }),
      warehouse('WH-NONE', { stock: {} }),
    ],
    [lane('LN-A', 'WH-A'), lane('LN-B', 'WH-B'), lane('LN-N', 'WH-NONE')],
  );
  const split = (maxParcels: number, extra: Partial<Parameters<typeof routing>[0]> = {}) =>
    compileRouting(
      routing({
        constraints: [{ id: 'stock', type: 'stock' }],
        split: { policy: 'fewest-parcels', maxParcels },
        ...extra,
      }),
    );

  it('none: one warehouse must hold every line, else unroutable', () => {
    const d = compileRouting(routing({ constraints: [{ id: 'stock', type: 'stock' }] })).route(
      abOrder,
      halves,
      noon,
    );
    expect(d.allocation).toEqual([]);
    expect(d.unroutable?.reasons).toHaveLength(3);
  });

  it('fewest-parcels: splits across warehouses that together hold every line', () => {
    const d = split(2).route(abOrder, halves, noon);
    expect(d.allocation).toEqual([
      { warehouse: 'WH-A', lane: 'LN-A', lines: [{ sku: 'SKU-A', qty: 1, weightKg: 1 }] },
      { warehouse: 'WH-B', lane: 'LN-B', lines: [{ sku: 'SKU-B', qty: 2, weightKg: 1 }] },
    ]);
    expect(d.unroutable).toBeUndefined();
    expect(d.tierUsed).toBe('own');
    expect(d.explanation).toMatch(/^Split into 2 parcels/);
  });

  it('fewest-parcels: a single warehouse with everything needs no split', () => {
    const withAll = facts(
      [...halves.warehouses, warehouse('WH-ALL', { stock: { 'SKU-A': 1, 'SKU-B': 2 } })],
      [...halves.lanes, lane('LN-ALL', 'WH-ALL', { costPerParcel: 99 })],
    );
    const d = split(3).route(abOrder, withAll, noon);
    expect(d.allocation).toEqual([{ warehouse: 'WH-ALL', lane: 'LN-ALL', lines: abOrder.lines }]);
  });

  it('fewest-parcels: prefers fewer parcels over better-scoring warehouses, and respects maxParcels', () => {
    const abc = order({
      lines: [
        { sku: 'SKU-A', qty: 1 },
        { sku: 'SKU-B', qty: 1 },
        { sku: 'SKU-C', qty: 1 },
      ],
    });
    const stores = facts(
      [
        warehouse('WH-1A', { stock: { 'SKU-A': 9 } }),
        warehouse('WH-1B', { stock: { 'SKU-B': 9 } }),
        warehouse('WH-1C', { stock: { 'SKU-C': 9 } }),
        warehouse('WH-AB', { stock: { 'SKU-A': 9, 'SKU-B': 9 } }),
      ],
      [
        lane('LN-1A', 'WH-1A', { costPerParcel: 1 }),
        lane('LN-1B', 'WH-1B', { costPerParcel: 1 }),
        lane('LN-1C', 'WH-1C', { costPerParcel: 1 }),
        lane('LN-AB', 'WH-AB', { costPerParcel: 30 }),
      ],
    );
    const two = split(2).route(abc, stores, noon);
    expect(two.allocation.map((a) => [a.warehouse, a.lines.map((l) => l.sku)])).toEqual([
      ['WH-1C', ['SKU-C']],
      ['WH-AB', ['SKU-A', 'SKU-B']],
    ]);
    const withoutAB = facts(stores.warehouses.slice(0, 3), stores.lanes.slice(0, 3));
    expect(split(2).route(abc, withoutAB, noon).allocation).toEqual([]);
    expect(
      split(3)
        .route(abc, withoutAB, noon)
        .allocation.map((a) => a.warehouse),
    ).toEqual(['WH-1A', 'WH-1B', 'WH-1C']);
  });

  it('fewest-parcels: among covers of the same size the best total score wins', () => {
    const choices = facts(
      [
        warehouse('WH-A1', { stock: { 'SKU-A': 5 } }),
        warehouse('WH-A2', { stock: { 'SKU-A': 5 } }),
        warehouse('WH-B', { stock: { 'SKU-B': 5 } }),
      ],
      [
        lane('LN-A1', 'WH-A1', { costPerParcel: 20 }),
        lane('LN-A2', 'WH-A2', { costPerParcel: 2 }),
        lane('LN-B', 'WH-B', { costPerParcel: 5 }),
      ],
    );
    expect(
      split(2)
        .route(abOrder, choices, noon)
        .allocation.map((a) => a.warehouse),
    ).toEqual(['WH-A2', 'WH-B']);
  });

  it('fewest-parcels: candidates rejected by anything but stock take no part', () => {
    const d = split(2, {
      constraints: [
        { id: 'stock', type: 'stock' },
        { id: 'room', type: 'capacity' },
      ],
    }).route(
      abOrder,
      facts(
        [
          warehouse('WH-A', { stock: { 'SKU-A': 5 }, load: 1000, capacityPerDay: 1000 }),
          warehouse('WH-B', { stock: { 'SKU-B': 5 } }),
        ],
        [lane('LN-A', 'WH-A'), lane('LN-B', 'WH-B')],
      ),
      noon,
    );
    expect(d.allocation).toEqual([]);
    expect(d.explanation).toContain('no combination of up to 2 warehouses has stock for every line');
  });
});

describe('ties and explanation', () => {
  it('breaks ties by warehouse id, then lane id, whatever the order of the facts', () => {
    const strategy = compileRouting(routing({ factors: [factor('cost')] }));
    const same = { costPerParcel: 5, costPerKg: 1 };
    const d = strategy.route(
      order(),
      facts(
        [warehouse('WH-B'), warehouse('WH-A')],
        [lane('LN-B2', 'WH-B', same), lane('LN-B1', 'WH-B', same), lane('LN-A9', 'WH-A', same)],
      ),
      noon,
    );
    expect(d.ranking.map((r) => r.lane)).toEqual(['LN-A9', 'LN-B1', 'LN-B2']);
    expect(d.allocation[0]).toMatchObject({ warehouse: 'WH-A', lane: 'LN-A9' });
    expect(d.explanation).toBe(
      'WH-A via LN-A9 tied with WH-B via LN-B1 at 1.00; the tie went to the lower warehouse id, then lane id',
    );
  });

  it('names the runner-up, the margin and the factor differences that decided it', () => {
    const strategy = compileRouting(
      routing({
        factors: [
          factor('cost', { weight: 1 }),
          factor('eta', { weight: 1 }),
          factor('carbon', { weight: 2 }),
        ],
      }),
    );
    const d = strategy.route(
      order(),
      facts(
        [warehouse('WH-SZ-01'), warehouse('WH-GZ-01')],
        [
          lane('SF-air', 'WH-SZ-01', { mode: 'air', costPerParcel: 10, etaHours: 10, co2PerKg: 0.2 }),
          lane('JD-ground', 'WH-GZ-01', { costPerParcel: 5, etaHours: 30, co2PerKg: 0.1 }),
        ],
      ),
      noon,
    );
    // SZ: eta 1 × 1/4; GZ: cost 1 × 1/4 + carbon 1 × 2/4 → GZ wins by 0.50.
    expect(d.allocation[0]?.warehouse).toBe('WH-GZ-01');
    expect(d.explanationDetail.margin).toBeCloseTo(0.5);
    expect(d.explanationDetail.winner).toMatchObject({ warehouse: 'WH-GZ-01', lane: 'JD-ground' });
    expect(d.explanationDetail.runnerUp).toMatchObject({
      warehouse: 'WH-SZ-01',
      lane: 'SF-air',
      feasible: true,
    });
    expect(d.explanationDetail.differences.map((x) => x.factor)).toEqual(['carbon', 'cost', 'eta']);
    expect(d.explanationDetail.differences.map((x) => x.delta)).toEqual([0.5, 0.25, -0.25]);
    expect(d.explanation).toBe(
      'WH-GZ-01 via JD-ground beat WH-SZ-01 via SF-air by 0.50: carbon +0.50, cost +0.25, eta \u22120.25',
    );
  });
});

describe('compilation and large decisions', () => {
  it('refuses duplicated factor ids and parameter names', () => {
    try {
      compileRouting(
        routing({
          factors: [factor('cost'), factor('eta', { id: 'cost' })],
          parameters: [
            { name: 'etaTolerance', value: 1 },
            { name: 'etaTolerance', value: 2 },
          ],
        }),
      );
      expect.unreachable();
    } catch (error) {
      expect((error as RoutingDefinitionError).reports.map((r) => r.path)).toEqual([
        '/factors/1/id',
        '/parameters/1/name',
      ]);
    }
  });

  it('ranks a hundred candidates in preference order: feasible, tier, score, warehouse id, lane id', () => {
    const tiers = ['own', 'regional', '3pl'] as const;
    const warehouses = Array.from({ length: 50 }, (_, i) =>
      warehouse(`WH-${String(i).padStart(2, '0')}`, {
        tier: tiers[i % 3],
        stock: i % 7 === 0 ? {} : { 'SKU-A': 9 },
      }),
    );
    const lanes = warehouses.flatMap((w, i) => [
      lane(`LN-${w.id}-g`, w.id, { costPerParcel: (i * 37) % 11 }),
      lane(`LN-${w.id}-a`, w.id, { mode: 'air', costPerParcel: (i * 53) % 13 }),
    ]);
    const d = compileRouting(routing({ constraints: [{ id: 'stock', type: 'stock' }] })).route(
      order(),
      facts(warehouses, lanes),
      noon,
    );
    expect(d.ranking).toHaveLength(100);
    const key = (r: (typeof d.ranking)[number]) =>
      [r.feasible ? 0 : 1, tiers.indexOf(r.tier), -r.score, r.warehouse, r.lane] as const;
    for (let i = 1; i < d.ranking.length; i++) {
      const a = key(d.ranking[i - 1] as (typeof d.ranking)[number]);
      const b = key(d.ranking[i] as (typeof d.ranking)[number]);
      const firstDifference = a.findIndex((x, k) => x !== b[k]);
      expect(firstDifference).toBeGreaterThanOrEqual(0);
      expect((a[firstDifference] as number | string) < (b[firstDifference] as number | string)).toBe(true);
    }
    expect(d.allocation[0]?.warehouse).toBe(d.ranking[0]?.warehouse);
    expect(d.tierUsed).toBe('own');
  });
});
