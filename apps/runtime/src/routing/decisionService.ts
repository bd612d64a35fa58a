import { isDeepStrictEqual } from 'node:util';
import {
  CelError,
  type Clock,
  type CompiledRouting,
  type RankedCandidateWithFactors,
  type RoutingDecision,
  RoutingDefinitionError,
  rankingWithFactors,
} from '@orderloom/engine';
import type { Report } from '@orderloom/schema';
import { createPatch } from 'rfc6902';
import { v7 as uuidv7 } from 'uuid';
import { createGroupCommit } from '../db/createGroupCommit.ts';
import {
  createDecisionRowBuilder,
  createDecisionsRepository,
  type DecisionBody,
  type DecisionRowValues,
  type DecisionsRepository,
  type StoredDecision,
  type StrategyRef,
  snapshotOf,
} from '../db/decisionsRepository.ts';
import { enqueueDeliveries } from '../db/deliveriesRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { createSubscriptionsRepository } from '../db/subscriptionsRepository.ts';
import type { ResolvedDefinition } from '../definitionResolver.ts';
import { decisionAnswer, type RankingMode, type RouteAnswerParts, routeResponse } from './decisionAnswer.ts';
import type { FactsStore } from './factsStore.ts';
import type { DecisionRecord, ReplayResponse, RouteRequest, RouteResponse } from './routingApiSchemas.ts';
import type { RoutingStrategies } from './routingStrategies.ts';

/** Why no decision was made. */
export type RouteFailure =
  | { ok: false; reason: 'strategy-not-found' | 'no-version' }
  | { ok: false; reason: 'evaluation-failed'; detail: string; errors: Report[] };

/** Outcome of {@link DecisionService.route}. */
export type RouteResult =
  | {
      ok: true;
      response: RouteResponse;
      /** Whether a delivery to the strategy's webhook was enqueued with the decision. */
      enqueued: boolean;
    }
  | RouteFailure;

/**
 * A decision made and serialised, ready to store and answer: plain data, so that it can be made on
 * another thread than the one storing it (see {@link DecisionService.prepare}).
 */
export interface PreparedDecision {
  row: DecisionRowValues;
  /** The delivery to the strategy's webhook, if it names one. */
  webhook?: { owner: string; strategy: StrategyRef; url: string; payload: DecisionWebhookPayload };
  /** The JSON body of the `POST /api/route` answer. */
  answer: Uint8Array;
}

/** Outcome of {@link DecisionService.prepare}. */
export type PrepareResult = { ok: true; prepared: PreparedDecision } | RouteFailure;

/** Outcome of {@link DecisionService.replay}. */
export type ReplayResult =
  | { ok: true; response: ReplayResponse }
  | { ok: false; reason: 'decision-not-found' | 'definition-not-found' | 'version-not-found' }
  | { ok: false; reason: 'lint-errors'; reports: Report[] }
  | { ok: false; reason: 'evaluation-failed'; detail: string; errors: Report[] };

/** Routing decisions: make, store, read and replay them. See {@link createDecisionService}. */
export type DecisionService = ReturnType<typeof createDecisionService>;

/** The webhook message of one decision (the ranking stays in `GET /api/decisions/:id`). */
export interface DecisionWebhookPayload {
  decisionId: string;
  at: string;
  strategy: StrategyRef;
  orderId: string;
  allocation: RoutingDecision['allocation'];
  tierUsed: RoutingDecision['tierUsed'];
  unroutable: boolean;
  explanation: string;
}

/**
 * Creates the decision service: routes an order with the strategy version an environment serves,
 * over the facts in memory, at the clock's time; stores the decision with its snapshot and enqueues
 * the strategy's webhook delivery in the same transaction, before the caller answers.
 */
export function createDecisionService(deps: {
  db: Db;
  facts: FactsStore;
  strategies: RoutingStrategies;
  clock: Clock;
  /** How often a deleted strategy webhook subscription may be re-created; default 10 s. */
  recheckMs?: number;
}) {
  const { db, facts, strategies, clock } = deps;
  const recheckMs = deps.recheckMs ?? 10_000;
  const decisions: DecisionsRepository = createDecisionsRepository(db);
  const subscriptions = createSubscriptionsRepository(db);
  const webhookSubscriptions = new Map<string, { url: string; subscriptionId: string; checkedAt: number }>();

  // The strategy's webhook is a subscription the runtime manages for (strategy, environment); it is
  // created or re-pointed when a version with another URL starts serving, and re-created (checked at
  // most every `recheckMs`) when a decision finds it deleted.
  function webhookSubscription(owner: string, strategy: StrategyRef, url: string): string {
    const known = webhookSubscriptions.get(owner);
    if (known?.url === url) return known.subscriptionId;
    const { subscription } = subscriptions.upsertOwned(owner, {
      topics: [topicOf(strategy.id)],
      target: { type: 'webhook', url },
      description: `Decisions of routing strategy "${strategy.id}" in ${strategy.environment}`,
    });
    webhookSubscriptions.set(owner, { url, subscriptionId: subscription.id, checkedAt: clock.now() });
    return subscription.id;
  }

  function noDelivery(owner: string): void {
    const known = webhookSubscriptions.get(owner);
    if (known && clock.now() - known.checkedAt >= recheckMs) webhookSubscriptions.delete(owner);
  }

  const storeTx = db.transaction((prepared: Omit<PreparedDecision, 'answer'>): boolean => {
    decisions.insert(prepared.row);
    const { webhook } = prepared;
    if (!webhook) return false;
    const subscriptionId = webhookSubscription(webhook.owner, webhook.strategy, webhook.url);
    const { deliveryIds } = enqueueDeliveries(db, {
      topic: topicOf(webhook.strategy.id),
      key: prepared.row.id,
      payload: webhook.payload,
      subscriptionIds: [subscriptionId],
    });
    // None when the subscription was deleted or disabled since it was looked up.
    if (deliveryIds.length === 0) noDelivery(webhook.owner);
    return deliveryIds.length > 0;
  });

  const rowOf = createDecisionRowBuilder();

  function decide(
    request: RouteRequest,
    at: number,
  ):
    | {
        ok: true;
        decision: RoutingDecision;
        parts: RouteAnswerParts;
        prepared: Omit<PreparedDecision, 'answer'>;
      }
    | RouteFailure {
    const started = performance.now();
    const view = facts.view();
    let resolved: ResolvedDefinition<CompiledRouting> | undefined;
    let decision: RoutingDecision;
    try {
      resolved = strategies.published(request.strategy, request.environment);
      if (!resolved) {
        return {
          ok: false,
          reason: strategies.exists(request.strategy) ? 'no-version' : 'strategy-not-found',
        };
      }
      decision = resolved.compiled.route(request.order, view.indexed, at);
    } catch (error) {
      const failed = evaluationFailure(error);
      if (failed) return failed;
      throw error;
    }
    const elapsedMs = performance.now() - started;
    const strategy: StrategyRef = {
      id: resolved.id,
      version: resolved.version,
      environment: request.environment,
    };
    // Time-ordered, so the unique index on ids grows at its end instead of dirtying a random page per insert.
    const id = `dec_${uuidv7()}`;
    let lanesKey = `${view.lanesGeneration}`;
    for (const lane of decision.snapshot.facts.lanes) lanesKey += `\u0000${lane.id}`;
    const url = resolved.definition.kind === 'routing' ? resolved.definition.webhook?.url : undefined;
    return {
      ok: true,
      decision,
      parts: answerParts(id, strategy, decision, elapsedMs),
      prepared: {
        row: rowOf({ id, strategy, decision, elapsedMs, createdAt: Date.now(), lanesKey }),
        ...(url === undefined
          ? {}
          : {
              webhook: {
                owner: `routing:${strategy.id}:${strategy.environment}`,
                strategy,
                url,
                payload: {
                  decisionId: id,
                  at: new Date(at).toISOString(),
                  strategy,
                  orderId: request.order.id,
                  allocation: decision.allocation,
                  tierUsed: decision.tierUsed,
                  unroutable: decision.unroutable !== undefined,
                  explanation: decision.explanation,
                },
              },
            }),
      },
    };
  }

  const commit = createGroupCommit({ db, store: (prepared: PreparedDecision) => storeTx(prepared) });

  // The ranking of a stored decision: its snapshot re-evaluated by the version that made it (pure and
  // deterministic, versions immutable), compared bit for bit with the scores recorded at decision time.
  function recordedRanking(stored: StoredDecision): {
    ranking: RankedCandidateWithFactors[];
    reproduced: boolean | undefined;
  } {
    const lookup = strategies.lookup(stored.strategy.id, stored.strategy.version);
    let ranking: RankedCandidateWithFactors[] = [];
    if (lookup.ok) {
      const snapshot = snapshotOf(stored.body, stored.lanes, stored.at);
      try {
        ranking = rankingWithFactors(lookup.compiled.route(snapshot.order, snapshot.facts, snapshot.at));
      } catch (error) {
        if (!evaluationFailure(error)) throw error;
      }
    }
    const { scores } = stored;
    if (!scores) return { ranking, reproduced: undefined };
    const reproduced =
      scores.length === ranking.length &&
      ranking.every((candidate, i) => Object.is(candidate.score, scores[i]));
    return { ranking, reproduced };
  }

  return {
    decisions,

    /**
     * Routes one order and stores the decision durably (WAL, committed) before returning.
     *
     * @param options.at decision time to use instead of the clock's (demo seeding, benchmarks).
     */
    route(request: RouteRequest, options: { at?: number } = {}): RouteResult {
      const made = decide(request, options.at ?? clock.now());
      if (!made.ok) return made;
      const enqueued = storeTx.immediate(made.prepared);
      return { ok: true, response: routeResponse(made.parts, made.decision), enqueued };
    },

    /**
     * Makes a decision and serialises it for {@link store}, with the `POST /api/route` answer in the
     * given ranking mode. Reads the database but never writes it, so it may run on any thread holding
     * its own copy of the facts and strategies.
     */
    prepare(request: RouteRequest, options: { at: number; mode: RankingMode }): PrepareResult {
      const made = decide(request, options.at);
      if (!made.ok) return made;
      return {
        ok: true,
        prepared: { ...made.prepared, answer: decisionAnswer(made.parts, made.decision, options.mode) },
      };
    },

    /**
     * Stores prepared decisions: those stored in the same turn of the event loop share one immediate
     * transaction (group commit), each in its own savepoint, with its webhook delivery. Resolves once
     * that transaction has committed, with whether a delivery was enqueued.
     */
    store(prepared: PreparedDecision): Promise<boolean> {
      return commit(prepared);
    },

    /**
     * A stored decision with its snapshot, as `GET /api/decisions/:id` shows it: the ranking is
     * recomputed from the snapshot with the version that made the decision, and checked against the
     * scores recorded then.
     */
    get(id: string): DecisionRecord | undefined {
      const stored = decisions.get(id);
      if (!stored) return undefined;
      const { ranking, reproduced } = recordedRanking(stored);
      return {
        decisionId: stored.id,
        at: new Date(stored.at).toISOString(),
        orderId: stored.orderId,
        strategy: stored.strategy,
        ...decisionOutcome(stored.body, ranking),
        ...(reproduced === undefined ? {} : { rankingReproduced: reproduced }),
        elapsedMs: stored.elapsedMs,
        snapshot: snapshotOf(stored.body, stored.lanes, stored.at),
      };
    },

    /**
     * Re-evaluates a stored decision's snapshot with the version that made it (the default: this
     * reproduces the decision exactly), another version, or the current draft, and compares.
     */
    replay(id: string, version?: number | 'draft'): ReplayResult {
      const stored = decisions.get(id);
      if (!stored) return { ok: false, reason: 'decision-not-found' };
      const target = version ?? stored.strategy.version;
      const lookup = strategies.lookup(stored.strategy.id, target);
      if (!lookup.ok) return lookup;
      const snapshot = snapshotOf(stored.body, stored.lanes, stored.at);
      let decision: RoutingDecision;
      try {
        decision = lookup.compiled.route(snapshot.order, snapshot.facts, snapshot.at);
      } catch (error) {
        const failed = evaluationFailure(error);
        if (failed) return failed;
        throw error;
      }
      const before = outcome(stored.body);
      const after = outcome(decision);
      const ranking = rankingWithFactors(decision);
      // Materialised records on both sides: any change of order, score or factor value counts.
      const original = target === stored.strategy.version ? { ranking } : recordedRanking(stored);
      return {
        ok: true,
        response: {
          decisionId: stored.id,
          strategy: {
            id: stored.strategy.id,
            version: target,
            ...(lookup.draftRevision === undefined ? {} : { draftRevision: lookup.draftRevision }),
          },
          original: { version: stored.strategy.version, environment: stored.strategy.environment },
          ...decisionOutcome(decision, ranking),
          changed: !isDeepStrictEqual(before, after),
          rankingChanged: !isDeepStrictEqual(original.ranking, ranking),
          diff: createPatch(before, after),
        },
      };
    },
  };
}

/** The parts of a decision a replay compares: where the order goes. */
function outcome(decision: Pick<DecisionBody, 'allocation' | 'tierUsed' | 'unroutable'>) {
  return {
    allocation: decision.allocation,
    tierUsed: decision.tierUsed,
    unroutable: decision.unroutable ?? null,
  };
}

/** A decision's outcome as the API shows it, but the ranking (which follows `allocation`). */
function outcomeParts(decision: Omit<DecisionBody, 'order' | 'warehouses' | 'alerts'>) {
  return {
    allocation: decision.allocation,
    tierUsed: decision.tierUsed,
    ...(decision.unroutable ? { unroutable: decision.unroutable } : {}),
    explanation: decision.explanation,
    explanationDetail: decision.explanationDetail,
    parameters: decision.parameters,
    ...(decision.segment === undefined ? {} : { segment: decision.segment }),
  };
}

function decisionOutcome(
  decision: Omit<DecisionBody, 'order' | 'warehouses' | 'alerts'>,
  ranking: RankedCandidateWithFactors[],
) {
  const { allocation, ...rest } = outcomeParts(decision);
  return { allocation, ranking, ...rest };
}

/** The answer to `POST /api/route` but its ranking, in the answer's key order. */
function answerParts(
  id: string,
  strategy: StrategyRef,
  decision: RoutingDecision,
  elapsedMs: number,
): RouteAnswerParts {
  return { decisionId: id, strategy, ...outcomeParts(decision), elapsedMs };
}

function evaluationFailure(
  error: unknown,
): { ok: false; reason: 'evaluation-failed'; detail: string; errors: Report[] } | undefined {
  if (error instanceof CelError) {
    return {
      ok: false,
      reason: 'evaluation-failed',
      detail: `The strategy could not evaluate this order: ${error.summary}`,
      errors: [
        {
          path: error.path ?? '',
          severity: 'error',
          message: error.summary,
          ...(error.line === undefined ? {} : { line: error.line }),
          ...(error.column === undefined ? {} : { column: error.column }),
        },
      ],
    };
  }
  if (error instanceof RoutingDefinitionError) {
    return {
      ok: false,
      reason: 'evaluation-failed',
      detail: `The strategy version does not compile: ${error.message}`,
      errors: error.reports,
    };
  }
  return undefined;
}

// Topics are dot-separated words; a strategy id may contain dots, which would make extra levels.
function topicOf(strategyId: string): string {
  return `decision.${strategyId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
