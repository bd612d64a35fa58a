import {
  type AllocationEntry,
  laneCarbon,
  laneCost,
  minimumReliability,
  type WarehouseTier,
} from '@orderloom/engine';
import type { AlertFact, LaneFact, Order, WarehouseFact } from '@orderloom/schema';
import type { BacktestKpis } from './routingApiSchemas.ts';

/** What the KPIs of one decision's outcome are computed from: the facts it read. */
export interface KpiFacts {
  order: Order;
  warehouses: ReadonlyMap<string, WarehouseFact>;
  lanes: ReadonlyMap<string, LaneFact>;
  alerts: readonly AlertFact[];
  at: number;
}

/** An outcome's KPIs; `routed` false means unroutable (the other numbers are then 0). */
export interface OutcomeKpis {
  routed: boolean;
  tier: WarehouseTier | null;
  parcels: number;
  cost: number;
  /** Effective ETA of the slowest parcel, alerts applied. */
  etaHours: number;
  co2Kg: number;
  breach: boolean;
  overflow: boolean;
}

/**
 * Computes cost, ETA, CO₂, promise breach and capacity overflow of one allocation, with the engine's lane
 * formulas: ETA divided by the product of the impacts of active alerts on the lane's mode in the origin or
 * destination region; a line without weight counts 1 kg per unit.
 */
export function outcomeKpis(
  allocation: readonly AllocationEntry[],
  tierUsed: WarehouseTier | null,
  facts: KpiFacts,
): OutcomeKpis {
  if (allocation.length === 0) {
    return {
      routed: false,
      tier: null,
      parcels: 0,
      cost: 0,
      etaHours: 0,
      co2Kg: 0,
      breach: false,
      overflow: false,
    };
  }
  let cost = 0;
  let co2Kg = 0;
  let etaHours = 0;
  let overflow = false;
  for (const parcel of allocation) {
    const lane = facts.lanes.get(parcel.lane);
    const warehouse = facts.warehouses.get(parcel.warehouse);
    if (!lane || !warehouse) continue;
    let weightKg = 0;
    for (const line of parcel.lines) weightKg += line.qty * (line.weightKg ?? 1);
    cost += laneCost(lane, weightKg);
    co2Kg += laneCarbon(lane, weightKg);
    let reliability = 1;
    for (const alert of facts.alerts) {
      if (
        Date.parse(alert.validFrom) <= facts.at &&
        facts.at < Date.parse(alert.validTo) &&
        alert.modes.includes(lane.mode) &&
        (alert.regions.includes(warehouse.region) || alert.regions.includes(facts.order.destination.region))
      ) {
        reliability *= alert.impact;
      }
    }
    etaHours = Math.max(etaHours, lane.etaHours / Math.max(reliability, minimumReliability));
    if (warehouse.capacityPerDay - warehouse.load < 1) overflow = true;
  }
  const promised = facts.order.promisedHours;
  return {
    routed: true,
    tier: tierUsed,
    parcels: allocation.length,
    cost,
    etaHours,
    co2Kg,
    breach: promised !== undefined && etaHours > promised,
    overflow,
  };
}

/** Running sums of outcome KPIs: plain data, so partial sums from several workers can be merged. */
export interface KpiSums {
  decisions: number;
  routed: number;
  cost: number;
  etaHours: number;
  co2Kg: number;
  breaches: number;
  overflows: number;
  splits: number;
  tierMix: Record<string, number>;
}

/** Empty {@link KpiSums}. */
export function emptyKpiSums(): KpiSums {
  return {
    decisions: 0,
    routed: 0,
    cost: 0,
    etaHours: 0,
    co2Kg: 0,
    breaches: 0,
    overflows: 0,
    splits: 0,
    tierMix: {},
  };
}

/** Adds one decision's outcome to `sums`. */
export function addKpis(sums: KpiSums, kpis: OutcomeKpis): void {
  sums.decisions++;
  if (!kpis.routed) return;
  sums.routed++;
  sums.cost += kpis.cost;
  sums.etaHours += kpis.etaHours;
  sums.co2Kg += kpis.co2Kg;
  if (kpis.breach) sums.breaches++;
  if (kpis.overflow) sums.overflows++;
  if (kpis.parcels > 1) sums.splits++;
  const tier = kpis.tier ?? 'unknown';
  sums.tierMix[tier] = (sums.tierMix[tier] ?? 0) + 1;
}

/** Adds `more` into `sums`. */
export function mergeKpiSums(sums: KpiSums, more: KpiSums): void {
  sums.decisions += more.decisions;
  sums.routed += more.routed;
  sums.cost += more.cost;
  sums.etaHours += more.etaHours;
  sums.co2Kg += more.co2Kg;
  sums.breaches += more.breaches;
  sums.overflows += more.overflows;
  sums.splits += more.splits;
  for (const [tier, count] of Object.entries(more.tierMix))
    sums.tierMix[tier] = (sums.tierMix[tier] ?? 0) + count;
}

/** Means and counts of {@link KpiSums}, as a backtest reports them. */
export function kpisOf(sums: KpiSums): BacktestKpis {
  const mean = (sum: number) => (sums.routed > 0 ? sum / sums.routed : null);
  return {
    decisions: sums.decisions,
    routed: sums.routed,
    unroutable: sums.decisions - sums.routed,
    avgCost: mean(sums.cost),
    avgEtaHours: mean(sums.etaHours),
    avgCo2Kg: mean(sums.co2Kg),
    promiseBreaches: sums.breaches,
    capacityOverflows: sums.overflows,
    splitRate: mean(sums.splits),
    tierMix: { ...sums.tierMix },
  };
}

/** Candidate minus baseline; null when either side has no routed decision. */
export function kpiDeltas(baseline: BacktestKpis, candidate: BacktestKpis) {
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  return {
    avgCost: diff(baseline.avgCost, candidate.avgCost),
    avgEtaHours: diff(baseline.avgEtaHours, candidate.avgEtaHours),
    avgCo2Kg: diff(baseline.avgCo2Kg, candidate.avgCo2Kg),
    promiseBreaches: candidate.promiseBreaches - baseline.promiseBreaches,
    capacityOverflows: candidate.capacityOverflows - baseline.capacityOverflows,
    splitRate: diff(baseline.splitRate, candidate.splitRate),
    unroutable: candidate.unroutable - baseline.unroutable,
  };
}
