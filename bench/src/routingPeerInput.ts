import type { IndexedFacts } from '@orderloom/engine';
import type { Order, RoutingDefinition } from '@orderloom/schema';

/** One candidate as the peer engines receive it: the joined facts, no derived values. */
export interface PeerCandidate {
  warehouse: string;
  lane: string;
  tier: string;
  tierRank: number;
  mode: string;
  capacityPerDay: number;
  load: number;
  ageDays: number;
  saturation: number;
  co2PerKg: number;
  costPerKg: number;
  costPerParcel: number;
  etaHours: number;
  /** Product of the impacts of the active alerts matching the lane (the alert join). */
  weather: number;
  /** Per order line: quantity ordered and the warehouse's stock of that SKU (the stock join). */
  lines: { qty: number; stock: number }[];
}

/** The input document the peers decide on. */
export interface PeerInput {
  order: {
    customerTier: string;
    ltv: number;
    promisedHours: number;
    lines: { qty: number; weightKg: number }[];
  };
  params: { etaTolerance: number; ageDecayDays: number; ltvReference: number };
  weights: Record<string, number>;
  candidates: PeerCandidate[];
}

/**
 * The peers' glue, run (and timed) per decision: the data joins a rules engine cannot do by itself —
 * candidate enumeration from the lane index, stock lookups per line and matching active alerts to each
 * lane. Every derived value (order weight, factors, normalisation, constraints, choice, explanation)
 * is left to the peer. Parameter windows and segments are not used by the benchmark strategy.
 */
export function peerInput(
  definition: RoutingDefinition,
  order: Order,
  facts: IndexedFacts,
  at: number,
): PeerInput {
  const params: Record<string, number> = {};
  for (const p of definition.parameters) params[p.name] = p.value;
  const weights: Record<string, number> = {};
  for (const f of definition.factors) weights[f.id] = f.weight;
  const region = order.destination.region;
  const active = facts.alerts.filter((a) => a.from <= at && at < a.to).map((a) => a.fact);
  const candidates: PeerCandidate[] = [];
  const index = facts.regions.get(region);
  const lanes = index?.lanes ?? [];
  for (let l = 0; l < lanes.length; l++) {
    const lane = lanes[l] as (typeof lanes)[number];
    const w = index?.warehouses[index.origins[l] as number];
    if (!w) continue;
    let weather = 1;
    for (const a of active) {
      if (a.modes.includes(lane.mode) && (a.regions.includes(w.region) || a.regions.includes(region))) {
        weather *= a.impact;
      }
    }
    candidates.push({
      warehouse: w.id,
      lane: lane.id,
      tier: w.tier,
      tierRank: definition.fallbackTiers.indexOf(w.tier),
      mode: lane.mode,
      capacityPerDay: w.capacityPerDay,
      load: w.load,
      ageDays: w.ageDays,
      saturation: lane.saturation,
      co2PerKg: lane.co2PerKg,
      costPerKg: lane.costPerKg ?? 0,
      costPerParcel: lane.costPerParcel ?? 0,
      etaHours: lane.etaHours,
      weather,
      lines: order.lines.map((l) => ({ qty: l.qty, stock: w.stock[l.sku] ?? 0 })),
    });
  }
  return {
    order: {
      customerTier: order.customer.tier,
      ltv: order.customer.ltv,
      promisedHours: order.promisedHours ?? 0,
      lines: order.lines.map((l) => ({ qty: l.qty, weightKg: l.weightKg ?? 1 })),
    },
    params: {
      etaTolerance: params.etaTolerance ?? 1,
      ageDecayDays: params.ageDecayDays ?? 1500,
      ltvReference: params.ltvReference ?? 50000,
    },
    weights,
    candidates,
  };
}

/** What every engine reports, compared across engines. */
export interface PeerResult {
  warehouse: string | null;
  lane: string | null;
  score: number | null;
  explanation: string;
}
