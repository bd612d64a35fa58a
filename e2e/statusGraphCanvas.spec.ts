import { expect, type Locator, type Page, test } from '@playwright/test';
import { e2eAdminKey } from './e2eEnvironment.ts';
import {
  clickEmptyPane,
  collectConsoleErrors,
  dragBetween,
  openDemoStatusGraph,
  signIn,
} from './e2eHelpers.ts';

const screenshotDir = new URL('./screenshots/', import.meta.url).pathname;
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
const graphUrl = '/api/definitions/status-graph/china-peak-orders';

interface GraphDetail {
  draftRevision: number;
  draft: {
    states: { id: string; labels: { en: string }; position?: { x: number; y: number } }[];
    transitions: { id: string; from: string; to: string; guard: string }[];
  };
}

/** Replaces the whole expression in a CEL editor (monaco) the way a user would: select all, type. */
async function replaceCel(page: Page, editor: Locator, text: string) {
  await editor.locator('.view-lines').click();
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.insertText(text);
}

test('an admin adds a state to the demo status graph on the canvas, connects it and saves', async ({
  page,
  request,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  const auth = { authorization: `Bearer ${e2eAdminKey}` };
  const before = (await (await request.get(graphUrl, { headers: auth })).json()) as GraphDetail;

  await signIn(page, e2eAdminKey, 'admin');
  const canvas = await openDemoStatusGraph(page);

  // The canvas is the default view of a status graph.
  await expect(page.getByRole('tab', { name: 'Canvas' })).toHaveAttribute('aria-selected', 'true');
  const shipped = canvas.getByTestId('state-node-shipped');
  await expect(shipped).toBeVisible();
  await expect(shipped).toContainText('Shipped');
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(before.draft.transitions.length);
  await expect(canvas.locator('.react-flow__minimap')).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}10-status-graph-canvas.png` });

  // Add a state and describe it in the side panel.
  await canvas.getByRole('button', { name: /Add state/ }).click();
  const inspector = page.getByTestId('graph-inspector');
  await expect(inspector.getByRole('heading', { name: 'State' })).toBeVisible();
  const idField = inspector.getByLabel('Id');
  await expect(idField).toHaveValue('state');
  await idField.fill('awaiting-pickup');
  await idField.press('Enter');
  await inspector.getByLabel('Label (English)').fill('Awaiting pickup');
  await inspector.getByLabel('Label (中文)').fill('待揽收');
  const added = canvas.getByTestId('state-node-awaiting-pickup');
  await expect(added).toContainText('Awaiting pickup');
  await expect(added).toContainText('待揽收');
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();

  // Dragging the new state stores its position in the draft.
  const addedNode = canvas.locator('.react-flow__node[data-id="awaiting-pickup"]');
  const flowPosition = async () => {
    const transform = await addedNode.evaluate((el) => (el as HTMLElement).style.transform);
    const [, x, y] = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(transform) ?? [];
    return { x: Math.round(Number(x)), y: Math.round(Number(y)) };
  };
  const start = await flowPosition();
  const box = await addedNode.locator('.state-label-en').boundingBox();
  if (!box) throw new Error('the new state is not visible');
  await page.mouse.move(box.x + 10, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + 10, box.y + 95, { steps: 10 });
  await page.mouse.up();
  const moved = await flowPosition();
  expect(moved.y).toBeGreaterThan(start.y + 50);
  // Autosave stores the move about 1.5 s after the drag.
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');

  // Connect shipped → the new state by dragging between their handles.
  await dragBetween(
    page,
    canvas.locator('.react-flow__node[data-id="shipped"] .react-flow__handle.source'),
    canvas.locator('.react-flow__node[data-id="awaiting-pickup"] .react-flow__handle.target'),
  );
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(before.draft.transitions.length + 1);
  await expect(inspector.getByRole('heading', { name: 'Transition' })).toBeVisible();
  await expect(inspector).toContainText('shipped-to-awaiting-pickup');
  const guard = inspector.getByTestId('guard-editor');
  await expect(guard.locator('.view-lines')).toHaveText('true');

  // A guard with a typo: inline error and marker, a red edge, and a problem that selects the edge again.
  await replaceCel(page, guard, 'has(facts.carrier.waybillNo) &&');
  await expect(inspector.getByTestId('guard-status')).toContainText(/Line 1, column \d+/);
  await expect(guard.locator('.squiggly-error')).toHaveCount(1);
  const newEdge = canvas.locator('.react-flow__edge[data-id="shipped-to-awaiting-pickup"]');
  await expect(newEdge).toHaveClass(/edge-error/);
  await clickEmptyPane(canvas);
  await expect(inspector).toBeHidden();

  // N adds a state from the keyboard; Delete removes the selection again.
  await page.keyboard.press('n');
  await expect(canvas.getByTestId('state-node-state')).toBeVisible();
  await expect(inspector.getByLabel('Id')).toHaveValue('state');
  await page.keyboard.press('Delete');
  await expect(canvas.getByTestId('state-node-state')).toHaveCount(0);
  await expect(canvas.getByTestId('graph-summary')).toContainText(
    `${before.draft.states.length + 1} states · ${before.draft.transitions.length + 1} transitions`,
  );

  await page
    .getByTestId('problems')
    .getByRole('button', { name: /transitions\/\d+\/guard/ })
    .click();
  await expect(inspector.getByRole('heading', { name: 'Transition' })).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}11-status-graph-guard-error.png` });
  await replaceCel(page, inspector.getByTestId('guard-editor'), 'has(facts.carrier.waybillNo)');
  await expect(newEdge).not.toHaveClass(/edge-error/);
  await expect(page.getByTestId('problem-errors')).toHaveText('0');
  await page.screenshot({ path: `${screenshotDir}12-status-graph-connected.png` });

  // The JSON view shows the same buffer.
  await page.getByRole('tab', { name: 'JSON' }).click();
  const editor = page.getByTestId('draft-editor');
  await editor.locator('.view-lines').click();
  for (const needle of ['"id": "awaiting-pickup"', '"id": "shipped-to-awaiting-pickup"']) {
    await page.keyboard.press(`${mod}+F`);
    await expect(editor.locator('.find-widget textarea').first()).toBeFocused();
    await page.keyboard.press(`${mod}+A`);
    await page.keyboard.insertText(needle);
    await expect(editor.locator('.find-widget .matchesCount')).toHaveText(/^1 of 1$/);
    await page.keyboard.press('Escape');
  }

  // Invalid JSON typed in the JSON view is explained on the canvas tab instead of breaking it.
  await page.keyboard.press(`${mod}+End`);
  await page.keyboard.insertText(',');
  await expect(page.getByTestId('problem-errors')).not.toHaveText('0');
  await page.getByRole('tab', { name: 'Canvas' }).click();
  await expect(page.getByTestId('canvas-invalid')).toContainText('The JSON is not valid');
  await page.getByTestId('canvas-invalid').getByRole('button', { name: 'Open JSON view' }).click();
  await editor.locator('.view-lines').click();
  await page.keyboard.press(`${mod}+End`);
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('problem-errors')).toHaveText('0');

  // Autosave may have stored the edits already; Save makes sure all of them are on the server.
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');

  // Back on the canvas the new state is still there, and the runtime stored it.
  await page.getByRole('tab', { name: 'Canvas' }).click();
  await expect(canvas.getByTestId('state-node-awaiting-pickup')).toBeVisible();
  const after = (await (await request.get(graphUrl, { headers: auth })).json()) as GraphDetail;
  const stored = after.draft.states.find((s) => s.id === 'awaiting-pickup');
  expect(stored?.labels.en).toBe('Awaiting pickup');
  expect(stored?.position).toEqual(moved);
  expect(after.draft.transitions.find((t) => t.id === 'shipped-to-awaiting-pickup')).toEqual({
    id: 'shipped-to-awaiting-pickup',
    from: 'shipped',
    to: 'awaiting-pickup',
    guard: 'has(facts.carrier.waybillNo)',
  });

  expect(consoleErrors).toEqual([]);
});
