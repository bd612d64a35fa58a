import { join } from 'node:path';
import { validate } from '@orderloom/schema';
import { chinaPeakStatusGraph, peakSeasonRouting } from '@orderloom/schema/fixtures';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';

let t: TestRuntime;
let analystKey: string;

beforeAll(async () => {
  t = await startTestRuntime();
  const created = await t.api('POST', '/api/keys', { json: { name: 'ana', role: 'analyst' } });
  analystKey = created.body.secret;
});
afterAll(() => t.close());

let counter = 0;
const freshId = (prefix: string) => `${prefix}-${++counter}`;
const routing = (id: string, overrides: Record<string, unknown> = {}) => ({
  ...peakSeasonRouting,
  id,
  ...overrides,
});
const draftPath = (id: string, kind = 'routing') => `/api/definitions/${kind}/${id}/draft`;

async function createPublishable(id: string) {
  const saved = await t.api('PUT', draftPath(id), { json: { definition: routing(id), baseRevision: 0 } });
  expect(saved.status).toBe(201);
  return saved.body.draftRevision as number;
}

async function createVersion(id: string, note = '') {
  const res = await t.api('POST', `/api/definitions/routing/${id}/versions`, { json: { note } });
  expect(res.status).toBe(201);
  return res.body.version as number;
}

describe('drafts', () => {
  it('creates a definition with baseRevision 0 and shows it in the detail and list views', async () => {
    const id = freshId('create');
    const saved = await t.api('PUT', draftPath(id), { json: { definition: routing(id), baseRevision: 0 } });
    expect(saved.status).toBe(201);
    expect(saved.body).toEqual({ draftRevision: 1, reports: validate('routing', routing(id)) });

    const detail = await t.api('GET', `/api/definitions/routing/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual({
      id,
      kind: 'routing',
      draft: routing(id),
      draftRevision: 1,
      versions: [],
      environments: { sandbox: null, production: null },
    });

    const list = await t.api('GET', '/api/definitions?kind=routing');
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({
        kind: 'routing',
        id,
        name: peakSeasonRouting.name,
        draftRevision: 1,
        latestVersion: null,
      }),
    );
    const statusGraphs = await t.api('GET', '/api/definitions?kind=status-graph');
    expect(statusGraphs.body.items.some((d: { id: string }) => d.id === id)).toBe(false);
  });

  it('saves a draft with lint errors and returns every report', async () => {
    const id = freshId('lint');
    const broken = routing(id, { name: '', factors: [] });
    const saved = await t.api('PUT', draftPath(id), { json: { definition: broken, baseRevision: 0 } });
    expect(saved.status).toBe(201);
    expect(saved.body.reports).toEqual(validate('routing', broken));
    expect(saved.body.reports.map((r: { path: string }) => r.path)).toEqual(
      expect.arrayContaining(['/name', '/factors']),
    );
    const detail = await t.api('GET', `/api/definitions/routing/${id}`);
    expect(detail.body.draft).toEqual(broken);
  });

  it('increments the revision on each save from the current revision', async () => {
    const id = freshId('rev');
    await createPublishable(id);
    const second = await t.api('PUT', draftPath(id), {
      json: { definition: routing(id, { name: 'B' }), baseRevision: 1 },
    });
    expect(second.status).toBe(200);
    expect(second.body.draftRevision).toBe(2);
    const third = await t.api('PUT', draftPath(id), {
      key: analystKey,
      json: { definition: routing(id, { name: 'C' }), baseRevision: 2 },
    });
    expect(third.status).toBe(200);
    expect(third.body.draftRevision).toBe(3);
  });

  it('rejects a stale baseRevision with 409 and leaves the draft unchanged', async () => {
    const id = freshId('stale');
    await createPublishable(id);
    const first = await t.api('PUT', draftPath(id), {
      json: { definition: routing(id, { name: 'First' }), baseRevision: 1 },
    });
    expect(first.status).toBe(200);

    const second = await t.api('PUT', draftPath(id), {
      key: analystKey,
      json: { definition: routing(id, { name: 'Second' }), baseRevision: 1 },
    });
    expect(second.status).toBe(409);
    expect(second.contentType).toMatch(/^application\/problem\+json/);
    expect(second.body).toMatchObject({
      status: 409,
      currentRevision: 2,
      type: expect.any(String),
      title: expect.any(String),
    });

    const detail = await t.api('GET', `/api/definitions/routing/${id}`);
    expect(detail.body.draftRevision).toBe(2);
    expect(detail.body.draft.name).toBe('First');
  });

  it('answers 409 to baseRevision 0 for an existing definition and to a non-zero base for a missing one', async () => {
    const id = freshId('exists');
    await createPublishable(id);
    const again = await t.api('PUT', draftPath(id), {
      json: { definition: routing(id, { name: 'X' }), baseRevision: 0 },
    });
    expect(again.status).toBe(409);
    expect(again.body.currentRevision).toBe(1);
    expect((await t.api('GET', `/api/definitions/routing/${id}`)).body.draft.name).toBe(
      peakSeasonRouting.name,
    );

    const missing = freshId('missing');
    const res = await t.api('PUT', draftPath(missing), {
      json: { definition: routing(missing), baseRevision: 3 },
    });
    expect(res.status).toBe(409);
    expect(res.body.currentRevision).toBe(0);
    expect((await t.api('GET', `/api/definitions/routing/${missing}`)).status).toBe(404);
  });

  it('commits an acknowledged save: another connection sees it at once', async () => {
    const id = freshId('committed');
    await createPublishable(id);
    const other = new Database(join(t.dataDir, 'orderloom.db'), { readonly: true });
    try {
      const row = other
        .prepare('SELECT draft_revision FROM definitions WHERE kind = ? AND id = ?')
        .get('routing', id);
      expect(row).toEqual({ draft_revision: 1 });
    } finally {
      other.close();
    }
  });
});

describe('draft envelope errors (400)', () => {
  const cases: Array<[string, unknown, string]> = [
    ['definition is an array', { definition: [], baseRevision: 0 }, '/definition'],
    ['definition is a string', { definition: 'routing', baseRevision: 0 }, '/definition'],
    ['definition is null', { definition: null, baseRevision: 0 }, '/definition'],
    ['definition is missing', { baseRevision: 0 }, '/definition'],
    [
      'kind disagrees with the URL',
      { definition: { ...peakSeasonRouting, kind: 'journey', id: 'k' }, baseRevision: 0 },
      '/definition/kind',
    ],
    ['kind is missing', { definition: { id: 'k', name: 'x' }, baseRevision: 0 }, '/definition/kind'],
    [
      'id disagrees with the URL',
      { definition: { ...peakSeasonRouting, id: 'other' }, baseRevision: 0 },
      '/definition/id',
    ],
    [
      'an unknown envelope field',
      { definition: { ...peakSeasonRouting, id: 'k' }, baseRevision: 0, extra: true },
      '/extra',
    ],
    ['baseRevision is missing', { definition: { ...peakSeasonRouting, id: 'k' } }, '/baseRevision'],
    [
      'baseRevision is negative',
      { definition: { ...peakSeasonRouting, id: 'k' }, baseRevision: -1 },
      '/baseRevision',
    ],
    [
      'baseRevision is not an integer',
      { definition: { ...peakSeasonRouting, id: 'k' }, baseRevision: 1.5 },
      '/baseRevision',
    ],
    [
      'baseRevision is a string',
      { definition: { ...peakSeasonRouting, id: 'k' }, baseRevision: '0' },
      '/baseRevision',
    ],
    ['the body is an array', [], ''],
  ];
  it.each(cases)('%s', async (_name, json, path) => {
    const res = await t.api('PUT', draftPath('k'), { json });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 400,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path, severity: 'error' }));
    expect((await t.api('GET', '/api/definitions/routing/k')).status).toBe(404);
  });

  it('rejects an id that is not a valid definition id', async () => {
    const id = 'has space';
    const res = await t.api('PUT', `/api/definitions/routing/${encodeURIComponent(id)}/draft`, {
      json: { definition: routing(id), baseRevision: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('/definition/id');
  });

  it('rejects malformed JSON with a problem', async () => {
    const res = await t.api('PUT', draftPath('k'), {
      body: '{"definition": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
  });
});

describe('not found (404)', () => {
  it.each([
    ['GET', '/api/definitions/workflow/x'],
    ['PUT', '/api/definitions/workflow/x/draft'],
    ['GET', '/api/definitions/routing/does-not-exist'],
    ['GET', '/api/definitions/routing/does-not-exist/versions/1'],
    ['GET', '/api/definitions/routing/does-not-exist/diff?from=1&to=draft'],
    ['POST', '/api/definitions/routing/does-not-exist/versions'],
    ['PUT', '/api/definitions/routing/does-not-exist/environments/sandbox'],
    ['GET', '/api/no-such-route'],
    ['DELETE', '/api/definitions'],
  ])('%s %s', async (method, path) => {
    const json =
      method === 'PUT' && path.endsWith('/draft')
        ? { definition: {}, baseRevision: 0 }
        : method === 'PUT'
          ? { version: 1 }
          : undefined;
    const res = await t.api(method, path, json === undefined ? {} : { json });
    expect(res.status).toBe(404);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body.status).toBe(404);
  });

  it('answers 404 for an unknown version and environment of an existing definition', async () => {
    const id = freshId('nf');
    await createPublishable(id);
    await createVersion(id);
    for (const path of [
      `/api/definitions/routing/${id}/versions/2`,
      `/api/definitions/routing/${id}/versions/one`,
    ]) {
      expect((await t.api('GET', path)).status).toBe(404);
    }
    expect(
      (await t.api('PUT', `/api/definitions/routing/${id}/environments/staging`, { json: { version: 1 } }))
        .status,
    ).toBe(404);
    expect(
      (await t.api('PUT', `/api/definitions/routing/${id}/environments/sandbox`, { json: { version: 7 } }))
        .status,
    ).toBe(404);
    expect((await t.api('GET', `/api/definitions/routing/${id}/diff?from=9&to=draft`)).status).toBe(404);
  });
});

describe('versions', () => {
  it('refuses a version while the draft has lint errors (422, nothing created), then allows it after a fix', async () => {
    const id = freshId('ver');
    const broken = routing(id, { factors: [], segments: [{ id: 's', when: 'order.channel ==' }] });
    await t.api('PUT', draftPath(id), { json: { definition: broken, baseRevision: 0 } });

    const refused = await t.api('POST', `/api/definitions/routing/${id}/versions`, { json: { note: 'try' } });
    expect(refused.status).toBe(422);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors).toEqual(validate('routing', broken));
    expect(refused.body.errors.length).toBeGreaterThanOrEqual(2);
    expect((await t.api('GET', `/api/definitions/routing/${id}`)).body.versions).toEqual([]);

    const fixed = await t.api('PUT', draftPath(id), { json: { definition: routing(id), baseRevision: 1 } });
    expect(fixed.body.reports.filter((r: { severity: string }) => r.severity === 'error')).toEqual([]);
    const created = await t.api('POST', `/api/definitions/routing/${id}/versions`, {
      json: { note: 'first' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, createdBy: 'admin', note: 'first', reports: [] });

    const analystVersion = await t.api('POST', `/api/definitions/routing/${id}/versions`, {
      key: analystKey,
      json: {},
    });
    expect(analystVersion.status).toBe(403);

    const detail = await t.api('GET', `/api/definitions/routing/${id}`);
    expect(detail.body.versions).toEqual([
      { version: 1, createdAt: created.body.createdAt, createdBy: 'admin', note: 'first' },
    ]);
  });

  it('keeps versions immutable while the draft moves on, and numbers them consecutively', async () => {
    const id = freshId('immutable');
    await createPublishable(id);
    await createVersion(id);
    await t.api('PUT', draftPath(id), {
      json: { definition: routing(id, { name: 'Changed' }), baseRevision: 1 },
    });
    expect(await t.api('POST', `/api/definitions/routing/${id}/versions`)).toMatchObject({
      status: 201,
      body: { version: 2, note: '' },
    });

    const v1 = await t.api('GET', `/api/definitions/routing/${id}/versions/1`);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      kind: 'routing',
      id,
      version: 1,
      createdBy: 'admin',
      definition: routing(id),
    });
    const v2 = await t.api('GET', `/api/definitions/routing/${id}/versions/2`);
    expect(v2.body.definition.name).toBe('Changed');
  });

  it('rejects unknown fields in the version envelope', async () => {
    const id = freshId('venv');
    await createPublishable(id);
    const res = await t.api('POST', `/api/definitions/routing/${id}/versions`, {
      json: { note: 'x', publish: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/publish' })]);
    expect((await t.api('GET', `/api/definitions/routing/${id}`)).body.versions).toEqual([]);
  });
});

describe('environments and the publication audit', () => {
  it('publishes to sandbox, promotes to production only from sandbox, rolls back, and records everything', async () => {
    const id = freshId('pub');
    await createPublishable(id);
    await createVersion(id);
    const put = (env: string, version: number, key?: string) =>
      t.api('PUT', `/api/definitions/routing/${id}/environments/${env}`, {
        json: { version },
        ...(key ? { key } : {}),
      });

    const early = await put('production', 1);
    expect(early.status).toBe(409);
    expect(early.contentType).toMatch(/^application\/problem\+json/);

    expect((await put('sandbox', 1, analystKey)).status).toBe(403);
    expect(await put('sandbox', 1)).toMatchObject({
      status: 200,
      body: { kind: 'routing', id, environment: 'sandbox', fromVersion: null, toVersion: 1, changed: true },
    });
    expect(await put('production', 1)).toMatchObject({
      status: 200,
      body: { fromVersion: null, toVersion: 1 },
    });

    await t.api('PUT', draftPath(id), { json: { definition: routing(id, { name: 'v2' }), baseRevision: 1 } });
    await createVersion(id);
    expect((await put('production', 2)).status).toBe(409);
    expect((await put('sandbox', 2)).body).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect((await put('production', 2)).body).toMatchObject({ fromVersion: 1, toVersion: 2 });
    // Rollback: version 1 has been in sandbox before, so production may return to it.
    expect((await put('production', 1)).body).toMatchObject({ fromVersion: 2, toVersion: 1, changed: true });
    // Pointing at the current version changes nothing and records nothing.
    expect((await put('production', 1)).body).toMatchObject({ fromVersion: 1, toVersion: 1, changed: false });

    const detail = await t.api('GET', `/api/definitions/routing/${id}`);
    expect(detail.body.environments).toEqual({ sandbox: 2, production: 1 });

    const audit = await t.api('GET', `/api/audit/publications?kind=routing&id=${id}`, { key: analystKey });
    expect(audit.status).toBe(200);
    expect(
      audit.body.items.map((p: Record<string, unknown>) => [
        p.environment,
        p.fromVersion,
        p.toVersion,
        p.actor,
      ]),
    ).toEqual([
      ['production', 2, 1, 'admin'],
      ['production', 1, 2, 'admin'],
      ['sandbox', 1, 2, 'admin'],
      ['production', null, 1, 'admin'],
      ['sandbox', null, 1, 'admin'],
    ]);
    for (const item of audit.body.items) {
      expect(item).toMatchObject({ kind: 'routing', id, actorKeyId: expect.any(String) });
      expect(Number.isNaN(Date.parse(item.at))).toBe(false);
    }
    expect(audit.body.nextCursor).toBeNull();
  });

  it('pages the audit with limit and cursor, newest first, and filters by kind and id', async () => {
    const id = freshId('page');
    await createPublishable(id);
    await createVersion(id);
    await createVersion(id);
    for (const version of [1, 2, 1, 2]) {
      await t.api('PUT', `/api/definitions/routing/${id}/environments/sandbox`, { json: { version } });
    }
    const first = await t.api('GET', `/api/audit/publications?id=${id}&limit=3`);
    expect(first.body.items.map((p: { toVersion: number }) => p.toVersion)).toEqual([2, 1, 2]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.api(
      'GET',
      `/api/audit/publications?id=${id}&limit=3&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((p: { toVersion: number }) => p.toVersion)).toEqual([1]);
    expect(second.body.nextCursor).toBeNull();
    const seqs = [...first.body.items, ...second.body.items].map((p: { seq: number }) => p.seq);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);

    const otherKind = await t.api('GET', `/api/audit/publications?kind=journey&id=${id}`);
    expect(otherKind.body.items).toEqual([]);
    for (const query of ['limit=0', 'limit=abc', 'cursor=x', 'kind=nope', 'unknown=1']) {
      const res = await t.api('GET', `/api/audit/publications?${query}`);
      expect(res.status, query).toBe(400);
    }
  });

  it('rejects an invalid environment envelope', async () => {
    const id = freshId('envbody');
    await createPublishable(id);
    await createVersion(id);
    for (const json of [{}, { version: 0 }, { version: '1' }, { version: 1, force: true }]) {
      const res = await t.api('PUT', `/api/definitions/routing/${id}/environments/sandbox`, { json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
  });
});

describe('diff', () => {
  it('returns an RFC 6902 patch between a version and the draft, either way round', async () => {
    const id = freshId('diff');
    await createPublishable(id);
    await createVersion(id);
    await t.api('PUT', draftPath(id), {
      json: { definition: routing(id, { name: 'Renamed', description: undefined }), baseRevision: 1 },
    });

    const forward = await t.api('GET', `/api/definitions/routing/${id}/diff?from=1&to=draft`);
    expect(forward.status).toBe(200);
    expect(forward.body).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/name', value: 'Renamed' },
        { op: 'remove', path: '/description' },
      ]),
    );
    expect(forward.body).toHaveLength(2);
    const backward = await t.api('GET', `/api/definitions/routing/${id}/diff?from=draft&to=1`);
    expect(backward.body).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/name', value: peakSeasonRouting.name },
        { op: 'add', path: '/description', value: peakSeasonRouting.description },
      ]),
    );
    expect((await t.api('GET', `/api/definitions/routing/${id}/diff?from=1&to=1`)).body).toEqual([]);
  });

  it('diffs two versions and rejects bad selectors', async () => {
    const id = freshId('diff2');
    await createPublishable(id);
    await createVersion(id);
    await t.api('PUT', draftPath(id), {
      json: { definition: routing(id, { fallbackTiers: ['own'] }), baseRevision: 1 },
    });
    await createVersion(id);
    const res = await t.api('GET', `/api/definitions/routing/${id}/diff?from=1&to=2`);
    expect(res.body.length).toBeGreaterThan(0);
    expect(res.body.every((op: { path: string }) => op.path.startsWith('/fallbackTiers'))).toBe(true);
    for (const query of ['from=1', 'from=0&to=1', 'from=latest&to=1', 'from=1&to=draft&x=1']) {
      expect((await t.api('GET', `/api/definitions/routing/${id}/diff?${query}`)).status, query).toBe(400);
    }
  });
});

describe('list', () => {
  it('lists every kind and rejects an unknown kind filter or parameter', async () => {
    const id = freshId('sg');
    const graph = { ...chinaPeakStatusGraph, id };
    expect(
      (await t.api('PUT', draftPath(id, 'status-graph'), { json: { definition: graph, baseRevision: 0 } }))
        .status,
    ).toBe(201);
    const all = await t.api('GET', '/api/definitions');
    const kinds = new Set(all.body.items.map((d: { kind: string }) => d.kind));
    expect(kinds).toEqual(new Set(['routing', 'status-graph']));
    expect((await t.api('GET', '/api/definitions?kind=workflow')).status).toBe(400);
    expect((await t.api('GET', '/api/definitions?sort=name')).status).toBe(400);
  });
});
