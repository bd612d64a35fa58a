import type { Backtest, BacktestResult, backtestStates } from '../routing/routingApiSchemas.ts';
import type { Actor } from './definitionsRepository.ts';
import type { Db } from './openDatabase.ts';

/** A backtest's state. */
export type BacktestState = (typeof backtestStates)[number];

/** A new backtest, as `POST /api/backtests` creates it. */
export interface NewBacktest {
  id: string;
  strategy: string;
  candidate: { version: number } | { draftRevision: number };
  /** The definition the candidate evaluates, frozen when the backtest was created. */
  candidateDefinition: unknown;
  baseline: number;
  from: number | undefined;
  to: number | undefined;
  limit: number | undefined;
  /** Only decisions stored so far (seq ≤ maxSeq) take part, so later ones do not shift the set. */
  maxSeq: number;
  total: number;
  actor: Actor;
}

/** What the runner needs to run a backtest. */
export interface BacktestJob {
  id: string;
  strategy: string;
  candidateVersion: number | null;
  candidateDefinition: unknown;
  baseline: number;
  from: number | undefined;
  to: number | undefined;
  limit: number | undefined;
  maxSeq: number;
  total: number;
}

interface BacktestRow {
  id: string;
  strategy_id: string;
  candidate_version: number | null;
  candidate_draft_revision: number | null;
  candidate_definition: string;
  baseline: number;
  from_at: number | null;
  to_at: number | null;
  max_decisions: number | null;
  max_seq: number;
  state: BacktestState;
  processed: number;
  total: number;
  result: string | null;
  error: string | null;
  created_at: string;
  created_by: string;
  started_at: string | null;
  finished_at: string | null;
}

/** Storage of backtests: parameters, progress and results survive restarts. */
export type BacktestsRepository = ReturnType<typeof createBacktestsRepository>;

const columns = `id, strategy_id, candidate_version, candidate_draft_revision, candidate_definition, baseline,
  from_at, to_at, max_decisions, max_seq, state, processed, total, result, error, created_at, created_by, started_at,
  finished_at`;

/** Creates the backtests repository over a migrated database, with its statements prepared once. */
export function createBacktestsRepository(db: Db) {
  const insert = db.prepare(
    `INSERT INTO backtests (id, strategy_id, candidate_version, candidate_draft_revision, candidate_definition,
       baseline, from_at, to_at, max_decisions, max_seq, state, processed, total, created_at, created_by)
     VALUES (@id, @strategy, @candidateVersion, @draftRevision, @definition, @baseline, @from, @to, @limit,
       @maxSeq, 'queued', 0, @total, @at, @actor)`,
  );
  const selectOne = db.prepare<[string], BacktestRow>(`SELECT ${columns} FROM backtests WHERE id = ?`);
  const selectRecent = db.prepare<[number], BacktestRow>(
    `SELECT ${columns} FROM backtests ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const markRunning = db.prepare(`UPDATE backtests SET state = 'running', started_at = ? WHERE id = ?`);
  const updateProgress = db.prepare('UPDATE backtests SET processed = ? WHERE id = ?');
  const markSucceeded = db.prepare(
    `UPDATE backtests SET state = 'succeeded', processed = @processed, total = @total, result = @result,
       finished_at = @at WHERE id = @id`,
  );
  const markFailed = db.prepare(
    `UPDATE backtests SET state = 'failed', error = @error, finished_at = @at WHERE id = @id`,
  );
  const markInterrupted = db.prepare(
    `UPDATE backtests SET state = 'failed', error = @error, finished_at = @at
     WHERE state IN ('queued', 'running')`,
  );

  const toBacktest = (row: BacktestRow): Backtest => ({
    id: row.id,
    strategy: row.strategy_id,
    candidate: row.candidate_version ?? 'draft',
    candidateDraftRevision: row.candidate_draft_revision,
    baseline: row.baseline,
    from: row.from_at === null ? null : new Date(row.from_at).toISOString(),
    to: row.to_at === null ? null : new Date(row.to_at).toISOString(),
    limit: row.max_decisions,
    state: row.state,
    progress: { processed: row.processed, total: row.total },
    error: row.error,
    createdAt: row.created_at,
    createdBy: row.created_by,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    result: row.result === null ? null : (JSON.parse(row.result) as BacktestResult),
  });

  return {
    /** Stores a new backtest in state `queued`. */
    create(input: NewBacktest): void {
      insert.run({
        id: input.id,
        strategy: input.strategy,
        candidateVersion: 'version' in input.candidate ? input.candidate.version : null,
        draftRevision: 'draftRevision' in input.candidate ? input.candidate.draftRevision : null,
        definition: JSON.stringify(input.candidateDefinition),
        baseline: input.baseline,
        from: input.from ?? null,
        to: input.to ?? null,
        limit: input.limit ?? null,
        maxSeq: input.maxSeq,
        total: input.total,
        at: new Date().toISOString(),
        actor: input.actor.name,
      });
    },

    /** One backtest, or undefined. */
    get(id: string): Backtest | undefined {
      const row = selectOne.get(id);
      return row ? toBacktest(row) : undefined;
    },

    /** The most recent backtests, newest first. */
    list(limit: number): Backtest[] {
      return selectRecent.all(limit).map(toBacktest);
    },

    /** What the runner needs, or undefined. */
    job(id: string): BacktestJob | undefined {
      const row = selectOne.get(id);
      if (!row) return undefined;
      return {
        id: row.id,
        strategy: row.strategy_id,
        candidateVersion: row.candidate_version,
        candidateDefinition: JSON.parse(row.candidate_definition) as unknown,
        baseline: row.baseline,
        from: row.from_at ?? undefined,
        to: row.to_at ?? undefined,
        limit: row.max_decisions ?? undefined,
        maxSeq: row.max_seq,
        total: row.total,
      };
    },

    markRunning(id: string): void {
      markRunning.run(new Date().toISOString(), id);
    },

    progress(id: string, processed: number): void {
      updateProgress.run(processed, id);
    },

    succeed(id: string, processed: number, result: BacktestResult): void {
      markSucceeded.run({
        id,
        processed,
        total: processed,
        result: JSON.stringify(result),
        at: new Date().toISOString(),
      });
    },

    fail(id: string, error: string): void {
      markFailed.run({ id, error, at: new Date().toISOString() });
    },

    /**
     * Marks every queued or running backtest failed: called at start, when no backtest of this process
     * can be running, so they were interrupted by a stop or crash.
     */
    failInterrupted(): number {
      return markInterrupted.run({
        error: 'interrupted by a runtime restart; start the backtest again',
        at: new Date().toISOString(),
      }).changes;
    },
  };
}
