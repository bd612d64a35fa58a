import type {
  AlertFact,
  Constraint,
  Factor,
  LaneFact,
  Order,
  Report,
  RoutingDefinition,
  WarehouseFact,
} from '@orderloom/schema';
import { type CelContext, CelError, type CompiledCel, compileCel } from './compileCel.ts';
import { type IndexedFacts, indexFacts, isIndexedFacts, type RoutingFacts } from './indexFacts.ts';
import {
  type BuiltInFactorType,
  builtInParameterDefaults,
  builtInRawValues,
  type CandidateWork,
  customerPriority,
  laneCarbon,
  laneCost,
  minimumReliability,
  type OrderWork,
} from './routing/builtInFactors.ts';
import { explainDecision } from './routing/explainDecision.ts';
import { normalizeFactor } from './routing/normalizeFactor.ts';
import { maxSplitSkus, planSplit } from './routing/planSplit.ts';
import { recordBuilder } from './routing/recordBuilder.ts';
import type {
  AllocationEntry,
  FactorValue,
  RankedCandidate,
  RoutingDecision,
  UnroutableReason,
  WarehouseTier,
} from './routingDecision.ts';

/** A routing strategy version compiled for repeated use. */
export interface CompiledRouting {
  readonly definition: RoutingDefinition;
  /**
   * Routes one order. Pure and deterministic: the same order, facts and `at` give the same decision,
   * and `route(d.snapshot.order, d.snapshot.facts, d.snapshot.at)` reproduces decision `d`.
   *
   * @param facts raw facts, or (faster, for many decisions) the result of `indexFacts`.
   * @param at the decision time in epoch ms, from the caller's clock; it selects parameter windows and
   *   active alerts.
   * @throws CelError when a custom expression fails or returns the wrong type for this order.
   */
  route(order: Order, facts: RoutingFacts | IndexedFacts, at: number): RoutingDecision;
}

/** The definition cannot be compiled; `reports` name each problem by JSON Pointer. */
export class RoutingDefinitionError extends Error {
  override readonly name = 'RoutingDefinitionError';
  readonly reports: Report[];

  constructor(reports: Report[]) {
    super(`routing definition does not compile: ${reports.map((r) => `${r.path}: ${r.message}`).join('; ')}`);
    this.reports = reports;
  }
}

interface CompiledFactor {
  id: string;
  type: Factor['type'];
  higherBetter: boolean;
  normalization: Factor['normalization'];
  weight: number;
  weightParameter: string | undefined;
  /** Set for custom factors only. */
  expression: CompiledCel | undefined;
}

interface CompiledConstraint {
  id: string;
  type: Constraint['type'];
  /** The ETA tolerance parameter (eta constraints). */
  parameter: string;
  /** Set for custom constraints only. */
  expression: CompiledCel | undefined;
}

interface CompiledParameter {
  name: string;
  value: number;
  windows: { from: number; to: number; value: number }[];
}

interface CompiledSegment {
  id: string;
  when: CompiledCel;
  weights: Record<string, number>;
  parameters: Record<string, number>;
}

/** The active alerts of one decision, and which of them applied to a candidate (for the snapshot). */
interface ActiveAlerts {
  facts: AlertFact[];
  /** Whether the alert names the order's destination region (then only its modes matter). */
  atDestination: boolean[];
  used: boolean[];
}

/** What a decision needs of one candidate warehouse, shared by its lanes. */
type WarehouseSite = Pick<CandidateWork, 'warehouse' | 'tierIndex' | 'hasAllStock' | 'stockMask'>;

/** Parcels one candidate takes (no split: the whole order ships as one parcel). */
const parcelsPerCandidate = 1;

/**
 * Compiles a routing strategy once per version: CEL expressions (custom factors and constraints,
 * segment `when`) are parsed here, built-in factors and constraints are plain TypeScript.
 *
 * How a decision is made:
 * 1. Parameters: base value; the first window whose [from, to) contains `at` overrides it; the first
 *    segment whose `when` holds (segments are tried in order, at most one applies) overrides parameters
 *    and weights. A factor's weight is the segment's weight for it, else its `weightParameter`'s value,
 *    else its `weight`. Segment `when` sees `order`, `customer`, `channel`, `destination`, `params`.
 * 2. Candidates: every (warehouse, lane) pair whose lane serves the destination region, from warehouses
 *    whose tier is listed in `fallbackTiers`. An alert applies to a candidate while validFrom ≤ at <
 *    validTo, when it names the lane's mode and the warehouse's or the destination's region.
 * 3. Each factor's raw value is normalised across all candidates of the decision (`normalizeFactor`);
 *    a candidate's score is Σ normalized × weight / Σ weights.
 * 4. Constraints mark candidates infeasible (stock: the warehouse holds every SKU's total quantity;
 *    capacity: capacityPerDay − load ≥ 1 parcel; eta: effective ETA ≤ promisedHours × tolerance
 *    parameter, default `etaTolerance`, else 1 — only for orders with a promise; custom: a CEL bool over
 *    `order`, `warehouse`, `lane`, `candidate`, `params`). They stay in the ranking with `rejectedBy`.
 * 5. The best feasible candidate of the first tier that has one wins (ties: warehouse id, then lane id).
 *    With `fewest-parcels`, when no candidate passes everything but stock-rejected ones together hold
 *    every SKU, the fewest warehouses (≤ maxParcels) that do are chosen (`planSplit`).
 *
 * @throws RoutingDefinitionError when an expression does not parse or ids are duplicated.
 * @example
 * const strategy = compileRouting(routingDefinitionSchema.parse(json));
 * const decision = strategy.route(order, indexFacts(facts), clock.now());
 */
export function compileRouting(definition: RoutingDefinition): CompiledRouting {
  const reports: Report[] = [];
  const cel = (expression: string | undefined, path: string): CompiledCel | undefined => {
    if (expression === undefined) {
      reports.push({ path, severity: 'error', message: 'a custom expression is required' });
      return undefined;
    }
    try {
      return compileCel(expression, { path });
    } catch (error) {
      if (!(error instanceof CelError)) throw error;
      reports.push({
        path,
        severity: 'error',
        message: error.summary,
        ...(error.line === undefined ? {} : { line: error.line }),
        ...(error.column === undefined ? {} : { column: error.column }),
      });
      return undefined;
    }
  };
  const idLists: [string, string, string[]][] = [
    ['factors', 'id', definition.factors.map((f) => f.id)],
    ['constraints', 'id', definition.constraints.map((c) => c.id)],
    ['parameters', 'name', definition.parameters.map((p) => p.name)],
  ];
  for (const [list, key, ids] of idLists) {
    ids.forEach((id, i) => {
      if (ids.indexOf(id) < i) {
        reports.push({
          path: `/${list}/${i}/${key}`,
          severity: 'error',
          message: `duplicate ${key} "${id}"`,
        });
      }
    });
  }

  const factors: CompiledFactor[] = definition.factors.map((factor, i) => ({
    id: factor.id,
    type: factor.type,
    higherBetter: factor.direction === 'higher-better',
    normalization: factor.normalization,
    weight: factor.weight,
    weightParameter: factor.weightParameter,
    expression: factor.type === 'custom' ? cel(factor.expression, `/factors/${i}/expression`) : undefined,
  }));
  const constraints: CompiledConstraint[] = definition.constraints.map((constraint, i) => ({
    id: constraint.id,
    type: constraint.type,
    parameter: constraint.parameter ?? 'etaTolerance',
    expression:
      constraint.type === 'custom' ? cel(constraint.expression, `/constraints/${i}/expression`) : undefined,
  }));
  const parameters: CompiledParameter[] = definition.parameters.map((parameter) => ({
    name: parameter.name,
    value: parameter.value,
    windows: parameter.windows.map((w) => ({
      from: Date.parse(w.from),
      to: Date.parse(w.to),
      value: w.value,
    })),
  }));
  const factorIds = new Set(factors.map((f) => f.id));
  const segments: CompiledSegment[] = definition.segments.map((segment, i) => {
    for (const id of Object.keys(segment.weights)) {
      if (!factorIds.has(id)) {
        reports.push({
          path: `/segments/${i}/weights/${id}`,
          severity: 'error',
          message: `no factor "${id}"`,
        });
      }
    }
    return {
      id: segment.id,
      when: cel(segment.when, `/segments/${i}/when`) as CompiledCel,
      weights: segment.weights,
      parameters: segment.parameters,
    };
  });
  if (reports.length > 0) throw new RoutingDefinitionError(reports);

  const tiers = definition.fallbackTiers as readonly WarehouseTier[];
  const tierIndex: Record<WarehouseTier, number> = { own: -1, regional: -1, '3pl': -1 };
  tiers.forEach((tier, i) => {
    if (tierIndex[tier] === -1) tierIndex[tier] = i;
  });
  const defaults: Record<string, number> = {};
  if (factors.some((f) => f.type === 'age')) defaults.ageDecayDays = builtInParameterDefaults.ageDecayDays;
  if (factors.some((f) => f.type === 'customer'))
    defaults.ltvReference = builtInParameterDefaults.ltvReference;
  for (const c of constraints)
    if (c.type === 'eta') defaults[c.parameter] = builtInParameterDefaults.etaTolerance;
  const needsCel = factors.some((f) => f.expression) || constraints.some((c) => c.expression);
  const stockConstraintIds = new Set(constraints.filter((c) => c.type === 'stock').map((c) => c.id));
  const splitAllowed =
    definition.split.policy === 'fewest-parcels' &&
    definition.split.maxParcels >= 2 &&
    stockConstraintIds.size > 0;
  const factorIdList = factors.map((f) => f.id);
  const factorRecord = recordBuilder<FactorValue>(factorIdList);

  function resolveParameters(
    order: Order,
    at: number,
  ): { params: Record<string, number>; segment?: CompiledSegment } {
    const params: Record<string, number> = { ...defaults };
    for (const p of parameters) {
      let value = p.value;
      for (const w of p.windows) {
        if (w.from <= at && at < w.to) {
          value = w.value;
          break;
        }
      }
      params[p.name] = value;
    }
    if (segments.length === 0) return { params };
    const context: CelContext = {
      order,
      customer: order.customer,
      channel: order.channel,
      destination: order.destination,
      params,
    };
    for (const segment of segments) {
      if (segment.when.evaluateBoolean(context)) {
        Object.assign(params, segment.parameters);
        return { params, segment };
      }
    }
    return { params };
  }

  function resolveWeights(
    order: Order,
    params: Record<string, number>,
    segment: CompiledSegment | undefined,
  ) {
    const priority = customerPriority(
      order.customer,
      params.ltvReference ?? builtInParameterDefaults.ltvReference,
    );
    const weights = new Array<number>(factors.length);
    let sum = 0;
    for (let f = 0; f < factors.length; f++) {
      const factor = factors[f] as CompiledFactor;
      let w =
        segment?.weights[factor.id] ??
        (factor.weightParameter === undefined ? undefined : params[factor.weightParameter]) ??
        factor.weight;
      if (factor.type === 'customer') w *= priority;
      weights[f] = w;
      sum += w;
    }
    return { weights, sum };
  }

  function enumerateCandidates(index: IndexedFacts, work: OrderWork, alerts: ActiveAlerts) {
    const candidates: CandidateWork[] = [];
    const lanes: LaneFact[] = [];
    const warehouses: WarehouseFact[] = [];
    const region = index.regions.get(work.order.destination.region);
    if (!region) return { candidates, lanes, warehouses };
    const sites = new Array<WarehouseSite | null | undefined>(region.warehouses.length);
    for (let l = 0; l < region.lanes.length; l++) {
      const lane = region.lanes[l] as LaneFact;
      const w = region.origins[l] as number;
      let site = sites[w];
      if (site === undefined) {
        const source = region.warehouses[w] as WarehouseFact;
        const ti = tierIndex[source.tier];
        site = ti < 0 ? null : warehouseSite(source, ti, work);
        sites[w] = site;
        if (site) warehouses.push(site.warehouse);
      }
      if (site === null) continue;
      let weather = 1;
      for (let a = 0; a < alerts.facts.length; a++) {
        const alert = alerts.facts[a] as AlertFact;
        if (
          alert.modes.includes(lane.mode) &&
          (alerts.atDestination[a] || alert.regions.includes(site.warehouse.region))
        ) {
          weather *= alert.impact;
          alerts.used[a] = true;
        }
      }
      lanes.push(lane);
      candidates.push({
        warehouse: site.warehouse,
        lane,
        tierIndex: site.tierIndex,
        hasAllStock: site.hasAllStock,
        stockMask: site.stockMask,
        weather,
        effectiveEtaHours: lane.etaHours / Math.max(weather, minimumReliability),
        score: 0,
        rejectedBy: undefined,
        entry: undefined,
        values: undefined,
        cel: undefined,
      });
    }
    return { candidates, lanes, warehouses };
  }

  function applyConstraints(candidates: readonly CandidateWork[], work: OrderWork): void {
    if (needsCel) for (const c of candidates) c.cel = celVariables(c, work);
    for (const constraint of constraints) {
      for (const c of candidates) {
        if (holds(constraint, c, work)) continue;
        if (c.rejectedBy) c.rejectedBy.push(constraint.id);
        else c.rejectedBy = [constraint.id];
      }
    }
  }

  function scoreCandidates(
    candidates: readonly CandidateWork[],
    work: OrderWork,
    weights: number[],
    sum: number,
  ) {
    const n = candidates.length;
    // Factor-major columns: raw[f * n + i].
    const raw = new Array<number>(n * factors.length);
    const normalized = new Array<number>(n * factors.length);
    for (let f = 0; f < factors.length; f++) {
      const factor = factors[f] as CompiledFactor;
      const offset = f * n;
      const expression = factor.expression;
      if (expression) {
        for (let i = 0; i < n; i++) {
          raw[offset + i] = expression.evaluateNumber((candidates[i] as CandidateWork).cel as CelContext);
        }
      } else {
        builtInRawValues(factor.type as BuiltInFactorType, candidates, work, raw, offset);
      }
      normalizeFactor(raw, offset, n, factor.higherBetter, factor.normalization, normalized);
    }
    for (let i = 0; i < n; i++) {
      const c = candidates[i] as CandidateWork;
      const values = new Array<FactorValue>(factors.length);
      let score = 0;
      for (let f = 0, k = i; f < values.length; f++, k += n) {
        const weight = weights[f] as number;
        const norm = normalized[k] as number;
        const contribution = sum > 0 ? (norm * weight) / sum : 0;
        score += contribution;
        values[f] = { raw: raw[k] as number, normalized: norm, weight, contribution };
      }
      c.score = score;
      const entry: RankedCandidate = {
        warehouse: c.warehouse.id,
        lane: c.lane.id,
        tier: c.warehouse.tier,
        score,
        feasible: c.rejectedBy === undefined,
        factors: factorRecord(values),
      };
      if (c.rejectedBy) entry.rejectedBy = c.rejectedBy;
      c.entry = entry;
      c.values = values;
    }
  }

  function allocate(sorted: readonly CandidateWork[], work: OrderWork) {
    const best = sorted[0];
    if (best && best.rejectedBy === undefined) {
      const allocation: AllocationEntry[] = [
        { warehouse: best.warehouse.id, lane: best.lane.id, lines: work.order.lines },
      ];
      return { allocation, tierUsed: tiers[best.tierIndex] as WarehouseTier };
    }
    if (splitAllowed && work.skus.length <= maxSplitSkus) {
      const pool = [];
      for (const c of sorted) {
        if ((c.rejectedBy ?? []).every((id) => stockConstraintIds.has(id))) {
          pool.push({
            work: c,
            warehouse: c.warehouse.id,
            tierIndex: c.tierIndex,
            score: c.score,
            covers: c.stockMask,
          });
        }
      }
      const plan = planSplit(pool, work.skus.length, definition.split.maxParcels, tiers.length);
      if (plan) {
        const allocation = plan.parcels.map(({ candidate, skuIndexes }) => {
          const shipped = new Set(skuIndexes.map((g) => work.skus[g] as string));
          return {
            warehouse: candidate.warehouse,
            lane: candidate.work.lane.id,
            lines: work.order.lines.filter((l) => shipped.has(l.sku)),
          };
        });
        return { allocation, tierUsed: tiers[plan.tierIndex] as WarehouseTier };
      }
    }
    return { allocation: [] as AllocationEntry[], tierUsed: null };
  }

  function route(order: Order, facts: RoutingFacts | IndexedFacts, at: number): RoutingDecision {
    const index = isIndexedFacts(facts) ? facts : indexFacts(facts);
    const { params, segment } = resolveParameters(order, at);
    const work = orderWork(order, params);
    const { weights, sum } = resolveWeights(order, params, segment);
    const alerts = activeAlerts(index, at, order.destination.region);
    const { candidates, lanes, warehouses } = enumerateCandidates(index, work, alerts);
    applyConstraints(candidates, work);
    scoreCandidates(candidates, work, weights, sum);
    const sorted = sortCandidates(candidates);
    const ranking = sorted.map((c) => c.entry as RankedCandidate);
    const { allocation, tierUsed } = allocate(sorted, work);

    let reasons: UnroutableReason[] | undefined;
    if (allocation.length === 0) {
      reasons = sorted.map((c) => ({
        warehouse: c.warehouse.id,
        lane: c.lane.id,
        rejectedBy: c.rejectedBy ?? [],
        detail: constraints
          .filter((k) => c.rejectedBy?.includes(k.id))
          .map((k) => describe(k, c, work))
          .join('; '),
      }));
    }
    const { explanation, detail } = explainDecision({
      ranking,
      leaders: sorted.slice(0, 2).map((c) => c.values as FactorValue[]),
      allocation,
      factorIds: factorIdList,
      tiers,
      tierUsed,
      destinationRegion: order.destination.region,
      maxParcels: definition.split.maxParcels,
      splitAllowed,
      reasons,
    });
    const decision: RoutingDecision = {
      allocation,
      ranking,
      tierUsed,
      explanation,
      explanationDetail: detail,
      parameters: params,
      snapshot: {
        order,
        facts: { warehouses, lanes, alerts: alerts.facts.filter((_, a) => alerts.used[a]) },
        at,
      },
    };
    if (reasons) decision.unroutable = { reasons };
    if (segment) decision.segment = segment.id;
    return decision;
  }

  return { definition, route };
}

/** Order weight and the order's distinct SKUs with their total quantities. */
function orderWork(order: Order, params: Record<string, number>): OrderWork {
  const skus: string[] = [];
  const quantities: number[] = [];
  let weightKg = 0;
  for (const line of order.lines) {
    weightKg += line.qty * (line.weightKg ?? 1);
    const g = skus.indexOf(line.sku);
    if (g < 0) {
      skus.push(line.sku);
      quantities.push(line.qty);
    } else {
      quantities[g] = (quantities[g] as number) + line.qty;
    }
  }
  return { order, weightKg, skus, quantities, params };
}

function activeAlerts(index: IndexedFacts, at: number, region: string): ActiveAlerts {
  const active: ActiveAlerts = { facts: [], atDestination: [], used: [] };
  for (const alert of index.alerts) {
    if (alert.from <= at && at < alert.to) {
      active.facts.push(alert.fact);
      active.atDestination.push(alert.fact.regions.includes(region));
      active.used.push(false);
    }
  }
  return active;
}

/**
 * A candidate warehouse as the decision records it — stock reduced to the order's SKUs, which is all a
 * replay may read — and what its stock covers, computed once per warehouse rather than per lane.
 */
function warehouseSite(source: WarehouseFact, tierIndex: number, work: OrderWork): WarehouseSite {
  const stock: Record<string, number> = {};
  let hasAllStock = true;
  let stockMask = 0;
  for (let g = 0; g < work.skus.length; g++) {
    const sku = work.skus[g] as string;
    const qty = source.stock[sku];
    if (qty !== undefined) stock[sku] = qty;
    if ((qty ?? 0) >= (work.quantities[g] as number)) {
      if (g < maxSplitSkus) stockMask |= 1 << g;
    } else {
      hasAllStock = false;
    }
  }
  return { warehouse: { ...source, stock }, tierIndex, hasAllStock, stockMask };
}

function holds(constraint: CompiledConstraint, c: CandidateWork, work: OrderWork): boolean {
  switch (constraint.type) {
    case 'stock':
      return c.hasAllStock;
    case 'capacity':
      return c.warehouse.capacityPerDay - c.warehouse.load >= parcelsPerCandidate;
    case 'eta': {
      const promised = work.order.promisedHours;
      return promised === undefined || c.effectiveEtaHours <= promised * etaTolerance(constraint, work);
    }
    case 'custom':
      return (constraint.expression as CompiledCel).evaluateBoolean(c.cel as CelContext);
  }
}

/** Why `constraint` rejected `c`, for the unroutable reasons. */
function describe(constraint: CompiledConstraint, c: CandidateWork, work: OrderWork): string {
  const { id } = constraint;
  const { warehouse } = c;
  switch (constraint.type) {
    case 'stock': {
      const short = work.skus
        .map((sku, g) => ({ sku, has: warehouse.stock[sku] ?? 0, needs: work.quantities[g] as number }))
        .filter((s) => s.has < s.needs)
        .map((s) => `${s.sku} has ${s.has} of ${s.needs}`);
      return `${id}: ${short.join(', ')}`;
    }
    case 'capacity':
      return `${id}: ${warehouse.capacityPerDay - warehouse.load} left of ${warehouse.capacityPerDay}, needs ${parcelsPerCandidate}`;
    case 'eta': {
      const promised = work.order.promisedHours as number;
      const tolerance = etaTolerance(constraint, work);
      return `${id}: ${hours(c.effectiveEtaHours)} h > ${hours(promised * tolerance)} h (${promised} h × ${tolerance})`;
    }
    case 'custom':
      return `${id}: \`${constraint.expression?.expression ?? ''}\` is false`;
  }
}

function etaTolerance(constraint: CompiledConstraint, work: OrderWork): number {
  return work.params[constraint.parameter] ?? builtInParameterDefaults.etaTolerance;
}

function celVariables(c: CandidateWork, order: OrderWork): CelContext {
  const { warehouse, lane } = c;
  return {
    order: order.order,
    warehouse,
    lane,
    params: order.params,
    candidate: {
      warehouse: warehouse.id,
      lane: lane.id,
      tier: warehouse.tier,
      weightKg: order.weightKg,
      weather: c.weather,
      etaHours: c.effectiveEtaHours,
      remainingCapacity: warehouse.capacityPerDay - warehouse.load,
      cost: laneCost(lane, order.weightKg),
      carbon: laneCarbon(lane, order.weightKg),
    },
  };
}

/**
 * Preference order: feasible first, then fallback tier, score (descending), warehouse id, lane id.
 * Insertion sort for the usual tens of candidates (cheaper than calling a comparator through
 * `Array.prototype.sort`); large candidate sets use the built-in sort.
 */
function sortCandidates(candidates: readonly CandidateWork[]): CandidateWork[] {
  const out = candidates.slice();
  if (out.length > 64) return out.sort(compareCandidates);
  for (let i = 1; i < out.length; i++) {
    const item = out[i] as CandidateWork;
    let j = i - 1;
    while (j >= 0 && compareCandidates(out[j] as CandidateWork, item) > 0) {
      out[j + 1] = out[j] as CandidateWork;
      j--;
    }
    out[j + 1] = item;
  }
  return out;
}

function compareCandidates(a: CandidateWork, b: CandidateWork): number {
  const af = a.rejectedBy === undefined;
  const bf = b.rejectedBy === undefined;
  if (af !== bf) return af ? -1 : 1;
  if (a.tierIndex !== b.tierIndex) return a.tierIndex - b.tierIndex;
  if (a.score !== b.score) return b.score - a.score;
  const aw = a.warehouse.id;
  const bw = b.warehouse.id;
  if (aw !== bw) return aw < bw ? -1 : 1;
  const al = a.lane.id;
  const bl = b.lane.id;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

function hours(h: number): string {
  return Number.isInteger(h) ? String(h) : h.toFixed(1);
}
