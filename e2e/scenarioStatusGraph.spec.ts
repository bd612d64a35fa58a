import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import canonicalize from 'canonicalize';
import { e2eAdminKey } from './e2eEnvironment.ts';
import {
  adminAuth,
  bearer,
  collectConsoleErrors,
  createApiKey,
  dismissToasts,
  dragBetween,
  editorText,
  replaceCel,
  screenshotDir,
  signIn,
} from './e2eHelpers.ts';

/** The three-condition guard of `shipped` (DOMAIN.md: outbound number + e-waybill + funds confirmed). */
const shippedGuard =
  'has(facts.wms.outboundNo) && has(facts.carrier.waybillNo) && facts.finance.paymentConfirmed';
/** The same guard as first typed: a single `&` where `&&` belongs. */
const typoGuard = shippedGuard.replace('waybillNo) &&', 'waybillNo) &');
const typoColumn = shippedGuard.indexOf('waybillNo) &&') + 'waybillNo) '.length + 1;

/** What each system's codes mean for the new graph, imported as JSON dictionaries. */
const dictionaries = {
  wms: [
    {
      code: 'PACKING',
      label: '打包中',
      meaning: 'items picked, being packed',
      sets: { 'wms.packingAt': 'event.occurredAt' },
      implies: 'packing',
    },
    {
      code: 'OUTBOUND_DONE',
      label: '已发货',
      meaning: 'left the warehouse; data.outboundNo carries the outbound order number',
      sets: { 'wms.outboundNo': 'data.outboundNo' },
    },
  ],
  carrier: [
    {
      code: 'WAYBILL_CREATED',
      label: '已生成面单',
      meaning: 'e-waybill created; data.waybillNo carries its number',
      sets: { 'carrier.waybillNo': 'data.waybillNo' },
    },
  ],
  finance: [
    {
      code: 'PAID',
      label: '已支付',
      meaning: 'the payment channel reports the order paid',
      sets: { 'finance.paidAt': 'event.occurredAt' },
      implies: 'paid',
    },
    {
      code: 'RECEIVED',
      label: '已到账',
      meaning: 'the settlement centre received the funds',
      sets: { 'finance.paymentConfirmed': 'true' },
    },
  ],
} as const;

/**
 * The CRM's dictionary as the CRM exports it (CSV, words only). It clashes on purpose: its 已发货 means
 * "pushed to the warehouse" (and claims `shipped`) where the WMS's 已发货 means "left the warehouse",
 * and ARCHIVED means nothing to the graph.
 */
const crmCsv = [
  'code,label,meaning,implies',
  'PUSHED,已发货,pushed to the warehouse,shipped',
  'ARCHIVED,已归档,archived in the CRM,',
].join('\n');

type SystemId = keyof typeof dictionaries;

interface OrderDetail {
  status: string;
  channel: string | null;
  graph: { id: string; version: number };
}

/** A source system's Ed25519 key pair, registered with the runtime for the test. */
interface Signer {
  keyId: string;
  privateKey: KeyObject;
}

/**
 * Registers a fresh Ed25519 key for each system, so the runtime requires signed events from them, and
 * returns the signers plus a function restoring the keys each system had before.
 */
async function registerSources(request: APIRequestContext, systems: readonly SystemId[], run: string) {
  const signers = new Map<SystemId, Signer>();
  const previous = new Map<SystemId, { id: string; publicKey: string }[]>();
  for (const system of systems) {
    const before = await request.get(`/api/sources/${system}`, { headers: adminAuth });
    previous.set(
      system,
      before.ok()
        ? ((await before.json()) as { publicKeys: { id: string; publicKey: string }[] }).publicKeys
        : [],
    );
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const keyId = `${system}-e2e-${run}`;
    const registered = await request.put(`/api/sources/${system}`, {
      headers: adminAuth,
      data: { publicKeys: [{ id: keyId, publicKey: publicKey.export({ type: 'spki', format: 'pem' }) }] },
    });
    expect(registered.ok(), await registered.text()).toBe(true);
    signers.set(system, { keyId, privateKey });
  }
  const restore = async () => {
    for (const [system, publicKeys] of previous) {
      const keys = publicKeys.map(({ id, publicKey }) => ({ id, publicKey }));
      const restored = await request.put(`/api/sources/${system}`, {
        headers: adminAuth,
        data: { publicKeys: keys },
      });
      expect(restored.ok(), await restored.text()).toBe(true);
    }
  };
  return { signers, restore };
}

/** Signs an event as its source system would: Ed25519 over the RFC 8785 canonical JSON without `signature`. */
function signEvent(event: Record<string, unknown>, signer: Signer) {
  const body = { ...event, keyId: signer.keyId };
  const text = canonicalize(body) ?? '';
  return { ...body, signature: sign(null, Buffer.from(text), signer.privateKey).toString('base64') };
}

/** Adds a state with the toolbar button and names it in the side panel. */
async function addState(page: Page, canvas: Locator, id: string, en: string, zh: string) {
  await canvas.getByRole('button', { name: /Add state/ }).click();
  const inspector = page.getByTestId('graph-inspector');
  const idField = inspector.getByLabel('Id', { exact: true });
  await expect(idField).toHaveValue('state');
  await idField.fill(id);
  await idField.press('Enter');
  await inspector.getByLabel('Label (English)').fill(en);
  await inspector.getByLabel('Label (中文)').fill(zh);
  const node = canvas.getByTestId(`state-node-${id}`);
  await expect(node).toContainText(en);
  await expect(node).toContainText(zh);
  return node;
}

/** Connects two states by dragging from one's source handle to the other's target handle. */
async function connect(page: Page, canvas: Locator, from: string, to: string) {
  await dragBetween(
    page,
    canvas.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`),
    canvas.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle.target`),
  );
  const edge = canvas.locator(`.react-flow__edge[data-id="${from}-to-${to}"]`);
  await expect(edge).toHaveCount(1);
  const inspector = page.getByTestId('graph-inspector');
  await expect(inspector.getByRole('heading', { name: 'Transition' })).toBeVisible();
  await expect(inspector).toContainText(`${from}-to-${to}`);
  const guard = inspector.getByTestId('guard-editor');
  await expect.poll(() => editorText(guard)).toBe('true');
  return { edge, guard };
}

/** Waits until the canvas's pan and zoom stop changing (fit and zoom animate). */
async function waitForViewportToSettle(canvas: Locator) {
  const viewport = canvas.locator('.react-flow__viewport');
  let last = '';
  await expect
    .poll(
      async () => {
        const now = await viewport.evaluate((el) => (el as HTMLElement).style.transform);
        const settled = now === last;
        last = now;
        return settled;
      },
      { intervals: [100] },
    )
    .toBe(true);
}

/**
 * How far a state's handles are from the nearest edge of the canvas pane, in pixels: a connecting drag
 * that comes within 40 px of an edge pans the view.
 */
async function handleMarginInPane(canvas: Locator, id: string): Promise<number> {
  const pane = await canvas.locator('.react-flow__pane').boundingBox();
  const node = await canvas.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
  if (!pane || !node) return Number.NEGATIVE_INFINITY;
  const middle = node.y + node.height / 2;
  return Math.min(
    node.x - pane.x,
    pane.x + pane.width - (node.x + node.width),
    middle - pane.y,
    pane.y + pane.height - middle,
  );
}

/** Clears the selection by clicking the canvas's empty bottom centre (the toolbar covers its top). */
async function clickEmptyCanvas(canvas: Locator) {
  const pane = canvas.locator('.react-flow__pane');
  const box = await pane.boundingBox();
  if (!box) throw new Error('the canvas is not visible');
  await pane.click({ position: { x: box.width / 2, y: box.height - 24 } });
}

/** Imports a dictionary through the systems panel's dialog and waits for the conflict report. */
async function importDictionary(
  page: Page,
  system: string,
  file: { name: string; mimeType: string; text: string },
) {
  const systems = page.getByTestId('systems-panel');
  await systems.getByRole('button', { name: 'Import dictionary' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a status dictionary' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('System', { exact: true }).selectOption({ label: 'New system…' });
  await dialog.getByLabel('New system id').fill(system);
  await dialog
    .getByLabel('File')
    .setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: Buffer.from(file.text) });
  await expect(dialog.getByLabel(/^Dictionary/)).toHaveValue(file.text);
  return { dialog, systems };
}

test('an analyst draws a status graph from scratch, an admin publishes it, and a real order becomes shipped', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(240_000);
  const run = `${Date.now().toString(36)}${testInfo.repeatEachIndex}`;
  const name = `Mini-program orders ${run}`;
  const graphId = `mini-program-orders-${run}`;
  const channel = `mini-program-${run}`;
  const orderId = `MP-${run.toUpperCase()}`;
  const analystKey = await createApiKey(request, `Ana Analyst ${run}`, 'analyst');
  const serviceKey = await createApiKey(request, `Mini-program OMS ${run}`, 'service');

  // ── The analyst creates the graph ────────────────────────────────────────────────────────────────
  const analystContext = await browser.newContext();
  const page = await analystContext.newPage();
  const analystErrors = collectConsoleErrors(page);
  await signIn(page, analystKey, 'analyst');
  await page.getByRole('link', { name: /Status graphs/ }).click();
  await page.getByRole('button', { name: 'New definition' }).click();
  const create = page.getByRole('dialog', { name: 'New status graph' });
  await create.getByLabel('Name').fill(name);
  await expect(create.getByLabel('Id')).toHaveValue(graphId);
  await page.screenshot({ path: `${screenshotDir}60-status-new-graph.png` });
  await create.getByRole('button', { name: 'Create' }).click();
  await expect(create).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/status-graph/${graphId}$`));
  await expect(page.getByText(`${name} is ready to edit.`)).toBeVisible();

  // The skeleton: created → completed. The analyst removes "completed" and draws the real states.
  const canvas = page.getByTestId('status-graph-canvas');
  await expect(canvas.getByTestId('state-node-created')).toBeVisible();
  await expect(canvas.getByTestId('graph-summary')).toContainText('2 states · 1 transitions');
  await canvas.locator('.react-flow__node[data-id="completed"]').click();
  await page.keyboard.press('Delete');
  await expect(canvas.getByTestId('state-node-completed')).toHaveCount(0);
  await expect(canvas.locator('.react-flow__edge')).toHaveCount(0);

  await addState(page, canvas, 'paid', 'Paid', '已支付');
  await addState(page, canvas, 'packing', 'Packing', '打包中');
  const shipped = await addState(page, canvas, 'shipped', 'Shipped', '已发货');
  await page.getByTestId('graph-inspector').getByLabel('Terminal').check();
  await expect(shipped).toContainText('End');
  await expect(canvas.getByTestId('graph-summary')).toContainText('4 states · 0 transitions');
  await page.screenshot({ path: `${screenshotDir}61-status-states-added.png` });
  // New states land on top of the skeleton's "created" (it has no stored position) and partly out of
  // view, zoomed in 2×: Auto-layout is the user's way to see all four before connecting them.
  // The handles must stay away from the pane's edges, where a connecting drag pans the view: zoom out
  // (the canvas's own control) until they are.
  await canvas.getByRole('button', { name: 'Auto-layout' }).click();
  await waitForViewportToSettle(canvas);
  const states = ['created', 'paid', 'packing', 'shipped'];
  const tightest = async () =>
    Math.min(...(await Promise.all(states.map((id) => handleMarginInPane(canvas, id)))));
  for (let i = 0; i < 3 && (await tightest()) <= 50; i++) {
    await canvas.getByRole('button', { name: 'Zoom Out' }).click();
    await waitForViewportToSettle(canvas);
  }
  expect(await tightest()).toBeGreaterThan(50);

  // Connect the states by dragging between their handles; each transition starts guarded by `true`.
  const inspector = page.getByTestId('graph-inspector');
  const toPaid = await connect(page, canvas, 'created', 'paid');
  await replaceCel(page, toPaid.guard, 'has(facts.finance.paidAt)');
  await expect(inspector.getByTestId('guard-status')).toHaveText(/^A CEL bool over facts/);
  const toPacking = await connect(page, canvas, 'paid', 'packing');
  await replaceCel(page, toPacking.guard, 'has(facts.wms.packingAt)');
  await expect(inspector.getByTestId('guard-status')).toHaveText(/^A CEL bool over facts/);
  const toShipped = await connect(page, canvas, 'packing', 'shipped');
  await expect(canvas.getByTestId('graph-summary')).toContainText('4 states · 3 transitions');
  await canvas.getByRole('button', { name: 'Auto-layout' }).click();

  // The three-condition guard, typed with a typo: the error is shown at its position.
  await replaceCel(page, toShipped.guard, typoGuard);
  const status = inspector.getByTestId('guard-status');
  await expect(status).toHaveText(new RegExp(`^Line 1, column ${typoColumn}: Unexpected character: &`));
  await expect(toShipped.guard).toHaveAttribute('aria-invalid', 'true');
  await expect(toShipped.guard.locator('.squiggly-error')).toHaveCount(1);
  await expect(toShipped.edge).toHaveClass(/edge-error/);
  await expect(page.getByTestId('problem-errors')).toHaveText('1');
  await page.screenshot({ path: `${screenshotDir}62-status-guard-typo.png` });

  // Fix it: the missing "&" goes in where the marker is.
  await toShipped.guard.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 0; i < typoColumn - 1; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.type('&');
  await expect.poll(() => editorText(toShipped.guard)).toBe(shippedGuard);
  await expect(status).toHaveText(/^A CEL bool over facts/);
  await expect(toShipped.guard.locator('.squiggly-error')).toHaveCount(0);
  await expect(toShipped.edge).not.toHaveClass(/edge-error/);
  await expect(page.getByTestId('problem-errors')).toHaveText('0');
  await clickEmptyCanvas(canvas);
  await expect(inspector).toBeHidden();
  await canvas.locator('.react-flow__controls-fitview').click();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${screenshotDir}63-status-drawn.png` });

  // ── Dictionaries ──────────────────────────────────────────────────────────────────────────────
  await canvas.getByTestId('systems-toggle').click();
  // The graph serves its own sales channel (the runtime picks a new order's graph by its channel).
  const channels = page.getByTestId('graph-channels');
  await channels.fill(channel);
  await channels.press('Enter');
  await expect(channels).toHaveValue(channel);
  for (const system of ['wms', 'carrier', 'finance'] as const) {
    const text = JSON.stringify({ system, statuses: dictionaries[system] }, null, 2);
    const { dialog, systems } = await importDictionary(page, system, {
      name: `${system}.json`,
      mimeType: 'application/json',
      text,
    });
    await expect(dialog.getByLabel('Format')).toContainText('Detect (JSON)');
    await dialog.getByTestId('import-submit').click();
    await expect(dialog).toBeHidden();
    const report = systems.getByTestId('conflict-report');
    await expect(report).toContainText(`Import of ${system}`);
    await expect(report).toContainText(`${dictionaries[system].length} added`);
    await expect(report).toContainText('no conflict');
    for (const code of dictionaries[system]) {
      await expect(systems.getByTestId(`code-row-${system}:${code.code}`)).toContainText(
        Object.keys(code.sets).join(' '),
      );
    }
  }
  const systems = page.getByTestId('systems-panel');
  await expect(systems.getByTestId('code-row-wms:PACKING')).toContainText('→ Packing');
  await expect(systems.getByTestId('code-row-finance:PAID')).toContainText('→ Paid');

  // The CRM's own export (CSV): the report names the clash of 已发货 and the code that maps to nothing.
  const { dialog: crmDialog } = await importDictionary(page, 'crm', {
    name: 'crm.csv',
    mimeType: 'text/csv',
    text: crmCsv,
  });
  await expect(crmDialog.getByLabel('Format')).toContainText('Detect (CSV)');
  await crmDialog.getByTestId('import-submit').click();
  await expect(crmDialog).toBeHidden();
  await expect(page.getByText('Imported the crm dictionary')).toBeVisible();
  const report = systems.getByTestId('conflict-report');
  await expect(report).toContainText('Import of crm');
  await expect(report).toContainText('2 added');
  await expect(report).toContainText('2 conflicts');
  const labelClash = report.getByTestId('conflicts-same-label-different-meaning');
  await expect(labelClash).toContainText('label "已发货" means different things');
  await expect(labelClash).toContainText('wms OUTBOUND_DONE sets wms.outboundNo');
  const unmapped = report.getByTestId('conflicts-unmapped-code');
  await expect(unmapped).toContainText('crm ARCHIVED ("已归档") maps to nothing');
  await dismissToasts(page);
  await page.screenshot({ path: `${screenshotDir}64-status-import-conflicts.png` });
  // Follow the link to the code that maps to nothing, and remove it.
  await unmapped.getByRole('button', { name: /ARCHIVED/ }).click();
  await expect(systems.getByTestId('code-row-crm:ARCHIVED')).toHaveClass(/focused/);
  await systems.getByRole('button', { name: 'Remove crm ARCHIVED' }).click();
  await expect(systems.getByTestId('code-row-crm:ARCHIVED')).toHaveCount(0);
  await expect(page.getByTestId('problem-errors')).toHaveText('0');

  // ── Simulate the three conditions on the draft ───────────────────────────────────────────────
  // Room for the canvas and the simulator: close the systems tab and fold the problems away.
  await page.getByRole('button', { name: 'Close the systems tab' }).click();
  await expect(systems).toBeHidden();
  await page.getByRole('button', { name: 'Problems' }).click();
  await page.getByTestId('simulator-toggle').click();
  const sim = page.getByTestId('simulator');
  const state = sim.getByTestId('sim-current-state');
  await expect(state).toContainText('No order yet');
  await sim.getByTestId('sim-channel').selectOption(channel);
  const highlighted = canvas.locator('.react-flow__node.sim-current');
  const simulate = async (system: string, code: string, expected: string, data?: object) => {
    await sim.getByTestId('sim-system').selectOption(system);
    await sim.getByTestId('sim-code').selectOption(code);
    if (data) await sim.getByTestId('sim-data').fill(JSON.stringify(data));
    await sim.getByTestId('sim-apply-event').click();
    await expect(state).toHaveAttribute('data-state', expected);
    await expect(highlighted).toHaveAttribute('data-id', expected);
  };
  await simulate('finance', 'PAID', 'paid');
  await expect(sim.getByRole('region', { name: 'Current state' })).toContainText(`on ${channel}`);
  await simulate('wms', 'PACKING', 'packing');
  // Evidence 1 and 2 of 3: the order stays in packing.
  await simulate('wms', 'OUTBOUND_DONE', 'packing', { outboundNo: 'OB-SIM-0001' });
  await expect(sim).toContainText('No guard held: the state did not change.');
  await expect(sim.getByTestId('sim-facts')).toContainText('"outboundNo": "OB-SIM-0001"');
  await simulate('carrier', 'WAYBILL_CREATED', 'packing', { waybillNo: 'SF-SIM-0001' });
  await expect(sim.getByTestId('sim-facts')).toContainText('"waybillNo": "SF-SIM-0001"');
  // Evidence 3 of 3: the funds are confirmed, so the order is shipped.
  await simulate('finance', 'RECEIVED', 'shipped');
  await expect(state).toContainText('Shipped');
  const fired = sim.getByRole('list', { name: 'Transitions in this step' });
  await expect(fired).toContainText('Packing → Shipped');
  await expect(fired).toContainText(shippedGuard);
  await expect(canvas.locator('.react-flow__edge.sim-fired')).toHaveAttribute(
    'data-id',
    'packing-to-shipped',
  );
  await expect(sim.getByTestId('sim-step-count')).toHaveText('step 5 of 5');
  await page.mouse.move(0, 0);
  await dismissToasts(page);
  await page.screenshot({ path: `${screenshotDir}65-status-simulated-shipped.png` });

  // Autosave has stored every edit; Save confirms nothing is left.
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  await page.getByTestId('save-draft').click();
  await expect(page.getByTestId('saved-indicator')).toHaveText('All changes saved');
  // Analysts save drafts; versions are for admins.
  await expect(page.getByRole('button', { name: 'Create version' })).toBeDisabled();
  expect(analystErrors).toEqual([]);

  const saved = await request.get(`/api/definitions/status-graph/${graphId}`, { headers: adminAuth });
  const savedDraft = ((await saved.json()) as { draft: { channels: string[]; transitions: unknown[] } })
    .draft;
  expect(savedDraft.channels).toEqual([channel]);
  expect(savedDraft.transitions).toContainEqual({
    id: 'packing-to-shipped',
    from: 'packing',
    to: 'shipped',
    guard: shippedGuard,
  });

  // ── An admin versions, publishes and promotes it ──────────────────────────────────────────────
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const adminErrors = collectConsoleErrors(admin);
  await signIn(admin, e2eAdminKey, 'admin');
  await admin.getByRole('link', { name: /Status graphs/ }).click();
  await admin
    .getByRole('row', { name: new RegExp(name) })
    .getByRole('link')
    .first()
    .click();
  await expect(admin).toHaveURL(new RegExp(`/status-graph/${graphId}$`));
  await expect(admin.getByTestId('status-graph-canvas').getByTestId('state-node-shipped')).toBeVisible();
  await expect(admin.getByTestId('saved-indicator')).toHaveText('All changes saved');

  await admin.getByRole('button', { name: 'Create version' }).click();
  const versionDialog = admin.getByRole('dialog', { name: 'Create version 1' });
  const note = `Mini-program graph: shipped needs outbound no. + e-waybill + funds (${run})`;
  await versionDialog.getByLabel('Note').fill(note);
  await versionDialog.getByRole('button', { name: 'Create version 1' }).click();
  await expect(versionDialog).toBeHidden();
  await expect(admin.getByTestId('version-list')).toContainText(note);

  await admin.getByRole('button', { name: 'Publish to sandbox' }).click();
  const publish = admin.getByRole('dialog', { name: 'Publish to sandbox' });
  await expect(publish.getByTestId('target-version')).toHaveValue('1');
  await expect(publish.locator('.monaco-diff-editor .editor.modified')).toContainText(channel);
  await publish.getByTestId('confirm-environment').click();
  await expect(publish).toBeHidden();
  await expect(admin.getByText('Sandbox now serves version 1')).toBeVisible();

  await admin.getByRole('button', { name: 'Promote to production' }).click();
  const promote = admin.getByRole('dialog', { name: 'Promote to production' });
  await expect(promote.getByTestId('target-version')).toHaveValue('1');
  await promote.getByTestId('confirm-environment').click();
  await expect(promote).toBeHidden();
  await expect(admin.getByText('Production now serves version 1')).toBeVisible();
  const environments = admin.getByTestId('environments');
  await expect(environments.getByTestId('env-badge-sandbox')).toContainText('v1');
  await expect(environments.getByTestId('env-badge-production')).toContainText('v1');
  await admin.mouse.move(0, 0);
  await dismissToasts(admin);
  await admin.screenshot({ path: `${screenshotDir}66-status-published.png` });

  // ── The systems report a real order (signed events, service key) ─────────────────────────────
  const { signers, restore } = await registerSources(request, ['wms', 'carrier', 'finance'], run);
  try {
    const start = Date.now() - 10 * 60_000;
    const events: { system: SystemId; code: string; data?: Record<string, string>; expected: string }[] = [
      { system: 'finance', code: 'PAID', expected: 'paid' },
      { system: 'wms', code: 'PACKING', expected: 'packing' },
      { system: 'wms', code: 'OUTBOUND_DONE', data: { outboundNo: `OB-${run}` }, expected: 'packing' },
      { system: 'carrier', code: 'WAYBILL_CREATED', data: { waybillNo: `SF-${run}` }, expected: 'packing' },
      { system: 'finance', code: 'RECEIVED', expected: 'shipped' },
    ];
    let last: { status: string; transitions: { from: string; to: string }[] } | undefined;
    for (const [i, { system, code, data, expected }] of events.entries()) {
      const signer = signers.get(system);
      if (!signer) throw new Error(`no key for ${system}`);
      const event = signEvent(
        {
          eventId: `${orderId}-${i + 1}`,
          system,
          code,
          occurredAt: new Date(start + i * 60_000).toISOString(),
          channel,
          ...(data ? { data } : {}),
        },
        signer,
      );
      const response = await request.post(`/api/orders/${orderId}/events`, {
        headers: bearer(serviceKey),
        data: event,
      });
      expect(response.status(), `${system} ${code}: ${await response.text()}`).toBeLessThan(300);
      last = (await response.json()) as typeof last;
      expect(last?.status, `after ${system} ${code}`).toBe(expected);
    }
    expect(last?.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['packing→shipped']);
    const order = (await (
      await request.get(`/api/orders/${orderId}`, { headers: bearer(serviceKey) })
    ).json()) as OrderDetail;
    expect(order).toMatchObject({ status: 'shipped', channel, graph: { id: graphId, version: 1 } });
  } finally {
    await restore();
  }

  // ── The orders view shows it shipped, with its verified history ───────────────────────────────
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
  await admin.getByLabel('Channel').fill(channel);
  const row = admin.getByRole('row', { name: new RegExp(orderId) });
  await expect(row).toContainText('shipped');
  await expect(row).toContainText(`${graphId} v1 · production`);
  await dismissToasts(admin);
  await admin.screenshot({ path: `${screenshotDir}67-status-orders.png` });
  await row.getByRole('link', { name: orderId }).click();
  await expect(admin.getByTestId('canonical-status')).toContainText('shipped');
  const lastRaw = admin.getByTestId('systems');
  await expect(lastRaw.getByRole('row', { name: /wms OUTBOUND_DONE/ })).toBeVisible();
  await expect(lastRaw.getByRole('row', { name: /carrier WAYBILL_CREATED/ })).toBeVisible();
  await expect(lastRaw.getByRole('row', { name: /finance RECEIVED/ })).toBeVisible();
  await expect(admin.getByTestId('facts')).toContainText(`OB-${run}`);
  await expect(admin.getByTestId('facts')).toContainText(`SF-${run}`);
  const history = admin.getByTestId('history');
  const entries = history.getByRole('listitem');
  await expect(entries).toHaveCount(8);
  await expect(entries.filter({ hasText: 'transition' })).toHaveText([
    /created → paid/,
    /paid → packing/,
    /packing → shipped/,
  ]);
  await expect(entries.filter({ hasText: 'signature verified' })).toHaveCount(8);
  await expect(admin.getByTestId('chain-verification')).toContainText('Chain verified');
  await admin
    .getByRole('heading', { name: 'History' })
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await admin.screenshot({ path: `${screenshotDir}67-status-order-history.png` });

  expect(adminErrors).toEqual([]);
  await adminContext.close();
  await analystContext.close();
});
