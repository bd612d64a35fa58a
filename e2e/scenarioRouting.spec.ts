import { compileRouting, type RoutingSnapshot } from '@orderloom/engine';
import type { RoutingDefinition } from '@orderloom/schema';
import { peakSeasonRouting } from '@orderloom/schema/fixtures/demo';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { e2eAdminKey } from './e2eEnvironment.ts';
import {
  adminAuth,
  bearer,
  collectConsoleErrors,
  createApiKey,
  dismissToasts,
  screenshotDir,
  signIn,
} from './e2eHelpers.ts';

const strategyUrl = '/api/definitions/routing/peak-season';
/** The carbon weight slider's maximum. */
const sliderMax = 100;
/** How much the analyst raises the carbon weight per slider move. */
const sliderStep = 10;

interface StrategyDetail {
  draftRevision: number;
  versions: { version: number }[];
  environments: { sandbox: number | null; production: number | null };
}

interface RouteAnswer {
  decisionId: string;
  strategy: { id: string; version: number; environment: string };
  allocation: { warehouse: string; lane: string }[];
  explanation: string;
}

const winnerOf = (allocation: readonly { warehouse: string; lane: string }[]) =>
  allocation[0] ? `${allocation[0].warehouse} via ${allocation[0].lane}` : 'Unroutable';

const carbonId = peakSeasonRouting.factors.find((f) => f.type === 'carbon')?.id ?? 'carbon';
const baselineCarbon = peakSeasonRouting.factors.find((f) => f.id === carbonId)?.weight ?? 0;

/** The demo strategy with another carbon weight. */
function withCarbon(weight: number): RoutingDefinition {
  return {
    ...peakSeasonRouting,
    factors: peakSeasonRouting.factors.map((f) => (f.id === carbonId ? { ...f, weight } : f)),
  };
}

async function getStrategy(request: APIRequestContext): Promise<StrategyDetail> {
  const response = await request.get(strategyUrl, { headers: adminAuth });
  expect(response.ok()).toBe(true);
  return (await response.json()) as StrategyDetail;
}

/**
 * Given: production serves the demo strategy as shipped (other specs, and earlier repetitions of this
 * one, change and publish it), and the draft is that same strategy.
 */
async function publishDemoBaseline(request: APIRequestContext, run: string): Promise<number> {
  const before = await getStrategy(request);
  const saved = await request.put(`${strategyUrl}/draft`, {
    headers: adminAuth,
    data: { definition: peakSeasonRouting, baseRevision: before.draftRevision },
  });
  expect(saved.ok(), await saved.text()).toBe(true);
  const created = await request.post(`${strategyUrl}/versions`, {
    headers: adminAuth,
    data: { note: `e2e baseline: the demo strategy (${run})` },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { version } = (await created.json()) as { version: number };
  for (const env of ['sandbox', 'production']) {
    const moved = await request.put(`${strategyUrl}/environments/${env}`, {
      headers: adminAuth,
      data: { version },
    });
    expect(moved.ok(), await moved.text()).toBe(true);
  }
  return version;
}

/**
 * An order whose winner changes when the carbon weight is raised, routed now by production so its
 * stored decision holds today's facts (the seeded decisions hold those of their own day, and
 * `POST /api/route` reads today's). Candidates come from the seeded decisions; the engine — the code
 * the designer's what-if panel and the runtime both run — says which weight flips the winner.
 */
async function findCarbonSensitiveOrder(request: APIRequestContext, serviceKey: string, run: string) {
  const list = await request.get('/api/decisions?strategy=peak-season&limit=100', { headers: adminAuth });
  expect(list.ok()).toBe(true);
  const { items } = (await list.json()) as { items: { decisionId: string; orderId: string }[] };
  const baseline = compileRouting(peakSeasonRouting);
  const greenest = compileRouting(withCarbon(sliderMax));
  const snapshotOf = async (decisionId: string) => {
    const detail = await request.get(`/api/decisions/${decisionId}`, { headers: adminAuth });
    return ((await detail.json()) as { snapshot: RoutingSnapshot }).snapshot;
  };
  const winners = (snapshot: RoutingSnapshot, strategy = baseline) =>
    winnerOf(strategy.route(snapshot.order, snapshot.facts, snapshot.at).allocation);

  for (const item of items.filter((i) => !i.orderId.includes('-E2E-'))) {
    const seeded = await snapshotOf(item.decisionId);
    if (winners(seeded) === winners(seeded, greenest)) continue;
    const order = { ...seeded.order, id: `${seeded.order.id}-E2E-${run}` };
    const routed = await request.post('/api/route', {
      headers: bearer(serviceKey),
      data: { strategy: 'peak-season', order },
    });
    expect(routed.ok(), await routed.text()).toBe(true);
    const answer = (await routed.json()) as RouteAnswer;
    const fresh = await snapshotOf(answer.decisionId);
    const before = winners(fresh);
    expect(winnerOf(answer.allocation)).toBe(before);
    for (let weight = baselineCarbon + sliderStep; weight <= sliderMax; weight += sliderStep) {
      const after = winners(fresh, compileRouting(withCarbon(weight)));
      if (after !== before && after !== 'Unroutable') return { order, before, after, weight };
    }
  }
  throw new Error('no stored decision changes its winner with a higher carbon weight');
}

test('an analyst raises the carbon weight and sees the winner change, backtests it; the admin promotes it and the runtime routes with it', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(180_000);
  const run = `${Date.now().toString(36)}${testInfo.repeatEachIndex}`.toUpperCase();
  const analystKey = await createApiKey(request, `Carbon analyst ${run}`, 'analyst');
  const serviceKey = await createApiKey(request, `OMS ${run}`, 'service');
  const baselineVersion = await publishDemoBaseline(request, run);
  const target = await findCarbonSensitiveOrder(request, serviceKey, run);

  // ── The analyst tries a higher carbon weight on a stored decision ─────────────────────────────
  const analystContext = await browser.newContext();
  const page = await analystContext.newPage();
  const analystErrors = collectConsoleErrors(page);
  await signIn(page, analystKey, 'analyst');
  await page
    .getByRole('row', { name: /Double-11 peak routing/ })
    .getByRole('link')
    .first()
    .click();
  await expect(page).toHaveURL(/\/routing\/peak-season$/);
  const form = page.getByTestId('strategy-editor');
  const slider = form.getByLabel(`Weight of ${carbonId}`, { exact: true });
  await expect(slider).toHaveValue(String(baselineCarbon));

  const panel = page.getByTestId('whatif-panel');
  await panel.getByPlaceholder('Search by order id…').fill(target.order.id);
  await expect(panel.getByTestId('whatif-decision').locator('option')).toHaveText([
    new RegExp(`^${target.order.id} · .* · v${baselineVersion} · `),
  ]);
  const winner = panel.getByTestId('whatif-winner');
  await expect(winner).toHaveText(target.before);
  await expect(panel.getByTestId('whatif-recorded')).toHaveText(
    `Same as the recorded decision (v${baselineVersion}).`,
  );
  await dismissToasts(page);
  await page.screenshot({ path: `${screenshotDir}68-routing-whatif-before.png` });

  // Raise the weight a step at a time: the winner holds until the weight the engine predicted.
  const share = form.getByTestId(`share-${carbonId}`);
  const shareBefore = (await share.textContent()) ?? '';
  for (let weight = baselineCarbon + sliderStep; weight <= target.weight; weight += sliderStep) {
    await slider.fill(String(weight));
    await expect(form.getByLabel(`Weight of ${carbonId} (number)`)).toHaveValue(String(weight));
    await expect(winner).toHaveText(weight < target.weight ? target.before : target.after);
  }
  await expect(share).not.toHaveText(shareBefore);
  await expect(panel.getByTestId('whatif-recorded')).toHaveText(
    `Changed — recorded (v${baselineVersion}): ${target.before}`,
  );
  await expect(panel.getByTestId('whatif-explanation')).toContainText(`${target.after} `);
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}68-routing-whatif-changed.png` });

  await page.keyboard.press('ControlOrMeta+S');
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  const saved = (await (await request.get(strategyUrl, { headers: adminAuth })).json()) as {
    draft: RoutingDefinition;
    draftRevision: number;
  };
  expect(saved.draft).toEqual(withCarbon(target.weight));

  // ── A backtest of the saved draft against production ──────────────────────────────────────────
  // Room for the chart: fold the (empty) problems panel away.
  await page.getByRole('button', { name: 'Problems' }).click();
  await page.getByRole('tab', { name: 'Backtest' }).click();
  const backtest = page.getByTestId('backtest-panel');
  await expect(backtest.getByTestId('backtest-baseline')).toHaveValue(String(baselineVersion));
  await expect(backtest.getByTestId('backtest-baseline')).toContainText(`v${baselineVersion} · production`);
  await expect(backtest.getByTestId('backtest-candidate')).toContainText(
    `Saved draft (rev ${saved.draftRevision})`,
  );
  await backtest.getByTestId('backtest-run').click();
  const progress = backtest.getByRole('progressbar', { name: 'Backtest progress' });
  await expect(progress).toBeVisible();
  await expect(backtest.getByTestId('backtest-state')).toHaveText(/^Done · [\d,]+ decisions/, {
    timeout: 60_000,
  });
  const total = Number((await progress.getAttribute('aria-valuemax')) ?? 0);
  expect(total).toBeGreaterThan(0);
  await expect(progress).toHaveAttribute('aria-valuenow', String(total));
  await expect(
    backtest.getByText(`KPIs · draft rev ${saved.draftRevision} against v${baselineVersion}`),
  ).toBeVisible();
  const chart = backtest.getByTestId('kpi-delta-chart');
  await expect(chart.locator('.kpi-row')).toHaveCount(7);
  await expect(backtest.getByTestId('tier-mix-chart')).toBeVisible();
  // At least the order found above routes differently, so the share of changed decisions is not 0.
  await expect(backtest.getByTestId('backtest-changed-share')).not.toHaveText('0.0 %');
  await dismissToasts(page);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${screenshotDir}68-routing-backtest.png` });
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}68-routing-backtest-chart.png` });
  await expect(page.getByRole('button', { name: 'Create version' })).toBeDisabled();

  // ── The admin versions it and promotes it through sandbox to production ───────────────────────
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const adminErrors = collectConsoleErrors(admin);
  await signIn(admin, e2eAdminKey, 'admin');
  await admin
    .getByRole('row', { name: /Double-11 peak routing/ })
    .getByRole('link')
    .first()
    .click();
  await expect(admin).toHaveURL(/\/routing\/peak-season$/);
  await expect(
    admin.getByTestId('strategy-editor').getByLabel(`Weight of ${carbonId}`, { exact: true }),
  ).toHaveValue(String(target.weight));
  const next = baselineVersion + 1;
  const carbonPath = `/factors/${peakSeasonRouting.factors.findIndex((f) => f.id === carbonId)}/weight`;
  await admin.getByRole('button', { name: 'Create version' }).click();
  const createDialog = admin.getByRole('dialog', { name: `Create version ${next}` });
  await expect(createDialog.getByTestId('patch-summary')).toContainText(carbonPath);
  const note = `Carbon weight ${baselineCarbon} → ${target.weight} (${run})`;
  await createDialog.getByLabel('Note').fill(note);
  await createDialog.getByRole('button', { name: `Create version ${next}` }).click();
  await expect(createDialog).toBeHidden();
  await expect(admin.getByTestId('version-list')).toContainText(note);

  await admin.getByRole('button', { name: 'Publish to sandbox' }).click();
  const publish = admin.getByRole('dialog', { name: 'Publish to sandbox' });
  await expect(publish.getByTestId('target-version')).toHaveValue(String(next));
  await expect(publish.getByTestId('patch-summary')).toContainText(carbonPath);
  await publish.getByTestId('confirm-environment').click();
  await expect(publish).toBeHidden();
  await expect(admin.getByText(`Sandbox now serves version ${next}`)).toBeVisible();

  await admin.getByRole('button', { name: 'Promote to production' }).click();
  const promote = admin.getByRole('dialog', { name: 'Promote to production' });
  await expect(promote.getByTestId('target-version')).toHaveValue(String(next));
  await expect(promote.getByTestId('patch-summary')).toContainText(carbonPath);
  await admin.screenshot({ path: `${screenshotDir}69-routing-promote.png` });
  await promote.getByTestId('confirm-environment').click();
  await expect(promote).toBeHidden();
  await expect(admin.getByText(`Production now serves version ${next}`)).toBeVisible();
  const topbar = admin.getByTestId('topbar-environments');
  await expect(topbar.getByTestId('env-badge-sandbox')).toContainText(`v${next}`);
  await expect(topbar.getByTestId('env-badge-production')).toContainText(`v${next}`);

  expect(adminErrors).toEqual([]);
  await adminContext.close();

  // ── The runtime now routes the order to the new winner ────────────────────────────────────────
  const routed = await request.post('/api/route', {
    headers: bearer(serviceKey),
    data: { strategy: 'peak-season', order: target.order },
  });
  expect(routed.ok(), await routed.text()).toBe(true);
  const answer = (await routed.json()) as RouteAnswer;
  expect(answer.strategy).toEqual({ id: 'peak-season', version: next, environment: 'production' });
  expect(winnerOf(answer.allocation)).toBe(target.after);
  expect(answer.explanation.startsWith(`${target.after} `)).toBe(true);

  // ── The decision explorer explains it (to the analyst, who made the change) ───────────────────
  // The admin's page is closed rather than navigated: leaving the strategy page after the version
  // dialogs' diff editors can blank the designer (monaco "InstantiationService has been disposed",
  // thrown out of CelEditor's dispose; reported).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Decisions' }).click();
  await page.getByLabel('Order id').fill(target.order.id);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText(`Decisions for order ${target.order.id}`)).toBeVisible();
  const rows = page.getByRole('row').filter({ hasText: target.order.id });
  await expect(rows).toHaveCount(2);
  const [newWarehouse] = target.after.split(' via ');
  const [oldWarehouse] = target.before.split(' via ');
  await expect(rows.first()).toContainText(`peak-season v${next}`);
  await expect(rows.first()).toContainText(newWarehouse ?? '');
  await expect(rows.last()).toContainText(`peak-season v${baselineVersion}`);
  await expect(rows.last()).toContainText(oldWarehouse ?? '');
  await dismissToasts(page);
  await page.screenshot({ path: `${screenshotDir}69-routing-decisions.png` });
  await rows.first().getByRole('link', { name: target.order.id }).click();
  await expect(page.getByRole('heading', { name: `Decision for order ${target.order.id}` })).toBeVisible();
  await expect(page.getByText(answer.decisionId)).toBeVisible();
  const explanation = page.getByTestId('decision-explanation');
  await expect(explanation).toHaveText(answer.explanation);
  await page.screenshot({ path: `${screenshotDir}69-routing-decision.png` });

  expect(analystErrors).toEqual([]);
  await analystContext.close();
});
