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
import { FactorTable } from './FactorTable.ts';
import { type IndexedFacts, indexFacts, isIndexedFacts, type RoutingFacts } from './indexFacts.ts';
import {
  ageDecayDays,
  type BuiltInFactorType,
  builtInParameterDefaults,
  builtInRawValues,
  type CandidateColumns,
  customerPriority,
  laneCarbon,
  laneCost,
  minimumReliability,
  type OrderWork,
} from './routing/builtInFactors.ts';
import { explainDecision } from './routing/explainDecision.ts';
import { normalizeFactor } from './routing/normalizeFactor.ts';
import { maxSplitSkus, planSplit } from './routing/planSplit.ts';
import { modeBits, type RegionColumns, regionColumns } from './routing/regionColumns.ts';
import type {
  AllocationEntry,
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
   * @returns the decision; its factor values are columns (`decision.factorTable`), build the records
   *   of the candidates you show with `factorTable.factorsOf(position)` or `rankingWithFactors`.
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
  /** The alert's modes as {@link modeBits}. */
  modes: number[];
}

/** Built-in factors whose values depend on the candidates alone (and `ageDecayDays`), not on the order. */
const orderIndependentFactors: ReadonlySet<Factor['type']> = new Set([
  'capacity',
  'saturation',
  'customer',
  'weather',
  'age',
]);

/**
 * What a decision knows before it looks at the order: which lanes of the destination region are
 * candidates, their sites, alert impacts and effective ETAs. It depends on the facts, the strategy and
 * the set of active alerts only, so over indexed facts it is kept per region and reused by every
 * decision with the same active alerts — together with the raw and normalised values of the
 * order-independent factors, filled in as decisions need them.
 */
interface CandidateFrame {
  n: number;
  laneIndex: Int32Array;
  warehouseIndex: Int32Array;
  site: Int32Array;
  weather: Float64Array;
  effectiveEtaHours: Float64Array;
  lanes: LaneFact[];
  /** Per site: its warehouse's position in the region, in first-seen order. */
  sites: number[];
  siteTier: number[];
  /** The active alerts that applied to at least one candidate (for the snapshot). */
  alerts: AlertFact[];
  /** {@link activeAlertKey} of the alerts the frame was built for. */
  alertKey: number;
  /**
   * Factor-major raw values, then normalised values: cell `f * n + i` is the raw value of factor f for
   * candidate i, cell `(F + f) * n + i` its normalised value (F factors). Those of order-independent
   * factors stay valid for the next decision over the frame; every decision rewrites the others (a
   * decision runs to completion before the next starts). A plain array rather than a Float64Array:
   * each decision's factor table copies it, and `slice` of an array is a copy on the JS heap, several
   * times cheaper than allocating a typed array's backing store.
   */
  values: number[];
  /** Per order-independent factor: the parameter its values were computed for (`ageDecayDays`, else 0). */
  factorKey: (number | undefined)[];
}

/**
 * The candidates of one decision: the columns the factors read, plus what constraints, the ranking and
 * the snapshot need. Candidate i (i < n) is `lanes[i]` from site `site[i]`; a site is a candidate warehouse, in
 * first-seen order (the snapshot's warehouses).
 */
interface Candidates extends CandidateColumns {
  /** The frame the candidates come from; its factor columns are this decision's raw and normalised values. */
  frame: CandidateFrame;
  lanes: LaneFact[];
  site: Int32Array;
  rejectedBy: (string[] | undefined)[];
  score: Float64Array;
  /** Sort group: 0.. for feasible candidates by fallback tier, then the rejected ones likewise. */
  group: Int32Array;
  /** CEL variables per candidate, built only when the strategy has custom expressions. */
  cel: CelContext[] | undefined;
  /** Per site: the warehouse as the snapshot records it (stock reduced to the order's SKUs). */
  warehouses: WarehouseFact[];
  siteTier: number[];
  /** Per site: true when the warehouse holds the total quantity of every SKU of the order. */
  siteHasAllStock: boolean[];
  /** Per site: bit g set when the warehouse holds the order's g-th distinct SKU (orders of ≤ 30 SKUs). */
  siteStockMask: number[];
}

/**
 * Per-decision working memory, reused by the decisions of one compiled strategy (a decision runs to
 * completion before the next starts; nothing in it outlives the decision). Typed arrays above a few
 * dozen bytes live outside the JS heap and are costly to allocate for every decision.
 */
class Scratch {
  capacity = -1;
  factorCount: number;
  laneIndex = new Int32Array(0);
  warehouseIndex = new Int32Array(0);
  site = new Int32Array(0);
  weather = new Float64Array(0);
  effectiveEtaHours = new Float64Array(0);
  score = new Float64Array(0);
  /** Sort group: feasible candidates first, then by fallback tier. */
  group = new Int32Array(0);
  order = new Int32Array(0);
  mergeBuffer = new Int32Array(0);
  /** The factor values of a frame that is not kept (see {@link CandidateFrame.values}). */
  values: number[] = [];
  /** Per warehouse of the region: its site, −1 when its tier is not a fallback tier, −2 before it is seen. */
  siteOf = new Int32Array(0);
  /** Columns of the last region indexed for a single decision, refilled by the next such decision. */
  columns: RegionColumns | undefined;

  constructor(factorCount: number) {
    this.factorCount = factorCount;
  }

  reserve(candidates: number, regionWarehouses: number): void {
    if (candidates > this.capacity) {
      const size = Math.max(candidates, 2 * this.capacity, 32);
      this.capacity = size;
      this.laneIndex = new Int32Array(size);
      this.warehouseIndex = new Int32Array(size);
      this.site = new Int32Array(size);
      this.weather = new Float64Array(size);
      this.effectiveEtaHours = new Float64Array(size);
      this.score = new Float64Array(size);
      this.group = new Int32Array(size);
      this.order = new Int32Array(size);
      this.mergeBuffer = new Int32Array(size);
      this.values = zeros(2 * size * this.factorCount);
    }
    if (regionWarehouses > this.siteOf.length) {
      this.siteOf = new Int32Array(Math.max(regionWarehouses, 2 * this.siteOf.length, 32));
    }
  }
}

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
 *    a candidate's score is Σ normalized × weight / Σ weights. The decision keeps every candidate's raw
 *    and normalised values as columns (`FactorTable`, one copy per decision); the per-candidate factor
 *    records are built only when asked for (`factorsOf`, `rankingWithFactors`), since most consumers
 *    show a few candidates of a ranking.
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
 * const [winner, runnerUp] = rankingWithFactors(decision, [0, 1]); // with their factor records
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
  const frameFactor = factors.map((f) => f.expression === undefined && orderIndependentFactors.has(f.type));
  const factorRecord = FactorTable.recordBuilder(factorIdList);

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

  const scratch = new Scratch(factors.length);

  /** Per region of indexed facts: the frame of its last decision. */
  const frames = new WeakMap<RegionColumns, CandidateFrame>();

  /** The frame of a decision at `at`; kept per region (`keep`) when `alertKey` names the active alerts. */
  function candidateFrame(
    columns: RegionColumns,
    destination: string,
    index: IndexedFacts,
    at: number,
    alertKey: number,
    keep: boolean,
  ): CandidateFrame {
    if (!keep) return buildFrame(columns, activeAlerts(index, at, destination), alertKey, false);
    let frame = frames.get(columns);
    if (frame?.alertKey !== alertKey) {
      frame = buildFrame(columns, activeAlerts(index, at, destination), alertKey, true);
      frames.set(columns, frame);
    }
    return frame;
  }

  /** A kept frame owns its columns; otherwise they are the scratch's, valid for one decision. */
  function buildFrame(
    columns: RegionColumns,
    alerts: ActiveAlerts,
    alertKey: number,
    keep: boolean,
  ): CandidateFrame {
    const { region, origins, modeBit, etaHours } = columns;
    const size = region.lanes.length;
    scratch.reserve(size, region.warehouses.length);
    const siteOf = scratch.siteOf;
    siteOf.fill(-2, 0, region.warehouses.length);
    const laneIndex = keep ? new Int32Array(size) : scratch.laneIndex;
    const warehouseIndex = keep ? new Int32Array(size) : scratch.warehouseIndex;
    const siteColumn = keep ? new Int32Array(size) : scratch.site;
    const weatherColumn = keep ? new Float64Array(size) : scratch.weather;
    const effectiveEtaHours = keep ? new Float64Array(size) : scratch.effectiveEtaHours;
    const lanes: LaneFact[] = [];
    const sites: number[] = [];
    const siteTier: number[] = [];
    const alertCount = alerts.facts.length;
    const usedAlerts = new Array<boolean>(alertCount).fill(false);
    let n = 0;
    for (let l = 0; l < size; l++) {
      const w = origins[l] as number;
      let site = siteOf[w] as number;
      if (site === -2) {
        const ti = tierIndex[(region.warehouses[w] as WarehouseFact).tier];
        if (ti < 0) site = -1;
        else {
          site = sites.push(w) - 1;
          siteTier.push(ti);
        }
        siteOf[w] = site;
      }
      if (site === -1) continue;
      const lane = region.lanes[l] as LaneFact;
      let weather = 1;
      if (alertCount > 0) {
        const bit = modeBit[l] as number;
        const origin = (region.warehouses[w] as WarehouseFact).region;
        for (let a = 0; a < alertCount; a++) {
          const alert = alerts.facts[a] as AlertFact;
          // Modes outside `modeBits` (not in the schema) are still matched by name.
          const modeMatches =
            bit === 0 ? alert.modes.includes(lane.mode) : ((alerts.modes[a] as number) & bit) !== 0;
          if (modeMatches && (alerts.atDestination[a] || alert.regions.includes(origin))) {
            weather *= alert.impact;
            usedAlerts[a] = true;
          }
        }
      }
      laneIndex[n] = l;
      warehouseIndex[n] = w;
      siteColumn[n] = site;
      weatherColumn[n] = weather;
      effectiveEtaHours[n] = (etaHours[l] as number) / Math.max(weather, minimumReliability);
      lanes.push(lane);
      n++;
    }
    return {
      n,
      laneIndex,
      warehouseIndex,
      site: siteColumn,
      weather: weatherColumn,
      effectiveEtaHours,
      lanes,
      sites,
      siteTier,
      alerts: alerts.facts.filter((_, a) => usedAlerts[a]),
      alertKey,
      values: keep ? zeros(2 * n * factors.length) : scratch.values,
      factorKey: new Array<number | undefined>(factors.length).fill(undefined),
    };
  }

  function enumerateCandidates(
    columns: RegionColumns,
    frame: CandidateFrame,
    kept: boolean,
    work: OrderWork,
  ): Candidates {
    const { n } = frame;
    scratch.reserve(n, 0);
    const c: Candidates = {
      n,
      region: columns,
      frame,
      laneIndex: frame.laneIndex,
      warehouseIndex: frame.warehouseIndex,
      weather: frame.weather,
      effectiveEtaHours: frame.effectiveEtaHours,
      // The snapshot's own copy: a kept frame's lanes are shared by later decisions.
      lanes: kept ? frame.lanes.slice() : frame.lanes,
      site: frame.site,
      rejectedBy: new Array<string[] | undefined>(n).fill(undefined),
      score: scratch.score,
      group: scratch.group,
      cel: undefined,
      warehouses: [],
      siteTier: frame.siteTier,
      siteHasAllStock: [],
      siteStockMask: [],
    };
    const { warehouses } = columns.region;
    for (let s = 0; s < frame.sites.length; s++) {
      addSite(c, warehouses[frame.sites[s] as number] as WarehouseFact, work);
    }
    return c;
  }

  function applyConstraints(c: Candidates, work: OrderWork): void {
    const { n, rejectedBy } = c;
    if (needsCel) {
      c.cel = new Array<CelContext>(n);
      for (let i = 0; i < n; i++) c.cel[i] = celVariables(c, i, work);
    }
    for (const constraint of constraints) {
      const { id } = constraint;
      switch (constraint.type) {
        case 'stock':
          for (let i = 0; i < n; i++) if (!c.siteHasAllStock[c.site[i] as number]) reject(rejectedBy, i, id);
          break;
        case 'capacity': {
          const remaining = c.region.remainingCapacity;
          for (let i = 0; i < n; i++) {
            if (!((remaining[c.warehouseIndex[i] as number] as number) >= parcelsPerCandidate))
              reject(rejectedBy, i, id);
          }
          break;
        }
        case 'eta': {
          const promised = work.order.promisedHours;
          if (promised === undefined) break;
          const limit = promised * etaTolerance(constraint, work);
          for (let i = 0; i < n; i++) {
            if (!((c.effectiveEtaHours[i] as number) <= limit)) reject(rejectedBy, i, id);
          }
          break;
        }
        case 'custom': {
          const expression = constraint.expression as CompiledCel;
          const cel = c.cel as CelContext[];
          for (let i = 0; i < n; i++) {
            if (!expression.evaluateBoolean(cel[i] as CelContext)) reject(rejectedBy, i, id);
          }
          break;
        }
      }
    }
  }

  function scoreCandidates(c: Candidates, work: OrderWork, weights: number[], sum: number): void {
    const { n, frame } = c;
    const { values, factorKey } = frame;
    const { score, group } = scratch;
    const factorCount = factors.length;
    const normalizedAt = factorCount * n;
    for (let f = 0; f < factorCount; f++) {
      const factor = factors[f] as CompiledFactor;
      const offset = f * n;
      const expression = factor.expression;
      const key = frameFactor[f] ? (factor.type === 'age' ? ageDecayDays(work) : 0) : undefined;
      if (key !== undefined && Object.is(factorKey[f], key)) continue;
      if (expression) {
        const cel = c.cel as CelContext[];
        for (let i = 0; i < n; i++) values[offset + i] = expression.evaluateNumber(cel[i] as CelContext);
      } else {
        builtInRawValues(factor.type as BuiltInFactorType, c, work, values, offset);
      }
      normalizeFactor(
        values,
        offset,
        n,
        factor.higherBetter,
        factor.normalization,
        values,
        normalizedAt + offset,
      );
      if (key !== undefined) factorKey[f] = key;
    }
    // Each score adds its contributions in factor order, from 0. The factor table recomputes a
    // contribution with this same expression when asked for it.
    if (sum > 0) {
      for (let i = 0; i < n; i++) {
        let total = 0;
        for (let f = 0, k = normalizedAt + i; f < factorCount; f++, k += n) {
          total += ((values[k] as number) * (weights[f] as number)) / sum;
        }
        score[i] = total;
      }
    } else {
      score.fill(0, 0, n);
    }
    for (let i = 0; i < n; i++) {
      group[i] =
        (c.rejectedBy[i] === undefined ? 0 : tiers.length) + (c.siteTier[c.site[i] as number] as number);
    }
  }

  /** The ranking: each candidate's row, in the preference order `sorted`. */
  function rankCandidates(c: Candidates, sorted: Int32Array): RankedCandidate[] {
    const { n, score } = c;
    const ranking = new Array<RankedCandidate>(n);
    for (let r = 0; r < n; r++) {
      const i = sorted[r] as number;
      const warehouse = c.warehouses[c.site[i] as number] as WarehouseFact;
      const rejectedBy = c.rejectedBy[i];
      const lane = (c.lanes[i] as LaneFact).id;
      // Two literals rather than adding `rejectedBy` afterwards, which would grow the object.
      ranking[r] =
        rejectedBy === undefined
          ? {
              warehouse: warehouse.id,
              lane,
              tier: warehouse.tier,
              score: score[i] as number,
              feasible: true,
            }
          : {
              warehouse: warehouse.id,
              lane,
              tier: warehouse.tier,
              score: score[i] as number,
              feasible: false,
              rejectedBy,
            };
    }
    return ranking;
  }

  /**
   * Per factor, in definition order: candidate a's contribution − candidate b's (for the explanation),
   * each contribution computed as the score summed it.
   */
  function contributionDeltas(c: Candidates, a: number, b: number, weights: number[], sum: number): number[] {
    const { n, frame } = c;
    const { values } = frame;
    const out = new Array<number>(factors.length);
    for (let f = 0, k = factors.length * n; f < factors.length; f++, k += n) {
      const weight = weights[f] as number;
      out[f] =
        sum > 0 ? ((values[k + a] as number) * weight) / sum - ((values[k + b] as number) * weight) / sum : 0;
    }
    return out;
  }

  function allocate(c: Candidates, sorted: Int32Array, work: OrderWork) {
    if (c.n > 0) {
      const best = sorted[0] as number;
      if (c.rejectedBy[best] === undefined) {
        const allocation: AllocationEntry[] = [
          {
            warehouse: (c.warehouses[c.site[best] as number] as WarehouseFact).id,
            lane: (c.lanes[best] as LaneFact).id,
            lines: work.order.lines,
          },
        ];
        return { allocation, tierUsed: tiers[c.siteTier[c.site[best] as number] as number] as WarehouseTier };
      }
    }
    if (splitAllowed && work.skus.length <= maxSplitSkus) {
      const pool = [];
      for (let r = 0; r < c.n; r++) {
        const i = sorted[r] as number;
        if ((c.rejectedBy[i] ?? []).every((id) => stockConstraintIds.has(id))) {
          const site = c.site[i] as number;
          pool.push({
            lane: (c.lanes[i] as LaneFact).id,
            warehouse: (c.warehouses[site] as WarehouseFact).id,
            tierIndex: c.siteTier[site] as number,
            score: c.score[i] as number,
            covers: c.siteStockMask[site] as number,
          });
        }
      }
      const plan = planSplit(pool, work.skus.length, definition.split.maxParcels, tiers.length);
      if (plan) {
        const allocation = plan.parcels.map(({ candidate, skuIndexes }) => {
          const shipped = new Set(skuIndexes.map((g) => work.skus[g] as string));
          return {
            warehouse: candidate.warehouse,
            lane: candidate.lane,
            lines: work.order.lines.filter((l) => shipped.has(l.sku)),
          };
        });
        return { allocation, tierUsed: tiers[plan.tierIndex] as WarehouseTier };
      }
    }
    return { allocation: [] as AllocationEntry[], tierUsed: null };
  }

  function unroutableReasons(
    c: Candidates | null,
    ranking: readonly RankedCandidate[],
    sorted: Int32Array,
    work: OrderWork,
  ): UnroutableReason[] {
    const reasons = new Array<UnroutableReason>(ranking.length);
    if (!c) return reasons;
    // A warehouse's stock and capacity texts, and each constraint's ETA limit, are the same for all
    // candidates that share them.
    const texts = constraints.map(() => new Array<string | undefined>(c.warehouses.length + 1));
    for (let r = 0; r < ranking.length; r++) {
      const i = sorted[r] as number;
      const rejectedBy = c.rejectedBy[i];
      let detail = '';
      if (rejectedBy) {
        for (let k = 0, named = 0; k < constraints.length; k++) {
          const constraint = constraints[k] as CompiledConstraint;
          if (!rejectedBy.includes(constraint.id)) continue;
          if (named++ > 0) detail += '; ';
          detail += describe(constraint, c, i, work, texts[k] as (string | undefined)[]);
        }
      }
      const entry = ranking[r] as RankedCandidate;
      reasons[r] = { warehouse: entry.warehouse, lane: entry.lane, rejectedBy: rejectedBy ?? [], detail };
    }
    return reasons;
  }

  function route(order: Order, facts: RoutingFacts | IndexedFacts, at: number): RoutingDecision {
    const indexed = isIndexedFacts(facts);
    const index = indexed ? facts : indexFacts(facts);
    const { params, segment } = resolveParameters(order, at);
    const work = orderWork(order, params);
    const { weights, sum } = resolveWeights(order, params, segment);
    const region = index.regions.get(order.destination.region);
    let c: Candidates | null = null;
    let alerts: AlertFact[] = [];
    if (region) {
      const columns = regionColumns(region, indexed, scratch.columns);
      if (!indexed) scratch.columns = columns;
      const alertKey = activeAlertKey(index, at);
      const keep = indexed && alertKey >= 0;
      const frame = candidateFrame(columns, order.destination.region, index, at, alertKey, keep);
      // The snapshot's own copy, as for the lanes.
      alerts = keep ? frame.alerts.slice() : frame.alerts;
      c = enumerateCandidates(columns, frame, keep, work);
    }
    let ranking: RankedCandidate[] = [];
    let factorTable: FactorTable | undefined;
    const sorted = scratch.order;
    let allocation: AllocationEntry[] = [];
    let tierUsed: WarehouseTier | null = null;
    let reasons: UnroutableReason[] | undefined;
    let deltas: number[] = [];
    if (c) {
      applyConstraints(c, work);
      scoreCandidates(c, work, weights, sum);
      sortCandidates(c, sorted, scratch.mergeBuffer);
      ranking = rankCandidates(c, sorted);
      // The table's own copies: the frame's values and the order are reused by the next decision.
      const columns = new Array<number>(c.n);
      for (let r = 0; r < c.n; r++) columns[r] = sorted[r] as number;
      const values = c.frame.values.slice(0, 2 * factors.length * c.n);
      factorTable = new FactorTable(factorIdList, weights, sum, values, columns, factorRecord);
      ({ allocation, tierUsed } = allocate(c, sorted, work));
      if (c.n > 1 && allocation.length === 1) {
        deltas = contributionDeltas(c, sorted[0] as number, sorted[1] as number, weights, sum);
      }
    }
    factorTable ??= new FactorTable(factorIdList, weights, sum, [], [], factorRecord);
    if (allocation.length === 0) reasons = unroutableReasons(c, ranking, sorted, work);
    const { explanation, detail } = explainDecision({
      ranking,
      contributionDeltas: deltas,
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
      factorTable,
      tierUsed,
      explanation,
      explanationDetail: detail,
      parameters: params,
      snapshot: {
        order,
        facts: {
          warehouses: c ? c.warehouses : [],
          lanes: c ? c.lanes : [],
          alerts,
        },
        at,
      },
    };
    if (reasons) decision.unroutable = { reasons };
    if (segment) decision.segment = segment.id;
    return decision;
  }

  return { definition, route };
}

/** An array of `length` zeros (packed, unlike `new Array(length).fill(0)`). */
function zeros(length: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < length; k++) out.push(0);
  return out;
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

/** Bit a set when `index.alerts[a]` is active at `at`; −1 when the facts hold more alerts than bits. */
function activeAlertKey(index: IndexedFacts, at: number): number {
  const { alerts } = index;
  if (alerts.length > 30) return -1;
  let key = 0;
  for (let a = 0; a < alerts.length; a++) {
    const alert = alerts[a] as IndexedFacts['alerts'][number];
    if (alert.from <= at && at < alert.to) key |= 1 << a;
  }
  return key;
}

function activeAlerts(index: IndexedFacts, at: number, destination: string): ActiveAlerts {
  const active: ActiveAlerts = { facts: [], atDestination: [], modes: [] };
  for (const alert of index.alerts) {
    if (alert.from <= at && at < alert.to) {
      let modes = 0;
      for (const mode of alert.fact.modes) modes |= modeBits[mode] ?? 0;
      active.facts.push(alert.fact);
      active.atDestination.push(alert.fact.regions.includes(destination));
      active.modes.push(modes);
    }
  }
  return active;
}

/**
 * Adds a candidate warehouse as the decision records it — stock reduced to the order's SKUs, which is
 * all a replay may read — with what its stock covers, computed once per warehouse rather than per lane.
 */
function addSite(c: Candidates, source: WarehouseFact, work: OrderWork): void {
  const { skus, quantities } = work;
  const stock: Record<string, number> = {};
  let hasAllStock = true;
  let stockMask = 0;
  for (let g = 0; g < skus.length; g++) {
    const sku = skus[g] as string;
    const qty = source.stock[sku];
    if (qty !== undefined) stock[sku] = qty;
    if ((qty ?? 0) >= (quantities[g] as number)) {
      if (g < maxSplitSkus) stockMask |= 1 << g;
    } else {
      hasAllStock = false;
    }
  }
  c.siteHasAllStock.push(hasAllStock);
  c.siteStockMask.push(stockMask);
  c.warehouses.push({ ...source, stock });
}

function reject(rejectedBy: (string[] | undefined)[], i: number, id: string): void {
  const ids = rejectedBy[i];
  if (ids) ids.push(id);
  else rejectedBy[i] = [id];
}

/**
 * Why `constraint` rejected candidate i, for the unroutable reasons. `texts` remembers, per site, the
 * text of warehouse constraints and, at the end, the ETA limit.
 */
function describe(
  constraint: CompiledConstraint,
  c: Candidates,
  i: number,
  work: OrderWork,
  texts: (string | undefined)[],
): string {
  const { id } = constraint;
  const site = c.site[i] as number;
  const warehouse = c.warehouses[site] as WarehouseFact;
  switch (constraint.type) {
    case 'stock': {
      let text = texts[site];
      if (text === undefined) {
        text = `${id}: `;
        for (let g = 0, short = 0; g < work.skus.length; g++) {
          const sku = work.skus[g] as string;
          const has = warehouse.stock[sku] ?? 0;
          const needs = work.quantities[g] as number;
          if (has < needs) text += `${short++ === 0 ? '' : ', '}${sku} has ${has} of ${needs}`;
        }
        texts[site] = text;
      }
      return text;
    }
    case 'capacity': {
      let text = texts[site];
      if (text === undefined) {
        text = `${id}: ${warehouse.capacityPerDay - warehouse.load} left of ${warehouse.capacityPerDay}, needs ${parcelsPerCandidate}`;
        texts[site] = text;
      }
      return text;
    }
    case 'eta': {
      const end = c.warehouses.length;
      let limit = texts[end];
      if (limit === undefined) {
        const promised = work.order.promisedHours as number;
        const tolerance = etaTolerance(constraint, work);
        limit = ` h > ${hours(promised * tolerance)} h (${promised} h × ${tolerance})`;
        texts[end] = limit;
      }
      return `${id}: ${hours(c.effectiveEtaHours[i] as number)}${limit}`;
    }
    case 'custom':
      return `${id}: \`${constraint.expression?.expression ?? ''}\` is false`;
  }
}

function etaTolerance(constraint: CompiledConstraint, work: OrderWork): number {
  return work.params[constraint.parameter] ?? builtInParameterDefaults.etaTolerance;
}

function celVariables(c: Candidates, i: number, order: OrderWork): CelContext {
  const warehouse = c.warehouses[c.site[i] as number] as WarehouseFact;
  const lane = c.lanes[i] as LaneFact;
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
      weather: c.weather[i] as number,
      etaHours: c.effectiveEtaHours[i] as number,
      remainingCapacity: warehouse.capacityPerDay - warehouse.load,
      cost: laneCost(lane, order.weightKg),
      carbon: laneCarbon(lane, order.weightKg),
    },
  };
}

/**
 * The candidates' indexes in preference order: feasible first, then fallback tier, score (descending),
 * warehouse id, lane id. Stable, over indexes in a reused typed array: insertion sort for the usual tens
 * of candidates, merge sort above that (cheaper than `Array.prototype.sort` calling a comparator).
 */
function sortCandidates(c: Candidates, order: Int32Array, buffer: Int32Array): void {
  const { n } = c;
  for (let i = 0; i < n; i++) order[i] = i;
  if (n <= 64) insertionSort(c, order, 0, n);
  else mergeSort(c, order, buffer, 0, n);
}

function insertionSort(c: Candidates, a: Int32Array, from: number, to: number): void {
  const { group, score } = c;
  for (let i = from + 1; i < to; i++) {
    const item = a[i] as number;
    const itemGroup = group[item] as number;
    const itemScore = score[item] as number;
    let j = i - 1;
    // compareCandidates(c, a[j], item) > 0, with the item's keys read once.
    for (; j >= from; j--) {
      const other = a[j] as number;
      const otherGroup = group[other] as number;
      if (otherGroup < itemGroup) break;
      if (otherGroup === itemGroup) {
        const otherScore = score[other] as number;
        if (otherScore !== itemScore ? !(itemScore - otherScore > 0) : compareIds(c, other, item) <= 0) break;
      }
      a[j + 1] = other;
    }
    a[j + 1] = item;
  }
}

function mergeSort(c: Candidates, a: Int32Array, buffer: Int32Array, from: number, to: number): void {
  if (to - from <= 12) {
    insertionSort(c, a, from, to);
    return;
  }
  const middle = (from + to) >>> 1;
  mergeSort(c, a, buffer, from, middle);
  mergeSort(c, a, buffer, middle, to);
  if (compareCandidates(c, a[middle - 1] as number, a[middle] as number) <= 0) return;
  // A plain loop: a subarray view for `buffer.set` would be an allocation per merge.
  for (let k = from; k < middle; k++) buffer[k] = a[k] as number;
  let left = from;
  let right = middle;
  let k = from;
  while (left < middle && right < to) {
    const l = buffer[left] as number;
    const r = a[right] as number;
    // Ties take the left element: stable.
    if (compareCandidates(c, l, r) <= 0) {
      a[k++] = l;
      left++;
    } else {
      a[k++] = r;
      right++;
    }
  }
  while (left < middle) a[k++] = buffer[left++] as number;
}

function compareCandidates(c: Candidates, a: number, b: number): number {
  const ag = c.group[a] as number;
  const bg = c.group[b] as number;
  if (ag !== bg) return ag - bg;
  const ascore = c.score[a] as number;
  const bscore = c.score[b] as number;
  if (ascore !== bscore) return bscore - ascore;
  return compareIds(c, a, b);
}

function compareIds(c: Candidates, a: number, b: number): number {
  const aw = (c.warehouses[c.site[a] as number] as WarehouseFact).id;
  const bw = (c.warehouses[c.site[b] as number] as WarehouseFact).id;
  if (aw !== bw) return aw < bw ? -1 : 1;
  const al = (c.lanes[a] as LaneFact).id;
  const bl = (c.lanes[b] as LaneFact).id;
  return al < bl ? -1 : al > bl ? 1 : 0;
}

function hours(h: number): string {
  return Number.isInteger(h) ? String(h) : h.toFixed(1);
}
