import {
  type CompiledStatusGraph,
  compileStatusGraph,
  type DeliveryEffect,
  fixedClock,
  transition,
} from '@orderloom/engine';
import type { StatusEvent, StatusGraphDefinition } from '@orderloom/schema';
import type { Environment } from '../apiSchemas.ts';
import { createAlertsRepository } from '../db/alertsRepository.ts';
import { enqueueDeliveries, type OutboxMessage } from '../db/deliveriesRepository.ts';
import { createHistoryRepository } from '../db/historyRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { createOrdersRepository } from '../db/ordersRepository.ts';
import { createSlaTimersRepository } from '../db/slaTimersRepository.ts';
import { createDefinitionResolver } from '../definitionResolver.ts';
import type { EntryBody, EntrySignature } from './chainEntry.ts';
import { createStatusGraphSelector } from './selectStatusGraph.ts';
import type { EventResult, PostEventRequest } from './statusApiSchemas.ts';

/** Writes outbox rows inside the caller's transaction (the subscriptions' outbox by default). */
export type Enqueue = (db: Db, message: OutboxMessage) => void;

/** A verified event, ready to be stored (structured-cloneable: it may travel to the writer thread). */
export interface IngestItem {
  orderId: string;
  /** The event exactly as parsed from the request body. */
  raw: Record<string, unknown>;
  event: PostEventRequest;
  signature: EntrySignature | null;
  environment: Environment;
  /** RFC 8785 JSON of `raw` without its signature, when the signature check computed it. */
  signedText?: string | undefined;
  /** Receive time (epoch ms by the runtime's clock), shared by the items of one commit. */
  now: number;
}

/** What storing an event gave (the invalid-signature outcome is decided before storing). */
export type StoreOutcome =
  /** `body` is the JSON text of the {@link EventResult}, as answered and as kept for replays. */
  | { kind: 'applied'; body: string }
  | { kind: 'duplicate'; body: string }
  | { kind: 'rejected'; type: 'unknown-system' | 'unknown-code'; path: string; message: string }
  | { kind: 'no-graph'; message: string }
  | { kind: 'conflict'; message: string };

/**
 * Creates the function that stores one status event on `db`: it selects the graph, runs the engine and
 * writes the order, history entries, alerts, SLA timer rows, outbox deliveries and the idempotency
 * record. Each call is its own transaction, or a savepoint when the caller already opened one (a group
 * commit). The runtime runs it on its status writer thread; it needs nothing but the connection.
 */
export function createIngestStore(db: Db, options: { enqueue?: Enqueue } = {}) {
  const enqueue: Enqueue =
    options.enqueue ?? ((database, message) => void enqueueDeliveries(database, message));
  const orders = createOrdersRepository(db);
  const history = createHistoryRepository(db);
  const alerts = createAlertsRepository(db);
  const timers = createSlaTimersRepository(db);
  const resolver = createDefinitionResolver<CompiledStatusGraph>(db, {
    compile: (definition) => compileStatusGraph(definition as StatusGraphDefinition),
  });
  const selector = createStatusGraphSelector(db, resolver);
  const enqueueEffect = (effect: DeliveryEffect) =>
    enqueue(db, { topic: effect.topic, key: effect.key, payload: effect.payload });

  return db.transaction((item: IngestItem): StoreOutcome => {
    const { orderId, raw, event, signature, environment, now } = item;
    const seen = orders.findEventText(event.system, event.eventId);
    if (seen) {
      if (seen.orderId !== orderId) {
        return {
          kind: 'conflict',
          message: `event ${event.eventId} of ${event.system} was already applied to order ${seen.orderId}`,
        };
      }
      return { kind: 'duplicate', body: seen.result };
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
    const graphRef = { id: graph.id, version: graph.version, environment };
    const entries: EntryBody[] = [
      { type: 'event', orderId, receivedAt: now, signature, event: signedEvent, eventText: item.signedText },
    ];
    // The transitions' cause names the event entry, which is appended first: its seq is head + 1.
    const head = history.head();
    const eventSeq = head.seq + 1;
    for (const t of result.transitions) {
      entries.push({
        type: 'transition',
        orderId,
        receivedAt: now,
        signature,
        transition: { id: t.id, from: t.from, to: t.to, at: new Date(t.at).toISOString() },
        cause: { ...t.cause, seq: eventSeq },
        graph: graphRef,
      });
    }
    const [eventEntry] = history.append(entries, head);
    if (!eventEntry || eventEntry.seq !== eventSeq) throw new Error('the event entry was not appended');
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
    const body = JSON.stringify(response);
    orders.recordEvent({
      system: event.system,
      eventId: event.eventId,
      orderId,
      seq: eventEntry.seq,
      receivedAt: now,
      result: body,
    });
    return { kind: 'applied', body };
  });
}
