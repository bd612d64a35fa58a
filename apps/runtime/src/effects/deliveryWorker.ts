import { performance } from 'node:perf_hooks';
import type { Clock } from '@orderloom/engine';
import type { Logger } from 'pino';
import {
  type AttemptRecord,
  type AttemptResult,
  type ClaimedDelivery,
  createDeliveriesRepository,
  type DeliveriesRepository,
} from '../db/deliveriesRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { onDeliveriesEnqueued } from './deliveryWakeups.ts';
import { createMqttPublisher, type MqttPublisher } from './mqttPublisher.ts';
import { backoffDelay, parseRetryAfter, type RetryPolicy, type Rng } from './retryPolicy.ts';
import { createWebhookSender, type SendOutcome, type WebhookSender } from './webhookSender.ts';
import type { WebhookUrlPolicy } from './webhookUrlPolicy.ts';

/** Settings of {@link createDeliveryWorker}. */
export interface DeliveryWorkerOptions {
  db: Db;
  retry: RetryPolicy;
  /** Per attempt: the whole HTTP exchange, or MQTT connect and PUBACK. */
  timeoutMs: number;
  /** Sends in flight at most. */
  concurrency: number;
  /** How often the outbox is checked even without a wake-up (rows left by a crash, other writers). */
  pollIntervalMs: number;
  webhookUrlPolicy: WebhookUrlPolicy;
  /** Defaults to the system clock; tests pass a fake one. */
  clock?: Clock;
  /** Defaults to Math.random; tests pass a fixed one. */
  rng?: Rng;
  logger?: Logger;
  /** Defaults to a sender built from `webhookUrlPolicy` and `timeoutMs`. */
  webhookSender?: WebhookSender;
  /** Defaults to a publisher with `timeoutMs`. */
  mqttPublisher?: MqttPublisher;
  /**
   * Runs the worker's claims and attempt records on a later turn of the event loop (by default
   * `setImmediate`). A caller owning the connection's writes may run them inside its next transaction
   * instead, so they share its commit; it must not claim rows written in that same transaction.
   */
  defer?: (task: () => void) => void;
}

/** The outbox sender (see {@link createDeliveryWorker}). */
export interface DeliveryWorker {
  /** Starts polling and listening for wake-ups. */
  start(): void;
  /** Stops claiming, waits for the sends in flight, then closes connections. */
  stop(): Promise<void>;
  /** Claims what is due now, as a wake-up would. */
  wake(): void;
  /**
   * Sends everything due at the clock's current time, including retries that fall due meanwhile,
   * and resolves when nothing is due and nothing is in flight. For tests with a fake clock.
   */
  drain(): Promise<void>;
}

// A retry is never scheduled later than this, whatever a Retry-After header asks for.
const maxRetryAfterMs = 24 * 60 * 60 * 1000;
// Extra lease beyond the send timeout, so a slow write of the result is not mistaken for a crash.
const leaseMarginMs = 5000;

/**
 * Creates the worker that sends the outbox: it claims due pending deliveries (at most
 * `concurrency` in flight), sends webhooks (Standard Webhooks signatures, same `webhook-id` on every
 * attempt) or MQTT messages (QoS 1), and records every attempt. A 2xx or PUBACK delivers; HTTP 410
 * disables the subscription and ends its pending deliveries; 429/503 wait for `Retry-After` when
 * given; anything else retries after an exponential backoff with full jitter until
 * `retry.maxAttempts`, after which the delivery is dead. It wakes when something is enqueued on the
 * same `db` and also polls, so rows left by a crash go out after a restart.
 *
 * @example
 * const worker = createDeliveryWorker({ db, retry, timeoutMs: 10_000, concurrency: 8,
 *   pollIntervalMs: 500, webhookUrlPolicy: createWebhookUrlPolicy(config.webhookAllow) });
 * worker.start();
 * // …
 * await worker.stop();
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const clock = options.clock ?? { now: () => Date.now() };
  const rng = options.rng ?? Math.random;
  const { retry, timeoutMs, concurrency, pollIntervalMs, logger } = options;
  const defer = options.defer ?? ((task: () => void) => void setImmediate(task));
  const repository: DeliveriesRepository = createDeliveriesRepository(options.db, { clock });
  const webhooks =
    options.webhookSender ?? createWebhookSender({ policy: options.webhookUrlPolicy, timeoutMs });
  const mqtt = options.mqttPublisher ?? createMqttPublisher({ timeoutMs });

  const inFlight = new Set<Promise<void>>();
  let started = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  const send = (claim: ClaimedDelivery): Promise<SendOutcome> => {
    const envelope = `"type":${JSON.stringify(claim.topic)},"timestamp":${JSON.stringify(claim.createdAt)},"data":${claim.payload}}`;
    if (claim.target.type === 'webhook') {
      if (!claim.secret) return Promise.resolve({ status: null, error: 'the subscription has no secret' });
      return webhooks.send({
        url: claim.target.url,
        secret: claim.secret,
        messageId: claim.messageId,
        body: `{${envelope}`,
        nowMs: clock.now(),
      });
    }
    // MQTT has no headers (3.1.1), so the message id travels in the body for deduplication.
    return mqtt.publish({
      url: claim.target.url,
      topic: claim.target.topic.replaceAll('{topic}', claim.topic),
      body: `{"id":${JSON.stringify(claim.messageId)},${envelope}`,
    });
  };

  const decide = (claim: ClaimedDelivery, outcome: SendOutcome, now: number): AttemptResult => {
    if (outcome.error === null) return { kind: 'delivered' };
    if (outcome.status === 410) return { kind: 'gone', reason: 'the target answered 410 Gone' };
    const attempts = claim.attempts + 1;
    if (attempts >= retry.maxAttempts) return { kind: 'dead' };
    const retryAfter =
      outcome.status === 429 || outcome.status === 503 ? parseRetryAfter(outcome.retryAfter, now) : undefined;
    const delay =
      retryAfter === undefined ? backoffDelay(attempts, retry, rng) : Math.min(retryAfter, maxRetryAfterMs);
    return { kind: 'retry', nextAttemptAt: now + delay };
  };

  // Attempts finishing in the same turn of the event loop are recorded in one transaction.
  let records: { record: AttemptRecord; done: () => void }[] = [];
  const recordPending = (): void => {
    const batch = records;
    records = [];
    try {
      repository.recordAttempts(batch.map((b) => b.record));
    } catch (err) {
      logger?.error(
        { err, deliveryIds: batch.map((b) => b.record.claim.id) },
        'could not record delivery attempts',
      );
      for (const b of batch) b.done();
      return;
    }
    for (const b of batch) {
      logAttempt(b.record);
      b.done();
    }
  };
  const record = (entry: AttemptRecord): Promise<void> =>
    new Promise((done) => {
      if (records.length === 0) defer(recordPending);
      records.push({ record: entry, done });
    });

  const logAttempt = ({ claim, attempt, result }: AttemptRecord): void => {
    if (!logger) return;
    const context = {
      deliveryId: claim.id,
      subscriptionId: claim.subscriptionId,
      topic: claim.topic,
      attempt: claim.attempts + 1,
      status: attempt.status,
      error: attempt.error,
    };
    if (result.kind === 'delivered') logger.debug(context, 'delivered');
    else if (result.kind === 'retry') {
      logger.info(
        { ...context, nextAttemptAt: new Date(result.nextAttemptAt).toISOString() },
        'delivery failed',
      );
    } else if (result.kind === 'dead') logger.warn(context, 'delivery is dead after its last attempt');
    else logger.warn({ ...context, reason: result.reason }, 'subscription disabled');
  };

  const deliver = async (claim: ClaimedDelivery): Promise<void> => {
    const at = clock.now();
    const startedAt = performance.now();
    let outcome: SendOutcome;
    try {
      outcome = await send(claim);
    } catch (err) {
      outcome = { status: null, error: err instanceof Error ? err.message : String(err) };
    }
    const durationMs = performance.now() - startedAt;
    const result = decide(claim, outcome, clock.now());
    await record({
      claim,
      attempt: { at, status: outcome.status, error: outcome.error, durationMs },
      result,
    });
  };

  // Sends finishing together free their slots together: one claim for all of them.
  let pumpScheduled = false;
  const pumpSoon = () => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    defer(() => {
      pumpScheduled = false;
      pump();
    });
  };

  const track = (promise: Promise<void>) => {
    inFlight.add(promise);
    promise.finally(() => {
      inFlight.delete(promise);
      pumpSoon();
    });
  };

  const schedule = () => {
    clearTimeout(timer);
    if (!started || stopped) return;
    let delay = pollIntervalMs;
    if (inFlight.size < concurrency) {
      try {
        const nextDue = repository.nextDueAt();
        if (nextDue !== undefined) delay = Math.min(delay, Math.max(0, nextDue - clock.now()));
      } catch (err) {
        logger?.error({ err }, 'could not read the outbox');
      }
    }
    timer = setTimeout(pump, Math.max(delay, 1));
    timer.unref();
  };

  function pump(): void {
    if (stopped) return;
    try {
      for (;;) {
        const free = concurrency - inFlight.size;
        if (free <= 0) break;
        const now = clock.now();
        const claims = repository.claimDue(now, free, now + timeoutMs + leaseMarginMs);
        for (const claim of claims) track(deliver(claim));
        if (claims.length < free) break;
      }
    } catch (err) {
      logger?.error({ err }, 'could not claim deliveries');
    }
    schedule();
  }

  return {
    start() {
      if (started || stopped) return;
      started = true;
      unsubscribe = onDeliveriesEnqueued(options.db, pumpSoon);
      pump();
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      unsubscribe?.();
      await Promise.allSettled([...inFlight]);
      if (!options.webhookSender) webhooks.close();
      if (!options.mqttPublisher) await mqtt.close();
    },

    wake: pump,

    async drain() {
      pump();
      while (inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
        pump();
      }
    },
  };
}
