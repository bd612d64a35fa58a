import { describe, expect, it } from 'vitest';
import { compileRouting } from '../compileRouting.ts';
import { indexFacts } from '../indexFacts.ts';
import { rankingWithFactors } from '../rankingWithFactors.ts';
import { at, factor, facts, lane, order, rainstorm, routing, warehouse } from './builders.ts';

describe('South-China rainstorm (ground × 0.63)', () => {
  const strategy = compileRouting(
    routing({
      factors: [
        factor('eta', { weight: 3 }),
        factor('cost', { weight: 2 }),
        factor('weather', { weight: 1 }),
      ],
      constraints: [{ id: 'eta', type: 'eta', parameter: 'etaTolerance' }],
      parameters: [{ name: 'etaTolerance', value: 1 }],
    }),
  );
  const guangzhou = facts(
    [warehouse('WH-GZ-01', { region: 'south-china' }), warehouse('WH-SZ-01', { region: 'south-china' })],
    [
      lane('LN-GZ-JD-ground', 'WH-GZ-01', { mode: 'ground', etaHours: 20, costPerParcel: 5, costPerKg: 2 }),
      lane('LN-SZ-SF-air', 'WH-SZ-01', {
        mode: 'air',
        carrier: 'SF',
        etaHours: 24,
        costPerParcel: 9,
        costPerKg: 5,
      }),
    ],
    [rainstorm()],
  );
  const promised = order({ promisedHours: 36 });

  it('ground wins before the storm, air wins during it, ground wins again after validTo', () => {
    const before = strategy.route(promised, guangzhou, at('2026-11-09T12:00:00'));
    const during = strategy.route(promised, guangzhou, at('2026-11-11T12:00:00'));
    const after = strategy.route(promised, guangzhou, at('2026-11-13T00:00:00'));
    expect(before.allocation[0]?.lane).toBe('LN-GZ-JD-ground');
    expect(during.allocation[0]?.lane).toBe('LN-SZ-SF-air');
    expect(after.allocation[0]?.lane).toBe('LN-GZ-JD-ground');
  });

  it('during the storm the ground lane is 20 h / 0.63 and breaks the 36 h promise', () => {
    const during = strategy.route(promised, guangzhou, at('2026-11-11T12:00:00'));
    const ground = rankingWithFactors(during).find((r) => r.lane === 'LN-GZ-JD-ground');
    expect(ground?.factors.weather?.raw).toBe(0.63);
    expect(ground?.factors.eta?.raw).toBeCloseTo(20 / 0.63 / 36);
    expect(ground?.rejectedBy).toBeUndefined();
    const tight = strategy.route(order({ promisedHours: 30 }), guangzhou, at('2026-11-11T12:00:00'));
    expect(tight.ranking.find((r) => r.lane === 'LN-GZ-JD-ground')?.rejectedBy).toEqual(['eta']);
    expect(during.snapshot.facts.alerts.map((a) => a.id)).toEqual(['AL-RAIN-SC']);
  });

  it('explains the flip by the runner-up and the factors', () => {
    const during = strategy.route(promised, guangzhou, at('2026-11-11T12:00:00'));
    expect(during.explanation).toMatch(
      /^WH-SZ-01 via LN-SZ-SF-air beat WH-GZ-01 via LN-GZ-JD-ground by \d\.\d\d: /,
    );
    expect(during.explanation).toContain('eta +');
    expect(during.explanation).toContain('cost \u2212');
  });
});

describe('Double-11 promotion window relaxes the ETA tolerance', () => {
  const strategy = compileRouting(
    routing({
      factors: [factor('cost', { weight: 3 }), factor('eta', { weight: 1 })],
      constraints: [{ id: 'eta', type: 'eta', parameter: 'etaTolerance' }],
      parameters: [
        {
          name: 'etaTolerance',
          value: 1,
          windows: [
            {
              from: '2026-11-10T00:00:00+08:00',
              to: '2026-11-12T00:00:00+08:00',
              value: 1.3,
              label: 'Double-11 promotion',
            },
          ],
        },
      ],
    }),
  );
  const chengduOrGuangzhou = facts(
    [
      warehouse('WH-CD-02', { tier: 'own', region: 'southwest' }),
      warehouse('WH-GZ-01', { region: 'south-china' }),
    ],
    [
      lane('LN-CD-ground', 'WH-CD-02', { etaHours: 30, costPerParcel: 4, costPerKg: 1 }),
      lane('LN-GZ-air', 'WH-GZ-01', { mode: 'air', etaHours: 20, costPerParcel: 10, costPerKg: 6 }),
    ],
  );
  const promised24 = order({ promisedHours: 24 });

  it('outside the window the cheap 30 h warehouse breaks the 24 h promise', () => {
    const d = strategy.route(promised24, chengduOrGuangzhou, at('2026-11-09T12:00:00'));
    expect(d.parameters.etaTolerance).toBe(1);
    expect(d.ranking.find((r) => r.warehouse === 'WH-CD-02')?.rejectedBy).toEqual(['eta']);
    expect(d.allocation[0]?.warehouse).toBe('WH-GZ-01');
  });

  it('inside the window 24 h × 1.3 = 31.2 h admits it and it wins on cost', () => {
    const d = strategy.route(promised24, chengduOrGuangzhou, at('2026-11-11T00:00:00'));
    expect(d.parameters.etaTolerance).toBe(1.3);
    expect(d.ranking.find((r) => r.warehouse === 'WH-CD-02')?.feasible).toBe(true);
    expect(d.allocation[0]?.warehouse).toBe('WH-CD-02');
  });
});

describe('china-peak data set (smoke)', async () => {
  const { loadAlerts, loadLanes, loadOrders, loadWarehouses, peakSeasonRouting } = await import(
    '@orderloom/schema/fixtures'
  );
  const indexed = indexFacts({ warehouses: loadWarehouses(), lanes: loadLanes(), alerts: loadAlerts() });
  const orders = loadOrders().slice(0, 300);

  it('routes Double-11 orders with the peak-season strategy, each decision replayable', () => {
    const strategy = compileRouting(peakSeasonRouting);
    let routed = 0;
    for (const o of orders) {
      const time = Date.parse(o.placedAt ?? '2026-11-11T00:00:00+08:00');
      const d = strategy.route(o, indexed, time);
      if (d.allocation.length > 0) routed++;
      else expect(d.unroutable?.reasons.length).toBeGreaterThan(0);
      expect(d.ranking.length).toBeGreaterThan(0);
      const lines = d.allocation.flatMap((a) => a.lines);
      if (d.allocation.length > 0) expect(lines).toHaveLength(o.lines.length);
      const replay = strategy.route(
        d.snapshot.order,
        JSON.parse(JSON.stringify(d.snapshot.facts)),
        d.snapshot.at,
      );
      expect(replay.allocation).toEqual(d.allocation);
      expect(replay.explanation).toBe(d.explanation);
    }
    expect(routed).toBeGreaterThan(orders.length * 0.9);
  });

  it('applies the rainstorm to south-china ground lanes during Double-11', () => {
    const strategy = compileRouting(peakSeasonRouting);
    const south = orders.find((o) => o.destination.region === 'south-china');
    expect(south).toBeDefined();
    const d = strategy.route(
      south as (typeof orders)[number],
      indexed,
      Date.parse('2026-11-11T12:00:00+08:00'),
    );
    const ground = rankingWithFactors(d).filter(
      (r) => d.snapshot.facts.lanes.find((l) => l.id === r.lane)?.mode === 'ground',
    );
    expect(ground.length).toBeGreaterThan(0);
    const cold = ['north-china', 'northeast'];
    for (const r of ground) {
      const origin = d.snapshot.facts.warehouses.find((w) => w.id === r.warehouse)?.region ?? '';
      // The North-China cold wave (ground × 0.82) also hits lanes leaving a northern warehouse.
      expect(r.factors.weather?.raw).toBeCloseTo(cold.includes(origin) ? 0.63 * 0.82 : 0.63);
    }
  });
});
