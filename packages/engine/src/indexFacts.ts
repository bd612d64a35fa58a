import type { AlertFact, LaneFact, WarehouseFact } from '@orderloom/schema';

/** The facts a routing decision reads, as pushed by the company's systems. */
export interface RoutingFacts {
  warehouses: readonly WarehouseFact[] | ReadonlyMap<string, WarehouseFact>;
  lanes: readonly LaneFact[];
  alerts: readonly AlertFact[];
}

/** An alert with its validity window parsed to epoch ms. */
export interface IndexedAlert {
  fact: AlertFact;
  /** Inclusive. */
  from: number;
  /** Exclusive. */
  to: number;
}

/** The lanes serving one destination region, joined to their origin warehouses. */
export interface RegionIndex {
  /** The distinct origin warehouses of `lanes`, in first-seen order. */
  readonly warehouses: readonly WarehouseFact[];
  /** The lanes serving the region whose origin warehouse is known. */
  readonly lanes: readonly LaneFact[];
  /** For each lane, the position of its origin in `warehouses`. */
  readonly origins: readonly number[];
}

/**
 * {@link RoutingFacts} indexed for routing: warehouses by id, lanes by destination region (already
 * joined to their origin warehouses), alert windows parsed. Building it is O(facts); a decision over
 * it is O(candidates + alerts). Keep one per facts version and pass it to `route` instead of the raw facts.
 */
export interface IndexedFacts {
  readonly warehouses: ReadonlyMap<string, WarehouseFact>;
  readonly regions: ReadonlyMap<string, RegionIndex>;
  readonly alerts: readonly IndexedAlert[];
}

/**
 * Indexes routing facts once so that each decision only touches its own candidates. Lanes whose
 * origin warehouse is unknown are left out. Facts are treated as immutable: build a new index when a
 * fact changes.
 *
 * @example
 * const indexed = indexFacts({ warehouses, lanes, alerts });
 * for (const order of orders) route(order, indexed, clock.now());
 */
export function indexFacts(facts: RoutingFacts): IndexedFacts {
  const warehouses =
    facts.warehouses instanceof Map
      ? (facts.warehouses as ReadonlyMap<string, WarehouseFact>)
      : new Map((facts.warehouses as readonly WarehouseFact[]).map((w) => [w.id, w] as const));
  type Building = {
    warehouses: WarehouseFact[];
    lanes: LaneFact[];
    origins: number[];
    positions: Map<string, number>;
  };
  const building = new Map<string, Building>();
  for (const lane of facts.lanes) {
    const origin = warehouses.get(lane.origin);
    if (!origin) continue;
    for (const name of new Set(lane.destinations)) {
      let region = building.get(name);
      if (!region) {
        region = { warehouses: [], lanes: [], origins: [], positions: new Map() };
        building.set(name, region);
      }
      let position = region.positions.get(origin.id);
      if (position === undefined) {
        position = region.warehouses.push(origin) - 1;
        region.positions.set(origin.id, position);
      }
      region.lanes.push(lane);
      region.origins.push(position);
    }
  }
  const regions = new Map<string, RegionIndex>();
  for (const [name, { warehouses: ws, lanes, origins }] of building)
    regions.set(name, { warehouses: ws, lanes, origins });
  const alerts = facts.alerts.map((fact) => ({
    fact,
    from: Date.parse(fact.validFrom),
    to: Date.parse(fact.validTo),
  }));
  return { warehouses, regions, alerts };
}

/** True when `facts` was built by {@link indexFacts}. */
export function isIndexedFacts(facts: RoutingFacts | IndexedFacts): facts is IndexedFacts {
  return 'regions' in facts;
}
