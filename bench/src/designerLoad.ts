/**
 * The designer in Debian chromium against the real runtime (temp data dir, demo data):
 *
 * 1. Bundle: gzip size of the JavaScript the first page loads (index.html's entry and its preloads).
 * 2. First load, cold cache, each run in a new browser context: until the sign-in form is usable, and
 *    (signed in) until the definitions overview is rendered — against the named peer Swagger UI, served by
 *    the same runtime at /api/docs, until its operations are rendered.
 * 3. Responsiveness of the status-graph canvas with a generated 1,000-state graph (1,000 states, 1,099
 *    transitions, stored positions) against the demo graph (15 states) in the same run: opening it,
 *    a keystroke in the inspector until the node's label shows it, dragging a node (frame times), zooming
 *    (frame times) and auto-layout (click until the nodes have moved).
 *
 * Medians over `runs` are quoted, with ratios 1,000-state / demo and designer / Swagger UI. Build the designer
 * first (`pnpm --filter @orderloom/designer build`; `npm test` and `npm start` do). Run:
 *
 *   cd bench && npx tsx src/designerLoad.ts     (writes results/designer-load.json, ≈ 1 min)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { adminApi, adminKey, machine, repoRoot, startRuntime, writeResult } from './httpBenchHarness.ts';

const runs = 5;
const graphSize = 1000;
const bigGraphId = 'bench-1000-states';
const demoGraphId = 'china-peak-orders';
// ORDERLOOM_DESIGNER_DIR measures another build (e.g. an unminified one for profiling).
const distDir = process.env.ORDERLOOM_DESIGNER_DIR ?? join(repoRoot, 'apps', 'designer', 'dist');

/** Gzip sizes of the scripts the designer's index.html loads up front. */
function bundleSizes(): { files: Record<string, number>; totalGzipBytes: number } {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const srcs = [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g),
  ].map((m) => m[1] as string);
  const files: Record<string, number> = {};
  for (const src of srcs) files[src] = gzipSync(readFileSync(join(distDir, src))).length;
  return { files, totalGzipBytes: Object.values(files).reduce((a, b) => a + b, 0) };
}

/**
 * A status graph of `size` states: 90 % on a main path laid out as a snake (rows alternate direction, so
 * every edge joins neighbours), the rest exception states hanging below every ninth path state with a
 * transition back to the path. Returns the graph and the path state drawn nearest its centre.
 */
function bigGraph(size: number) {
  const columns = 30;
  const pathLength = Math.round(size * 0.9);
  const pathPosition = (i: number) => {
    const row = Math.floor(i / columns);
    const column = row % 2 === 0 ? i % columns : columns - 1 - (i % columns);
    return { x: column * 260, y: row * 280 };
  };
  const state = (id: string, n: number, position: { x: number; y: number }) => ({
    id,
    labels: { en: `State ${n}`, zh: `状态 ${n}` },
    definition: `Generated state ${n}`,
    steward: n % 2 === 0 ? 'wms' : 'carrier',
    initial: n === 0,
    terminal: n === pathLength - 1,
    position,
  });
  const states = Array.from({ length: pathLength }, (_, i) => state(`s${i}`, i, pathPosition(i)));
  const transitions = [];
  for (let i = 0; i + 1 < pathLength; i += 1) {
    transitions.push({ id: `t${i}`, from: `s${i}`, to: `s${i + 1}`, guard: `has(facts.wms.step${i + 1})` });
  }
  for (let k = 0; states.length < size; k += 1) {
    const parent = k * 9;
    const below = pathPosition(parent);
    states.push(state(`x${k}`, pathLength + k, { x: below.x, y: below.y + 140 }));
    transitions.push({ id: `fail${k}`, from: `s${parent}`, to: `x${k}`, guard: `has(facts.wms.fail${k})` });
    transitions.push({
      id: `recover${k}`,
      from: `x${k}`,
      to: `s${parent + 1}`,
      guard: `has(facts.wms.fix${k})`,
    });
  }
  const statuses = [
    ...Array.from({ length: pathLength }, (_, i) => ({
      code: `STEP_${i}`,
      sets: { [`wms.step${i}`]: 'true' },
    })),
    ...Array.from({ length: size - pathLength }, (_, k) => ({
      code: `FAIL_${k}`,
      sets: { [`wms.fail${k}`]: 'true' },
    })),
    ...Array.from({ length: size - pathLength }, (_, k) => ({
      code: `FIX_${k}`,
      sets: { [`wms.fix${k}`]: 'true' },
    })),
  ];
  const rows = Math.ceil(pathLength / columns);
  const centre = { x: ((columns - 1) * 260) / 2, y: ((rows - 1) * 280) / 2 };
  let middle = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < pathLength; i += 1) {
    const p = pathPosition(i);
    const d = (p.x - centre.x) ** 2 + (p.y - centre.y) ** 2;
    if (d < best) {
      best = d;
      middle = i;
    }
  }
  const definition = {
    kind: 'status-graph',
    id: bigGraphId,
    name: `${size}-state benchmark graph`,
    schemaVersion: 1,
    states,
    systems: [{ id: 'wms', name: 'WMS', statuses }],
    transitions,
  };
  return { definition, middleState: `s${middle}`, transitions: transitions.length };
}

// DESIGNER_PROFILE_DIR=<dir> writes a CPU profile of the page during the first keystroke and drag per graph.
const profileDir = process.env.DESIGNER_PROFILE_DIR;

async function startProfile(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const p95 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))] as number;
const round = (n: number) => Math.round(n * 10) / 10;

async function signIn(page: Page): Promise<void> {
  await page.getByLabel('API key').fill(adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').waitFor();
}

/** Cold first loads: designer until the sign-in form, designer signed in until the overview, Swagger UI. */
async function firstLoads(browser: Browser, baseUrl: string) {
  // The session (the key is kept per tab in sessionStorage) of one sign-in, restored into cold contexts.
  const signing = await browser.newContext();
  const signingPage = await signing.newPage();
  await signingPage.goto(`${baseUrl}/`);
  await signIn(signingPage);
  const session = await signingPage.evaluate(() => JSON.stringify(sessionStorage));
  await signing.close();

  const designer: number[] = [];
  const designerSignedIn: number[] = [];
  const swagger: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const cold = await browser.newContext();
    const page = await cold.newPage();
    await page.goto(`${baseUrl}/`);
    await page.getByLabel('API key').waitFor();
    designer.push(await page.evaluate(() => performance.now()));
    await cold.close();

    const signedIn = await browser.newContext();
    await signedIn.addInitScript((saved) => {
      for (const [k, v] of Object.entries(JSON.parse(saved) as Record<string, string>))
        sessionStorage.setItem(k, v);
    }, session);
    const page2 = await signedIn.newPage();
    await page2.goto(`${baseUrl}/`);
    await page2.getByTestId('role').waitFor();
    await page2.getByText('Double-11 peak routing').waitFor();
    designerSignedIn.push(await page2.evaluate(() => performance.now()));
    await signedIn.close();

    const peer = await browser.newContext();
    const page3 = await peer.newPage();
    await page3.goto(`${baseUrl}/api/docs`);
    await page3.locator('.opblock').first().waitFor();
    swagger.push(await page3.evaluate(() => performance.now()));
    await peer.close();
  }
  return { designer, designerSignedIn, swagger };
}

/** Opens a status graph's canvas, signed in; returns the time from navigation to its first node shown. */
async function openGraph(page: Page, baseUrl: string, id: string, firstNode: string): Promise<number> {
  await page.goto(`${baseUrl}/status-graph/${id}`);
  await page.getByTestId(`state-node-${firstNode}`).waitFor();
  // Two frames, so the measurement includes the paint of what was just mounted.
  return page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))),
      ),
  );
}

/** Collects frame intervals (ms) while `action` runs. */
async function frameTimes(page: Page, action: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __frameLoop: boolean };
    w.__frames = [];
    w.__frameLoop = true;
    let last = performance.now();
    const tick = (now: number) => {
      w.__frames.push(now - last);
      last = now;
      if (w.__frameLoop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await action();
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __frameLoop: boolean };
    w.__frameLoop = false;
    return w.__frames.slice(1);
  });
}

/** Keystroke in the selected state's English label → the node on the canvas shows it (ms). */
async function keystrokeToNode(page: Page, nodeId: string): Promise<number> {
  const input = page.getByLabel('Label (English)');
  await input.click();
  await input.press('End');
  await page.evaluate((id) => {
    const w = window as unknown as { __keyAt: number; __shownAt: Promise<number> };
    const node = document.querySelector(`[data-testid="state-node-${id}"]`) as HTMLElement;
    const before = node.textContent;
    w.__keyAt = 0;
    window.addEventListener('keydown', (e) => (w.__keyAt = e.timeStamp), { once: true, capture: true });
    w.__shownAt = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (node.textContent !== before) {
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now()));
        }
      });
      observer.observe(node, { subtree: true, characterData: true, childList: true });
    });
  }, nodeId);
  await page.keyboard.press('x');
  return page.evaluate(async () => {
    const w = window as unknown as { __keyAt: number; __shownAt: Promise<number> };
    return (await w.__shownAt) - w.__keyAt;
  });
}

/** Drags a node by 200 px in 20 mouse steps. */
async function dragNode(page: Page, nodeId: string): Promise<void> {
  const box = await page.getByTestId(`state-node-${nodeId}`).boundingBox();
  if (!box) throw new Error(`node ${nodeId} is not visible`);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 200, y + 120, { steps: 20 });
  await page.mouse.up();
}

/** Zooms in and out over the canvas with the wheel. */
async function zoom(page: Page): Promise<void> {
  const box = await page.getByTestId('status-graph-canvas').boundingBox();
  if (!box) throw new Error('canvas is not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 8; i += 1) await page.mouse.wheel(0, i < 4 ? -240 : 240);
  await page.waitForTimeout(300);
}

/** Auto-layout: click until the nodes on screen have moved (or were swapped for others) (ms). */
async function autoLayout(page: Page): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __movedAt: Promise<number> };
    const layer = document.querySelector('.react-flow__nodes');
    if (!layer) throw new Error('no node layer');
    w.__movedAt = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now()));
      });
      observer.observe(layer, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['style'],
      });
    });
  });
  const clickedAt = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: /Auto-layout/ }).click();
  return (
    (await page.evaluate(async () => (window as unknown as { __movedAt: Promise<number> }).__movedAt)) -
    clickedAt
  );
}

async function canvasRuns(browser: Browser, baseUrl: string, id: string, firstNode: string) {
  const open: number[] = [];
  const keystroke: number[] = [];
  const dragFrames: number[] = [];
  const zoomFrames: number[] = [];
  const layout: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // tsx names inner functions with an `__name` helper that page.evaluate's serialised code lacks.
    await context.addInitScript('globalThis.__name = (target) => target;');
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await signIn(page);
    open.push(await openGraph(page, baseUrl, id, firstNode));
    await page.getByTestId(`state-node-${firstNode}`).click();
    const profiler = profileDir && run === 0 ? await startProfile(page) : undefined;
    keystroke.push(await keystrokeToNode(page, firstNode));
    dragFrames.push(...(await frameTimes(page, () => dragNode(page, firstNode))));
    if (profiler) await profiler.stop(join(profileDir as string, `designer-${id}.cpuprofile`));
    zoomFrames.push(...(await frameTimes(page, () => zoom(page))));
    layout.push(await autoLayout(page));
    await context.close();
  }
  return {
    openMs: round(median(open)),
    keystrokeToNodeMs: round(median(keystroke)),
    dragFrameP95Ms: round(p95(dragFrames)),
    dragLongFrames: dragFrames.filter((f) => f > 50).length,
    zoomFrameP95Ms: round(p95(zoomFrames)),
    autoLayoutMs: round(median(layout)),
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error('build the designer first: pnpm --filter @orderloom/designer build');
  }
  const bundle = bundleSizes();
  const dataDir = mkdtempSync(join(tmpdir(), 'orderloom-bench-designer-'));
  const { runtime } = await startRuntime(dataDir, { env: { ORDERLOOM_DESIGNER_DIR: distDir } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const api = adminApi(runtime.url);
    const generated = bigGraph(graphSize);
    await api('PUT', `/api/definitions/status-graph/${bigGraphId}/draft`, {
      definition: generated.definition,
      baseRevision: 0,
    });

    const loads = await firstLoads(browser, runtime.url);
    process.stdout.write('first loads done\n');
    const demo = await canvasRuns(browser, runtime.url, demoGraphId, 'created');
    process.stdout.write('demo graph done\n');
    // The graph is fitted at the canvas's minimum zoom, so its middle is on screen and its corners are not.
    const big = await canvasRuns(browser, runtime.url, bigGraphId, generated.middleState);
    process.stdout.write(`${graphSize}-state graph done\n`);

    const firstLoad = {
      designerToSignInMs: round(median(loads.designer)),
      designerSignedInToOverviewMs: round(median(loads.designerSignedIn)),
      swaggerUiMs: round(median(loads.swagger)),
    };
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const result = {
      benchmark: 'designer first load and status-graph canvas responsiveness (chromium, localhost)',
      command: 'cd bench && npx tsx src/designerLoad.ts',
      date: new Date().toISOString(),
      machine: machine(),
      settings: { runs, graphSize, transitions: generated.transitions },
      bundle,
      firstLoad,
      canvas: { demo15States: demo, [`generated${graphSize}States`]: big },
      ratios: {
        firstLoadVsSwaggerUi: ratio(firstLoad.designerToSignInMs, firstLoad.swaggerUiMs),
        bigVsDemo: Object.fromEntries(
          Object.entries(big)
            .filter(([k]) => !k.endsWith('LongFrames'))
            .map(([k, v]) => [k, ratio(v, demo[k as keyof typeof demo] || 1)]),
        ),
      },
      targets: {
        mainJsGzipBytes: { target: '≤ 400 KB', met: bundle.totalGzipBytes <= 400 * 1024 },
        firstLoadMs: { target: '≤ 1,500', met: firstLoad.designerSignedInToOverviewMs <= 1500 },
        responsive: {
          target: 'keystroke ≤ 100 ms and p95 frame ≤ 50 ms with 1,000 states',
          met: big.keystrokeToNodeMs <= 100 && big.dragFrameP95Ms <= 50 && big.zoomFrameP95Ms <= 50,
        },
      },
    };
    const out = writeResult('designer-load.json', result);
    console.table({ demo, [`${graphSize} states`]: big });
    console.table(firstLoad);
    process.stdout.write(`main JS ${(bundle.totalGzipBytes / 1024).toFixed(1)} KB gzip\nresults → ${out}\n`);
  } finally {
    await browser.close();
    runtime.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
