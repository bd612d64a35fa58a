import { compileRouting, type RoutingSnapshot } from '@orderloom/engine';
import { type RoutingDefinition, routingDefinitionSchema } from '@orderloom/schema';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { e2eAdminKey } from './e2eEnvironment.ts';
import { collectConsoleErrors } from './e2eHelpers.ts';

const screenshotDir = new URL('./screenshots/', import.meta.url).pathname;
const auth = { authorization: `Bearer ${e2eAdminKey}` };
const strategyUrl = '/api/definitions/routing/peak-season';
/** The slider's maximum: the carbon weight the test raises it to at most. */
const sliderMax = 100;

const winnerOf = (allocation: { warehouse: string; lane: string }[]) =>
  allocation[0] ? `${allocation[0].warehouse} via ${allocation[0].lane}` : 'Unroutable';

/**
 * A stored demo decision whose winner, under the current draft, changes when the carbon weight is
 * raised to the slider's maximum — found with the same engine the designer runs.
 */
async function findCarbonSensitiveOrder(request: APIRequestContext, draft: RoutingDefinition) {
  const list = await request.get('/api/decisions?strategy=peak-season&limit=100', { headers: auth });
  expect(list.ok()).toBe(true);
  const { items } = (await list.json()) as { items: { decisionId: string; orderId: string }[] };
  expect(items.length).toBeGreaterThan(0);
  const carbon = draft.factors.findIndex((f) => f.type === 'carbon');
  const now = compileRouting(draft);
  const green = compileRouting({
    ...draft,
    factors: draft.factors.map((f, i) => (i === carbon ? { ...f, weight: sliderMax } : f)),
  });
  for (const item of items) {
    const detail = await request.get(`/api/decisions/${item.decisionId}`, { headers: auth });
    const { snapshot } = (await detail.json()) as { snapshot: RoutingSnapshot };
    const before = winnerOf(now.route(snapshot.order, snapshot.facts, snapshot.at).allocation);
    const after = winnerOf(green.route(snapshot.order, snapshot.facts, snapshot.at).allocation);
    if (before !== after) return { orderId: item.orderId, carbonId: draft.factors[carbon]?.id ?? '', before };
  }
  throw new Error('no stored decision changes winner with a higher carbon weight');
}

test('an admin raises the carbon weight and watches the what-if winner change, then saves', async ({
  page,
  request,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  const detail = (await (await request.get(strategyUrl, { headers: auth })).json()) as {
    draft: unknown;
    draftRevision: number;
  };
  const draft = routingDefinitionSchema.parse(detail.draft);
  const target = await findCarbonSensitiveOrder(request, draft);

  await page.goto('/');
  await page.getByLabel('API key').fill(e2eAdminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('role')).toHaveText('admin');
  await page
    .getByRole('row', { name: /Double-11 peak routing/ })
    .getByRole('link')
    .first()
    .click();
  await expect(page).toHaveURL(/\/routing\/peak-season$/);

  // The strategy form is the default view; the JSON view edits the same buffer.
  await expect(page.getByRole('tab', { name: 'Strategy' })).toHaveAttribute('aria-selected', 'true');
  const form = page.getByTestId('strategy-editor');
  await expect(form.getByRole('region', { name: 'Factors' })).toBeVisible();
  const slider = form.getByLabel(`Weight of ${target.carbonId}`, { exact: true });
  await expect(slider).toHaveValue(String(draft.factors.find((f) => f.id === target.carbonId)?.weight));

  // Pick the stored decision by its order id.
  const panel = page.getByTestId('whatif-panel');
  await panel.getByPlaceholder('Search by order id…').fill(target.orderId);
  const picker = panel.getByTestId('whatif-decision');
  await expect(picker.locator('option').first()).toContainText(target.orderId);
  const winner = panel.getByTestId('whatif-winner');
  await expect(winner).toHaveText(target.before);
  await expect(panel.getByTestId('whatif-ranking').locator('tbody tr').first()).toBeVisible();
  await expect(panel.getByTestId('whatif-explanation')).not.toBeEmpty();
  await page.screenshot({ path: `${screenshotDir}13-routing-strategy.png` });

  // Raise the carbon weight step by step until the winner changes.
  const share = form.getByTestId(`share-${target.carbonId}`);
  const shareBefore = await share.textContent();
  let weight = Number(await slider.inputValue());
  while ((await winner.textContent()) === target.before && weight < sliderMax) {
    weight = Math.min(sliderMax, weight + 10);
    await slider.fill(String(weight));
    await expect(form.getByLabel(`Weight of ${target.carbonId} (number)`)).toHaveValue(String(weight));
  }
  await expect(winner).not.toHaveText(target.before);
  await expect(share).not.toHaveText(shareBefore ?? '');
  await expect(panel.getByTestId('whatif-recorded')).toBeVisible();
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}14-routing-whatif-changed.png` });

  // A broken custom constraint: inline CEL error, the what-if keeps its last result.
  await form.getByRole('button', { name: 'Custom constraint' }).click();
  const cel = form.getByTestId('constraint-cel-custom');
  await cel.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('order.total >');
  await expect(cel).toHaveAttribute('aria-invalid', 'true');
  await expect(panel.getByTestId('whatif-error')).toBeVisible();
  await expect(winner).not.toHaveText(target.before);
  await page.screenshot({ path: `${screenshotDir}15-routing-whatif-error.png` });
  await form.getByRole('button', { name: 'Remove constraint custom' }).click();
  await expect(panel.getByTestId('whatif-error')).toBeHidden();

  // Reorder fallback tiers with the keyboard buttons, then back by drag and drop.
  const tiers = form.getByTestId('tier-list').locator('li');
  const firstTier = (await tiers.first().locator('strong').textContent()) ?? '';
  await form.getByRole('button', { name: `Move ${firstTier} down` }).click();
  await expect(tiers.nth(1).locator('strong')).toHaveText(firstTier);
  await tiers.nth(1).dragTo(tiers.nth(0));
  await expect(tiers.first().locator('strong')).toHaveText(firstTier);

  await form.getByRole('region', { name: 'Parameters' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}16-routing-parameters-tiers.png` });

  // Autosave may have stored the edits already; Save makes sure all of them are on the server.
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  const saved = (await (await request.get(strategyUrl, { headers: auth })).json()) as {
    draft: RoutingDefinition;
    draftRevision: number;
  };
  expect(saved.draftRevision).toBeGreaterThan(detail.draftRevision);
  expect(saved.draft.factors.find((f) => f.id === target.carbonId)?.weight).toBe(weight);
  expect(saved.draft.fallbackTiers).toEqual(draft.fallbackTiers);
  expect(consoleErrors).toEqual([]);
});
