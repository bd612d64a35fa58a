import {
  type APIRequestContext,
  type Browser,
  expect,
  type Locator,
  type Page,
  test,
} from '@playwright/test';
import { e2eAdminKey } from './e2eEnvironment.ts';
import { clickEmptyPane, collectConsoleErrors, signIn } from './e2eHelpers.ts';

const screenshotDir = new URL('./screenshots/', import.meta.url).pathname;
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
const graphUrl = '/api/definitions/status-graph/china-peak-orders';
const auth = { authorization: `Bearer ${e2eAdminKey}` };

interface GraphDetail {
  draftRevision: number;
  draft: {
    states: { id: string; labels: { en: string }; steward?: string; position?: { x: number; y: number } }[];
    transitions: { id: string; from: string; to: string }[];
    slas: { id: string; state: string }[];
  };
}

async function getGraph(request: APIRequestContext): Promise<GraphDetail> {
  const response = await request.get(graphUrl, { headers: auth });
  expect(response.ok()).toBe(true);
  return (await response.json()) as GraphDetail;
}

/** Opens the demo status graph on its canvas and waits until the draft is loaded and saved. */
async function openGraph(page: Page): Promise<Locator> {
  await page.goto('/status-graph/china-peak-orders');
  const canvas = page.getByTestId('status-graph-canvas');
  await expect(canvas.getByTestId('state-node-shipped')).toBeVisible();
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  return canvas;
}

/** A node's position in flow coordinates, read from React Flow's transform. */
async function flowPosition(node: Locator) {
  const transform = await node.evaluate((el) => (el as HTMLElement).style.transform);
  const [, x, y] = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(transform) ?? [];
  return { x: Math.round(Number(x)), y: Math.round(Number(y)) };
}

async function newSignedInPage(browser: Browser, key: string, role: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  await signIn(page, key, role);
  return { context, page, errors };
}

test('undo and redo of a node move and a rename, with the keyboard and the buttons', async ({ page }) => {
  const consoleErrors = collectConsoleErrors(page);
  await signIn(page, e2eAdminKey, 'admin');
  const canvas = await openGraph(page);
  const undo = page.getByTestId('undo');
  const redo = page.getByTestId('redo');
  await expect(undo).toBeDisabled();
  await expect(redo).toBeDisabled();
  await expect(undo.locator('..')).toHaveAttribute('data-tooltip', /Ctrl\+Z/);
  await expect(redo.locator('..')).toHaveAttribute('data-tooltip', /Ctrl\+Shift\+Z/);

  // Drag "Paid" down: one undo step, however many mouse moves the drag took.
  const paid = canvas.locator('.react-flow__node[data-id="paid"]');
  const start = await flowPosition(paid);
  const box = await paid.locator('.state-label-en').boundingBox();
  if (!box) throw new Error('the Paid state is not visible');
  await page.mouse.move(box.x + 10, box.y + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + 10, box.y + 95, { steps: 12 });
  await page.mouse.up();
  const moved = await flowPosition(paid);
  expect(moved.y).toBeGreaterThan(start.y + 50);
  await expect(undo).toBeEnabled();

  await page.keyboard.press(`${mod}+Z`);
  await expect.poll(() => flowPosition(paid)).toEqual(start);
  await expect(redo).toBeEnabled();
  await page.keyboard.press(`${mod}+Shift+Z`);
  await expect.poll(() => flowPosition(paid)).toEqual(moved);
  await page.keyboard.press(`${mod}+Z`);
  await expect.poll(() => flowPosition(paid)).toEqual(start);
  await page.keyboard.press('Control+Y');
  await expect.poll(() => flowPosition(paid)).toEqual(moved);

  // Typing a label character by character is one undo step; the text field keeps its own Ctrl+Z.
  await paid.click();
  const inspector = page.getByTestId('graph-inspector');
  const label = inspector.getByLabel('Label (English)');
  await expect(label).toHaveValue('Paid');
  await label.click();
  await label.press('End');
  await label.pressSequentially(' on Douyin', { delay: 40 });
  await expect(canvas.getByTestId('state-node-paid')).toContainText('Paid on Douyin');
  await undo.click();
  await expect(canvas.getByTestId('state-node-paid')).toContainText('Paid');
  await expect(canvas.getByTestId('state-node-paid')).not.toContainText('Douyin');
  await expect(label).toHaveValue('Paid');
  await expect.poll(() => flowPosition(paid)).toEqual(moved);
  await redo.click();
  await expect(canvas.getByTestId('state-node-paid')).toContainText('Paid on Douyin');
  await expect(redo).toBeDisabled();
  await page.screenshot({ path: `${screenshotDir}30-undo-redo.png` });

  // Undo after the autosave makes the buffer dirty again: nothing is lost, it is saved again.
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  await undo.click();
  await expect(canvas.getByTestId('state-node-paid')).not.toContainText('Douyin');
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  await undo.click();
  await expect.poll(() => flowPosition(paid)).toEqual(start);
  await expect(undo).toBeDisabled();
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');

  expect(consoleErrors).toEqual([]);
});

test('copy, paste and delete states on the canvas, and find a state', async ({ page, request }) => {
  const consoleErrors = collectConsoleErrors(page);
  await signIn(page, e2eAdminKey, 'admin');
  const canvas = await openGraph(page);
  const before = await getGraph(request);
  const edges = canvas.locator('.react-flow__edge');
  await expect(edges).toHaveCount(before.draft.transitions.length);

  // One state, pasted twice: each copy gets its own id and lands beside the last one.
  await canvas.locator('.react-flow__node[data-id="shipped"]').click();
  await page.keyboard.press(`${mod}+C`);
  await expect(page.getByText('Copied 1 state')).toBeVisible();
  await page.keyboard.press(`${mod}+V`);
  const copy = canvas.getByTestId('state-node-shipped-copy');
  await expect(copy).toBeVisible();
  await expect(copy).toContainText('Shipped (copy)');
  await expect(page.getByTestId('graph-inspector').getByLabel('Id')).toHaveValue('shipped-copy');
  await page.keyboard.press(`${mod}+V`);
  await expect(canvas.getByTestId('state-node-shipped-copy-2')).toBeVisible();
  await expect(canvas.getByTestId('graph-summary')).toContainText(`${before.draft.states.length + 2} states`);

  // Two connected states: the transition between them comes along, renamed. (The inspector that opened
  // narrowed the canvas: fit the graph so both are in view.)
  await canvas.locator('.react-flow__controls-fitview').click();
  await canvas.locator('.react-flow__node[data-id="delivered"]').click();
  await canvas.locator('.react-flow__node[data-id="closed"]').click({ modifiers: [mod] });
  await page.keyboard.press(`${mod}+C`);
  await expect(page.getByText('Copied 2 states')).toBeVisible();
  await page.keyboard.press(`${mod}+V`);
  await expect(canvas.getByTestId('state-node-delivered-copy')).toBeVisible();
  await expect(canvas.getByTestId('state-node-closed-copy')).toBeVisible();
  await expect(canvas.locator('.react-flow__edge[data-id="close-copy"]')).toBeVisible();
  await expect(edges).toHaveCount(before.draft.transitions.length + 1);
  await page.screenshot({ path: `${screenshotDir}31-paste.png` });

  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  const pasted = await getGraph(request);
  const ids = pasted.draft.states.map((s) => s.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual(
    expect.arrayContaining(['shipped-copy', 'shipped-copy-2', 'delivered-copy', 'closed-copy']),
  );
  expect(pasted.draft.transitions.find((t) => t.id === 'close-copy')).toMatchObject({
    from: 'delivered-copy',
    to: 'closed-copy',
  });

  // Delete removes the pasted selection (both states and their transition), then the single copies.
  await expect(canvas.locator('.react-flow__node.selected')).toHaveCount(2);
  await expect(canvas.locator('.react-flow__edge.selected[data-id="close-copy"]')).toHaveCount(1);
  await page.keyboard.press('Delete');
  await expect(canvas.getByTestId('state-node-delivered-copy')).toHaveCount(0);
  await expect(canvas.getByTestId('state-node-closed-copy')).toHaveCount(0);
  await expect(edges).toHaveCount(before.draft.transitions.length);
  // The two remaining copies are unreachable: the problems panel says so once lint has caught up.
  await expect(page.getByTestId('problem-warnings')).toHaveText('2');
  await canvas.locator('.react-flow__controls-fitview').click();
  await canvas.locator('.react-flow__node[data-id="shipped-copy"]').click();
  await canvas.locator('.react-flow__node[data-id="shipped-copy-2"]').click({ modifiers: [mod] });
  await page.keyboard.press('Backspace');
  await expect(canvas.getByTestId('state-node-shipped-copy')).toHaveCount(0);
  await expect(canvas.getByTestId('state-node-shipped-copy-2')).toHaveCount(0);
  await expect(canvas.getByTestId('graph-summary')).toContainText(
    `${before.draft.states.length} states · ${before.draft.transitions.length} transitions`,
  );
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  const cleaned = await getGraph(request);
  expect(cleaned.draft.states.map((s) => s.id)).toEqual(before.draft.states.map((s) => s.id));
  expect(cleaned.draft.transitions).toEqual(before.draft.transitions);

  // Find: Ctrl+F on the canvas, "n of m", Enter jumps to the next match and selects it, Esc closes.
  await clickEmptyPane(canvas);
  await page.keyboard.press(`${mod}+F`);
  const find = canvas.getByTestId('graph-search-input');
  await expect(find).toBeFocused();
  await find.pressSequentially('logistics');
  const expected = before.draft.states
    .filter((s) => `${s.id} ${s.labels.en} ${s.steward ?? ''}`.toLowerCase().includes('logistics'))
    .map((s) => s.id);
  expect(expected.length).toBeGreaterThan(1);
  const count = canvas.getByTestId('graph-search-count');
  await expect(count).toHaveText(`${expected.length} found`);
  await expect(canvas.locator('.react-flow__node.search-match')).toHaveCount(expected.length);
  await find.press('Enter');
  await expect(count).toHaveText(`1 of ${expected.length}`);
  await expect(page.getByTestId('graph-inspector').getByLabel('Id')).toHaveValue(expected[0] ?? '');
  await find.press('Enter');
  await expect(count).toHaveText(`2 of ${expected.length}`);
  await expect(page.getByTestId('graph-inspector').getByLabel('Id')).toHaveValue(expected[1] ?? '');
  await expect(canvas.locator(`.react-flow__node.search-current[data-id="${expected[1]}"]`)).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}32-canvas-search.png` });
  await find.press('Escape');
  await expect(find).toBeHidden();
  await expect(canvas.locator('.react-flow__node.search-match')).toHaveCount(0);

  expect(consoleErrors).toEqual([]);
});

test('autosave stores the draft with its revision, pauses on invalid JSON; Ctrl+S saves at once', async ({
  page,
  request,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  await signIn(page, e2eAdminKey, 'admin');
  const canvas = await openGraph(page);
  const before = await getGraph(request);

  await canvas.locator('.react-flow__node[data-id="packing"]').click();
  const inspector = page.getByTestId('graph-inspector');
  await inspector.getByLabel('Steward').fill('Warehouse (WMS, wave outbound)');
  const status = page.getByTestId('unsaved-indicator');
  await expect(status).toHaveText('Unsaved changes');
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  await expect(page.getByTestId('draft-revision')).toHaveText(`Draft rev ${before.draftRevision + 1}`);
  const saved = await getGraph(request);
  expect(saved.draftRevision).toBe(before.draftRevision + 1);
  expect(saved.draft.states.find((s) => s.id === 'packing')?.steward).toBe('Warehouse (WMS, wave outbound)');

  // Invalid JSON is never stored: autosave waits until the draft parses again.
  await page.getByRole('tab', { name: 'JSON' }).click();
  const editor = page.getByTestId('draft-editor');
  await editor.locator('.view-lines').click();
  await page.keyboard.press(`${mod}+End`);
  await page.keyboard.insertText(',');
  await expect(status).toHaveText('Autosave paused: invalid JSON');
  await page.screenshot({ path: `${screenshotDir}33-autosave-paused.png` });
  await page.keyboard.press('Backspace');
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  expect((await getGraph(request)).draftRevision).toBe(saved.draftRevision);

  // Ctrl+S does not wait for the autosave delay.
  await page.getByRole('tab', { name: 'Canvas' }).click();
  await canvas.locator('.react-flow__node[data-id="packing"]').click();
  await inspector.getByLabel('Steward').fill('Warehouse (WMS, Nanjing)');
  await page.keyboard.press(`${mod}+S`);
  await expect(page.getByText(`Draft saved · revision ${saved.draftRevision + 1}`)).toBeVisible();
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  expect((await getGraph(request)).draftRevision).toBe(saved.draftRevision + 1);

  // Comparing any two versions or the draft, from the versions panel.
  await page.getByTestId('version-list').getByRole('button', { name: 'Compare' }).first().click();
  const compare = page.getByRole('dialog', { name: 'Compare versions' });
  const left = compare.getByTestId('compare-left');
  const right = compare.getByTestId('compare-right');
  await expect(right).toHaveValue('draft');
  const version = await left.inputValue();
  expect(Number(version)).toBeGreaterThan(0);
  const labels = compare.locator('.diff-labels');
  await expect(labels).toHaveText(`Version ${version}Draft`);
  const modifiedSide = compare.locator('.monaco-diff-editor .editor.modified');
  await expect(modifiedSide.locator('.line-insert, .char-insert').first()).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}36-compare-versions.png` });
  await compare.getByTestId('compare-swap').click();
  await expect(left).toHaveValue('draft');
  await expect(right).toHaveValue(version);
  await expect(labels).toHaveText(`DraftVersion ${version}`);
  await right.selectOption('draft');
  await expect(compare.getByTestId('compare-identical')).toHaveText('Both sides are the same.');
  await page.keyboard.press('Escape');
  await expect(compare).toBeHidden();

  expect(consoleErrors).toEqual([]);
});

test('a stale save between two signed-in browsers shows the conflict, and merging keeps both edits', async ({
  browser,
  request,
}) => {
  const keys: string[] = [];
  for (const name of ['Alice Analyst', 'Bob Analyst']) {
    const created = await request.post('/api/keys', { headers: auth, data: { name, role: 'analyst' } });
    expect(created.status()).toBe(201);
    keys.push(((await created.json()) as { secret: string }).secret);
  }
  const alice = await newSignedInPage(browser, keys[0] ?? '', 'analyst');
  const bob = await newSignedInPage(browser, keys[1] ?? '', 'analyst');
  const aliceCanvas = await openGraph(alice.page);
  const bobCanvas = await openGraph(bob.page);
  const before = await getGraph(request);

  // Alice renames "Delivered"; her autosave stores it first.
  await aliceCanvas.locator('.react-flow__node[data-id="delivered"]').click();
  await alice.page.getByTestId('graph-inspector').getByLabel('Label (English)').fill('Delivered to customer');
  await expect(alice.page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  await expect(alice.page.getByTestId('draft-revision')).toHaveText(`Draft rev ${before.draftRevision + 1}`);

  // Bob, still on the older revision, renames "Cancelled": his save is refused, his edit stays.
  await bobCanvas.locator('.react-flow__node[data-id="cancelled"]').click();
  await bob.page.getByTestId('graph-inspector').getByLabel('Label (English)').fill('Cancelled by customer');
  const banner = bob.page.getByTestId('conflict-banner');
  await expect(banner).toContainText('Not saved: someone else saved this draft first');
  await expect(banner).toContainText(`revision ${before.draftRevision + 1}`);
  await expect(bob.page.getByTestId('unsaved-indicator')).toHaveText('Autosave paused: conflict');
  await expect(bobCanvas.getByTestId('state-node-cancelled')).toContainText('Cancelled by customer');
  await bob.page.screenshot({ path: `${screenshotDir}34-conflict-banner.png` });

  // Nothing was overwritten: the server has Alice's edit and not Bob's.
  const meanwhile = await getGraph(request);
  expect(meanwhile.draftRevision).toBe(before.draftRevision + 1);
  const labelOf = (graph: GraphDetail, id: string) => graph.draft.states.find((s) => s.id === id)?.labels.en;
  expect(labelOf(meanwhile, 'delivered')).toBe('Delivered to customer');
  expect(labelOf(meanwhile, 'cancelled')).toBe('Cancelled');

  // Bob compares: theirs on the left, his on the right, then merges both.
  await banner.getByRole('button', { name: 'Compare' }).click();
  const resolve = bob.page.getByRole('dialog', { name: 'Resolve the conflicting edit' });
  await expect(resolve.locator('.monaco-diff-editor .editor.original')).toContainText(
    'Delivered to customer',
  );
  await expect(resolve.locator('.monaco-diff-editor .editor.modified')).toContainText(
    'Cancelled by customer',
  );
  await bob.page.screenshot({ path: `${screenshotDir}35-conflict-compare.png` });
  await resolve.getByRole('button', { name: 'Merge both' }).click();
  await expect(resolve).toBeHidden();
  await expect(bob.page.getByText(`Draft saved · revision ${before.draftRevision + 2}`)).toBeVisible();
  await expect(banner).toBeHidden();
  await expect(bobCanvas.getByTestId('state-node-delivered')).toContainText('Delivered to customer');
  await expect(bobCanvas.getByTestId('state-node-cancelled')).toContainText('Cancelled by customer');

  const after = await getGraph(request);
  expect(after.draftRevision).toBe(before.draftRevision + 2);
  expect(labelOf(after, 'delivered')).toBe('Delivered to customer');
  expect(labelOf(after, 'cancelled')).toBe('Cancelled by customer');

  // Alice had no unsaved edits, so reloading simply shows the merged draft.
  await alice.page.reload();
  await expect(aliceCanvas.getByTestId('state-node-cancelled')).toContainText('Cancelled by customer');
  await expect(alice.page.getByTestId('draft-revision')).toHaveText(`Draft rev ${before.draftRevision + 2}`);

  expect(alice.errors).toEqual([]);
  // The refused save is the one expected error: Chrome logs every 4xx response.
  expect(bob.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});

test('finding a factor, constraint, parameter or segment in the routing strategy, and undoing there', async ({
  page,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  await signIn(page, e2eAdminKey, 'admin');
  await page.goto('/routing/peak-season');
  const form = page.getByTestId('strategy-editor');
  await expect(form.getByRole('region', { name: 'Factors' })).toBeVisible();
  const find = form.getByTestId('strategy-search-input');
  await find.fill('eta');
  const count = form.getByTestId('strategy-search-count');
  await expect(count).toHaveText(/^\d+ found$/);
  const found = Number((await count.textContent())?.split(' ')[0]);
  expect(found).toBeGreaterThan(1);
  await find.press('Enter');
  await expect(count).toHaveText(`1 of ${found} · Factors`);
  await expect(form.getByTestId('factor-eta')).toBeInViewport();
  for (let i = 1; i < found; i++) await find.press('Enter');
  await expect(count).toHaveText(`${found} of ${found} · Segments`);
  const segment = form.getByRole('region', { name: 'Segments' }).locator('li').first();
  await expect(segment).toBeInViewport();
  await expect(segment).toHaveCSS('opacity', '1');
  await expect(form.getByTestId('factor-capacity')).toHaveCSS('opacity', '0.4');
  await page.screenshot({ path: `${screenshotDir}37-routing-search.png` });
  await find.fill('no such thing');
  await expect(count).toHaveText('No match');
  await find.press('Escape');
  await expect(find).toHaveValue('');

  // The strategy form shares the undo history: a slider has no undo of its own, so Ctrl+Z is the form's.
  const slider = form.getByLabel('Weight of carbon', { exact: true });
  const original = await slider.inputValue();
  await slider.focus();
  await slider.press('ArrowRight');
  await slider.press('ArrowRight');
  const raised = String(Number(original) + 2);
  await expect(form.getByLabel('Weight of carbon (number)')).toHaveValue(raised);
  await page.keyboard.press(`${mod}+Z`);
  await expect(slider).toHaveValue(original);
  await page.keyboard.press(`${mod}+Shift+Z`);
  await expect(slider).toHaveValue(raised);
  await page.getByTestId('undo').click();
  await expect(slider).toHaveValue(original);
  expect(consoleErrors).toEqual([]);
});
