import { type APIRequestContext, expect, type Locator, type Page } from '@playwright/test';
import { e2eAdminKey } from './e2eEnvironment.ts';

/** Where the specs save their screenshots (not committed). */
export const screenshotDir = new URL('./screenshots/', import.meta.url).pathname;

/** The `Authorization` header of an API key. */
export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}

/** The admin key's header, for setting up through the API what a test needs. */
export const adminAuth = bearer(e2eAdminKey);

/** Fails the test on any console error or uncaught page error: collect them, then expect `[]`. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Creates an API key through the admin API and returns its secret (shown once). */
export async function createApiKey(
  request: APIRequestContext,
  name: string,
  role: 'admin' | 'analyst' | 'service',
): Promise<string> {
  const created = await request.post('/api/keys', { headers: adminAuth, data: { name, role } });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { secret: string }).secret;
}

/** Signs in on the designer's sign-in page and waits until the top bar shows the key's role. */
export async function signIn(page: Page, key: string, role: string) {
  await page.goto('/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('role')).toHaveText(role);
}

/** The text of a monaco editor as the user sees it (monaco renders spaces as no-break spaces). */
export async function editorText(editor: Locator): Promise<string> {
  const text = (await editor.locator('.view-lines').textContent()) ?? '';
  return text.replace(/\u00a0/g, ' ').trim();
}

/** Replaces the whole text of a CEL editor (monaco) the way a user would: select all, type. */
export async function replaceCel(page: Page, editor: Locator, text: string) {
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
}

/**
 * Puts the cursor of the JSON view like a user would: finds the unique `context` with monaco's find
 * widget, then moves `offset` characters into it with the arrow keys.
 */
export async function placeCursorInEditor(page: Page, context: string, offset: number) {
  const editor = page.getByTestId('draft-editor');
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+F');
  await expect(editor.locator('.find-widget textarea').first()).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(context);
  await expect(editor.locator('.find-widget .matchesCount')).toHaveText(/^1 of 1$/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < offset; i++) await page.keyboard.press('ArrowRight');
}

/**
 * Edits the JSON view like a user: finds the unique `context`, selects `from` inside it with the
 * keyboard and types `to` over it. `to` must not contain brackets or quotes, which monaco auto-closes.
 */
export async function replaceInEditor(page: Page, context: string, from: string, to: string) {
  await placeCursorInEditor(page, context, context.indexOf(from));
  for (let i = 0; i < from.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.insertText(to);
}

/** Drags with the mouse from the centre of one element to the centre of another, in small steps. */
export async function dragBetween(page: Page, from: Locator, to: Locator) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('drag ends are not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  // A drag that starts near the pane's edge auto-pans the view a little: aim at where the end is now.
  const end = await to.boundingBox();
  if (end) await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 2 });
  await page.mouse.up();
}

/** Closes the toasts still on screen (they would cover the bottom right of a screenshot). */
export async function dismissToasts(page: Page) {
  const dismiss = page.locator('.toasts').getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await expect(dismiss).toHaveCount(0);
}

/**
 * Clicks an empty spot of a React Flow canvas (to clear the selection). Where the nodes are depends on
 * the fitted view, so the spot is searched for instead of assumed.
 */
export async function clickEmptyPane(canvas: Locator) {
  const pane = canvas.locator('.react-flow__pane');
  const spot = await pane.evaluate((element) => {
    const box = element.getBoundingClientRect();
    for (let y = box.top + 20; y < box.bottom - 20; y += 23) {
      for (let x = box.left + 60; x < box.right - 20; x += 31) {
        if (document.elementFromPoint(x, y) === element) return { x: x - box.left, y: y - box.top };
      }
    }
    return null;
  });
  if (!spot) throw new Error('the canvas has no empty spot to click');
  await pane.click({ position: spot });
}

/** From the signed-in designer, opens the demo status graph (China peak order status) on its canvas. */
export async function openDemoStatusGraph(page: Page): Promise<Locator> {
  await page.getByRole('link', { name: /Status graphs/ }).click();
  await page
    .getByRole('row', { name: /China peak order status/ })
    .getByRole('link')
    .first()
    .click();
  await expect(page).toHaveURL(/\/status-graph\/china-peak-orders$/);
  return page.getByTestId('status-graph-canvas');
}
