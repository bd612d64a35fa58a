import { expect, test } from '@playwright/test';
import { e2eAdminKey } from './e2eEnvironment.ts';
import { collectConsoleErrors, editorText, openDemoStatusGraph, signIn } from './e2eHelpers.ts';

const screenshotDir = new URL('./screenshots/', import.meta.url).pathname;
const graphUrl = '/api/definitions/status-graph/china-peak-orders';

interface GraphDetail {
  draftRevision: number;
  draft: {
    transitions: { id: string; guard: string }[];
    slas: { id: string; state: string; channel?: string; withinMinutes: number; levels: unknown[] }[];
    systems: { id: string; statuses: { code: string; label: string; implies?: string }[] }[];
  };
}

test('an analyst edits a guard in the CEL editor, adds an SLA with escalation and imports a conflicting dictionary', async ({
  page,
  request,
}) => {
  const consoleErrors = collectConsoleErrors(page);
  const admin = { authorization: `Bearer ${e2eAdminKey}` };
  const created = await request.post('/api/keys', {
    headers: admin,
    data: { name: 'Sam Statuses', role: 'analyst' },
  });
  expect(created.status()).toBe(201);
  const { secret } = (await created.json()) as { secret: string };
  const before = (await (await request.get(graphUrl, { headers: admin })).json()) as GraphDetail;
  const packGuard = before.draft.transitions.find((t) => t.id === 'pack')?.guard ?? '';
  expect(packGuard).toBe('has(facts.wms.packingAt)');

  await signIn(page, secret, 'analyst');
  const canvas = await openDemoStatusGraph(page);
  await expect(canvas.getByTestId('state-node-packing')).toBeVisible();

  // ── The guard of "pack" in the CEL editor ──────────────────────────────────────────────────────
  await canvas.locator('.react-flow__edge[data-id="pack"] .react-flow__edge-text').click({ force: true });
  const inspector = page.getByTestId('graph-inspector');
  await expect(inspector.getByRole('heading', { name: 'Transition' })).toBeVisible();
  const guard = inspector.getByTestId('guard-editor');
  await expect(guard.locator('.monaco-editor')).toBeVisible();
  await expect.poll(() => editorText(guard)).toBe(packGuard);
  // Highlighting: the macro and the variable are tokens of their own, in different colours.
  const tokenClasses = await guard
    .locator('.view-line span span')
    .evaluateAll((spans) => spans.map((s) => `${s.textContent}=${s.className}`));
  expect(tokenClasses.find((t) => t.startsWith('has='))).not.toEqual(
    tokenClasses.find((t) => t.startsWith('facts=')),
  );

  // A typo: a single "&". The marker sits under it, where checkCel stops parsing.
  await guard.locator('.view-lines').click();
  await page.keyboard.press('End');
  await page.keyboard.type(' & has(facts.');
  const status = inspector.getByTestId('guard-status');
  const typoColumn = packGuard.length + 2;
  await expect(status).toHaveText(new RegExp(`^Line 1, column ${typoColumn}: Unexpected character: &`));
  await expect(guard).toHaveAttribute('aria-invalid', 'true');
  await expect(canvas.locator('.react-flow__edge[data-id="pack"]')).toHaveClass(/edge-error/);
  const squiggle = guard.locator('.squiggly-error');
  await expect(squiggle).toHaveCount(1);
  const firstLine = guard.locator('.view-line > span').first();
  const lineBox = await firstLine.boundingBox();
  const lineText = ((await firstLine.textContent()) ?? '').length;
  const squiggleBox = await squiggle.boundingBox();
  if (!lineBox || !squiggleBox) throw new Error('the guard editor is not visible');
  const charWidth = lineBox.width / lineText;
  expect(Math.abs(squiggleBox.x - lineBox.x - (typoColumn - 1) * charWidth)).toBeLessThan(charWidth / 2);
  expect(squiggleBox.width).toBeLessThan(charWidth * 1.5);

  // Completion after "facts.": the dictionaries' systems, then the fields the carrier codes set.
  const suggest = page.locator('.suggest-widget.visible');
  await expect(suggest).toBeVisible();
  await expect(suggest.locator('.monaco-list-row')).toContainText([
    'carrier',
    'crm',
    'douyin',
    'finance',
    'wms',
  ]);
  await page.keyboard.type('carrier.way');
  await expect(suggest.locator('.monaco-list-row.focused')).toContainText('waybillNo');
  await page.screenshot({ path: `${screenshotDir}4x-cel-completion.png` });
  await page.keyboard.press('Enter');
  await expect(suggest).toBeHidden();
  // The "(" typed earlier was closed by the editor; the fact name went in between.
  await expect.poll(() => editorText(guard)).toBe(`${packGuard} & has(facts.carrier.waybillNo)`);
  await page.screenshot({ path: `${screenshotDir}4x-cel-marker.png` });

  // Fix the typo: "&" → "&&". The marker goes, the edge is no longer red.
  // The expression wraps in the narrow panel: go to the start of the text, not of the visual line.
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 0; i < typoColumn - 1; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.type('&');
  await expect.poll(() => editorText(guard)).toBe(`${packGuard} && has(facts.carrier.waybillNo)`);
  await expect(status).toHaveText(/^A CEL bool over facts/);
  await expect(guard).not.toHaveAttribute('aria-invalid', 'true');
  await expect(squiggle).toHaveCount(0);
  await expect(canvas.locator('.react-flow__edge[data-id="pack"]')).not.toHaveClass(/edge-error/);
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();

  // Tab leaves the editor instead of inserting a tab.
  await page.keyboard.press('Tab');
  await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.cel-editor'))).toBe(false);
  await expect.poll(() => editorText(guard)).toBe(`${packGuard} && has(facts.carrier.waybillNo)`);

  // ── An SLA with escalation on "packing" ────────────────────────────────────────────────────────
  const packing = canvas.getByTestId('state-node-packing');
  await packing.click();
  await expect(inspector.getByRole('heading', { name: 'State' })).toBeVisible();
  await expect(packing).not.toContainText('SLA');
  await inspector.getByRole('button', { name: 'Add SLA' }).click();
  const sla = inspector.getByTestId('sla-packing-sla');
  await expect(sla).toBeVisible();
  await expect(packing).toContainText('SLA ×1');
  await sla.getByLabel('Channel').fill('douyin');
  await sla.getByLabel('Leave within (min)').fill('30');
  await expect(sla).toContainText('Orders of channel douyin leave within 30 min.');
  await sla.getByLabel('Level 1 of packing-sla: notify').fill('warehouse-supervisor, channel-ops');
  // A deadline of 0 % is refused by the shared lint, next to the field.
  const breachPercent = sla.getByLabel('Level 2 of packing-sla: percent of the deadline');
  await breachPercent.fill('0');
  await expect(breachPercent).toHaveAttribute('aria-invalid', 'true');
  await expect(sla.getByTestId('sla-level-1')).toContainText(/too small|>=\s*1/i);
  await expect(packing.locator('..')).toHaveClass(/selected/);
  await expect(packing).toHaveClass(/marker-error/);
  await breachPercent.fill('100');
  await expect(breachPercent).not.toHaveAttribute('aria-invalid', 'true');
  await expect(packing).not.toHaveClass(/marker-error/);
  await sla.getByRole('button', { name: 'Level', exact: true }).click();
  await expect(sla.getByTestId('sla-level-3')).toBeVisible();
  await expect(sla.getByLabel('Level 4 of packing-sla: percent of the deadline')).toHaveValue('300');
  await expect(sla.getByLabel('Level 4 of packing-sla: level')).toHaveValue('escalation');
  await expect(sla.getByTestId('sla-level-3')).toContainText('at +1 h 30 min');
  await sla.getByLabel('Level 4 of packing-sla: notify').fill('head-of-logistics');
  await inspector.getByRole('heading', { name: 'SLAs' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshotDir}4x-sla.png` });

  // ── A dictionary import that conflicts ────────────────────────────────────────────────────────
  await canvas.getByTestId('systems-toggle').click();
  const systems = page.getByTestId('systems-panel');
  await expect(systems).toBeVisible();
  await expect(systems.getByTestId('system-wms')).toContainText('OUTBOUND_DONE');
  await expect(systems.getByTestId('code-row-wms:OUTBOUND_DONE')).toContainText('wms.outboundNo');
  await systems.getByRole('button', { name: 'Import dictionary' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a status dictionary' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('System', { exact: true }).selectOption({ label: 'New system…' });
  await dialog.getByLabel('New system id').fill('pdd');
  const csv = [
    'code,label,meaning,implies',
    'PAID,已付款,paid on Pinduoduo,paid',
    'SHIPPED,已发货,handed to the carrier,shipped',
    'REMINDED,催发货,the customer asked to hurry,',
  ].join('\n');
  await dialog
    .getByLabel('File')
    .setInputFiles({ name: 'pdd.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(dialog.getByLabel(/^Dictionary/)).toHaveValue(csv);
  await expect(dialog.getByLabel('Format')).toContainText('Detect (CSV)');
  await page.screenshot({ path: `${screenshotDir}4x-import-dialog.png` });
  await dialog.getByTestId('import-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Imported the pdd dictionary')).toBeVisible();

  // Local edits were saved (by autosave or by the import) before the server merged the dictionary;
  // the buffer now holds the merged server draft, so the page is saved at the server's revision.
  const imported = (await (await request.get(graphUrl, { headers: admin })).json()) as GraphDetail;
  expect(imported.draftRevision).toBeGreaterThan(before.draftRevision + 1);
  await expect(page.getByTestId('draft-revision')).toHaveText(`Draft rev ${imported.draftRevision}`);
  await expect(page.getByTestId('saved-indicator')).toBeVisible();
  expect(imported.draft.slas.some((s) => s.id === 'packing-sla')).toBe(true);
  const report = systems.getByTestId('conflict-report');
  await expect(report).toContainText('3 added');
  const labelClash = report.getByTestId('conflicts-same-label-different-meaning');
  await expect(labelClash).toContainText('Same label, different meanings');
  await expect(labelClash).toContainText('label "已发货" means different things');
  await expect(report.getByTestId('conflicts-unmapped-code')).toContainText('pdd REMINDED');
  await expect(systems.getByTestId('system-pdd')).toContainText('SHIPPED');
  // Nothing was lost on the way: the SLA and the guard are in the reloaded buffer.
  await expect(packing).toContainText('SLA ×1');
  await page.screenshot({ path: `${screenshotDir}4x-conflicts.png` });

  // Each conflict links to what it concerns: the implied state, or a code row of the panel.
  await labelClash.getByRole('button', { name: '→ Shipped' }).click();
  await expect(inspector.getByRole('heading', { name: 'State' })).toBeVisible();
  await expect(inspector.getByLabel('Id', { exact: true })).toHaveValue('shipped');
  await expect(canvas.locator('.react-flow__node[data-id="shipped"]')).toHaveClass(/selected/);
  await page.screenshot({ path: `${screenshotDir}4x-conflict-selected.png` });
  await page.getByRole('tab', { name: /Systems/ }).click();
  await labelClash.getByRole('button', { name: /^crm PUSHED/ }).click();
  await expect(systems.getByTestId('code-row-crm:PUSHED')).toHaveClass(/focused/);
  await expect(systems.getByTestId('code-row-crm:PUSHED')).toBeInViewport();
  // Scroll the side panel like a user (Playwright would otherwise scroll every ancestor, the page too).
  const unmapped = report.getByTestId('conflicts-unmapped-code');
  await unmapped.evaluate((el) => {
    const panel = el.closest('.side-body');
    if (panel) panel.scrollTop += el.getBoundingClientRect().top - panel.getBoundingClientRect().top - 40;
  });
  await unmapped.getByRole('button', { name: /REMINDED/ }).click();
  await expect(systems.getByTestId('code-row-pdd:REMINDED')).toHaveClass(/focused/);
  await expect(systems.getByTestId('code-row-crm:PUSHED')).not.toHaveClass(/focused/);
  await expect(systems.getByTestId('code-row-pdd:REMINDED')).toBeInViewport();
  await page.screenshot({ path: `${screenshotDir}4x-code-focused.png` });

  // Minimal dictionary editing: remove the code that maps to nothing, then save.
  await systems.getByRole('button', { name: 'Remove pdd REMINDED' }).click();
  await expect(systems.getByTestId('code-row-pdd:REMINDED')).toHaveCount(0);
  await expect(page.getByTestId('unsaved-indicator')).toBeVisible();
  await expect(page.getByTestId('saved-indicator')).toBeVisible();

  const after = (await (await request.get(graphUrl, { headers: admin })).json()) as GraphDetail;
  expect(after.draft.transitions.find((t) => t.id === 'pack')?.guard).toBe(
    `${packGuard} && has(facts.carrier.waybillNo)`,
  );
  expect(after.draft.slas.find((s) => s.id === 'packing-sla')).toEqual({
    id: 'packing-sla',
    state: 'packing',
    channel: 'douyin',
    withinMinutes: 30,
    levels: [
      { atPercent: 80, level: 'warning', notify: ['warehouse-supervisor', 'channel-ops'] },
      { atPercent: 100, level: 'breach', notify: [] },
      { atPercent: 200, level: 'escalation', notify: [] },
      { atPercent: 300, level: 'escalation', notify: ['head-of-logistics'] },
    ],
  });
  expect(after.draft.systems.find((s) => s.id === 'pdd')?.statuses.map((s) => s.code)).toEqual([
    'PAID',
    'SHIPPED',
  ]);

  expect(consoleErrors).toEqual([]);
});
