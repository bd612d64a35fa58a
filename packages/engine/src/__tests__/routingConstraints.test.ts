import { describe, expect, it } from 'vitest';
import { compileRouting } from '../compileRouting.ts';
import type { RoutingDecision } from '../routingDecision.ts';
import { factor, facts, lane, noon, order, rainstorm, routing, warehouse } from './builders.ts';

const rejectedBy = (decision: RoutingDecision, warehouseId: string) =>
  decision.ranking.find((r) => r.warehouse === warehouseId)?.rejectedBy;
const winner = (decision: RoutingDecision) => decision.allocation[0]?.warehouse;

describe('constraints', () => {
  it('stock: the warehouse must hold the total quantity of each SKU (lines of one SKU add up)', () => {
    const strategy = compileRouting(routing({ constraints: [{ id: 'stock', type: 'stock' }] }));
    const twoLinesOfA = order({
      lines: [
        { sku: 'SKU-A', qty: 3 },
        { sku: 'SKU-A', qty: 2 },
      ],
    });
    const short = facts(
      [
        warehouse('WH-4', { stock: { 'SKU-A': 4 } }),
        warehouse('WH-5', { stock: { 'SKU-A': 5, 'SKU-Z': 9 } }),
      ],
      [lane('LN-4', 'WH-4', { costPerParcel: 1 }), lane('LN-5', 'WH-5', { costPerParcel: 50 })],
    );
    const d = strategy.route(twoLinesOfA, short, noon);
    expect(winner(d)).toBe('WH-5');
    expect(d.ranking.map((r) => [r.warehouse, r.feasible])).toEqual([
      ['WH-5', true],
      ['WH-4', false],
    ]);
    expect(rejectedBy(d, 'WH-4')).toEqual(['stock']);
    expect(rejectedBy(d, 'WH-5')).toBeUndefined();
    // The snapshot records only the stock of the order's SKUs.
    expect(d.snapshot.facts.warehouses.find((w) => w.id === 'WH-5')?.stock).toEqual({ 'SKU-A': 5 });
  });

  it('capacity: at least one parcel of capacity left today', () => {
    const strategy = compileRouting(routing({ constraints: [{ id: 'room', type: 'capacity' }] }));
    const d = strategy.route(
      order(),
      facts(
        [
          warehouse('WH-FULL', { capacityPerDay: 800, load: 800 }),
          warehouse('WH-LAST', { capacityPerDay: 800, load: 799 }),
        ],
        [lane('LN-F', 'WH-FULL', { costPerParcel: 1 }), lane('LN-L', 'WH-LAST', { costPerParcel: 9 })],
      ),
      noon,
    );
    expect(rejectedBy(d, 'WH-FULL')).toEqual(['room']);
    expect(winner(d)).toBe('WH-LAST');
  });

  it('eta: effective ETA ≤ promisedHours × the tolerance parameter', () => {
    const strategy = (tolerance: number) =>
      compileRouting(
        routing({
          constraints: [{ id: 'eta', type: 'eta', parameter: 'etaTolerance' }],
          parameters: [{ name: 'etaTolerance', value: tolerance }],
        }),
      );
    const slow = facts([warehouse('WH-SLOW')], [lane('LN-SLOW', 'WH-SLOW', { etaHours: 30 })]);
    const promised24 = order({ promisedHours: 24 });
    expect(rejectedBy(strategy(1.2).route(promised24, slow, noon), 'WH-SLOW')).toEqual(['eta']);
    expect(rejectedBy(strategy(1.3).route(promised24, slow, noon), 'WH-SLOW')).toBeUndefined();
    const { promisedHours: _, ...unpromised } = promised24;
    expect(rejectedBy(strategy(1).route(unpromised, slow, noon), 'WH-SLOW')).toBeUndefined();
  });

  it('eta: uses the weather-adjusted ETA and defaults the tolerance to 1', () => {
    const strategy = compileRouting(routing({ constraints: [{ id: 'eta', type: 'eta' }] }));
    const ground = facts([warehouse('WH-G')], [lane('LN-G', 'WH-G', { etaHours: 40 })]);
    expect(strategy.route(order({ promisedHours: 48 }), ground, noon).allocation).toHaveLength(1);
    const d = strategy.route(order({ promisedHours: 48 }), { ...ground, alerts: [rainstorm()] }, noon);
    expect(rejectedBy(d, 'WH-G')).toEqual(['eta']);
    expect(d.parameters.etaTolerance).toBe(1);
  });

  it('custom: a CEL bool over the candidate; false rejects', () => {
    const strategy = compileRouting(
      routing({
        constraints: [
          { id: 'no-jd', type: 'custom', expression: 'lane.carrier != "JD"' },
          { id: 'roomy', type: 'custom', expression: 'candidate.remainingCapacity > 100.0' },
        ],
      }),
    );
    const d = strategy.route(
      order(),
      facts(
        [warehouse('WH-1'), warehouse('WH-2', { capacityPerDay: 1000, load: 950 })],
        [
          lane('LN-JD', 'WH-1', { carrier: 'JD', costPerParcel: 1 }),
          lane('LN-SF', 'WH-1', { carrier: 'SF', costPerParcel: 9 }),
          lane('LN-SF2', 'WH-2', { carrier: 'SF', costPerParcel: 2 }),
        ],
      ),
      noon,
    );
    expect(d.ranking.find((r) => r.lane === 'LN-JD')?.rejectedBy).toEqual(['no-jd']);
    expect(d.ranking.find((r) => r.lane === 'LN-SF2')?.rejectedBy).toEqual(['roomy']);
    expect(d.allocation).toEqual([{ warehouse: 'WH-1', lane: 'LN-SF', lines: order().lines }]);
  });

  it('unroutable: every candidate rejected → reasons per candidate with details', () => {
    const strategy = compileRouting(
      routing({
        constraints: [
          { id: 'stock', type: 'stock' },
          { id: 'eta', type: 'eta', parameter: 'etaTolerance' },
        ],
        parameters: [{ name: 'etaTolerance', value: 1.5 }],
      }),
    );
    const d = strategy.route(
      order({ promisedHours: 24, lines: [{ sku: 'SKU-A', qty: 2 }] }),
      facts(
        [warehouse('WH-EMPTY', { stock: { 'SKU-A': 1 } }), warehouse('WH-FAR')],
        [lane('LN-E', 'WH-EMPTY', { etaHours: 20 }), lane('LN-F', 'WH-FAR', { etaHours: 24 })],
        [rainstorm()],
      ),
      noon,
    );
    expect(d.allocation).toEqual([]);
    expect(d.tierUsed).toBeNull();
    expect(d.unroutable?.reasons).toEqual([
      { warehouse: 'WH-EMPTY', lane: 'LN-E', rejectedBy: ['stock'], detail: 'stock: SKU-A has 1 of 2' },
      {
        warehouse: 'WH-FAR',
        lane: 'LN-F',
        rejectedBy: ['eta'],
        detail: `eta: ${(24 / 0.63).toFixed(1)} h > 36 h (24 h × 1.5)`,
      },
    ]);
    expect(d.explanation).toMatch(/^Unroutable: none of 2 candidates is feasible \(stock ×1, eta ×1\)/);
  });

  it('unroutable: no lane serves the destination', () => {
    const d = compileRouting(routing()).route(
      order({ destination: { region: 'northwest' } }),
      facts([warehouse('WH-1')], [lane('LN-1', 'WH-1')]),
      noon,
    );
    expect(d.unroutable).toEqual({ reasons: [] });
    expect(d.ranking).toEqual([]);
    expect(d.explanation).toContain('northwest');
  });

  it('keeps the same factor values for rejected candidates, which still appear in the ranking', () => {
    const strategy = compileRouting(
      routing({ factors: [factor('cost')], constraints: [{ id: 'stock', type: 'stock' }] }),
    );
    const d = strategy.route(
      order(),
      facts(
        [warehouse('WH-CHEAP', { stock: {} }), warehouse('WH-DEAR')],
        [lane('LN-C', 'WH-CHEAP', { costPerParcel: 1 }), lane('LN-D', 'WH-DEAR', { costPerParcel: 9 })],
      ),
      noon,
    );
    const cheap = d.ranking.find((r) => r.warehouse === 'WH-CHEAP');
    expect(cheap?.score).toBe(1);
    expect(cheap?.feasible).toBe(false);
    expect(winner(d)).toBe('WH-DEAR');
    expect(d.explanation).toBe(
      'WH-DEAR via LN-D won; the next candidate WH-CHEAP via LN-C was rejected by stock although it scored 1.00 higher',
    );
  });
});
