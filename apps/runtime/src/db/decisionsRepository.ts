import { createHash } from 'node:crypto';
import type {
  AllocationEntry,
  ExplanationDetail,
  RoutingDecision,
  RoutingSnapshot,
  UnroutableReason,
  WarehouseTier,
} from '@orderloom/engine';
import type { AlertFact, LaneFact, Order, WarehouseFact } from '@orderloom/schema';
import type { Environment } from '../apiSchemas.ts';
import type { Db } from './openDatabase.ts';

/** The strategy version that made a decision. */
export interface StrategyRef {
  id: string;
  version: number;
  environment: Environment;
}

/**
 * What a decision row keeps as JSON besides its lanes and ranking: the order and the facts it read,
 * the parameters and segment applied, and the outcome.
 */
export interface DecisionBody {
  order: Order;
  warehouses: WarehouseFact[];
  alerts: AlertFact[];
  parameters: Record<string, number>;
  segment?: string;
  allocation: AllocationEntry[];
  tierUsed: WarehouseTier | null;
  unroutable?: { reasons: UnroutableReason[] };
  explanation: string;
  explanationDetail: ExplanationDetail;
}

/** A stored decision, complete. */
export interface StoredDecision {
  id: string;
  strategy: StrategyRef;
  orderId: string;
  /** Decision time, epoch ms. */
  at: number;
  elapsedMs: number;
  body: DecisionBody;
  lanes: LaneFact[];
  /** Every candidate's score in ranking order, as decided (absent for decisions stored before v5). */
  scores: Float64Array | undefined;
}

/** A decision as listed. */
export interface DecisionListItem {
  seq: number;
  id: string;
  strategy: StrategyRef;
  orderId: string;
  at: number;
  elapsedMs: number;
  body: DecisionBody;
}

/** A decision as the backtest reads it: everything but the ranking, lanes by their set's hash. */
export interface DecisionForBacktest {
  seq: number;
  id: string;
  version: number;
  orderId: string;
  at: number;
  laneSet: string;
  body: DecisionBody;
}

/** Which decisions a list or a backtest covers. */
export interface DecisionFilter {
  orderId?: string | undefined;
  strategy?: string | undefined;
  /** Decision time ≥ from (epoch ms). */
  from?: number | undefined;
  /** Decision time < to (epoch ms). */
  to?: number | undefined;
  /** Only decisions stored up to this seq. */
  maxSeq?: number | undefined;
}

/** Position after the last item of a page (newest first): its decision time and seq. */
export interface DecisionCursor {
  at: number;
  seq: number;
}

/** A new decision to store. */
export interface NewDecision {
  id: string;
  strategy: StrategyRef;
  decision: RoutingDecision;
  elapsedMs: number;
  createdAt: number;
  /**
   * Identifies the content of `decision.snapshot.facts.lanes` cheaply (e.g. the facts generation and
   * lane ids), so the lane set is serialised and hashed once per distinct content, not per decision.
   */
  lanesKey?: string;
}

/**
 * A decision serialised for storage, as plain data (it may be built on another thread than the one
 * storing it): see {@link createDecisionRowBuilder}.
 */
export interface DecisionRowValues {
  id: string;
  strategyId: string;
  version: number;
  environment: Environment;
  orderId: string;
  at: number;
  createdAt: number;
  tierUsed: WarehouseTier | null;
  parcels: number;
  elapsedMs: number;
  /** The content hash of the decision's lane set, and the set as JSON. */
  laneSet: string;
  laneSetJson: string;
  /** The {@link DecisionBody} as JSON. */
  record: string;
  /** Every candidate's score in ranking order, float64 (platform byte order). */
  scores: Uint8Array;
}

const maxMemoizedLaneSets = 512;

/**
 * Creates the serialiser of decisions for {@link DecisionsRepository.insert}. It memoizes lane sets by
 * `lanesKey`, so a lane set is serialised and hashed once per distinct content, not per decision.
 */
export function createDecisionRowBuilder(): (input: NewDecision) => DecisionRowValues {
  const laneSets = new Map<string, { hash: string; json: string }>();
  function laneSetOf(lanes: readonly LaneFact[], key: string | undefined): { hash: string; json: string } {
    const memo = key === undefined ? undefined : laneSets.get(key);
    if (memo) return memo;
    const json = JSON.stringify(lanes);
    const set = { hash: createHash('sha256').update(json).digest('base64url'), json };
    if (key !== undefined) {
      if (laneSets.size >= maxMemoizedLaneSets) laneSets.clear();
      laneSets.set(key, set);
    }
    return set;
  }

  return (input) => {
    const { decision } = input;
    const { snapshot } = decision;
    const laneSet = laneSetOf(snapshot.facts.lanes, input.lanesKey);
    const body: DecisionBody = {
      order: snapshot.order,
      warehouses: snapshot.facts.warehouses,
      alerts: snapshot.facts.alerts,
      parameters: decision.parameters,
      ...(decision.segment === undefined ? {} : { segment: decision.segment }),
      allocation: decision.allocation,
      tierUsed: decision.tierUsed,
      ...(decision.unroutable ? { unroutable: decision.unroutable } : {}),
      explanation: decision.explanation,
      explanationDetail: decision.explanationDetail,
    };
    const scores = new Float64Array(decision.ranking.length);
    decision.ranking.forEach((candidate, i) => {
      scores[i] = candidate.score;
    });
    return {
      id: input.id,
      strategyId: input.strategy.id,
      version: input.strategy.version,
      environment: input.strategy.environment,
      orderId: snapshot.order.id,
      at: snapshot.at,
      createdAt: input.createdAt,
      tierUsed: decision.tierUsed,
      parcels: decision.allocation.length,
      elapsedMs: input.elapsedMs,
      laneSet: laneSet.hash,
      laneSetJson: laneSet.json,
      record: JSON.stringify(body),
      scores: new Uint8Array(scores.buffer),
    };
  };
}

interface DecisionRow {
  seq: number;
  id: string;
  strategy_id: string;
  version: number;
  environment: Environment;
  order_id: string;
  at: number;
  elapsed_ms: number;
  lane_set: string;
  record: string;
}

/** Storage of decisions and their snapshots. */
export type DecisionsRepository = ReturnType<typeof createDecisionsRepository>;

const listColumns = 'seq, id, strategy_id, version, environment, order_id, at, elapsed_ms, lane_set, record';
/**
 * Creates the decisions repository over a migrated database, with its statements prepared once.
 * A decision row holds its strategy reference, order id and decision time as columns (indexed for
 * the explorer and backtests), the order, facts and outcome as JSON, and its candidate lanes as a
 * reference to a content-addressed lane set (identical for every decision routed to the same region
 * while lanes do not change), and every candidate's score as float64s. The ranking itself (every
 * candidate's factor table, ten times the snapshot's size) is not stored: it is a pure function of the
 * snapshot and the immutable strategy version, recomputed on read and checked against the scores.
 */
export function createDecisionsRepository(db: Db) {
  const insertLaneSet = db.prepare<[string, string]>(
    'INSERT INTO decision_lane_sets (hash, lanes) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const insertDecision = db.prepare(
    `INSERT INTO decisions (id, strategy_id, version, environment, order_id, at, created_at, tier_used, parcels,
       elapsed_ms, lane_set, record, scores)
     VALUES (@id, @strategyId, @version, @environment, @orderId, @at, @createdAt, @tierUsed, @parcels,
       @elapsedMs, @laneSet, @record, @scores)`,
  );
  const selectOne = db.prepare<[string], DecisionRow & { scores: Buffer | null }>(
    `SELECT ${listColumns}, scores FROM decisions WHERE id = ?`,
  );
  const selectBySeqs = db.prepare<[string], DecisionRow>(
    `SELECT ${listColumns} FROM decisions WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  );
  const seqStatements = new Map<string, ReturnType<typeof prepareSeqs>>();
  const selectLaneSet = db
    .prepare<[string], string>('SELECT lanes FROM decision_lane_sets WHERE hash = ?')
    .pluck();
  const countAll = db.prepare<[], number>('SELECT count(*) FROM decisions').pluck();
  const selectMaxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM decisions').pluck();
  const pageStatements = new Map<string, ReturnType<typeof preparePage>>();
  const countStatements = new Map<string, ReturnType<typeof prepareCount>>();

  function where(filter: DecisionFilter, cursor: boolean): string {
    const clauses: string[] = [];
    if (filter.orderId !== undefined) clauses.push('order_id = @orderId');
    if (filter.strategy !== undefined) clauses.push('strategy_id = @strategy');
    if (filter.from !== undefined) clauses.push('at >= @from');
    if (filter.to !== undefined) clauses.push('at < @to');
    if (filter.maxSeq !== undefined) clauses.push('seq <= @maxSeq');
    if (cursor) clauses.push('(at < @cursorAt OR (at = @cursorAt AND seq < @cursorSeq))');
    return clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  }

  // One statement per combination of filters, so SQLite can pick the index that fits each.
  function preparePage(filter: DecisionFilter, cursor: boolean) {
    return db.prepare<Record<string, unknown>, DecisionRow>(
      `SELECT ${listColumns} FROM decisions ${where(filter, cursor)} ORDER BY at DESC, seq DESC LIMIT @limit`,
    );
  }
  function prepareSeqs(filter: DecisionFilter) {
    return db
      .prepare<Record<string, unknown>, number>(
        `SELECT seq FROM decisions ${where(filter, false)} ORDER BY at DESC, seq DESC LIMIT @limit`,
      )
      .pluck();
  }
  function prepareCount(filter: DecisionFilter) {
    return db
      .prepare<Record<string, unknown>, number>(`SELECT count(*) FROM decisions ${where(filter, false)}`)
      .pluck();
  }
  const shapeKey = (filter: DecisionFilter, cursor: boolean) =>
    [filter.orderId, filter.strategy, filter.from, filter.to, filter.maxSeq, cursor ? 1 : undefined]
      .map((v) => (v === undefined ? '0' : '1'))
      .join('');
  const params = (filter: DecisionFilter, cursor?: DecisionCursor): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (filter.orderId !== undefined) out.orderId = filter.orderId;
    if (filter.strategy !== undefined) out.strategy = filter.strategy;
    if (filter.from !== undefined) out.from = filter.from;
    if (filter.to !== undefined) out.to = filter.to;
    if (filter.maxSeq !== undefined) out.maxSeq = filter.maxSeq;
    if (cursor) {
      out.cursorAt = cursor.at;
      out.cursorSeq = cursor.seq;
    }
    return out;
  };
  const page = (filter: DecisionFilter, cursor: DecisionCursor | undefined, limit: number): DecisionRow[] => {
    const key = shapeKey(filter, cursor !== undefined);
    let statement = pageStatements.get(key);
    if (!statement) {
      statement = preparePage(filter, cursor !== undefined);
      pageStatements.set(key, statement);
    }
    return statement.all({ ...params(filter, cursor), limit });
  };

  const lanesOf = (hash: string): LaneFact[] => {
    const json = selectLaneSet.get(hash);
    if (json === undefined) throw new Error(`decision lane set ${hash} is missing`);
    return JSON.parse(json) as LaneFact[];
  };

  const strategyOf = (row: DecisionRow): StrategyRef => ({
    id: row.strategy_id,
    version: row.version,
    environment: row.environment,
  });

  return {
    /** Number of decisions stored. */
    count(): number {
      return countAll.get() ?? 0;
    },

    /** The seq of the newest stored decision (0 when none). */
    maxSeq(): number {
      return selectMaxSeq.get() ?? 0;
    },

    /**
     * Stores a decision with its complete snapshot (see {@link createDecisionRowBuilder}). Call inside
     * the transaction that also enqueues its deliveries; the lane set is written idempotently, so a
     * rolled-back transaction leaves no dangling reference behind.
     */
    insert(row: DecisionRowValues): void {
      insertLaneSet.run(row.laneSet, row.laneSetJson);
      const { laneSetJson: _, scores, ...columns } = row;
      insertDecision.run({
        ...columns,
        scores: Buffer.from(scores.buffer, scores.byteOffset, scores.byteLength),
      });
    },

    /** One decision with its snapshot and recorded scores, or undefined. */
    get(id: string): StoredDecision | undefined {
      const row = selectOne.get(id);
      if (!row) return undefined;
      const { scores } = row;
      return {
        id: row.id,
        strategy: strategyOf(row),
        orderId: row.order_id,
        at: row.at,
        elapsedMs: row.elapsed_ms,
        body: JSON.parse(row.record) as DecisionBody,
        lanes: lanesOf(row.lane_set),
        scores: scores
          ? new Float64Array(scores.buffer.slice(scores.byteOffset, scores.byteOffset + scores.byteLength))
          : undefined,
      };
    },

    /** The lanes of a stored lane set. */
    laneSet(hash: string): LaneFact[] {
      return lanesOf(hash);
    },

    /** Decisions matching `filter`, newest decision time first, after `cursor`. */
    list(
      filter: DecisionFilter,
      options: { cursor?: DecisionCursor | undefined; limit: number },
    ): DecisionListItem[] {
      return page(filter, options.cursor, options.limit).map((row) => ({
        seq: row.seq,
        id: row.id,
        strategy: strategyOf(row),
        orderId: row.order_id,
        at: row.at,
        elapsedMs: row.elapsed_ms,
        body: JSON.parse(row.record) as DecisionBody,
      }));
    },

    /** Number of decisions matching `filter`. */
    countMatching(filter: DecisionFilter): number {
      const key = shapeKey(filter, false);
      let statement = countStatements.get(key);
      if (!statement) {
        statement = prepareCount(filter);
        countStatements.set(key, statement);
      }
      return statement.get(params(filter)) ?? 0;
    },

    /** The seqs of the decisions matching `filter`, newest decision time first, at most `limit`. */
    seqs(filter: DecisionFilter, limit: number): number[] {
      const key = shapeKey(filter, false);
      let statement = seqStatements.get(key);
      if (!statement) {
        statement = prepareSeqs(filter);
        seqStatements.set(key, statement);
      }
      return statement.all({ ...params(filter), limit });
    },

    /** The decisions with these seqs (in seq order), as a backtest reads them: without the ranking. */
    listBySeqs(seqs: readonly number[]): DecisionForBacktest[] {
      return selectBySeqs.all(JSON.stringify(seqs)).map((row) => ({
        seq: row.seq,
        id: row.id,
        version: row.version,
        orderId: row.order_id,
        at: row.at,
        laneSet: row.lane_set,
        body: JSON.parse(row.record) as DecisionBody,
      }));
    },
  };
}

/** Rebuilds the snapshot a decision was made from (what the engine needs to replay it). */
export function snapshotOf(body: DecisionBody, lanes: LaneFact[], at: number): RoutingSnapshot {
  return { order: body.order, facts: { warehouses: body.warehouses, lanes, alerts: body.alerts }, at };
}
