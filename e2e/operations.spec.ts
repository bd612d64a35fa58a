import { readFileSync } from 'node:fs';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { e2eAdminKey } from './e2eEnvironment.ts';
import { collectConsoleErrors } from './e2eHelpers.ts';

const screenshotDir = new URL('./screenshots/', import.meta.url).pathname;
const eventsFile = new URL('../packages/schema/fixtures/china-peak/status-events.jsonl', import.meta.url);
const auth = { authorization: `Bearer ${e2eAdminKey}` };

interface FixtureEvent {
  orderId: string;
  eventId: string;
  system: string;
  code: string;
}

async function signIn(page: Page, key = e2eAdminKey, role = 'admin') {
  await page.goto('/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('role')).toHaveText(role);
}

/**
 * The fixture events of an order that the other specs do not touch, reordered so the carrier's
 * DELIVERED arrives before the warehouse's OUTBOUND_DONE (a path violation); the carrier's pick-up and
 * transit events are left out.
 */
function pathViolatingEvents(skip = 0): { orderId: string; events: FixtureEvent[] } {
  const all = readFileSync(eventsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FixtureEvent);
  const orderIds = [...new Set(all.map((e) => e.orderId))].reverse();
  let skipped = 0;
  for (const orderId of orderIds) {
    const events = all.filter((e) => e.orderId === orderId);
    const delivered = events.find((e) => e.system === 'carrier' && e.code === 'DELIVERED');
    const outbound = events.find((e) => e.system === 'wms' && e.code === 'OUTBOUND_DONE');
    if (!delivered || !outbound || skipped++ < skip) continue;
    const before = events
      .slice(0, events.indexOf(outbound))
      .filter((e) => e.system !== 'carrier' || e.code === 'WAYBILL_CREATED');
    return { orderId, events: [...before, delivered, outbound] };
  }
  throw new Error('no fixture order has both DELIVERED and OUTBOUND_DONE');
}

async function postEvents(request: APIRequestContext, orderId: string, events: FixtureEvent[]) {
  let status = '';
  for (const event of events) {
    const response = await request.post(`/api/orders/${orderId}/events`, { headers: auth, data: event });
    expect(response.status(), `${event.eventId}: ${await response.text()}`).toBeLessThan(300);
    status = ((await response.json()) as { status: string }).status;
  }
  return status;
}

test('an admin explains a decision, follows an order to its verified history and acknowledges its alert', async ({
  page,
  request,
}) => {
  const consoleErrors = collectConsoleErrors(page);

  // The runtime seeds demo decisions on first start.
  const list = await request.get('/api/decisions?limit=1', { headers: auth });
  expect(list.ok()).toBe(true);
  const [decision] = ((await list.json()) as { items: { orderId: string; explanation: string }[] }).items;
  if (!decision) throw new Error('the e2e runtime seeded no decisions');

  // A subscription to alerts, so the delivery log has something to show.
  const subscription = await request.post('/api/subscriptions', {
    headers: auth,
    data: {
      topics: ['alert.*'],
      target: { type: 'mqtt', url: 'mqtt://127.0.0.1:1', topic: 'orderloom/{topic}' },
      description: 'e2e alert feed',
    },
  });
  expect(subscription.status()).toBe(201);
  const subscriptionId = ((await subscription.json()) as { id: string }).id;

  await signIn(page);

  // Decision explorer: search the order, open its decision, see the explanation and ranking.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decisions' }).click();
  await expect(page.getByRole('heading', { name: 'Decisions', level: 1 })).toBeVisible();
  await expect(page.getByText('Most recent decisions')).toBeVisible();
  await page.getByLabel('Order id').fill(decision.orderId);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText(`Decisions for order ${decision.orderId}`)).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}20-decisions.png` });
  await page.getByRole('link', { name: decision.orderId }).first().click();
  await expect(page.getByRole('heading', { name: `Decision for order ${decision.orderId}` })).toBeVisible();
  await expect(page.getByTestId('decision-explanation')).toHaveText(decision.explanation);
  const ranking = page.getByTestId('ranking');
  await expect(ranking.getByText('allocated').first()).toBeVisible();
  await expect(ranking.getByRole('img').first()).toHaveAccessibleName(/^Score \d\.\d{3}: /);
  await page.getByRole('button', { name: /Replay recorded version/ }).click();
  await expect(page.getByTestId('replay-result')).toContainText('same allocation and tier');
  await page.screenshot({ path: `${screenshotDir}21-decision.png` });
  await page.getByText('Snapshot', { exact: true }).click();
  await expect(page.locator('.ops-json')).toContainText('"warehouses"');
  await page.screenshot({ path: `${screenshotDir}21-decision-snapshot.png` });

  // Status events for an order, the carrier's DELIVERED before the warehouse's OUTBOUND_DONE.
  const { orderId, events } = pathViolatingEvents();
  const finalStatus = await postEvents(request, orderId, events);

  await page.getByRole('link', { name: 'Orders' }).click();
  const row = page.getByRole('row', { name: new RegExp(orderId) });
  await expect(row).toContainText(finalStatus);
  await expect(row).toContainText('1 open');
  await page.screenshot({ path: `${screenshotDir}22-orders.png` });
  await row.getByRole('link', { name: orderId }).click();
  await expect(page.getByTestId('canonical-status')).toContainText(finalStatus);
  await expect(page.getByTestId('systems').getByRole('row', { name: /carrier DELIVERED/ })).toBeVisible();
  await expect(page.getByTestId('systems').getByRole('row', { name: /wms OUTBOUND_DONE/ })).toBeVisible();
  const history = page.getByTestId('history');
  await expect(history.getByRole('listitem')).toHaveCount(await historyLength(request, orderId));
  await expect(history).toContainText('carrier DELIVERED');
  await expect(page.getByTestId('chain-verification')).toContainText('Chain verified');
  await expect(page.getByText(/path-violation/).first()).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}23-order.png` });
  await page.getByRole('heading', { name: 'History' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}23-order-history.png` });

  // Alerts: the path violation is open; acknowledge it.
  await page.getByRole('link', { name: 'Alerts' }).click();
  const alert = page.getByRole('row').filter({ hasText: orderId }).filter({ hasText: 'path-violation' });
  await expect(alert).toContainText('breach');
  await page.screenshot({ path: `${screenshotDir}24-alerts.png` });
  await alert.getByRole('button', { name: /Acknowledge alert/ }).click();
  await expect(page.getByText(/Alert \d+ acknowledged/)).toBeVisible();
  await expect(alert).toHaveCount(0);
  await page.getByLabel('State').selectOption('acked');
  await expect(alert).toContainText('acked');
  const acked = await request.get(`/api/alerts?orderId=${orderId}&type=path-violation`, { headers: auth });
  expect(((await acked.json()) as { items: { state: string }[] }).items.map((a) => a.state)).toEqual([
    'acked',
  ]);
  await page.screenshot({ path: `${screenshotDir}25-alerts-acked.png` });

  // Subscriptions: the alert feed and its delivery of the path violation.
  await page.getByRole('link', { name: 'Subscriptions' }).click();
  await page.getByRole('link', { name: subscriptionId }).click();
  await expect(page.getByTestId('deliveries')).toContainText('alert.path-violation');
  await page.screenshot({ path: `${screenshotDir}26-subscriptions.png` });

  expect(consoleErrors).toEqual([]);
});

async function historyLength(request: APIRequestContext, orderId: string): Promise<number> {
  const response = await request.get(`/api/orders/${orderId}/history`, { headers: auth });
  return ((await response.json()) as { items: unknown[] }).items.length;
}

test('a service key sees open alerts but cannot acknowledge them', async ({ page, request }) => {
  const consoleErrors = collectConsoleErrors(page);
  const { orderId, events } = pathViolatingEvents(1);
  await postEvents(request, orderId, events);
  const created = await request.post('/api/keys', {
    headers: auth,
    data: { name: 'Shop backend', role: 'service' },
  });
  expect(created.status()).toBe(201);
  const { secret } = (await created.json()) as { secret: string };

  await signIn(page, secret, 'service');
  await page.getByRole('link', { name: 'Alerts' }).click();
  const alert = page.getByRole('row').filter({ hasText: orderId }).filter({ hasText: 'path-violation' });
  const acknowledge = alert.getByRole('button', { name: /Acknowledge alert/ });
  await expect(acknowledge).toBeDisabled();
  await expect(acknowledge).toHaveAccessibleDescription('Only analysts and admins can acknowledge alerts.');
  await page.screenshot({ path: `${screenshotDir}27-alerts-service.png` });
  expect(consoleErrors).toEqual([]);
});
