import {
  type AlertFact,
  type LaneFact,
  type Order,
  type RoutingDefinition,
  routingDefinitionSchema,
  type WarehouseFact,
} from '@orderloom/schema';
import type { RoutingFacts } from '../indexFacts.ts';

/** Epoch ms of an ISO date-time (China time unless the string says otherwise). */
export const at = (iso: string): number =>
  Date.parse(iso.includes('+') || iso.endsWith('Z') ? iso : `${iso}+08:00`);

/** A mid-peak decision time used by most tests. */
export const noon = at('2026-11-11T12:00:00');

/** A warehouse with plenty of capacity and stock of SKU-A/SKU-B; override what a test is about. */
export function warehouse(id: string, overrides: Partial<WarehouseFact> = {}): WarehouseFact {
  return {
    id,
    name: `Warehouse ${id}`,
    tier: 'own',
    region: 'south-china',
    capacityPerDay: 1000,
    load: 500,
    ageDays: 1000,
    stock: { 'SKU-A': 100, 'SKU-B': 100 },
    ...overrides,
  };
}

/** A ground lane from `origin` to south-china. */
export function lane(id: string, origin: string, overrides: Partial<LaneFact> = {}): LaneFact {
  return {
    id,
    carrier: 'JD',
    mode: 'ground',
    origin,
    destinations: ['south-china'],
    costPerKg: 2,
    costPerParcel: 5,
    etaHours: 24,
    co2PerKg: 0.1,
    saturation: 0.5,
    ...overrides,
  };
}

/** The South-China rainstorm: ground transport reliability × 0.63 from 10 to 13 November. */
export function rainstorm(overrides: Partial<AlertFact> = {}): AlertFact {
  return {
    id: 'AL-RAIN-SC',
    kind: 'weather',
    title: 'South-China rainstorm',
    regions: ['south-china'],
    modes: ['ground'],
    impact: 0.63,
    validFrom: '2026-11-10T00:00:00+08:00',
    validTo: '2026-11-13T00:00:00+08:00',
    ...overrides,
  };
}

/** An order of 1 × SKU-A (2 kg) to south-china, promised in 48 h, from a regular customer. */
export function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 'ORD-1',
    channel: 'douyin',
    customer: { id: 'C1', tier: 'regular', ltv: 1000 },
    destination: { region: 'south-china' },
    lines: [{ sku: 'SKU-A', qty: 1, weightKg: 2 }],
    promisedHours: 48,
    ...overrides,
  };
}

/** Facts as plain lists (a {@link RoutingFacts}). */
export interface FactLists extends RoutingFacts {
  warehouses: WarehouseFact[];
  lanes: LaneFact[];
  alerts: AlertFact[];
}

/** Facts from lists, with no alerts unless given. */
export function facts(warehouses: WarehouseFact[], lanes: LaneFact[], alerts: AlertFact[] = []): FactLists {
  return { warehouses, lanes, alerts };
}

/** The definition as written (before schema defaults), i.e. `z.input` of the schema. */
type RoutingInput = (typeof routingDefinitionSchema)['_zod']['input'];
type FactorInput = RoutingInput['factors'][number];

/** A factor of `type` with weight 1 and the direction a strategy would normally use. */
export function factor(type: FactorInput['type'], overrides: Partial<FactorInput> = {}): FactorInput {
  const lowerBetter = ['saturation', 'carbon', 'cost', 'eta'];
  return {
    id: type,
    type,
    weight: 1,
    direction: lowerBetter.includes(type) ? 'lower-better' : 'higher-better',
    ...overrides,
  };
}

/** A parsed routing definition (defaults filled in): one factor and no constraints unless given. */
export function routing(overrides: Partial<RoutingInput> = {}): RoutingDefinition {
  return routingDefinitionSchema.parse({
    kind: 'routing',
    id: 'test-strategy',
    name: 'Test strategy',
    schemaVersion: 1,
    factors: [factor('cost')],
    ...overrides,
  });
}
