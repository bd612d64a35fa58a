import type { Factor, LaneFact, Order } from '@orderloom/schema';
import type { WarehouseTier } from '../routingDecision.ts';
import type { RegionColumns } from './regionColumns.ts';

/**
 * How well each warehouse tier serves a valuable customer (packing quality, control over the parcel):
 * own warehouses 1, regional 0.6, third-party 0.3. Part of the `customer` factor.
 */
export const warehouseTierAffinity: Readonly<Record<WarehouseTier, number>> = {
  own: 1,
  regional: 0.6,
  '3pl': 0.3,
};

/**
 * The service class of a transport mode as a valuable customer experiences it (speed, handling,
 * tracking): air and cold chain 1, rail 0.7, ground 0.6, sea 0.4. Part of the `customer` factor.
 */
export const laneServiceLevel: Readonly<Record<LaneFact['mode'], number>> = {
  air: 1,
  'cold-chain': 1,
  rail: 0.7,
  ground: 0.6,
  sea: 0.4,
};

/** Priority of a customer tier, 0..1; tiers not listed count as {@link defaultCustomerPriority}. */
export const customerTierPriority: Readonly<Record<string, number>> = {
  vip: 1,
  platinum: 1,
  gold: 0.7,
  silver: 0.4,
};

/** Priority of a customer whose tier is not in {@link customerTierPriority}. */
export const defaultCustomerPriority = 0.2;

/**
 * Values of the parameters built-in factors and constraints read when the definition does not set them:
 * `ageDecayDays` (age factor), `ltvReference` (customer factor: the LTV that counts as full priority),
 * `etaTolerance` (ETA constraint without its own `parameter`).
 */
export const builtInParameterDefaults = { ageDecayDays: 1500, ltvReference: 50000, etaTolerance: 1 } as const;

/** An alert of impact 0 would make the ETA infinite; below this reliability the lane counts as this slow. */
export const minimumReliability = 0.01;

/**
 * The customer's priority, 0..1: the larger of its tier's priority and its LTV as a share of
 * `ltvReference`. The `customer` factor's weight is multiplied by it, so high-value customers get
 * premium service and others hardly weigh it at all.
 */
export function customerPriority(customer: Order['customer'], ltvReference: number): number {
  const byTier =
    customerTierPriority[customer.tier] ??
    customerTierPriority[customer.tier.toLowerCase()] ??
    defaultCustomerPriority;
  const byLtv = ltvReference > 0 ? Math.min(1, Math.max(0, customer.ltv) / ltvReference) : 0;
  return Math.max(byTier, byLtv);
}

/** What a decision knows about the order, computed once per decision. */
export interface OrderWork {
  order: Order;
  /** Σ qty × weightKg over the lines (a line without weight counts 1 kg per unit). */
  weightKg: number;
  /** Distinct SKUs of the order and the total quantity of each (lines of one SKU are added up). */
  skus: string[];
  quantities: number[];
  params: Record<string, number>;
}

/**
 * The candidates of one decision as columns: candidate i (i < n) is lane `laneIndex[i]` of the region,
 * leaving from the region's warehouse `warehouseIndex[i]`.
 */
export interface CandidateColumns {
  n: number;
  region: RegionColumns;
  laneIndex: Int32Array;
  warehouseIndex: Int32Array;
  /** Product of the impacts of the active alerts matching the lane's mode and either region. */
  weather: Float64Array;
  /** `etaHours / max(weather, minimumReliability)`. */
  effectiveEtaHours: Float64Array;
}

/** The factor types computed by the engine itself (everything but `custom`). */
export type BuiltInFactorType = Exclude<Factor['type'], 'custom'>;

/**
 * Writes one built-in factor's raw value for every candidate into `out[offset + i]`:
 * - `capacity`: remaining capacity share today, (capacityPerDay − load) / capacityPerDay (0 without capacity).
 * - `saturation`: the lane's carrier saturation, 0..1.
 * - `carbon`: kg CO₂ for the order, co2PerKg × order weight.
 * - `cost`: costPerParcel + costPerKg × order weight.
 * - `eta`: effective ETA / promisedHours (1 = exactly on promise), or effective ETA hours without a promise.
 * - `customer`: premium service for the customer, warehouse-tier affinity × lane service level
 *   ({@link warehouseTierAffinity}, {@link laneServiceLevel}); the factor's weight is multiplied by the
 *   customer's priority ({@link customerPriority}), so it matters for VIP and high-LTV customers only.
 *   Fallback tiers already order tiers, so within a decision it mostly separates lanes.
 * - `weather`: reliability under active alerts, the product of their impacts (1 = no alert).
 * - `age`: exp(−ageDays / ageDecayDays): 1 for a new warehouse, towards 0 for old ones.
 *
 * One loop per type keeps each loop tight; this is the hot path of every decision.
 */
export function builtInRawValues(
  type: BuiltInFactorType,
  c: CandidateColumns,
  order: OrderWork,
  out: number[],
  offset: number,
): void {
  const { n, laneIndex, warehouseIndex, region } = c;
  const { weightKg } = order;
  switch (type) {
    case 'capacity': {
      const share = region.capacityShare;
      for (let i = 0; i < n; i++) out[offset + i] = share[warehouseIndex[i] as number] as number;
      return;
    }
    case 'saturation': {
      const saturation = region.saturation;
      for (let i = 0; i < n; i++) out[offset + i] = saturation[laneIndex[i] as number] as number;
      return;
    }
    case 'carbon': {
      const co2PerKg = region.co2PerKg;
      for (let i = 0; i < n; i++) out[offset + i] = (co2PerKg[laneIndex[i] as number] as number) * weightKg;
      return;
    }
    case 'cost': {
      const { costPerParcel, costPerKg } = region;
      for (let i = 0; i < n; i++) {
        const l = laneIndex[i] as number;
        out[offset + i] = (costPerParcel[l] as number) + (costPerKg[l] as number) * weightKg;
      }
      return;
    }
    case 'eta': {
      const promised = order.order.promisedHours;
      const eta = c.effectiveEtaHours;
      for (let i = 0; i < n; i++) {
        const hours = eta[i] as number;
        out[offset + i] = promised ? hours / promised : hours;
      }
      return;
    }
    case 'customer': {
      const { tierAffinity, serviceLevel } = region;
      for (let i = 0; i < n; i++) {
        out[offset + i] =
          (tierAffinity[warehouseIndex[i] as number] as number) *
          (serviceLevel[laneIndex[i] as number] as number);
      }
      return;
    }
    case 'weather':
      for (let i = 0; i < n; i++) out[offset + i] = c.weather[i] as number;
      return;
    case 'age': {
      const age = ageFactors(region, ageDecayDays(order));
      for (let i = 0; i < n; i++) out[offset + i] = age[warehouseIndex[i] as number] as number;
      return;
    }
  }
}

/** The `ageDecayDays` parameter of the decision, else its built-in default. */
export function ageDecayDays(order: OrderWork): number {
  return order.params.ageDecayDays ?? builtInParameterDefaults.ageDecayDays;
}

/**
 * exp(−ageDays / decay) per warehouse of the region. Kept with the region's columns for the last decay
 * used, since the parameter rarely changes between decisions.
 */
function ageFactors(region: RegionColumns, decay: number): Float64Array {
  const { ageDays, ageFactor } = region;
  if (region.ageDecay !== undefined && Object.is(region.ageDecay, decay)) return ageFactor;
  const m = region.region.warehouses.length;
  for (let w = 0; w < m; w++) ageFactor[w] = Math.exp(-(ageDays[w] as number) / decay);
  region.ageDecay = decay;
  return ageFactor;
}

/** Shipping cost of `weightKg` on a lane: costPerParcel + costPerKg × weight. */
export function laneCost(lane: LaneFact, weightKg: number): number {
  return (lane.costPerParcel ?? 0) + (lane.costPerKg ?? 0) * weightKg;
}

/** kg CO₂ of `weightKg` on a lane. */
export function laneCarbon(lane: LaneFact, weightKg: number): number {
  return lane.co2PerKg * weightKg;
}
