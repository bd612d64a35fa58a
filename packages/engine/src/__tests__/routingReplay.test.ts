import {
  type AlertFact,
  factorTypes,
  type LaneFact,
  type Order,
  type RoutingDefinition,
  type WarehouseFact,
  warehouseTiers,
} from '@orderloom/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRouting } from '../compileRouting.ts';
import { indexFacts, type RoutingFacts } from '../indexFacts.ts';
import type { RoutingDecision } from '../routingDecision.ts';
import { routing } from './builders.ts';

const regions = ['south-china', 'east-china', 'north-china'] as const;
const modes = ['ground', 'air', 'rail', 'sea', 'cold-chain'] as const;
const skus = ['SKU-A', 'SKU-B', 'SKU-C', 'SKU-D'] as const;
const base = Date.parse('2026-11-11T00:00:00+08:00');
const hour = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const money = fc.integer({ min: 0, max: 2000 }).map((c) => c / 100);
const share = fc.integer({ min: 0, max: 100 }).map((p) => p / 100);

const warehouseArb = (id: string): fc.Arbitrary<WarehouseFact> =>
  fc
    .record({
      tier: fc.constantFrom(...warehouseTiers),
      region: fc.constantFrom(...regions),
      capacityPerDay: fc.integer({ min: 0, max: 5000 }),
      loadShare: share,
      ageDays: fc.integer({ min: 0, max: 4000 }),
      stock: fc.dictionary(fc.constantFrom(...skus, 'SKU-OTHER'), fc.integer({ min: 0, max: 6 })),
    })
    .map(({ loadShare, ...w }) => ({ id, name: id, ...w, load: Math.round(w.capacityPerDay * loadShare) }));

const laneArb = (id: string, origin: string): fc.Arbitrary<LaneFact> =>
  fc
    .record({
      carrier: fc.constantFrom('SF', 'JD', 'ZTO'),
      mode: fc.constantFrom(...modes),
      destinations: fc.uniqueArray(fc.constantFrom(...regions), { minLength: 1, maxLength: 3 }),
      costPerKg: money,
      costPerParcel: money,
      etaHours: fc.integer({ min: 2, max: 96 }),
      co2PerKg: share,
      saturation: share,
    })
    .map((l) => ({ id, origin, ...l }));

const alertArb = (id: string): fc.Arbitrary<AlertFact> =>
  fc
    .record({
      regions: fc.uniqueArray(fc.constantFrom(...regions), { minLength: 1, maxLength: 2 }),
      modes: fc.uniqueArray(fc.constantFrom(...modes), { minLength: 1, maxLength: 3 }),
      impact: share,
      startHour: fc.integer({ min: -48, max: 48 }),
      hours: fc.integer({ min: 1, max: 72 }),
    })
    .map(({ startHour, hours, ...a }) => ({
      id,
      kind: 'weather',
      title: id,
      ...a,
      validFrom: iso(base + startHour * hour),
      validTo: iso(base + (startHour + hours) * hour),
    }));

const factsArb: fc.Arbitrary<RoutingFacts> = fc
  .integer({ min: 1, max: 6 })
  .chain((n) => {
    const ids = Array.from({ length: n }, (_, i) => `WH-${i}`);
    return fc.record({
      warehouses: fc.tuple(...ids.map(warehouseArb)),
      lanes: fc
        .tuple(...ids.map((w) => fc.integer({ min: 0, max: 3 }).map((k) => ({ w, k }))))
        .chain((counts) =>
          fc.tuple(
            ...counts.flatMap(({ w, k }) => Array.from({ length: k }, (_, j) => laneArb(`LN-${w}-${j}`, w))),
          ),
        ),
      alerts: fc
        .integer({ min: 0, max: 3 })
        .chain((k) => fc.tuple(...Array.from({ length: k }, (_, i) => alertArb(`AL-${i}`)))),
    });
  })
  .map(({ warehouses, lanes, alerts }) => ({ warehouses, lanes, alerts }));

const orderArb: fc.Arbitrary<Order> = fc
  .record({
    tier: fc.constantFrom('regular', 'gold', 'vip'),
    ltv: fc.integer({ min: 0, max: 100000 }),
    region: fc.constantFrom(...regions),
    channel: fc.constantFrom('douyin', 'pinduoduo', 'miniprogram'),
    lines: fc.array(
      fc.record({
        sku: fc.constantFrom(...skus),
        qty: fc.integer({ min: 1, max: 3 }),
        weightKg: fc.option(
          fc.integer({ min: 1, max: 50 }).map((g) => g / 10),
          { nil: undefined },
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    promisedHours: fc.option(fc.constantFrom(24, 48, 72), { nil: undefined }),
  })
  .map(({ tier, ltv, region, channel, lines, promisedHours }) => {
    const o: Order = {
      id: 'ORD-P',
      channel,
      customer: { id: 'C-P', tier, ltv },
      destination: { region },
      lines: lines.map(({ weightKg, ...l }) => (weightKg === undefined ? l : { ...l, weightKg })),
    };
    if (promisedHours !== undefined) o.promisedHours = promisedHours;
    return o;
  });

const normalizations = ['min-max', 'rank', 'none'] as const;
const definitionArb: fc.Arbitrary<RoutingDefinition> = fc
  .record({
    factors: fc.uniqueArray(
      fc.record({
        type: fc.constantFrom(...factorTypes),
        weight: fc.integer({ min: 0, max: 30 }),
        direction: fc.constantFrom('higher-better', 'lower-better'),
        normalization: fc.constantFrom(...normalizations),
      }),
      { minLength: 1, maxLength: 9, selector: (f) => f.type },
    ),
    constraints: fc.subarray(['stock', 'capacity', 'eta', 'custom'] as const),
    tolerance: fc.integer({ min: 8, max: 15 }).map((t) => t / 10),
    window: fc.integer({ min: -24, max: 24 }),
    split: fc.record({
      policy: fc.constantFrom('none', 'fewest-parcels'),
      maxParcels: fc.integer({ min: 1, max: 4 }),
    }),
    tiers: fc.shuffledSubarray([...warehouseTiers], { minLength: 1 }),
  })
  .map(({ factors, constraints, tolerance, window, split, tiers }) =>
    routing({
      factors: factors.map((f) => ({
        id: f.type,
        ...f,
        ...(f.type === 'custom' ? { expression: 'lane.etaHours / 10.0 + warehouse.ageDays / 1000.0' } : {}),
      })),
      constraints: constraints.map((type) => ({
        id: type,
        type,
        ...(type === 'eta' ? { parameter: 'etaTolerance' } : {}),
        ...(type === 'custom'
          ? { expression: 'candidate.remainingCapacity >= 1.0 && lane.saturation < 0.95' }
          : {}),
      })),
      parameters: [
        {
          name: 'etaTolerance',
          value: tolerance,
          windows: [
            { from: iso(base + window * hour), to: iso(base + (window + 24) * hour), value: tolerance + 0.3 },
          ],
        },
      ],
      segments: [
        {
          id: 'vip',
          when: 'customer.tier == "vip"',
          weights: { [factors[0]?.type ?? 'cost']: 50 },
          parameters: { etaTolerance: 0.9 },
        },
      ],
      split,
      fallbackTiers: tiers,
    }),
  );

/** Everything a decision says, without the snapshot (compared separately). */
const verdict = (d: RoutingDecision) => ({
  allocation: d.allocation,
  ranking: d.ranking,
  factors: d.factorTable.toJSON(),
  tierUsed: d.tierUsed,
  unroutable: d.unroutable,
  explanation: d.explanation,
  explanationDetail: d.explanationDetail,
  parameters: d.parameters,
  segment: d.segment,
});

describe('replay', () => {
  it('route(snapshot.order, snapshot.facts, snapshot.at) reproduces the decision, also after a JSON round trip', () => {
    fc.assert(
      fc.property(
        definitionArb,
        factsArb,
        orderArb,
        fc.integer({ min: -72, max: 72 }),
        (definition, facts, order, offset) => {
          const strategy = compileRouting(definition);
          const time = base + offset * hour;
          const decision = strategy.route(order, facts, time);
          const stored = JSON.parse(JSON.stringify(decision.snapshot)) as RoutingDecision['snapshot'];
          const replay = strategy.route(stored.order, stored.facts, stored.at);
          expect(verdict(replay)).toEqual(verdict(decision));
          // A replay reads exactly what the original read.
          expect(replay.snapshot).toEqual(decision.snapshot);
          // Indexed facts, and warehouses given as a Map, decide the same as raw facts.
          expect(verdict(strategy.route(order, indexFacts(facts), time))).toEqual(verdict(decision));
          const byId = new Map((facts.warehouses as WarehouseFact[]).map((w) => [w.id, w]));
          expect(verdict(strategy.route(order, { ...facts, warehouses: byId }, time))).toEqual(
            verdict(decision),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('over one indexed facts, a decision does not depend on the decisions before it', () => {
    fc.assert(
      fc.property(
        definitionArb,
        factsArb,
        fc.array(fc.tuple(orderArb, fc.integer({ min: -72, max: 72 })), { minLength: 2, maxLength: 6 }),
        (definition, facts, decisions) => {
          // The age factor's values are kept per parameter value: a window changes it within the run.
          const aged: RoutingDefinition = {
            ...definition,
            parameters: [
              ...definition.parameters,
              {
                name: 'ageDecayDays',
                value: 1500,
                windows: [{ from: iso(base), to: iso(base + 12 * hour), value: 300 }],
              },
            ],
          };
          const strategy = compileRouting(aged);
          const indexed = indexFacts(facts);
          for (const [order, offset] of decisions) {
            const time = base + offset * hour;
            const decision = strategy.route(order, indexed, time);
            const fresh = compileRouting(aged).route(order, indexFacts(facts), time);
            expect(decision).toEqual(fresh);
            expect(JSON.stringify(decision)).toBe(JSON.stringify(fresh));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a recompiled strategy reproduces the decision (compiled state holds nothing per decision)', () => {
    fc.assert(
      fc.property(definitionArb, factsArb, orderArb, (definition, facts, order) => {
        const first = compileRouting(definition);
        const warm = first.route(order, facts, base);
        first.route({ ...order, id: 'OTHER' }, facts, base + hour);
        expect(verdict(compileRouting(definition).route(order, facts, base))).toEqual(verdict(warm));
      }),
      { numRuns: 100 },
    );
  });
});
