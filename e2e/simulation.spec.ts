import { expect, type Page, test } from '@playwright/test';
import type { Backtest } from '../apps/designer/src/features/routing/backtest/backtestTypes.ts';
import { e2eAdminKey } from './e2eEnvironment.ts';
import { collectConsoleErrors, openDemoStatusGraph } from './e2eHelpers.ts';

const screenshotDir = new URL('./screenshots/', import.meta.url).pathname;
const auth = { authorization: `Bearer ${e2eAdminKey}` };

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('API key').fill(e2eAdminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('role')).toHaveText('admin');
}

test('an analyst simulates the three-condition shipped and the Douyin 15-minute SLA on the draft', async ({
  page,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  await signIn(page);
  const canvas = await openDemoStatusGraph(page);
  await expect(canvas.getByTestId('state-node-shipped')).toBeVisible();
  // More room for the canvas and the simulator.
  await page.getByRole('button', { name: 'Problems' }).click();

  await page.getByTestId('simulator-toggle').click();
  const sim = page.getByTestId('simulator');
  await expect(sim).toBeVisible();
  const state = sim.getByTestId('sim-current-state');
  await expect(state).toContainText('No order yet');
  const highlighted = canvas.locator('.react-flow__node.sim-current');
  await expect(highlighted).toHaveCount(0);

  // The preset scenario: paid, accepted and packed; then the three pieces of evidence, one by one.
  await sim.getByTestId('sim-scenario').selectOption('three-condition-shipped');
  await expect(sim.getByTestId('sim-step-count')).toHaveText('step 0 of 6');
  const forward = sim.getByTestId('sim-forward');
  for (const expected of ['paid', 'released-to-warehouse', 'packing']) {
    await forward.click();
    await expect(state).toHaveAttribute('data-state', expected);
    await expect(highlighted).toHaveAttribute('data-id', expected);
  }

  // 1. the WMS outbound order number: evidence, not the state.
  await forward.click();
  await expect(sim.getByTestId('sim-step-4')).toContainText('wms OUTBOUND_DONE');
  await expect(state).toHaveAttribute('data-state', 'packing');
  await expect(sim.getByTestId('sim-facts')).toContainText('"outboundNo": "OB-20261111-0001"');
  await expect(sim).toContainText('No guard held: the state did not change.');
  // 2. the carrier's e-waybill number.
  await forward.click();
  await expect(state).toHaveAttribute('data-state', 'packing');
  await expect(sim.getByTestId('sim-facts')).toContainText('"waybillNo": "SF1402234567"');
  // 3. finance confirms the funds: now the order is shipped.
  await forward.click();
  await expect(state).toHaveAttribute('data-state', 'shipped');
  await expect(state).toContainText('Shipped');
  await expect(highlighted).toHaveAttribute('data-id', 'shipped');
  await expect(canvas.getByTestId('state-node-shipped')).toContainText('Shipped');
  const fired = sim.getByRole('list', { name: 'Transitions in this step' });
  await expect(fired).toContainText('Packing → Shipped');
  await expect(fired).toContainText('facts.finance.paymentConfirmed == true');
  await expect(canvas.locator('.react-flow__edge.sim-fired')).toHaveCount(1);
  await expect(sim.getByTestId('sim-step-6')).toHaveClass(/current/);
  await expect(forward).toBeDisabled();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${screenshotDir}50-simulator-shipped.png` });

  // The simulator runs the draft as edited: rename the state on the canvas and the replay follows.
  await canvas.getByTestId('state-node-shipped').click();
  const inspector = page.getByTestId('graph-inspector');
  await inspector.getByLabel('Id').fill('dispatched');
  await inspector.getByLabel('Id').press('Enter');
  await expect(state).toHaveAttribute('data-state', 'dispatched');
  await expect(highlighted).toHaveAttribute('data-id', 'dispatched');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(state).toHaveAttribute('data-state', 'shipped');
  // A draft that does not validate: the simulator says why and keeps the last result, dimmed.
  await canvas.getByTestId('state-node-shipped').click();
  await inspector.getByLabel('Label (English)').fill('');
  const invalid = sim.getByTestId('sim-invalid');
  await expect(invalid).toContainText('The draft does not validate as a status graph.');
  await expect(invalid).toContainText('/labels/en');
  await expect(state).toHaveAttribute('data-state', 'shipped');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${screenshotDir}55-simulator-invalid.png` });
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(invalid).toBeHidden();
  await expect(canvas.getByTestId('state-node-shipped')).toContainText('Shipped');

  // Step back: the funds are not confirmed any more, the order is packing again.
  await sim.getByTestId('sim-back').click();
  await expect(state).toHaveAttribute('data-state', 'packing');
  await expect(highlighted).toHaveAttribute('data-id', 'packing');
  await expect(sim.getByTestId('sim-facts')).not.toContainText('paymentConfirmed');
  await expect(sim.getByTestId('sim-step-6')).toHaveClass(/pending/);
  // The timeline jumps anywhere.
  await sim
    .getByTestId('sim-step-1')
    .getByRole('button', { name: /douyin PAID → Paid/ })
    .click();
  await expect(state).toHaveAttribute('data-state', 'paid');

  // The Douyin 15-minute SLA, fed by hand: paid on Douyin, then the clock moves on.
  await sim.getByRole('button', { name: 'Clear' }).click();
  await expect(sim.getByTestId('sim-step-count')).toHaveText('step 0 of 0');
  await sim.getByTestId('sim-system').selectOption('douyin');
  await sim.getByTestId('sim-code').selectOption('PAID');
  await sim.getByTestId('sim-channel').selectOption('douyin');
  await sim.getByTestId('sim-apply-event').click();
  await expect(state).toHaveAttribute('data-state', 'paid');
  const sla = sim.getByTestId('sim-sla-douyin-paid-15min');
  await expect(sla).toContainText('15m left');
  await expect(sim.getByTestId('sim-next-due')).toHaveText('warning in 12m (T+0:12)');
  await sim.getByRole('button', { name: '+1 min' }).click();
  await expect(sla).toContainText('14m left');
  await expect(sim.getByTestId('sim-alerts')).toContainText('None so far.');
  await sim.getByRole('button', { name: '+15 min' }).click();
  await expect(sim.getByTestId('sim-clock')).toHaveText('T+0:16');
  await expect(sla).toContainText('overdue by 1m');
  const alerts = sim.getByTestId('sim-alerts');
  await expect(alerts.locator('.sim-alert')).toHaveCount(2);
  await expect(alerts.locator('.sim-alert').first()).toContainText('breach');
  await expect(alerts).toContainText('SLA douyin-paid-15min');
  await expect(alerts).toContainText('(100 % of the 15 min SLA douyin-paid-15min)');
  await expect(sim.getByTestId('sim-step-3')).toHaveClass(/has-alert/);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${screenshotDir}51-simulator-sla.png` });

  // Back before the clock move: no alert again.
  await sim.getByTestId('sim-back').click();
  await expect(alerts).toContainText('None so far.');

  expect(consoleErrors).toEqual([]);
});

test('an analyst backtests the saved draft against the production version and reads the KPI chart', async ({
  page,
  request,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  const strategyUrl = '/api/definitions/routing/peak-season';
  const detail = (await (await request.get(strategyUrl, { headers: auth })).json()) as {
    draft: { factors: { id: string; type: string; weight: number }[] };
    draftRevision: number;
    environments: Record<string, { version: number } | number | null>;
  };
  const carbon = detail.draft.factors.find((f) => f.type === 'carbon');
  if (!carbon) throw new Error('the demo strategy has no carbon factor');
  const production = detail.environments.production;
  const productionVersion = typeof production === 'number' ? production : production?.version;
  expect(productionVersion).toBeDefined();

  await signIn(page);
  await page
    .getByRole('row', { name: /Double-11 peak routing/ })
    .getByRole('link')
    .first()
    .click();
  await expect(page).toHaveURL(/\/routing\/peak-season$/);
  const form = page.getByTestId('strategy-editor');
  await expect(page.getByTestId('whatif-panel')).toBeVisible();

  await page.getByRole('tab', { name: 'Backtest' }).click();
  const panel = page.getByTestId('backtest-panel');
  await expect(panel.getByTestId('backtest-baseline')).toHaveValue(String(productionVersion));
  await expect(panel.getByTestId('backtest-candidate')).toHaveValue('draft');
  await expect(panel.getByTestId('backtest-unsaved')).toBeHidden();

  // An unsaved edit: the server would test the saved draft, so the panel offers to save first.
  const weight = carbon.weight === 100 ? 99 : 100;
  await form.getByLabel(`Weight of ${carbon.id} (number)`).fill(String(weight));
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();
  await expect(panel.getByTestId('backtest-unsaved')).toContainText('The server backtests the saved draft');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${screenshotDir}52-backtest-unsaved.png` });
  await panel.getByTestId('backtest-save-first').click();
  await expect(page.getByText(`Draft saved · revision ${detail.draftRevision + 1}`)).toBeVisible();
  await expect(page.getByTestId('saved-indicator')).toBeVisible();
  await expect(panel.getByTestId('backtest-unsaved')).toBeHidden();
  await expect(panel.getByTestId('backtest-candidate')).toContainText(
    `Saved draft (rev ${detail.draftRevision + 1})`,
  );

  // Run it on the server: a progress bar, then the chart.
  await panel.getByTestId('backtest-run').click();
  const progress = panel.getByRole('progressbar', { name: 'Backtest progress' });
  await expect(progress).toBeVisible();
  await expect(panel.getByTestId('backtest-state')).toHaveText(/Queued|Running|Done/);
  await expect(panel.getByTestId('backtest-state')).toHaveText(/^Done · [\d,]+ decisions/, {
    timeout: 60_000,
  });
  const chart = panel.getByTestId('kpi-delta-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('.kpi-row')).toHaveCount(7);
  await expect(panel.getByTestId('tier-mix-chart')).toBeVisible();
  await expect(
    panel.getByText(`KPIs · draft rev ${detail.draftRevision + 1} against v${productionVersion}`),
  ).toBeVisible();

  // The figures are the runtime's.
  const list = (await (await request.get('/api/backtests', { headers: auth })).json()) as {
    items: Backtest[];
  };
  const run = list.items.find((b) => b.strategy === 'peak-season' && b.state === 'succeeded');
  if (!run?.result) throw new Error('the backtest did not finish on the server');
  expect(run.candidate).toBe('draft');
  expect(run.baseline).toBe(productionVersion);
  await expect(progress).toHaveAttribute('aria-valuenow', String(run.progress.total));
  await expect(panel.getByTestId('backtest-changed-share')).toHaveText(
    `${((run.result.changedShare ?? 0) * 100).toFixed(1)} %`,
  );
  const cost = run.result.deltas.avgCost ?? 0;
  await expect(chart.getByTestId('kpi-avgCost')).toHaveClass(
    cost < -1e-9 ? /verdict-better/ : cost > 1e-9 ? /verdict-worse/ : /verdict-same/,
  );
  await expect(panel.getByTestId('backtest-list').getByRole('button').first()).toContainText(
    `draft rev ${detail.draftRevision + 1} vs v${productionVersion}`,
  );
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${screenshotDir}53-backtest-result.png` });
  await panel.getByTestId('kpi-delta-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}54-backtest-chart.png` });

  expect(consoleErrors).toEqual([]);
});
