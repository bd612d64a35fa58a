import {
  type Clock,
  type CompiledStatusGraph,
  compileStatusGraph,
  type DeliveryEffect,
  fixedClock,
  transition,
} from '@orderloom/engine';
import type { StatusEvent, StatusGraphDefinition } from '@orderloom/schema';
import type { Environment } from '../apiSchemas.ts';
import { type AlertInput, createAlertsRepository } from '../db/alertsRepository.ts';
import { createGroupCommit } from '../db/createGroupCommit.ts';
import { enqueueDeliveries, type OutboxMessage } from '../db/deliveriesRepository.ts';
import { createHistoryRepository } from '../db/historyRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { createOrdersRepository } from '../db/ordersRepository.ts';
import { createSlaTimersRepository } from '../db/slaTimersRepository.ts';
import { createSourcesRepository } from '../db/sourcesRepository.ts';
import { createDefinitionResolver } from '../definitionResolver.ts';
import type { LogRow } from '../verifyLog.ts';
import { createLogVerifier } from '../verifyLog.ts';
import type { EntryBody, EntrySignature } from './chainEntry.ts';
import { type Checkpointer, createCheckpointer } from './createCheckpointer.ts';
import { createSlaScheduler, type SlaScheduler } from './createSlaScheduler.ts';
import type { RuntimeSigningKey } from './runtimeSigningKey.ts';
import { createStatusGraphSelector, type StatusGraphSelector } from './selectStatusGraph.ts';
import type { Alert, EventResult, OrderDetail, PostEventRequest, VerifyResult } from './statusApiSchemas.ts';
import { verifyEventSignature } from './verifyEventSignature.ts';

/** Writes outbox rows inside the caller's transaction (the subscriptions' outbox by default). */
export type Enqueue = (db: Db, message: OutboxMessage) => void;

/** Outcome of {@link StatusService.ingest}. */
export type IngestOutcome =
  | { kind: 'applied'; result: EventResult }
  | { kind: 'duplicate'; result: EventResult }
  | { kind: 'invalid-signature'; message: string; alertId: number }
  | { kind: 'rejected'; type: 'unknown-system' | 'unknown-code'; path: string; message: string }
  | { kind: 'no-graph'; message: string }
  | { kind: 'conflict'; message: string };

/** The status runtime: event ingest, orders, alerts, SLA scheduler and the audit chain. */
export type StatusService = ReturnType<typeof createStatusService>;

/**
 * Wires the status runtime over a migrated database: repositories, graph selection, the SLA
 * scheduler and the checkpointer. Call `start()` once the app listens and `stop()` on shutdown.
 */
export function createStatusService(deps: {
  db: Db;
  clock: Clock;
  signingKey: RuntimeSigningKey;
  checkpointIntervalMs: number;
  enqueue?: Enqueue;
  onError?: (err: unknown, context: string) => void;
}) {
  const { db, clock, signingKey } = deps;
  const enqueue: Enqueue = deps.enqueue ?? ((database, message) => void enqueueDeliveries(database, message));
  const sources = createSourcesRepository(db);
  const orders = createOrdersRepository(db);
  const history = createHistoryRepository(db);
  const alerts = createAlertsRepository(db);
  const timers = createSlaTimersRepository(db);
  const resolver = createDefinitionResolver<CompiledStatusGraph>(db, {
    compile: (definition) => compileStatusGraph(definition as StatusGraphDefinition),
  });
  const selector: StatusGraphSelector = createStatusGraphSelector(db, resolver);
  const enqueueEffect = (effect: DeliveryEffect) =>
    enqueue(db, { topic: effect.topic, key: effect.key, payload: effect.payload });

  const scheduler: SlaScheduler = createSlaScheduler({
    db,
    clock,
    timers,
    orders,
    alerts,
    selector,
    enqueue: enqueueEffect,
    onError: (err) => deps.onError?.(err, 'SLA scheduler'),
  });
  const checkpointer: Checkpointer = createCheckpointer({
    db,
    history,
    key: signingKey,
    clock,
    intervalMs: deps.checkpointIntervalMs,
    onError: (err) => deps.onError?.(err, 'checkpoint'),
  });

  const raiseInvalidSignature = db.transaction(
    (orderId: string, event: PostEventRequest, reason: string, message: string, now: number): Alert => {
      const input: AlertInput = {
        key: `invalid-signature/${event.system}/${event.eventId}`,
        type: 'invalid-signature',
        orderId,
        level: 'breach',
        message: `event ${event.eventId} from ${event.system} for order ${orderId} was refused: ${message}`,
        notify: [],
        details: { system: event.system, eventId: event.eventId, keyId: event.keyId ?? null, reason },
      };
      const { alert, change } = alerts.raise(input, now);
      if (change === 'opened') {
        enqueue(db, { topic: 'alert.invalid-signature', key: `${input.key}/breach`, payload: alert });
      }
      return alert;
    },
  );

  const ingestTx = db.transaction(
    (
      orderId: string,
      raw: Record<string, unknown>,
      event: PostEventRequest,
      signature: EntrySignature | null,
      environment: Environment,
      now: number,
    ): IngestOutcome => {
      const seen = orders.findEvent(event.system, event.eventId);
      if (seen) {
        if (seen.orderId !== orderId) {
          return {
            kind: 'conflict',
            message: `event ${event.eventId} of ${event.system} was already applied to order ${seen.orderId}`,
          };
        }
        return { kind: 'duplicate', result: seen.result };
      }
      const stored = orders.get(orderId);
      if (stored && stored.environment !== environment) {
        return {
          kind: 'conflict',
          message: `order ${orderId} runs in ${stored.environment}; post its events with ?environment=${stored.environment}`,
        };
      }
      const channel = stored?.state.channel ?? event.channel;
      const graph = stored
        ? selector.forOrder(stored.graphId, environment)
        : selector.forNewOrder(channel, environment);
      if (!graph) {
        return {
          kind: 'no-graph',
          message: stored
            ? `status graph ${stored.graphId} of order ${orderId} is not published in ${environment}`
            : `no status graph is published in ${environment} for channel ${channel ?? '(none)'} and there is no default graph`,
        };
      }
      const engineEvent: StatusEvent = {
        eventId: event.eventId,
        system: event.system,
        code: event.code,
        occurredAt: event.occurredAt,
        ...(event.channel === undefined ? {} : { channel: event.channel }),
        ...(event.data === undefined ? {} : { data: event.data }),
      };
      const result = transition(graph.compiled, stored?.state ?? { orderId }, engineEvent, fixedClock(now));
      if (!result.ok) {
        return {
          kind: 'rejected',
          type: result.error.type,
          path: result.error.path,
          message: result.error.message,
        };
      }

      const { signature: _omit, ...signedEvent } = raw;
      const [eventEntry] = history.append([
        { type: 'event', orderId, receivedAt: now, signature, event: signedEvent },
      ]);
      if (!eventEntry) throw new Error('the event entry was not appended');
      const graphRef = { id: graph.id, version: graph.version, environment };
      history.append(
        result.transitions.map(
          (t): EntryBody => ({
            type: 'transition',
            orderId,
            receivedAt: now,
            signature,
            transition: { id: t.id, from: t.from, to: t.to, at: new Date(t.at).toISOString() },
            cause: { ...t.cause, seq: eventEntry.seq },
            graph: graphRef,
          }),
        ),
      );
      orders.save({ state: result.next, environment, graphId: graph.id, graphVersion: graph.version }, now);
      timers.apply(result.slaTimers);
      const raised = result.alerts.map(
        (a) =>
          alerts.raise(
            {
              key: a.key,
              type: a.type,
              orderId,
              level: a.level,
              message: a.message,
              notify: a.notify,
              details: a,
            },
            now,
          ).alert,
      );
      for (const effect of result.deliveries) enqueueEffect(effect);

      const response: EventResult = {
        orderId,
        eventId: event.eventId,
        system: event.system,
        status: result.next.status,
        since: new Date(result.next.since).toISOString(),
        graph: graphRef,
        created: result.created,
        transitions: result.transitions.map((t) => ({
          id: t.id,
          from: t.from,
          to: t.to,
          at: new Date(t.at).toISOString(),
        })),
        alerts: raised.map((a) => ({ id: a.id, type: a.type, level: a.level, message: a.message })),
        seq: eventEntry.seq,
      };
      orders.recordEvent({
        system: event.system,
        eventId: event.eventId,
        orderId,
        seq: eventEntry.seq,
        receivedAt: now,
        result: response,
      });
      return { kind: 'applied', result: response };
    },
  );

  interface Queued {
    orderId: string;
    raw: Record<string, unknown>;
    event: PostEventRequest;
    signature: EntrySignature | null;
    environment: Environment;
  }
  const commit = createGroupCommit({
    db,
    batch: () => clock.now(),
    store: (q: Queued, now: number) => ingestTx(q.orderId, q.raw, q.event, q.signature, q.environment, now),
    committed: (stored) => {
      if (stored.some((s) => s.stored.kind === 'applied')) scheduler.wake();
    },
  });

  return {
    clock,
    sources,
    orders,
    history,
    alerts,
    timers,
    scheduler,
    checkpointer,
    signingKey,

    /**
     * Applies one status event: verifies the source signature (on the thread pool; a refusal stores
     * only an `invalid-signature` alert), then selects the graph, runs the engine and stores the order,
     * history entries, alerts, SLA timer rows, outbox deliveries and the idempotency record — all of it
     * in one immediate transaction, which resolves the promise only once committed. Events arriving in
     * the same turn of the event loop share that transaction (group commit), each in its own savepoint,
     * so one failing event does not undo the others.
     *
     * @param raw the event exactly as parsed from the request body (the signed bytes are derived from it)
     */
    async ingest(
      orderId: string,
      raw: Record<string, unknown>,
      event: PostEventRequest,
      environment: Environment,
    ): Promise<IngestOutcome> {
      const check = await verifyEventSignature(raw, sources.keysOf(event.system));
      if (!check.ok) {
        const alert = raiseInvalidSignature.immediate(
          orderId,
          event,
          check.reason,
          check.message,
          clock.now(),
        );
        return { kind: 'invalid-signature', message: check.message, alertId: alert.id };
      }
      const signature: EntrySignature | null =
        event.signature === undefined
          ? null
          : { value: event.signature, keyId: check.keyId, verified: check.verified };
      return commit({ orderId, raw, event, signature, environment });
    },

    /** The order as `GET /api/orders/:id` shows it, or undefined. */
    orderDetail(orderId: string): OrderDetail | undefined {
      const stored = orders.get(orderId);
      if (!stored) return undefined;
      const { state } = stored;
      return {
        orderId,
        environment: stored.environment,
        graph: { id: stored.graphId, version: stored.graphVersion },
        channel: state.channel ?? null,
        status: state.status,
        since: new Date(state.since).toISOString(),
        facts: state.facts,
        lastRaw: Object.fromEntries(
          Object.entries(state.lastRaw).map(([system, raw]) => [
            system,
            { ...raw, receivedAt: new Date(raw.receivedAt).toISOString() },
          ]),
        ),
        openAlerts: alerts.openForOrder(orderId),
        slaDeadlines: timers.listByOrder(orderId).map((t) => ({
          slaId: t.slaId,
          state: t.state,
          level: t.level,
          atPercent: t.atPercent,
          dueAt: new Date(t.dueAt).toISOString(),
          notify: t.notify,
        })),
        createdAt: new Date(stored.createdAt).toISOString(),
        updatedAt: new Date(stored.updatedAt).toISOString(),
      };
    },

    /** Verifies the whole log against the signed checkpoints (see `verifyLog.ts`). */
    verify(): VerifyResult {
      // A read transaction gives one consistent snapshot of entries and checkpoints.
      return db.transaction(() => {
        const verifier = createLogVerifier(signingKey.publicKey, signingKey.keyId, history.allCheckpoints());
        for (const row of history.iterate()) {
          const logRow: LogRow = { seq: row.seq, orderId: row.order_id, entry: row.entry, hash: row.hash };
          if (!verifier.add(logRow)) break;
        }
        return verifier.finish();
      })();
    },

    /** Starts the SLA scheduler (firing timers missed while down) and the checkpoint interval. */
    start(): void {
      scheduler.start();
      checkpointer.start();
    },

    /** Stops timers and signs a last checkpoint. */
    stop(): void {
      scheduler.stop();
      try {
        checkpointer.stop();
      } catch (err) {
        deps.onError?.(err, 'final checkpoint');
      }
    },
  };
}
