import type { AllocationEntry, CompiledRouting, WarehouseTier } from '@orderloom/engine';
import type { LaneFact, WarehouseFact } from '@orderloom/schema';
import type { DecisionForBacktest } from '../db/decisionsRepository.ts';
import {
  addKpis,
  emptyKpiSums,
  type KpiSums,
  kpiDeltas,
  kpisOf,
  mergeKpiSums,
  outcomeKpis,
} from './decisionKpis.ts';
import type { BacktestResult } from './routingApiSchemas.ts';

/** How many changed decisions a backtest result lists. */
export const maxBacktestExamples = 20;

/** The result of evaluating some of a backtest's decisions; partials of consecutive chunks merge. */
export interface BacktestPartial {
  decisions: number;
  failed: number;
  changed: number;
  winnerChanged: number;
  before: KpiSums;
  after: KpiSums;
  examples: BacktestResult['examples'];
}

/** The lanes of a stored lane set, parsed once per backtest (or worker). */
export type LaneSets = (hash: string) => { lanes: LaneFact[]; byId: ReadonlyMap<string, LaneFact> };

/** An empty {@link BacktestPartial}. */
export function emptyPartial(): BacktestPartial {
  return {
    decisions: 0,
    failed: 0,
    changed: 0,
    winnerChanged: 0,
    before: emptyKpiSums(),
    after: emptyKpiSums(),
    examples: [],
  };
}

/**
 * Evaluates one stored decision into `partial`: the baseline's outcome (the stored one when the
 * baseline made the decision) against the candidate's, both over the decision's snapshot at its time.
 * A decision either side cannot evaluate counts as failed and is left out of the KPIs.
 */
export function evaluateDecision(
  partial: BacktestPartial,
  row: DecisionForBacktest,
  strategies: { candidate: CompiledRouting; baseline: CompiledRouting; baselineVersion: number },
  laneSets: LaneSets,
): void {
  partial.decisions++;
  const { body } = row;
  const lanes = laneSets(row.laneSet);
  const warehouses = new Map<string, WarehouseFact>();
  for (const w of body.warehouses) warehouses.set(w.id, w);
  let base: { allocation: AllocationEntry[]; tierUsed: WarehouseTier | null };
  let next: { allocation: AllocationEntry[]; tierUsed: WarehouseTier | null };
  try {
    // Unindexed: each snapshot is routed once or twice and never again, so the engine's per-region
    // caches (typed-array frames kept for indexed facts) would be built for nothing — and collected.
    const facts = { warehouses, lanes: lanes.lanes, alerts: body.alerts };
    base =
      row.version === strategies.baselineVersion
        ? body
        : strategies.baseline.route(body.order, facts, row.at);
    next = strategies.candidate.route(body.order, facts, row.at);
  } catch {
    partial.failed++;
    return;
  }
  const facts = { order: body.order, warehouses, lanes: lanes.byId, alerts: body.alerts, at: row.at };
  addKpis(partial.before, outcomeKpis(base.allocation, base.tierUsed, facts));
  addKpis(partial.after, outcomeKpis(next.allocation, next.tierUsed, facts));
  if (signature(base.allocation) === signature(next.allocation)) return;
  partial.changed++;
  const a = base.allocation[0];
  const b = next.allocation[0];
  if (a?.warehouse !== b?.warehouse || a?.lane !== b?.lane) partial.winnerChanged++;
  if (partial.examples.length < maxBacktestExamples) {
    partial.examples.push({
      decisionId: row.id,
      orderId: row.orderId,
      before: base.allocation.map(({ warehouse, lane }) => ({ warehouse, lane })),
      after: next.allocation.map(({ warehouse, lane }) => ({ warehouse, lane })),
    });
  }
}

/** Adds `more` into `into`; merge partials in chunk order so that results do not depend on timing. */
export function mergePartial(into: BacktestPartial, more: BacktestPartial): void {
  into.decisions += more.decisions;
  into.failed += more.failed;
  into.changed += more.changed;
  into.winnerChanged += more.winnerChanged;
  mergeKpiSums(into.before, more.before);
  mergeKpiSums(into.after, more.after);
  for (const example of more.examples) {
    if (into.examples.length < maxBacktestExamples) into.examples.push(example);
  }
}

/** The backtest result of the merged partial of all chunks. */
export function backtestResult(partial: BacktestPartial, durationMs: number): BacktestResult {
  const baseline = kpisOf(partial.before);
  const candidate = kpisOf(partial.after);
  const compared = partial.decisions - partial.failed;
  return {
    decisions: partial.decisions,
    failed: partial.failed,
    changed: partial.changed,
    changedShare: compared > 0 ? partial.changed / compared : null,
    winnerChanged: partial.winnerChanged,
    baseline,
    candidate,
    deltas: kpiDeltas(baseline, candidate),
    examples: partial.examples,
    durationMs,
  };
}

/** A lane-set cache over a `laneSet(hash)` reader. */
export function laneSetCache(read: (hash: string) => LaneFact[]): LaneSets {
  const sets = new Map<string, { lanes: LaneFact[]; byId: Map<string, LaneFact> }>();
  return (hash) => {
    let set = sets.get(hash);
    if (!set) {
      const lanes = read(hash);
      set = { lanes, byId: new Map(lanes.map((l) => [l.id, l])) };
      sets.set(hash, set);
    }
    return set;
  };
}

function signature(allocation: readonly AllocationEntry[]): string {
  let out = '';
  for (const parcel of allocation) {
    out += `${parcel.warehouse}\u0000${parcel.lane}`;
    for (const line of parcel.lines) out += `\u0000${line.sku}\u0000${line.qty}`;
    out += '\u0001';
  }
  return out;
}
