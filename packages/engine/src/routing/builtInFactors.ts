import type { Factor, LaneFact, Order, WarehouseFact } from '@orderloom/schema';
import type { CelContext } from '../compileCel.ts';
import type { FactorValue, RankedCandidate, WarehouseTier } from '../routingDecision.ts';

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

/** One (warehouse, lane) candidate while a decision is being computed. */
export interface CandidateWork {
  /** The warehouse as the snapshot records it (stock reduced to the order's SKUs). */
  warehouse: WarehouseFact;
  lane: LaneFact;
  tierIndex: number;
  /** True when the warehouse holds the total quantity of every SKU of the order. */
  hasAllStock: boolean;
  /** Bit g set when the warehouse holds the order's g-th distinct SKU (orders of ≤ 30 SKUs). */
  stockMask: number;
  /** Product of the impacts of the active alerts matching the lane's mode and either region. */
  weather: number;
  /** `etaHours / max(weather, minimumReliability)`. */
  effectiveEtaHours: number;
  score: number;
  rejectedBy: string[] | undefined;
  /** The candidate's row of the decision's ranking. */
  entry: RankedCandidate | undefined;
  /** The candidate's factor values in definition order (the same objects as `entry.factors`). */
  values: FactorValue[] | undefined;
  /** CEL variables, built only when the strategy has custom expressions. */
  cel: CelContext | undefined;
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
 * One loop per type keeps each call site monomorphic; this is the hot path of every decision.
 */
export function builtInRawValues(
  type: BuiltInFactorType,
  candidates: readonly CandidateWork[],
  order: OrderWork,
  out: number[],
  offset: number,
): void {
  const n = candidates.length;
  const { weightKg } = order;
  switch (type) {
    case 'capacity':
      for (let i = 0; i < n; i++) {
        const { capacityPerDay, load } = (candidates[i] as CandidateWork).warehouse;
        out[offset + i] = capacityPerDay > 0 ? (capacityPerDay - load) / capacityPerDay : 0;
      }
      return;
    case 'saturation':
      for (let i = 0; i < n; i++) out[offset + i] = (candidates[i] as CandidateWork).lane.saturation;
      return;
    case 'carbon':
      for (let i = 0; i < n; i++)
        out[offset + i] = laneCarbon((candidates[i] as CandidateWork).lane, weightKg);
      return;
    case 'cost':
      for (let i = 0; i < n; i++) out[offset + i] = laneCost((candidates[i] as CandidateWork).lane, weightKg);
      return;
    case 'eta': {
      const promised = order.order.promisedHours;
      for (let i = 0; i < n; i++) {
        const eta = (candidates[i] as CandidateWork).effectiveEtaHours;
        out[offset + i] = promised ? eta / promised : eta;
      }
      return;
    }
    case 'customer':
      for (let i = 0; i < n; i++) {
        const c = candidates[i] as CandidateWork;
        out[offset + i] = warehouseTierAffinity[c.warehouse.tier] * laneServiceLevel[c.lane.mode];
      }
      return;
    case 'weather':
      for (let i = 0; i < n; i++) out[offset + i] = (candidates[i] as CandidateWork).weather;
      return;
    case 'age': {
      const decay = order.params.ageDecayDays ?? builtInParameterDefaults.ageDecayDays;
      for (let i = 0; i < n; i++)
        out[offset + i] = Math.exp(-(candidates[i] as CandidateWork).warehouse.ageDays / decay);
      return;
    }
  }
}

/** Shipping cost of `weightKg` on a lane: costPerParcel + costPerKg × weight. */
export function laneCost(lane: LaneFact, weightKg: number): number {
  return (lane.costPerParcel ?? 0) + (lane.costPerKg ?? 0) * weightKg;
}

/** kg CO₂ of `weightKg` on a lane. */
export function laneCarbon(lane: LaneFact, weightKg: number): number {
  return lane.co2PerKg * weightKg;
}
