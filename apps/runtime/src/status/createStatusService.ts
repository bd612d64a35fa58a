import {
  type Clock,
  type CompiledStatusGraph,
  compileStatusGraph,
  type DeliveryEffect,
} from '@orderloom/engine';
import type { StatusGraphDefinition } from '@orderloom/schema';
import type { Environment } from '../apiSchemas.ts';
import { type AlertInput, createAlertsRepository } from '../db/alertsRepository.ts';
import { createGroupCommit } from '../db/createGroupCommit.ts';
import { enqueueDeliveries } from '../db/deliveriesRepository.ts';
import { createHistoryRepository } from '../db/historyRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { createOrdersRepository } from '../db/ordersRepository.ts';
import { createSlaTimersRepository } from '../db/slaTimersRepository.ts';
import { createSourcesRepository } from '../db/sourcesRepository.ts';
import { createDefinitionResolver } from '../definitionResolver.ts';
import type { LogRow } from '../verifyLog.ts';
import { createLogVerifier } from '../verifyLog.ts';
import type { EntrySignature } from './chainEntry.ts';
import { type Checkpointer, createCheckpointer } from './createCheckpointer.ts';
import { createIngestStore, type Enqueue, type IngestItem, type StoreOutcome } from './createIngestStore.ts';
import { createSlaScheduler, type SlaScheduler } from './createSlaScheduler.ts';
import type { RuntimeSigningKey } from './runtimeSigningKey.ts';
import { createStatusGraphSelector, type StatusGraphSelector } from './selectStatusGraph.ts';
import type { Alert, OrderDetail, PostEventRequest, VerifyResult } from './statusApiSchemas.ts';
import { verifyEventSignature } from './verifyEventSignature.ts';

export type { Enqueue } from './createIngestStore.ts';

/**
 * Outcome of {@link StatusService.ingest}; for `applied` and `duplicate`, `body` is the JSON text of the
 * event's result.
 */
export type IngestOutcome = StoreOutcome | { kind: 'invalid-signature'; message: string; alertId: number };

/**
 * Stores verified events and resolves once they are committed: in the request thread
 * ({@link createInlineStatusWriter}) or on the status writer thread (`startStatusWriterThread`).
 */
export interface StatusWriter {
  store(item: Omit<IngestItem, 'now'>): Promise<StoreOutcome>;
}

/**
 * A {@link StatusWriter} on the caller's own connection: events handed over in the same turn of the
 * event loop share one immediate transaction (group commit), with one receive time by `clock`.
 */
export function createInlineStatusWriter(
  db: Db,
  clock: Clock,
  store: (item: IngestItem) => StoreOutcome,
): StatusWriter {
  const commit = createGroupCommit({
    db,
    batch: () => clock.now(),
    store: (item: Omit<IngestItem, 'now'>, now: number) => store({ ...item, now }),
  });
  return { store: commit };
}

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
  /** Where verified events are stored; by default on `db`, in this thread. */
  writer?: StatusWriter;
  onError?: (err: unknown, context: string) => void;
}) {
  const { db, clock, signingKey } = deps;
  const enqueue: Enqueue = deps.enqueue ?? ((database, message) => void enqueueDeliveries(database, message));
  const sources = createSourcesRepository(db);
  const orders = createOrdersRepository(db);
  const history = createHistoryRepository(db);
  const alerts = createAlertsRepository(db);
  const timers = createSlaTimersRepository(db);
  // The SLA scheduler selects graphs too.
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

  const writer: StatusWriter =
    deps.writer ?? createInlineStatusWriter(db, clock, createIngestStore(db, { enqueue }));
  // SLA timers may have been written: re-arm once per batch of answers, not once per event.
  let wakeQueued = false;
  const wakeScheduler = () => {
    if (wakeQueued) return;
    wakeQueued = true;
    queueMicrotask(() => {
      wakeQueued = false;
      scheduler.wake();
    });
  };

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
     * Applies one status event: verifies the source signature (a refusal stores only an
     * `invalid-signature` alert), then has the writer select the graph, run the engine and store
     * the order, history entries, alerts, SLA timer rows, outbox deliveries and the idempotency record —
     * all of it in one immediate transaction, which resolves the promise only once committed. Events
     * arriving in the same turn of the event loop share that transaction (group commit), each in its
     * own savepoint, so one failing event does not undo the others.
     *
     * @param raw the event exactly as parsed from the request body (the signed bytes are derived from it)
     */
    async ingest(
      orderId: string,
      raw: Record<string, unknown>,
      event: PostEventRequest,
      environment: Environment,
    ): Promise<IngestOutcome> {
      const check = verifyEventSignature(raw, sources.keysOf(event.system));
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
      const outcome = await writer.store({
        orderId,
        raw,
        event,
        signature,
        environment,
        signedText: check.signedText,
      });
      if (outcome.kind === 'applied') wakeScheduler();
      return outcome;
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
