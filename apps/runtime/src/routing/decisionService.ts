import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  CelError,
  type Clock,
  type CompiledRouting,
  type RoutingDecision,
  RoutingDefinitionError,
} from '@orderloom/engine';
import type { Order, Report } from '@orderloom/schema';
import { createPatch } from 'rfc6902';
import type { Environment } from '../apiSchemas.ts';
import { createGroupCommit } from '../db/createGroupCommit.ts';
import {
  createDecisionsRepository,
  type DecisionBody,
  type DecisionsRepository,
  type StoredDecision,
  type StrategyRef,
  snapshotOf,
} from '../db/decisionsRepository.ts';
import { enqueueDeliveries } from '../db/deliveriesRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { createSubscriptionsRepository } from '../db/subscriptionsRepository.ts';
import type { ResolvedDefinition } from '../definitionResolver.ts';
import type { FactsStore } from './factsStore.ts';
import type { DecisionRecord, ReplayResponse, RouteResponse } from './routingApiSchemas.ts';
import type { RoutingStrategies } from './routingStrategies.ts';

/** Outcome of {@link DecisionService.route}. */
export type RouteResult =
  | { ok: true; response: RouteResponse }
  | { ok: false; reason: 'strategy-not-found' | 'no-version' }
  | { ok: false; reason: 'evaluation-failed'; detail: string; errors: Report[] };

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
  function webhookSubscription(owner: string, strategy: StrategyRef, url: string | undefined) {
    if (url === undefined) return undefined;
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

  const storeTx = db.transaction(
    (
      input: Parameters<DecisionsRepository['insert']>[0],
      subscriptionId: string | undefined,
      payload: () => DecisionWebhookPayload,
    ) => {
      decisions.insert(input);
      if (subscriptionId === undefined) return true;
      const { deliveryIds } = enqueueDeliveries(db, {
        topic: topicOf(input.strategy.id),
        key: input.id,
        payload: payload(),
        subscriptionIds: [subscriptionId],
      });
      // None when the subscription was deleted or disabled since it was looked up.
      return deliveryIds.length > 0;
    },
  );

  /** A decision made and ready to store, with what to answer once it is stored. */
  interface Prepared {
    input: Parameters<DecisionsRepository['insert']>[0];
    subscriptionId: string | undefined;
    payload: () => DecisionWebhookPayload;
    owner: string;
    response: RouteResponse;
  }

  function decide(
    request: { strategy: string; environment: Environment; order: Order },
    options: { at?: number },
  ): { ok: true; prepared: Prepared } | Exclude<RouteResult, { ok: true }> {
    const started = performance.now();
    const at = options.at ?? clock.now();
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
    const id = `dec_${randomUUID()}`;
    const lanes = decision.snapshot.facts.lanes;
    let lanesKey = `${view.lanesGeneration}`;
    for (const lane of lanes) lanesKey += `\u0000${lane.id}`;
    const owner = `routing:${strategy.id}:${strategy.environment}`;
    const webhookUrl = resolved.definition.kind === 'routing' ? resolved.definition.webhook?.url : undefined;
    const routed = decision;
    return {
      ok: true,
      prepared: {
        input: { id, strategy, decision, elapsedMs, createdAt: Date.now(), lanesKey },
        subscriptionId: webhookSubscription(owner, strategy, webhookUrl),
        payload: () => ({
          decisionId: id,
          at: new Date(at).toISOString(),
          strategy,
          orderId: request.order.id,
          allocation: routed.allocation,
          tierUsed: routed.tierUsed,
          unroutable: routed.unroutable !== undefined,
          explanation: routed.explanation,
        }),
        owner,
        response: routeResponse(id, strategy, decision, elapsedMs),
      },
    };
  }

  const commit = createGroupCommit({
    db,
    store: ({ input, subscriptionId, payload }: Prepared) => storeTx(input, subscriptionId, payload),
  });

  return {
    decisions,

    /**
     * Routes one order and stores the decision durably (WAL, committed) before returning.
     *
     * @param options.at decision time to use instead of the clock's (demo seeding, benchmarks).
     */
    route(
      request: { strategy: string; environment: Environment; order: Order },
      options: { at?: number } = {},
    ): RouteResult {
      const made = decide(request, options);
      if (!made.ok) return made;
      const { input, subscriptionId, payload, owner, response } = made.prepared;
      const delivered = storeTx.immediate(input, subscriptionId, payload);
      if (!delivered) noDelivery(owner);
      return { ok: true, response };
    },

    /**
     * As {@link route}, but decisions made in the same turn of the event loop are stored in one
     * immediate transaction (group commit), each in its own savepoint; the promise resolves only once
     * that transaction has committed.
     */
    routeCommitted(
      request: { strategy: string; environment: Environment; order: Order },
      options: { at?: number } = {},
    ): Promise<RouteResult> {
      const made = decide(request, options);
      if (!made.ok) return Promise.resolve(made);
      const { owner, response } = made.prepared;
      return commit(made.prepared).then((delivered): RouteResult => {
        if (!delivered) noDelivery(owner);
        return { ok: true, response };
      });
    },

    /** A stored decision with its snapshot, as `GET /api/decisions/:id` shows it. */
    get(id: string): DecisionRecord | undefined {
      const stored = decisions.get(id);
      return stored ? decisionRecord(stored) : undefined;
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
          ...decisionOutcome(decision),
          changed: !isDeepStrictEqual(before, after),
          rankingChanged: !isDeepStrictEqual(stored.ranking, decision.ranking),
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

function decisionOutcome(
  decision: Omit<DecisionBody, 'order' | 'warehouses' | 'alerts'> & Pick<RoutingDecision, 'ranking'>,
) {
  return {
    allocation: decision.allocation,
    ranking: decision.ranking,
    tierUsed: decision.tierUsed,
    ...(decision.unroutable ? { unroutable: decision.unroutable } : {}),
    explanation: decision.explanation,
    explanationDetail: decision.explanationDetail,
    parameters: decision.parameters,
    ...(decision.segment === undefined ? {} : { segment: decision.segment }),
  };
}

function routeResponse(
  id: string,
  strategy: StrategyRef,
  decision: RoutingDecision,
  elapsedMs: number,
): RouteResponse {
  return { decisionId: id, strategy, ...decisionOutcome(decision), elapsedMs };
}

function decisionRecord(stored: StoredDecision): DecisionRecord {
  return {
    decisionId: stored.id,
    at: new Date(stored.at).toISOString(),
    orderId: stored.orderId,
    strategy: stored.strategy,
    ...decisionOutcome({ ...stored.body, ranking: stored.ranking }),
    elapsedMs: stored.elapsedMs,
    snapshot: snapshotOf(stored.body, stored.lanes, stored.at),
  };
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
