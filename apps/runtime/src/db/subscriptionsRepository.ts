import { randomUUID } from 'node:crypto';
import type { Clock } from '@orderloom/engine';
import type { Subscription, SubscriptionTarget } from '../effects/subscriptionSchemas.ts';
import { generateWebhookSecret } from '../effects/webhookSender.ts';
import type { Actor } from './definitionsRepository.ts';
import type { Db } from './openDatabase.ts';

interface SubscriptionRow {
  id: string;
  topics: string;
  target: string;
  description: string;
  owner: string | null;
  state: 'active' | 'disabled';
  disabled_reason: string | null;
  disabled_at: string | null;
  created_at: string;
  created_by: string;
}

/** What a new subscription is made of. */
export interface NewSubscription {
  topics: readonly string[];
  target: SubscriptionTarget;
  description?: string;
}

/** Storage of subscriptions: who receives which topics, where, and the webhook signing secrets. */
export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>;

const systemClock: Clock = { now: () => Date.now() };
const columns =
  'id, topics, target, description, owner, state, disabled_reason, disabled_at, created_at, created_by';

/**
 * Creates the subscriptions repository over a migrated database, with its statements prepared once.
 * Webhook secrets are stored as given (they are needed to sign) and returned only on creation and
 * rotation.
 */
export function createSubscriptionsRepository(db: Db, { clock = systemClock }: { clock?: Clock } = {}) {
  const insert = db.prepare(
    `INSERT INTO subscriptions (id, topics, target, secret, description, owner, state, created_at, created_by)
     VALUES (@id, @topics, @target, @secret, @description, @owner, 'active', @createdAt, @createdBy)`,
  );
  const selectAll = db.prepare<[], SubscriptionRow>(
    `SELECT ${columns} FROM subscriptions ORDER BY created_at, id`,
  );
  const selectOne = db.prepare<[string], SubscriptionRow>(
    `SELECT ${columns} FROM subscriptions WHERE id = ?`,
  );
  const selectByOwner = db.prepare<[string], SubscriptionRow>(
    `SELECT ${columns} FROM subscriptions WHERE owner = ?`,
  );
  const remove = db.prepare('DELETE FROM subscriptions WHERE id = ?');
  const updateSecret = db.prepare(
    `UPDATE subscriptions SET secret = ? WHERE id = ? AND json_extract(target, '$.type') = 'webhook'`,
  );
  const updateOwned = db.prepare(
    `UPDATE subscriptions SET topics = @topics, target = @target, description = @description,
       secret = coalesce(secret, @secret)
     WHERE owner = @owner`,
  );

  const toSubscription = (row: SubscriptionRow): Subscription => ({
    id: row.id,
    topics: JSON.parse(row.topics) as string[],
    target: redactTarget(JSON.parse(row.target) as SubscriptionTarget),
    description: row.description,
    state: row.state,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    owner: row.owner,
    createdAt: row.created_at,
    createdBy: row.created_by,
  });

  const create = (input: NewSubscription, actor: Actor, owner: string | null) => {
    const id = `sub_${randomUUID()}`;
    const secret = input.target.type === 'webhook' ? generateWebhookSecret() : null;
    insert.run({
      id,
      topics: JSON.stringify(input.topics),
      target: JSON.stringify(input.target),
      secret,
      description: input.description ?? '',
      owner,
      createdAt: new Date(clock.now()).toISOString(),
      createdBy: actor.name,
    });
    const row = selectOne.get(id);
    if (!row) throw new Error(`subscription ${id} vanished after insert`);
    return { ...toSubscription(row), secret };
  };

  const upsertOwnedTx = db.transaction((owner: string, input: NewSubscription, actor: Actor) => {
    const existing = selectByOwner.get(owner);
    if (!existing) return { subscription: create(input, actor, owner), created: true };
    const secret = input.target.type === 'webhook' ? generateWebhookSecret() : null;
    updateOwned.run({
      owner,
      topics: JSON.stringify(input.topics),
      target: JSON.stringify(input.target),
      description: input.description ?? '',
      secret,
    });
    const row = selectByOwner.get(owner);
    if (!row) throw new Error(`subscription of ${owner} vanished after update`);
    return { subscription: { ...toSubscription(row), secret: null }, created: false };
  });

  return {
    /**
     * Stores a new active subscription and returns it with its webhook secret (`whsec_…`, null for
     * MQTT) — the only time the secret is returned. Check the target with the URL policy first.
     */
    create(input: NewSubscription, actor: Actor): Subscription & { secret: string | null } {
      return create(input, actor, null);
    },

    /**
     * Creates or updates the subscription another part of the runtime manages under `owner` (e.g.
     * `routing:peak-season:production` for a strategy's decision webhook), keeping its id, state and
     * secret. `secret` is set only when it was created.
     */
    upsertOwned(
      owner: string,
      input: NewSubscription,
      actor: Actor = { name: 'system', keyId: null },
    ): { subscription: Subscription & { secret: string | null }; created: boolean } {
      return upsertOwnedTx.immediate(owner, input, actor);
    },

    /** The subscription managed under `owner`, or undefined. */
    findByOwner(owner: string): Subscription | undefined {
      const row = selectByOwner.get(owner);
      return row ? toSubscription(row) : undefined;
    },

    /** All subscriptions, oldest first, without secrets. */
    list(): Subscription[] {
      return selectAll.all().map(toSubscription);
    },

    /** One subscription without its secret, or undefined. */
    get(id: string): Subscription | undefined {
      const row = selectOne.get(id);
      return row ? toSubscription(row) : undefined;
    },

    /** Deletes a subscription with its deliveries and their attempts; false when unknown. */
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },

    /**
     * Replaces a webhook subscription's secret and returns the new one; undefined when the
     * subscription is unknown or not a webhook. Deliveries sent from now on are signed with it.
     */
    rotateSecret(id: string): string | undefined {
      const secret = generateWebhookSecret();
      return updateSecret.run(secret, id).changes > 0 ? secret : undefined;
    },
  };
}

// Credentials in a broker or webhook URL are needed to send but are not shown back.
function redactTarget(target: SubscriptionTarget): SubscriptionTarget {
  if (!target.url.includes('@')) return target;
  try {
    const url = new URL(target.url);
    if (!url.password) return target;
    url.password = '***';
    return { ...target, url: url.toString() };
  } catch {
    return target;
  }
}
