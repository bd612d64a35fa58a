import type { AlertFact, LaneFact, Order, WarehouseFact, warehouseTiers } from '@orderloom/schema';
import type { FactorTable } from './FactorTable.ts';

/** A warehouse tier: `own`, `regional` or `3pl`. */
export type WarehouseTier = (typeof warehouseTiers)[number];

/** One order line as submitted. */
export type OrderLine = Order['lines'][number];

/** One factor of one candidate: its raw value, normalised value, effective weight and score share. */
export interface FactorValue {
  /** The factor's value before normalisation (hours, yuan, kg CO₂, share of capacity …). */
  raw: number;
  /** 0..1 across the candidates of this decision for `min-max` and `rank` (1 = best); see `normalization`. */
  normalized: number;
  /**
   * The weight applied: the segment's weight, else the factor's `weightParameter` value, else its
   * `weight` (for the customer factor, multiplied by the customer's priority).
   */
  weight: number;
  /** `normalized × weight / Σ weights`; a candidate's score is the sum of its contributions. */
  contribution: number;
}

/**
 * One (warehouse, lane) candidate of a decision. Its factor values are in the decision's
 * {@link RoutingDecision.factorTable}, at the same position as the candidate in the ranking.
 */
export interface RankedCandidate {
  warehouse: string;
  lane: string;
  tier: WarehouseTier;
  score: number;
  feasible: boolean;
  /** Ids of the constraints that rejected the candidate (absent when feasible). */
  rejectedBy?: string[];
}

/**
 * A candidate with its factor record keyed by factor id (as `rankingWithFactors` builds it, and as
 * the runtime's answers show it).
 */
export interface RankedCandidateWithFactors extends RankedCandidate {
  factors: Record<string, FactorValue>;
}

/** One parcel of the decision: a warehouse and lane shipping some of the order's lines. */
export interface AllocationEntry {
  warehouse: string;
  lane: string;
  lines: OrderLine[];
}

/** Why one candidate could not take the order. */
export interface UnroutableReason {
  warehouse: string;
  lane: string;
  rejectedBy: string[];
  /** Human-readable, e.g. `eta: 38.1 h > 36 h (48 h × 0.75)`. */
  detail: string;
}

/** A candidate named by an explanation. */
export interface CandidateRef {
  warehouse: string;
  lane: string;
  score: number;
  feasible: boolean;
}

/** The machine-readable part of the explanation: winner, runner-up and per-factor contribution deltas. */
export interface ExplanationDetail {
  winner: CandidateRef | null;
  runnerUp: CandidateRef | null;
  /** `winner.score − runnerUp.score`, or null without a runner-up. */
  margin: number | null;
  /** Per factor, `winner contribution − runner-up contribution`, largest magnitude first. */
  differences: { factor: string; delta: number }[];
}

/** Facts as the engine reads them for one decision (also the shape of {@link RoutingSnapshot.facts}). */
export interface RoutingFactsSnapshot {
  /** The candidate warehouses, each with `stock` reduced to the order's SKUs. */
  warehouses: WarehouseFact[];
  /** The candidate lanes. */
  lanes: LaneFact[];
  /** The alerts active at `at` that applied to at least one candidate. */
  alerts: AlertFact[];
}

/**
 * Everything a decision read. `route(snapshot.order, snapshot.facts, snapshot.at)` with the same
 * compiled version reproduces the decision exactly (replay).
 */
export interface RoutingSnapshot {
  order: Order;
  facts: RoutingFactsSnapshot;
  /** The decision time, epoch ms, from the caller's clock. */
  at: number;
}

/** The result of routing one order. */
export interface RoutingDecision {
  /** Empty when unroutable; one entry per parcel otherwise. */
  allocation: AllocationEntry[];
  /**
   * Every candidate, in the order the strategy prefers them: feasible first, then by fallback tier,
   * then score (descending), warehouse id, lane id. With one parcel, `ranking[0]` is the winner.
   */
  ranking: RankedCandidate[];
  /**
   * Every candidate's factor values, as columns indexed by ranking position: `factorsOf(r)` builds the
   * record of `ranking[r]`, `rankingWithFactors(decision)` the whole ranking with its records.
   * Serialises (`toJSON`) as the records in ranking order.
   */
  factorTable: FactorTable;
  /** The fallback tier the allocation came from (for a split: the last-resort tier it needed). */
  tierUsed: WarehouseTier | null;
  unroutable?: { reasons: UnroutableReason[] };
  /** E.g. `WH-SZ-01 via LN-1 beat WH-GZ-01 via LN-2 by 0.12: carbon −0.08, eta +0.05`. */
  explanation: string;
  explanationDetail: ExplanationDetail;
  /** Every parameter value used, after date windows and segment overrides. */
  parameters: Record<string, number>;
  /** Id of the segment whose `when` matched, if any. */
  segment?: string;
  snapshot: RoutingSnapshot;
}
