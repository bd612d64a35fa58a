import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { e2eAdminKey } from './e2eEnvironment.ts';
import { collectConsoleErrors } from './e2eHelpers.ts';

const screenshotDir = new URL('./screenshots/', import.meta.url).pathname;
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

interface DefinitionDetail {
  draftRevision: number;
  versions: { version: number }[];
  environments: { sandbox: number | null; production: number | null };
}

async function getDefinition(request: APIRequestContext, key: string): Promise<DefinitionDetail> {
  const response = await request.get('/api/definitions/routing/peak-season', {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.ok()).toBe(true);
  return (await response.json()) as DefinitionDetail;
}

async function signIn(page: Page, key: string, role: string) {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Orderloom Designer' })).toBeVisible();
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('role')).toHaveText(role);
}

/**
 * Edits the draft like a user: finds the unique `context` with monaco's find widget, then selects
 * `from` inside it with the keyboard and types `to` over it.
 */
async function replaceInEditor(page: Page, context: string, from: string, to: string) {
  const editor = page.getByTestId('draft-editor');
  await editor.locator('.view-lines').click();
  await page.keyboard.press(`${mod}+F`);
  await expect(editor.locator('.find-widget textarea').first()).toBeFocused();
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.insertText(context);
  await expect(editor.locator('.find-widget .matchesCount')).toHaveText(/^1 of 1$/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < context.indexOf(from); i++) await page.keyboard.press('ArrowRight');
  for (let i = 0; i < from.length; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.insertText(to);
}

test('an admin edits a draft, sees and fixes a lint error, saves, versions and publishes to sandbox', async ({
  page,
  request,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  const before = await getDefinition(request, e2eAdminKey);
  const nextVersion = Math.max(0, ...before.versions.map((v) => v.version)) + 1;

  await page.goto('/');
  await expect(page.getByLabel('API key')).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}01-sign-in.png` });
  await signIn(page, e2eAdminKey, 'admin');

  // The definitions list of the first kind, with the seeded demo strategy.
  const row = page.getByRole('row', { name: /Double-11 peak routing/ });
  await expect(row).toBeVisible();
  await expect(page.getByRole('link', { name: /Routing strategies/ })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await page.screenshot({ path: `${screenshotDir}02-definitions.png` });

  await row.getByRole('link', { name: 'Double-11 peak routing' }).click();
  await expect(page).toHaveURL(/\/routing\/peak-season$/);
  await page.getByRole('tab', { name: 'JSON' }).click();
  const editor = page.getByTestId('draft-editor');
  await expect(editor.locator('.monaco-editor .view-lines')).toContainText('peak-season');
  await expect(page.getByTestId('problems')).toContainText('No problems');
  await page.screenshot({ path: `${screenshotDir}03-definition.png` });

  // Introduce a lint error: a segment weight naming a factor the strategy does not have.
  await replaceInEditor(page, '"eta": 40', 'eta', 'speed');
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();
  const problem = page.getByTestId('problems').getByRole('button', { name: /speed/ });
  await expect(problem).toBeVisible();
  await expect(page.getByTestId('problem-errors')).toHaveText('1');
  await expect(editor.locator('.squiggly-error').first()).toBeVisible();
  await problem.click();
  await page.screenshot({ path: `${screenshotDir}04-lint-marker.png` });

  // Fix it (a real change: raise the VIP segment's ETA weight) and save with the keyboard.
  await replaceInEditor(page, '"speed": 40', 'speed', 'eta');
  await replaceInEditor(page, '"eta": 40', '40', '45');
  await expect(page.getByTestId('problems')).toContainText('No problems');
  await expect(editor.locator('.squiggly-error')).toHaveCount(0);
  // Autosave may have stored some of the edits already; after Ctrl+S all of them are on the server.
  await page.keyboard.press(`${mod}+S`);
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  expect((await getDefinition(request, e2eAdminKey)).draftRevision).toBeGreaterThan(before.draftRevision);

  // Create a version after seeing what changes since the latest version.
  await page.getByRole('button', { name: 'Create version' }).click();
  const createDialog = page.getByRole('dialog', { name: `Create version ${nextVersion}` });
  await expect(createDialog).toBeVisible();
  await expect(createDialog.getByTestId('patch-summary')).toContainText('/segments/0/weights/eta');
  await expect(createDialog.locator('.monaco-diff-editor')).toBeVisible();
  await createDialog.getByLabel('Note').fill('VIP segment: ETA weight 40 → 45');
  await page.screenshot({ path: `${screenshotDir}05-create-version.png` });
  await createDialog.getByRole('button', { name: `Create version ${nextVersion}` }).click();
  await expect(createDialog).toBeHidden();
  await expect(page.getByTestId('version-list')).toContainText('VIP segment: ETA weight 40 → 45');

  // Publish to sandbox after the diff shows the change.
  await page.getByRole('button', { name: 'Publish to sandbox' }).click();
  const publishDialog = page.getByRole('dialog', { name: 'Publish to sandbox' });
  await expect(publishDialog.getByTestId('target-version')).toHaveValue(String(nextVersion));
  await expect(publishDialog.getByTestId('patch-summary')).toContainText('/segments/0/weights/eta');
  await expect(publishDialog.getByTestId('patch-summary')).toContainText('45');
  const modifiedSide = publishDialog.locator('.monaco-diff-editor .editor.modified');
  await expect(modifiedSide.locator('.line-insert, .char-insert').first()).toBeVisible();
  await expect(modifiedSide).toContainText('45');
  await page.screenshot({ path: `${screenshotDir}06-publish-diff.png` });
  await publishDialog.getByTestId('confirm-environment').click();
  await expect(publishDialog).toBeHidden();

  const topbar = page.getByTestId('topbar-environments');
  await expect(topbar.getByTestId('env-badge-sandbox')).toContainText(`v${nextVersion}`);
  await expect(topbar.getByTestId('env-badge-production')).toContainText(
    `v${before.environments.production}`,
  );
  await expect(page.getByText(`Sandbox now serves version ${nextVersion}`)).toBeVisible();
  await page.screenshot({ path: `${screenshotDir}07-published.png` });

  const after = await getDefinition(request, e2eAdminKey);
  expect(after.environments.sandbox).toBe(nextVersion);
  expect(after.environments.production).toBe(before.environments.production);

  expect(consoleErrors).toEqual([]);
});

test('an analyst sees publishing disabled, and a stale save shows a conflict without losing edits', async ({
  page,
  request,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  const created = await request.post('/api/keys', {
    headers: { authorization: `Bearer ${e2eAdminKey}` },
    data: { name: 'Ana Analyst', role: 'analyst' },
  });
  expect(created.status()).toBe(201);
  const { secret } = (await created.json()) as { secret: string };

  await signIn(page, secret, 'analyst');
  await page.getByRole('row', { name: /Double-11 peak routing/ }).click();
  await page.getByRole('tab', { name: 'JSON' }).click();
  await expect(page.getByTestId('draft-editor').locator('.monaco-editor .view-lines')).toContainText(
    'peak-season',
  );

  const createVersion = page.getByRole('button', { name: 'Create version' });
  await expect(createVersion).toBeDisabled();
  await expect(createVersion).toHaveAccessibleDescription(/Only admins can create versions/);
  await expect(page.getByRole('button', { name: 'Publish to sandbox' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Promote to production' })).toBeDisabled();
  await expect(page.getByTestId('save-draft')).toBeEnabled();
  const tooltip = createVersion.locator('..');
  await tooltip.hover();
  await expect.poll(() => tooltip.evaluate((el) => getComputedStyle(el, '::after').opacity)).toBe('1');
  await page.screenshot({ path: `${screenshotDir}08-analyst.png` });

  // An admin saves the draft behind the analyst's back.
  const before = await getDefinition(request, e2eAdminKey);
  const draftResponse = await request.get('/api/definitions/routing/peak-season', {
    headers: { authorization: `Bearer ${e2eAdminKey}` },
  });
  const { draft } = (await draftResponse.json()) as { draft: Record<string, unknown> };
  const saved = await request.put('/api/definitions/routing/peak-season/draft', {
    headers: { authorization: `Bearer ${e2eAdminKey}` },
    data: {
      definition: { ...draft, description: 'Edited by the admin meanwhile.' },
      baseRevision: before.draftRevision,
    },
  });
  expect(saved.ok()).toBe(true);

  await replaceInEditor(page, '"customer": 10', '10', '12');
  await page.keyboard.press(`${mod}+S`);
  const banner = page.getByTestId('conflict-banner');
  await expect(banner).toContainText('Not saved: someone else saved this draft first');
  await expect(banner).toContainText(`revision ${before.draftRevision + 1}`);
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();
  await expect(page.getByTestId('draft-editor').locator('.view-lines')).toContainText('"customer": 12');
  await page.screenshot({ path: `${screenshotDir}09-conflict.png` });

  // Compare, close with Esc, then keep the analyst's edits deliberately.
  await banner.getByRole('button', { name: 'Compare' }).click();
  const resolve = page.getByRole('dialog', { name: 'Resolve the conflicting edit' });
  await expect(resolve.locator('.monaco-diff-editor')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(resolve).toBeHidden();
  await banner.getByRole('button', { name: 'Keep mine' }).click();
  await expect(page.getByText(`Draft saved · revision ${before.draftRevision + 2}`)).toBeVisible();
  await expect(banner).toBeHidden();
  const after = (await (
    await request.get('/api/definitions/routing/peak-season', {
      headers: { authorization: `Bearer ${secret}` },
    })
  ).json()) as { draft: { segments: { weights: Record<string, number> }[] } };
  expect(after.draft.segments[0]?.weights.customer).toBe(12);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByLabel('API key')).toBeVisible();
  // The refused save is the one expected error: Chrome logs every 4xx response.
  expect(consoleErrors.filter((e) => !/status of 409/.test(e))).toEqual([]);
});
