import type { IndexedFacts, RoutingFacts } from '@orderloom/engine';
import { indexFacts } from '@orderloom/engine';
import {
  type LaneFact,
  type Order,
  type RoutingDefinition,
  routingDefinitionSchema,
  type WarehouseFact,
} from '@orderloom/schema';
import { loadAlerts } from '@orderloom/schema/fixtures';

/** One benchmark scenario: a strategy, facts giving `2 × warehouses` candidates, and a set of orders. */
export interface RoutingScenario {
  candidates: number;
  definition: RoutingDefinition;
  facts: RoutingFacts;
  indexed: IndexedFacts;
  orders: Order[];
  at: number;
}

/** The destination region of every benchmark order; each warehouse has two lanes to it. */
export const benchRegion = 'south-china';

/** Decision time: inside the South-China rainstorm (ground lanes × 0.63). */
export const benchAt = Date.parse('2026-11-11T10:00:00+08:00');

const tiers = ['own', 'regional', '3pl'] as const;

/**
 * The core benchmark strategy: the 8 built-in factors (min-max normalised) and 2 constraints
 * (stock covers the lines, ETA ≤ promise × etaTolerance).
 */
export const benchDefinition: RoutingDefinition = routingDefinitionSchema.parse({
  kind: 'routing',
  id: 'bench-core',
  name: 'Benchmark: 8 factors, 2 constraints',
  schemaVersion: 1,
  factors: [
    { id: 'capacity', type: 'capacity', weight: 20, direction: 'higher-better' },
    { id: 'saturation', type: 'saturation', weight: 10, direction: 'lower-better' },
    { id: 'carbon', type: 'carbon', weight: 10, direction: 'lower-better' },
    { id: 'cost', type: 'cost', weight: 20, direction: 'lower-better' },
    { id: 'eta', type: 'eta', weight: 25, direction: 'lower-better' },
    { id: 'customer', type: 'customer', weight: 5, direction: 'higher-better' },
    { id: 'weather', type: 'weather', weight: 15, direction: 'higher-better' },
    { id: 'age', type: 'age', weight: 5, direction: 'lower-better' },
  ],
  constraints: [
    { id: 'stock', type: 'stock' },
    { id: 'eta', type: 'eta', parameter: 'etaTolerance' },
  ],
  parameters: [
    { name: 'etaTolerance', value: 1.2 },
    { name: 'ageDecayDays', value: 1500 },
    { name: 'ltvReference', value: 50000 },
  ],
  fallbackTiers: ['own', 'regional', '3pl'],
});

/** mulberry32: a small seeded PRNG so every run benchmarks the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const skuCount = 40;
const sku = (i: number) => `SKU-${String(1001 + i)}`;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Builds `warehouses` warehouses with two lanes each (one ground, one air or rail) to
 * {@link benchRegion}, the three china-peak alerts (an active rainstorm on ground lanes, an expired
 * typhoon, a cold wave elsewhere) and `orderCount` orders of 1–3 lines.
 */
export function makeRoutingScenario(warehouses: number, orderCount = 64, seed = 11): RoutingScenario {
  const rand = prng(seed + warehouses);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const regions = ['south-china', 'east-china', 'central-china', 'southwest', 'north-china'];

  const warehouseFacts: WarehouseFact[] = [];
  const laneFacts: LaneFact[] = [];
  for (let w = 0; w < warehouses; w++) {
    const id = `WH-${String(w + 1).padStart(3, '0')}`;
    const capacityPerDay = 10000 + Math.floor(rand() * 50000);
    const stock: Record<string, number> = {};
    for (let s = 0; s < skuCount; s++) if (rand() < 0.8) stock[sku(s)] = Math.floor(rand() * 400);
    const region = pick(regions);
    warehouseFacts.push({
      id,
      name: `Warehouse ${w + 1}`,
      tier: tiers[w % 3] as WarehouseFact['tier'],
      region,
      capacityPerDay,
      load: Math.floor(capacityPerDay * (0.3 + rand() * 0.65)),
      ageDays: Math.floor(200 + rand() * 3000),
      stock,
    });
    const near = region === benchRegion;
    const groundEta = near ? 12 + rand() * 12 : 24 + rand() * 30;
    laneFacts.push({
      id: `LN-${id}-ground`,
      carrier: pick(['JD', 'ZTO', 'SF']),
      mode: 'ground',
      origin: id,
      destinations: [benchRegion],
      costPerKg: round(2 + rand() * 5, 2),
      costPerParcel: round(3 + rand() * 2, 2),
      etaHours: round(groundEta, 1),
      co2PerKg: round(0.06 + rand() * 0.08, 3),
      saturation: round(0.3 + rand() * 0.65, 2),
    });
    const air = rand() < 0.5;
    laneFacts.push({
      id: `LN-${id}-${air ? 'air' : 'rail'}`,
      carrier: air ? 'SF' : 'CR-Express',
      mode: air ? 'air' : 'rail',
      origin: id,
      destinations: [benchRegion],
      costPerKg: round(air ? 9 + rand() * 7 : 3 + rand() * 3, 2),
      costPerParcel: round(4 + rand() * 3, 2),
      etaHours: round(air ? 6 + rand() * 14 : groundEta * (0.8 + rand() * 0.3), 1),
      co2PerKg: round(air ? 0.5 + rand() * 1.3 : 0.03 + rand() * 0.04, 3),
      saturation: round(0.3 + rand() * 0.65, 2),
    });
  }

  // The china-peak alerts: an active rainstorm on ground lanes, a cold wave elsewhere, an expired typhoon.
  const alerts = loadAlerts();

  const orders: Order[] = [];
  for (let o = 0; o < orderCount; o++) {
    const lines: Order['lines'] = [];
    const lineCount = 1 + Math.floor(rand() * 3);
    const used = new Set<number>();
    while (lines.length < lineCount) {
      const s = Math.floor(rand() * skuCount);
      if (used.has(s)) continue;
      used.add(s);
      lines.push({ sku: sku(s), qty: 1 + Math.floor(rand() * 3), weightKg: round(0.3 + rand() * 4.7, 1) });
    }
    orders.push({
      id: `BENCH-${o}`,
      channel: pick(['douyin', 'pinduoduo', 'miniprogram']),
      customer: {
        id: `C${o}`,
        tier: pick(['regular', 'regular', 'gold', 'vip']),
        ltv: Math.floor(rand() * 60000),
      },
      destination: { region: benchRegion },
      lines,
      promisedHours: pick([24, 48, 72]),
    });
  }

  const facts: RoutingFacts = { warehouses: warehouseFacts, lanes: laneFacts, alerts };
  return {
    candidates: laneFacts.length,
    definition: benchDefinition,
    facts,
    indexed: indexFacts(facts),
    orders,
    at: benchAt,
  };
}
