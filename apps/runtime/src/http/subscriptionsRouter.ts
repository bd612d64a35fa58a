import { Router } from 'express';
import type { DeliveriesRepository } from '../db/deliveriesRepository.ts';
import type { SubscriptionsRepository } from '../db/subscriptionsRepository.ts';
import { createSubscriptionRequestSchema, deliveriesQuerySchema } from '../effects/subscriptionSchemas.ts';
import type { WebhookUrlPolicy } from '../effects/webhookUrlPolicy.ts';
import { actorOf, requireRole } from './auth.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/**
 * Routes `/api/subscriptions…` and `/api/deliveries…`: subscriptions (admin writes, admin and
 * analyst read), their delivery log, redelivery and a test ping. Mount after `authenticate`.
 */
export function subscriptionsRouter({
  subscriptions,
  deliveries,
  webhookUrlPolicy,
}: {
  subscriptions: SubscriptionsRepository;
  deliveries: DeliveriesRepository;
  webhookUrlPolicy: WebhookUrlPolicy;
}): Router {
  const router = Router();
  const readers = requireRole('admin', 'analyst');
  const admin = requireRole('admin');

  const subscriptionOr404 = (id: string) => {
    const subscription = subscriptions.get(id);
    if (!subscription) throw new HttpProblem('not-found', `There is no subscription "${id}".`);
    return subscription;
  };

  router.post('/subscriptions', admin, async (req, res) => {
    const input = parseRequest(createSubscriptionRequestSchema, req.body, 'body');
    if (input.target.type === 'webhook') {
      const verdict = await webhookUrlPolicy.check(input.target.url);
      if (!verdict.ok) {
        throw new HttpProblem('invalid-request', `The webhook URL is not allowed: ${verdict.reason}`, {
          errors: [{ path: '/target/url', severity: 'error', message: verdict.reason }],
        });
      }
    }
    res.status(201).json(subscriptions.create(input, actorOf(res)));
  });

  router.get('/subscriptions', readers, (_req, res) => {
    res.json({ items: subscriptions.list() });
  });

  router.get('/subscriptions/:id', readers, (req, res) => {
    res.json(subscriptionOr404(String(req.params.id)));
  });

  router.delete('/subscriptions/:id', admin, (req, res) => {
    const id = String(req.params.id);
    if (!subscriptions.delete(id)) throw new HttpProblem('not-found', `There is no subscription "${id}".`);
    res.status(204).end();
  });

  router.get('/subscriptions/:id/deliveries', readers, (req, res) => {
    const { id } = subscriptionOr404(String(req.params.id));
    const { state, limit, cursor } = parseRequest(deliveriesQuerySchema, req.query, 'query');
    // One extra row tells whether another page exists without a count query.
    const rows = deliveries.listForSubscription(id, {
      state,
      before: cursor ? Number(cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    res.json({
      items: page.map(({ seq: _seq, ...delivery }) => delivery),
      nextCursor: rows.length > limit && last ? String(last.seq) : null,
    });
  });

  router.post('/subscriptions/:id/test', admin, (req, res) => {
    const subscription = subscriptionOr404(String(req.params.id));
    if (subscription.state !== 'active') {
      throw new HttpProblem('conflict', `The subscription is disabled: ${subscription.disabledReason ?? ''}`);
    }
    const { deliveryIds } = deliveries.enqueue({
      topic: 'ping',
      payload: { subscriptionId: subscription.id, message: 'Test delivery from Orderloom' },
      subscriptionIds: [subscription.id],
    });
    const delivery = deliveryIds[0] ? deliveries.get(deliveryIds[0]) : undefined;
    if (!delivery) throw new HttpProblem('conflict', 'The subscription was disabled or deleted meanwhile.');
    res.status(202).json(delivery);
  });

  router.post('/subscriptions/:id/rotate-secret', admin, (req, res) => {
    const subscription = subscriptionOr404(String(req.params.id));
    const secret = subscriptions.rotateSecret(subscription.id);
    if (!secret) throw new HttpProblem('conflict', 'Only webhook subscriptions have a signing secret.');
    res.json({ id: subscription.id, secret });
  });

  router.get('/deliveries/:id', readers, (req, res) => {
    const id = String(req.params.id);
    const delivery = deliveries.get(id);
    if (!delivery) throw new HttpProblem('not-found', `There is no delivery "${id}".`);
    res.json(delivery);
  });

  router.post('/deliveries/:id/redeliver', admin, (req, res) => {
    const id = String(req.params.id);
    const result = deliveries.redeliver(id);
    if (!result.ok) {
      switch (result.reason) {
        case 'not-found':
          throw new HttpProblem('not-found', `There is no delivery "${id}".`);
        case 'pending':
          throw new HttpProblem('conflict', 'The delivery is still pending; it will be retried on its own.');
        case 'subscription-disabled':
          throw new HttpProblem('conflict', 'The delivery’s subscription is disabled.');
      }
    }
    res.status(202).json(result.delivery);
  });

  return router;
}
