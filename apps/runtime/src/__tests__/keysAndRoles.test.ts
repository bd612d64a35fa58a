import { createHash } from 'node:crypto';
import { peakSeasonRouting } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSecret, startTestRuntime, type TestRuntime } from './testRuntime.ts';

let t: TestRuntime;
const secrets: Record<'analyst' | 'service', string> = { analyst: '', service: '' };

beforeAll(async () => {
  t = await startTestRuntime();
  for (const role of ['analyst', 'service'] as const) {
    secrets[role] = (await t.api('POST', '/api/keys', { json: { name: `${role}-key`, role } })).body.secret;
  }
  await t.api('PUT', '/api/definitions/routing/shared/draft', {
    json: { definition: { ...peakSeasonRouting, id: 'shared' }, baseRevision: 0 },
  });
  await t.api('POST', '/api/definitions/routing/shared/versions', { json: {} });
});
afterAll(() => t.close());

describe('authentication (401)', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown key', { authorization: 'Bearer olk_not-a-real-key' }],
    ['a non-bearer scheme', { authorization: `Basic ${adminSecret}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('rejects %s', async (_name, headers) => {
    for (const path of [
      '/api/me',
      '/api/definitions',
      '/api/keys',
      '/api/audit/publications',
      '/api/nowhere',
    ]) {
      const res = await t.api('GET', path, { key: null, headers });
      expect(res.status, path).toBe(401);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('rejects writes without a key before reading the body', async () => {
    const res = await t.api('PUT', '/api/definitions/routing/shared/draft', {
      key: null,
      json: { definition: { ...peakSeasonRouting, id: 'shared' }, baseRevision: 1 },
    });
    expect(res.status).toBe(401);
    expect((await t.api('GET', '/api/definitions/routing/shared')).body.draftRevision).toBe(1);
  });
});

describe('GET /api/me', () => {
  it('names the presented key and its role', async () => {
    expect((await t.api('GET', '/api/me')).body).toEqual({
      id: expect.any(String),
      name: 'admin',
      role: 'admin',
    });
    expect((await t.api('GET', '/api/me', { key: secrets.analyst })).body).toMatchObject({
      name: 'analyst-key',
      role: 'analyst',
    });
    expect((await t.api('GET', '/api/me', { key: secrets.service })).body).toMatchObject({
      name: 'service-key',
      role: 'service',
    });
  });
});

describe('roles (403)', () => {
  const draft = (baseRevision: number) => ({
    definition: { ...peakSeasonRouting, id: 'shared' },
    baseRevision,
  });
  // [method, path, body, allowed roles]
  const matrix: Array<[string, string, unknown, Array<'admin' | 'analyst' | 'service'>]> = [
    ['GET', '/api/definitions', undefined, ['admin', 'analyst', 'service']],
    ['GET', '/api/definitions/routing/shared', undefined, ['admin', 'analyst', 'service']],
    ['GET', '/api/definitions/routing/shared/versions/1', undefined, ['admin', 'analyst', 'service']],
    [
      'GET',
      '/api/definitions/routing/shared/diff?from=1&to=draft',
      undefined,
      ['admin', 'analyst', 'service'],
    ],
    ['GET', '/api/audit/publications', undefined, ['admin', 'analyst', 'service']],
    ['PUT', '/api/definitions/routing/shared/draft', 'draft', ['admin', 'analyst']],
    ['POST', '/api/definitions/routing/shared/versions', {}, ['admin']],
    ['PUT', '/api/definitions/routing/shared/environments/sandbox', { version: 1 }, ['admin']],
    ['GET', '/api/keys', undefined, ['admin']],
    ['POST', '/api/keys', { name: 'x', role: 'service' }, ['admin']],
    ['DELETE', '/api/keys/some-id', undefined, ['admin']],
  ];
  it.each(matrix)('%s %s', async (method, path, body, allowed) => {
    for (const role of ['service', 'analyst', 'admin'] as const) {
      const key = role === 'admin' ? adminSecret : secrets[role];
      let json = body;
      if (body === 'draft') {
        json = draft((await t.api('GET', '/api/definitions/routing/shared')).body.draftRevision);
      }
      const res = await t.api(method, path, { key, ...(json === undefined ? {} : { json }) });
      if (allowed.includes(role)) {
        expect(res.status, `${role} ${res.text}`).not.toBe(403);
        expect(res.status, `${role} ${res.text}`).toBeLessThan(method === 'DELETE' ? 500 : 300);
      } else {
        expect(res.status, role).toBe(403);
        expect(res.contentType).toMatch(/^application\/problem\+json/);
      }
    }
  });
});

describe('API keys', () => {
  it('returns the secret once, lists keys without secrets and stores only a SHA-256 hash', async () => {
    const created = await t.api('POST', '/api/keys', { json: { name: 'checkout-service', role: 'service' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'checkout-service',
      role: 'service',
      secret: expect.stringMatching(/^olk_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
    });
    const { secret, id } = created.body;
    expect(Buffer.from(secret.slice(4), 'base64url')).toHaveLength(32);

    const list = await t.api('GET', '/api/keys');
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({
      id,
      name: 'checkout-service',
      role: 'service',
      createdAt: created.body.createdAt,
    });
    expect(list.text).not.toContain(secret);
    expect(list.body.items.every((k: object) => !('secret' in k) && !('secretHash' in k))).toBe(true);

    const stored = t.runtime.db.prepare('SELECT secret_hash FROM api_keys WHERE id = ?').pluck().get(id);
    expect(stored).toBe(createHash('sha256').update(secret).digest('hex'));
    const everything = JSON.stringify(t.runtime.db.prepare('SELECT * FROM api_keys').all());
    expect(everything).not.toContain(secret);

    expect((await t.api('GET', '/api/me', { key: secret })).body.name).toBe('checkout-service');
  });

  it('makes two keys with different secrets', async () => {
    const a = await t.api('POST', '/api/keys', { json: { name: 'a', role: 'analyst' } });
    const b = await t.api('POST', '/api/keys', { json: { name: 'a', role: 'analyst' } });
    expect(a.body.secret).not.toBe(b.body.secret);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('deletes a key, which then gets 401', async () => {
    const { id, secret } = (await t.api('POST', '/api/keys', { json: { name: 'temp', role: 'analyst' } }))
      .body;
    expect((await t.api('GET', '/api/me', { key: secret })).status).toBe(200);
    const deleted = await t.api('DELETE', `/api/keys/${id}`);
    expect(deleted.status).toBe(204);
    expect((await t.api('GET', '/api/me', { key: secret })).status).toBe(401);
    expect((await t.api('GET', '/api/keys')).body.items.some((k: { id: string }) => k.id === id)).toBe(false);
    expect((await t.api('DELETE', `/api/keys/${id}`)).status).toBe(404);
  });

  it('refuses to delete the last admin key (409) but deletes an admin key when another exists', async () => {
    const me = (await t.api('GET', '/api/me')).body;
    const last = await t.api('DELETE', `/api/keys/${me.id}`);
    expect(last.status).toBe(409);
    expect((await t.api('GET', '/api/me')).status).toBe(200);

    const second = (await t.api('POST', '/api/keys', { json: { name: 'admin-2', role: 'admin' } })).body;
    expect((await t.api('DELETE', `/api/keys/${second.id}`)).status).toBe(204);
    expect((await t.api('GET', '/api/me', { key: second.secret })).status).toBe(401);
  });

  it.each([
    [{ name: 'x' }, '/role'],
    [{ name: 'x', role: 'root' }, '/role'],
    [{ role: 'service' }, '/name'],
    [{ name: '   ', role: 'service' }, '/name'],
    [{ name: 'x', role: 'service', secret: 'mine' }, '/secret'],
  ])('rejects key envelope %j', async (json, path) => {
    const res = await t.api('POST', '/api/keys', { json });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path }));
  });
});
