import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '@orderloom/engine';
import { v7 as uuidv7 } from 'uuid';
import { notifyDeliveriesEnqueued } from '../effects/deliveryWakeups.ts';
import { matchesTopic } from '../effects/matchesTopic.ts';
import {
  type Delivery,
  type DeliveryAttempt,
  type DeliveryState,
  type SubscriptionTarget,
  topicSchema,
} from '../effects/subscriptionSchemas.ts';
import type { Db } from './openDatabase.ts';

/**
 * A message for subscribers, written to the outbox. Each active subscription whose topic patterns
 * select `topic` gets one delivery.
 *
 * @example
 * // inside the transaction that stores the change:
 * deliveries.enqueue({ topic: 'status.changed', key: 'order-1/evt-9/0', payload: { orderId: 'order-1', to: 'shipped' } });
 */
export interface OutboxMessage {
  /** Dot-separated topic, e.g. `status.changed`, `alert.sla`, `decision.peak-season`. */
  topic: string;
  /** Any JSON value; sent as `data` in `{ type, timestamp, data }`. */
  payload: unknown;
  /**
   * Dedupe key: a second message with the same topic and key is not enqueued again for a
   * subscription that already has it. It also fixes the message id (`webhook-id`), so receivers
   * can deduplicate too.
   */
  key?: string | undefined;
  /** Deliver only to these subscriptions (still only active ones), whatever their topics. */
  subscriptionIds?: readonly string[] | undefined;
}

/** What {@link DeliveriesRepository.enqueue} wrote. */
export interface EnqueueResult {
  /** The `webhook-id` shared by this message's deliveries. */
  messageId: string;
  /** Ids of the new deliveries (empty when nobody subscribes or all were duplicates). */
  deliveryIds: string[];
}

/** A due delivery handed to the worker, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  topic: string;
  messageId: string;
  /** The payload as stored (JSON text). */
  payload: string;
  createdAt: string;
  /** Attempts made before this one. */
  attempts: number;
  target: SubscriptionTarget;
  /** Webhook signing secret; null for MQTT. */
  secret: string | null;
}

/** How an attempt ended, as decided by the worker. */
export type AttemptResult =
  | { kind: 'delivered' }
  | { kind: 'retry'; nextAttemptAt: number }
  | { kind: 'dead' }
  /** The target is gone (HTTP 410): the subscription is disabled and its pending deliveries die. */
  | { kind: 'gone'; reason: string };

/** One finished attempt, as {@link DeliveriesRepository.recordAttempts} stores it. */
export interface AttemptRecord {
  claim: ClaimedDelivery;
  attempt: { at: number; status: number | null; error: string | null; durationMs: number };
  result: AttemptResult;
}

/** Outcome of {@link DeliveriesRepository.redeliver}. */
export type RedeliverResult =
  | { ok: true; delivery: Delivery }
  | { ok: false; reason: 'not-found' | 'pending' | 'subscription-disabled' };

interface DeliveryRow {
  seq: number;
  id: string;
  subscription_id: string;
  topic: string;
  dedupe_key: string | null;
  message_id: string;
  payload: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number;
  last_status: number | null;
  last_error: string | null;
  redeliveries: number;
  created_at: string;
  delivered_at: string | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

interface ClaimRow {
  id: string;
  subscription_id: string;
  topic: string;
  message_id: string;
  payload: string;
  created_at: string;
  attempts: number;
  target: string;
  secret: string | null;
}

/** The outbox: deliveries, their attempts and the worker's claims. */
export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>;

const systemClock: Clock = { now: () => Date.now() };
const deliveryColumns = `seq, id, subscription_id, topic, dedupe_key, message_id, payload, state, attempts,
  next_attempt_at, last_status, last_error, redeliveries, created_at, delivered_at`;

/**
 * Creates the outbox repository over a migrated database, with its statements prepared once.
 * `enqueue` is meant to run inside the producer's transaction, so a change and the deliveries it
 * causes commit (or roll back) together.
 */
export function createDeliveriesRepository(db: Db, { clock = systemClock }: { clock?: Clock } = {}) {
  const selectActive = db.prepare<[], { id: string; topics: string }>(
    `SELECT id, topics FROM subscriptions WHERE state = 'active'`,
  );
  const insertDelivery = db.prepare(
    `INSERT INTO deliveries (id, subscription_id, topic, dedupe_key, message_id, payload, state, attempts,
       next_attempt_at, created_at)
     VALUES (@id, @subscriptionId, @topic, @key, @messageId, @payload, 'pending', 0, @now, @createdAt)
     ON CONFLICT DO NOTHING`,
  );
  const selectDue = db.prepare<{ now: number; limit: number }, ClaimRow>(
    `SELECT d.id, d.subscription_id, d.topic, d.message_id, d.payload, d.created_at, d.attempts, s.target, s.secret
     FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
     WHERE d.state = 'pending' AND d.next_attempt_at <= @now AND s.state = 'active'
     ORDER BY d.next_attempt_at, d.seq LIMIT @limit`,
  );
  const lease = db.prepare(`UPDATE deliveries SET next_attempt_at = ? WHERE id = ? AND state = 'pending'`);
  const selectNextDue = db
    .prepare<[], number | null>(
      `SELECT min(d.next_attempt_at) FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
       WHERE d.state = 'pending' AND s.state = 'active'`,
    )
    .pluck();
  const deliveryExists = db.prepare<[string], number>('SELECT 1 FROM deliveries WHERE id = ?').pluck();
  const insertAttempt = db.prepare(
    `INSERT INTO delivery_attempts (delivery_id, attempt, at, status, error, duration_ms)
     VALUES (@deliveryId, @attempt, @at, @status, @error, @durationMs)`,
  );
  const markDelivered = db.prepare(
    `UPDATE deliveries SET state = 'delivered', attempts = @attempt, last_status = @status, last_error = NULL,
       delivered_at = @at
     WHERE id = @deliveryId AND state = 'pending'`,
  );
  const markRetry = db.prepare(
    `UPDATE deliveries SET attempts = @attempt, last_status = @status, last_error = @error,
       next_attempt_at = @nextAttemptAt
     WHERE id = @deliveryId AND state = 'pending'`,
  );
  const markDead = db.prepare(
    `UPDATE deliveries SET state = 'dead', attempts = @attempt, last_status = @status, last_error = @error
     WHERE id = @deliveryId AND state = 'pending'`,
  );
  const disableSubscription = db.prepare(
    `UPDATE subscriptions SET state = 'disabled', disabled_reason = @reason, disabled_at = @at
     WHERE id = @subscriptionId AND state = 'active'`,
  );
  const killPending = db.prepare(
    `UPDATE deliveries SET state = 'dead', last_error = @error
     WHERE subscription_id = @subscriptionId AND state = 'pending'`,
  );
  const selectPage = db.prepare<
    { subscriptionId: string; state: string | null; before: number | null; limit: number },
    DeliveryRow
  >(
    `SELECT ${deliveryColumns} FROM deliveries
     WHERE subscription_id = @subscriptionId AND (@state IS NULL OR state = @state)
       AND (@before IS NULL OR seq < @before)
     ORDER BY seq DESC LIMIT @limit`,
  );
  const selectDelivery = db.prepare<[string], DeliveryRow>(
    `SELECT ${deliveryColumns} FROM deliveries WHERE id = ?`,
  );
  const selectAttempts = db.prepare<[string], AttemptRow>(
    `SELECT delivery_id, attempt, at, status, error, duration_ms FROM delivery_attempts
     WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
  );
  const selectSubscriptionState = db
    .prepare<[string], string>('SELECT state FROM subscriptions WHERE id = ?')
    .pluck();
  const resetForRedelivery = db.prepare(
    `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = @now, last_status = NULL,
       last_error = NULL, delivered_at = NULL, redeliveries = redeliveries + 1
     WHERE id = @id`,
  );

  // Subscriptions change rarely; their parsed topic lists are kept per JSON text.
  const parsedTopics = new Map<string, readonly string[]>();
  const topicsOf = (json: string): readonly string[] => {
    let topics = parsedTopics.get(json);
    if (!topics) {
      topics = JSON.parse(json) as string[];
      if (parsedTopics.size > 1000) parsedTopics.clear();
      parsedTopics.set(json, topics);
    }
    return topics;
  };

  const writeMessage = (message: OutboxMessage): EnqueueResult => {
    const only = message.subscriptionIds ? new Set(message.subscriptionIds) : undefined;
    const messageId =
      message.key === undefined ? `msg_${randomUUID().replaceAll('-', '')}` : keyedMessageId(message);
    const deliveryIds: string[] = [];
    const now = clock.now();
    const createdAt = new Date(now).toISOString();
    const payload = JSON.stringify(message.payload ?? null);
    for (const subscription of selectActive.all()) {
      const selected = only
        ? only.has(subscription.id)
        : topicsOf(subscription.topics).some((pattern) => matchesTopic(pattern, message.topic));
      if (!selected) continue;
      // Time-ordered: the unique index on ids grows at its end instead of dirtying a random page per row.
      const id = `dlv_${uuidv7()}`;
      const inserted = insertDelivery.run({
        id,
        subscriptionId: subscription.id,
        topic: message.topic,
        key: message.key ?? null,
        messageId,
        payload,
        now,
        createdAt,
      });
      if (inserted.changes > 0) deliveryIds.push(id);
    }
    return { messageId, deliveryIds };
  };
  const enqueueTx = db.transaction(writeMessage);
  // Topics repeat (a handful per producer): each is validated once.
  const validTopics = new Set<string>();

  const claimTx = db.transaction((now: number, limit: number, leaseUntil: number): ClaimedDelivery[] => {
    const rows = selectDue.all({ now, limit });
    for (const row of rows) lease.run(leaseUntil, row.id);
    return rows.map((row) => ({
      id: row.id,
      subscriptionId: row.subscription_id,
      topic: row.topic,
      messageId: row.message_id,
      payload: row.payload,
      createdAt: row.created_at,
      attempts: row.attempts,
      target: JSON.parse(row.target) as SubscriptionTarget,
      secret: row.secret,
    }));
  });

  const recordOne = (
    claim: ClaimedDelivery,
    attempt: AttemptRecord['attempt'],
    result: AttemptResult,
  ): void => {
    // The subscription may have been deleted while the send was in flight.
    if (!deliveryExists.get(claim.id)) return;
    const at = new Date(attempt.at).toISOString();
    const row = {
      deliveryId: claim.id,
      attempt: claim.attempts + 1,
      at,
      status: attempt.status,
      error: attempt.error,
      durationMs: Math.max(0, Math.round(attempt.durationMs)),
    };
    insertAttempt.run(row);
    switch (result.kind) {
      case 'delivered':
        markDelivered.run(row);
        break;
      case 'retry':
        markRetry.run({ ...row, nextAttemptAt: result.nextAttemptAt });
        break;
      case 'dead':
        markDead.run(row);
        break;
      case 'gone':
        markDead.run(row);
        disableSubscription.run({ subscriptionId: claim.subscriptionId, reason: result.reason, at });
        killPending.run({
          subscriptionId: claim.subscriptionId,
          error: `not sent: the subscription was disabled (${result.reason})`,
        });
        break;
    }
  };
  const recordTx = db.transaction((records: readonly AttemptRecord[]): void => {
    for (const r of records) recordOne(r.claim, r.attempt, r.result);
  });

  const withAttempts = (rows: DeliveryRow[]): Delivery[] => {
    const attempts = new Map<string, DeliveryAttempt[]>();
    if (rows.length > 0) {
      for (const a of selectAttempts.all(JSON.stringify(rows.map((r) => r.id)))) {
        const list = attempts.get(a.delivery_id) ?? [];
        list.push({
          attempt: a.attempt,
          at: a.at,
          status: a.status,
          error: a.error,
          durationMs: a.duration_ms,
        });
        attempts.set(a.delivery_id, list);
      }
    }
    return rows.map((row) => toDelivery(row, attempts.get(row.id) ?? []));
  };

  const redeliverTx = db.transaction((id: string): RedeliverResult => {
    const row = selectDelivery.get(id);
    if (!row) return { ok: false, reason: 'not-found' };
    if (row.state === 'pending') return { ok: false, reason: 'pending' };
    if (selectSubscriptionState.get(row.subscription_id) !== 'active') {
      return { ok: false, reason: 'subscription-disabled' };
    }
    resetForRedelivery.run({ id, now: clock.now() });
    const updated = selectDelivery.get(id);
    if (!updated) return { ok: false, reason: 'not-found' };
    return { ok: true, delivery: withAttempts([updated])[0] as Delivery };
  });

  return {
    /**
     * Writes one pending delivery per active subscription selected by the message's topic (or by
     * `subscriptionIds`), and wakes the worker once the surrounding transaction has ended. Call it
     * inside the transaction that stores the change the message announces.
     *
     * @throws Error when the topic is not a valid topic name.
     */
    enqueue(message: OutboxMessage): EnqueueResult {
      if (!validTopics.has(message.topic)) {
        if (!topicSchema.safeParse(message.topic).success) {
          throw new Error(`"${message.topic}" is not a valid delivery topic`);
        }
        if (validTopics.size < 1000) validTopics.add(message.topic);
      }
      // Inside the producer's transaction the rows are written directly (no savepoint of their own):
      // a throw reaches the producer, whose transaction undoes its change and these rows together.
      // On its own, an immediate transaction: a deferred one that reads first could not upgrade to a
      // write after another connection (the status writer thread) committed, and would fail at once.
      const result = db.inTransaction ? writeMessage(message) : enqueueTx.immediate(message);
      if (result.deliveryIds.length > 0) notifyDeliveriesEnqueued(db);
      return result;
    },

    /**
     * Takes up to `limit` deliveries due at `now` and leases them until `leaseUntil`, so a retry
     * after a crash waits for the lease instead of racing a send that may still be in flight.
     */
    claimDue(now: number, limit: number, leaseUntil: number): ClaimedDelivery[] {
      // A read first: an idle poll must not take the write lock, which would make the other writers
      // (decisions, events) wait for it.
      const next = selectNextDue.get();
      if (next === null || next === undefined || next > now) return [];
      return claimTx.immediate(now, limit, leaseUntil);
    },

    /** Records an attempt and moves the delivery (and, on 410, its subscription) on. */
    recordAttempt(claim: ClaimedDelivery, attempt: AttemptRecord['attempt'], result: AttemptResult): void {
      recordTx.immediate([{ claim, attempt, result }]);
    },

    /** Records several attempts (see {@link DeliveriesRepository.recordAttempt}) in one transaction. */
    recordAttempts(records: readonly AttemptRecord[]): void {
      recordTx.immediate(records);
    },

    /** Epoch ms when the earliest pending delivery is due, or undefined when none is pending. */
    nextDueAt(): number | undefined {
      return selectNextDue.get() ?? undefined;
    },

    /** One page of a subscription's deliveries, newest first, with their attempts. */
    listForSubscription(
      subscriptionId: string,
      options: { state?: DeliveryState | undefined; before?: number | undefined; limit: number },
    ): Array<Delivery & { seq: number }> {
      const rows = selectPage.all({
        subscriptionId,
        state: options.state ?? null,
        before: options.before ?? null,
        limit: options.limit,
      });
      const deliveries = withAttempts(rows);
      return deliveries.map((d, i) => ({ ...d, seq: rows[i]?.seq ?? 0 }));
    },

    /** One delivery with its attempts, or undefined. */
    get(id: string): Delivery | undefined {
      const row = selectDelivery.get(id);
      return row ? withAttempts([row])[0] : undefined;
    },

    /**
     * Makes a delivered or dead delivery pending again, due now, with its attempt count reset and
     * the same message id (`webhook-id`), and wakes the worker.
     */
    redeliver(id: string): RedeliverResult {
      const result = redeliverTx.immediate(id);
      if (result.ok) notifyDeliveriesEnqueued(db);
      return result;
    },
  };
}

const cachedRepositories = new WeakMap<Db, DeliveriesRepository>();

/**
 * Enqueues a message for subscribers on `db` (see {@link DeliveriesRepository.enqueue}), with the
 * repository's statements prepared once per connection. Call it inside the transaction that stores
 * the change.
 *
 * @example
 * db.transaction(() => {
 *   saveOrder(order);
 *   for (const effect of result.deliveries) enqueueDeliveries(db, effect);
 * })();
 */
export function enqueueDeliveries(db: Db, message: OutboxMessage): EnqueueResult {
  let repository = cachedRepositories.get(db);
  if (!repository) {
    repository = createDeliveriesRepository(db);
    cachedRepositories.set(db, repository);
  }
  return repository.enqueue(message);
}

// The same topic and key always give the same id, whichever process or retry enqueues it.
function keyedMessageId(message: OutboxMessage): string {
  const digest = createHash('sha256').update(`${message.topic}\n${message.key}`).digest('base64url');
  return `msg_${digest.slice(0, 32)}`;
}

function toDelivery(row: DeliveryRow, attemptLog: DeliveryAttempt[]): Delivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    topic: row.topic,
    messageId: row.message_id,
    key: row.dedupe_key,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    redeliveries: row.redeliveries,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    attemptLog,
  };
}
