import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { peakSeasonRouting } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { request, startTestRuntime, type TestRuntime, tempDataDir } from './testRuntime.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(() => t.close());

const mib = 1024 * 1024;

function draftBodyOfSize(id: string, bytes: number): string {
  const base = JSON.stringify({ definition: { ...peakSeasonRouting, id, description: '' }, baseRevision: 0 });
  return base.replace('"description":""', `"description":"${'x'.repeat(bytes - Buffer.byteLength(base))}"`);
}

describe('body limit (413)', () => {
  it('accepts a body at the default 1 MiB limit and rejects one byte more with problem+json', async () => {
    const atLimit = draftBodyOfSize('big-ok', mib);
    expect(Buffer.byteLength(atLimit)).toBe(mib);
    const ok = await t.api('PUT', '/api/definitions/routing/big-ok/draft', {
      body: atLimit,
      headers: { 'content-type': 'application/json' },
    });
    expect(ok.status).toBe(201);

    const over = draftBodyOfSize('big-no', mib + 1);
    const res = await t.api('PUT', '/api/definitions/routing/big-no/draft', {
      body: over,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 413, detail: expect.stringContaining('1MB') });
    expect((await t.api('GET', '/api/definitions/routing/big-no')).status).toBe(404);
  });

  it('honours ORDERLOOM_BODY_LIMIT', async () => {
    const small = await startTestRuntime({ env: { ORDERLOOM_BODY_LIMIT: '2kb' } });
    try {
      const res = await small.api('POST', '/api/keys', {
        json: { name: 'x'.repeat(3000), role: 'service' },
      });
      expect(res.status).toBe(413);
      expect((await small.api('POST', '/api/keys', { json: { name: 'fits', role: 'service' } })).status).toBe(
        201,
      );
    } finally {
      await small.close();
    }
  });
});

describe('content type (415) and malformed bodies (400)', () => {
  it.each([
    ['text/plain', '{"name":"x","role":"service"}'],
    ['application/x-www-form-urlencoded', 'name=x&role=service'],
    ['multipart/form-data; boundary=b', '--b--'],
  ])('answers 415 to %s', async (contentType, body) => {
    const res = await t.api('POST', '/api/keys', { body, headers: { 'content-type': contentType } });
    expect(res.status).toBe(415);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
  });

  it('answers 415 to a body without a content type', async () => {
    const res = await fetch(new URL('/api/keys', t.runtime.url), {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-secret-0123456789', 'content-type': '' },
      body: new Uint8Array(Buffer.from('{"name":"x","role":"service"}')),
    });
    expect(res.status).toBe(415);
  });

  it.each(['{', '{"name": "x",}', 'null', '"text"', '12', "{'name': 'x'}"])(
    'answers 400 to the JSON body %s',
    async (body) => {
      const res = await t.api('POST', '/api/keys', { body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String) });
    },
  );

  it('accepts application/json with a charset and +json media types', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const res = await t.api('POST', '/api/keys', {
        body: JSON.stringify({ name: 'ct', role: 'service' }),
        headers: { 'content-type': contentType },
      });
      expect(res.status, contentType).toBe(201);
    }
  });

  it('never answers a client mistake with a 5xx', async () => {
    const attempts: Array<[string, string, string | undefined, string | undefined]> = [
      ['PUT', '/api/definitions/routing/%E0%A4%A/draft', '{}', 'application/json'],
      ['GET', '/api/definitions/routing/%/versions/1', undefined, undefined],
      [
        'PUT',
        '/api/definitions/routing/x/draft',
        '{"definition":{"kind":"routing","id":"x"},"baseRevision":1e400}',
        'application/json',
      ],
      [
        'PUT',
        '/api/definitions/routing/x/draft',
        '{"definition":{"kind":"routing","id":"x"},"baseRevision":0,"baseRevision":"1"}',
        'application/json',
      ],
      ['PUT', '/api/definitions/routing/x/draft', '\u0000\u0001', 'application/json'],
      ['PUT', '/api/definitions/routing/x/draft', '{}', 'application/json; charset=klingon'],
      [
        'PUT',
        '/api/definitions/routing/x/environments/production',
        '{"version": 99999999999999999999}',
        'application/json',
      ],
      ['GET', '/api/definitions/routing/x/diff?from=1&from=2&to=draft', undefined, undefined],
      ['GET', '/api/audit/publications?limit=1&limit=2', undefined, undefined],
      ['GET', '/api/definitions?kind[]=routing', undefined, undefined],
      ['POST', '/api/definitions/routing/x/versions', '[]', 'application/json'],
      ['PATCH', '/api/definitions/routing/x', '{}', 'application/json'],
    ];
    for (const [method, path, body, contentType] of attempts) {
      const res = await t.api(method, path, {
        ...(body !== undefined ? { body } : {}),
        headers: contentType ? { 'content-type': contentType } : {},
      });
      expect(res.status, `${method} ${path} ${body}: ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${body}: ${res.text}`).toBeLessThan(500);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('system routes', () => {
  it('marks API answers as not cacheable', async () => {
    for (const path of ['/api/me', '/api/definitions', '/api/nowhere']) {
      expect((await t.api('GET', path)).headers.get('cache-control'), path).toBe('no-store');
    }
  });

  it('GET /health reports the database and version', async () => {
    const res = await request(t.runtime.url, 'GET', '/health', { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('GET /metrics exposes the request duration histogram by route, method and status, and default metrics', async () => {
    await t.api('GET', '/api/definitions');
    await t.api('GET', '/api/definitions/routing/nope');
    const res = await request(t.runtime.url, 'GET', '/metrics', { key: null });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/definitions",status_code="200"\} [1-9]/,
    );
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/definitions\/:kind\/:id",status_code="404"\} [1-9]/,
    );
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('GET /api/openapi.json describes every endpoint with resolvable component references', async () => {
    const res = await request(t.runtime.url, 'GET', '/api/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\.1\./);
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /health',
        'GET /metrics',
        'GET /api/openapi.json',
        'GET /api/docs',
        'GET /api/me',
        'GET /api/keys',
        'POST /api/keys',
        'DELETE /api/keys/{keyId}',
        'GET /api/definitions',
        'GET /api/definitions/{kind}/{id}',
        'PUT /api/definitions/{kind}/{id}/draft',
        'POST /api/definitions/{kind}/{id}/versions',
        'GET /api/definitions/{kind}/{id}/versions/{version}',
        'PUT /api/definitions/{kind}/{id}/environments/{env}',
        'GET /api/definitions/{kind}/{id}/diff',
        'GET /api/audit/publications',
        'GET /api/subscriptions',
        'POST /api/subscriptions',
        'GET /api/subscriptions/{id}',
        'DELETE /api/subscriptions/{id}',
        'GET /api/subscriptions/{id}/deliveries',
        'POST /api/subscriptions/{id}/test',
        'POST /api/subscriptions/{id}/rotate-secret',
        'GET /api/deliveries/{id}',
        'POST /api/deliveries/{id}/redeliver',
        'GET /api/sources',
        'GET /api/sources/{system}',
        'PUT /api/sources/{system}',
        'POST /api/orders/{id}/events',
        'GET /api/orders',
        'GET /api/orders/{id}',
        'GET /api/orders/{id}/history',
        'GET /api/alerts',
        'POST /api/alerts/{id}/ack',
        'GET /api/audit/checkpoints',
        'POST /api/audit/checkpoints',
        'GET /api/audit/verify',
        'GET /api/audit/export',
        'POST /api/definitions/status-graph/{id}/dictionaries/{system}',
        ...['warehouses', 'lanes', 'alerts'].flatMap((c) => [
          `GET /api/facts/${c}`,
          `GET /api/facts/${c}/{id}`,
          `PUT /api/facts/${c}/{id}`,
          `DELETE /api/facts/${c}/{id}`,
          `POST /api/facts/${c}/bulk`,
        ]),
        'PATCH /api/facts/warehouses/{id}',
        'POST /api/route',
        'GET /api/decisions',
        'GET /api/decisions/{id}',
        'POST /api/decisions/{id}/replay',
        'GET /api/backtests',
        'POST /api/backtests',
        'GET /api/backtests/{id}',
      ].sort(),
    );
    for (const name of ['Definition', 'RoutingDefinition', 'StatusGraphDefinition', 'Report', 'Problem']) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      const name = ref.match(/#\/components\/schemas\/([^"]+)"/)?.[1];
      expect(name && doc.components.schemas[name], ref).toBeTruthy();
    }
    const draftPut = doc.paths['/api/definitions/{kind}/{id}/draft'].put;
    expect(Object.keys(draftPut.responses).sort()).toEqual([
      '200',
      '201',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
    ]);
    expect(draftPut.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });

  it('GET /api/docs serves an API reference page from local files only', async () => {
    for (const path of ['/api/docs', '/api/docs/']) {
      const page = await request(t.runtime.url, 'GET', path, { key: null });
      expect(page.status).toBe(200);
      expect(page.contentType).toMatch(/^text\/html/);
      const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
      expect(assets.length).toBeGreaterThanOrEqual(3);
      for (const asset of assets) {
        expect(asset.startsWith('/api/docs/'), asset).toBe(true);
        const res = await fetch(new URL(asset, t.runtime.url));
        expect(res.status, asset).toBe(200);
      }
    }
    const init = await request(t.runtime.url, 'GET', '/api/docs/swagger-initializer.js', { key: null });
    expect(init.text).toContain("'/api/openapi.json'");
    expect(init.text).not.toContain('petstore');
  });
});

describe('designer static files', () => {
  it('serves the build at / with SPA fallback, long-cached hashed assets and 404 for missing assets', async () => {
    const dataDir = tempDataDir();
    const dist = join(dataDir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>designer</title><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const d = await startTestRuntime({ dataDir, env: { ORDERLOOM_DESIGNER_DIR: dist } });
    try {
      for (const path of ['/', '/routing/peak-season', '/status-graph/china.peak']) {
        const res = await request(d.runtime.url, 'GET', path, {
          key: null,
          headers: { accept: 'text/html' },
        });
        expect(res.status, path).toBe(200);
        expect(res.text, path).toContain('<title>designer</title>');
        expect(res.headers.get('cache-control'), path).toBe('no-cache');
      }
      const asset = await request(d.runtime.url, 'GET', '/assets/index-AbC123.js', { key: null });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await request(d.runtime.url, 'GET', '/assets/missing-123.js', { key: null })).status).toBe(404);
      expect((await request(d.runtime.url, 'GET', '/favicon.svg', { key: null })).text).toBe(
        '<svg xmlns="http://www.w3.org/2000/svg"/>',
      );
      const api = await request(d.runtime.url, 'GET', '/api/unknown', { headers: { accept: 'text/html' } });
      expect(api.status).toBe(404);
      expect(api.contentType).toMatch(/^application\/problem\+json/);
    } finally {
      await d.close();
    }
  });

  it('explains how to build the designer when there is no build, and still has a favicon', async () => {
    const home = await request(t.runtime.url, 'GET', '/', { key: null, headers: { accept: 'text/html' } });
    expect(home.status).toBe(200);
    expect(home.text).toMatch(/designer has not been built/i);
    expect(home.text).toContain('npm start');
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const icon = await request(t.runtime.url, 'GET', path, { key: null });
      expect(icon.status, path).toBe(200);
      expect(icon.contentType).toMatch(/^image\//);
    }
  });
});

describe('configuration', () => {
  it('reads defaults and variables, resolving directories against the working directory', () => {
    const defaults = loadConfig({}, '/srv/app');
    expect(defaults).toMatchObject({
      port: 8080,
      dataDir: '/srv/app/data',
      adminKey: undefined,
      bodyLimit: 1024 * 1024,
      logLevel: 'info',
    });
    expect(defaults.designerDir).toMatch(/apps[/\\]designer[/\\]dist$/);
    const set = loadConfig(
      {
        PORT: '9000',
        ORDERLOOM_DATA_DIR: 'var/db',
        ORDERLOOM_ADMIN_KEY: 'k',
        ORDERLOOM_BODY_LIMIT: '512kb',
        ORDERLOOM_DESIGNER_DIR: 'web',
        LOG_LEVEL: 'silent',
      },
      '/srv/app',
    );
    expect(set).toMatchObject({
      port: 9000,
      dataDir: '/srv/app/var/db',
      adminKey: 'k',
      bodyLimit: 512 * 1024,
      designerDir: '/srv/app/web',
      logLevel: 'silent',
    });
  });

  it.each([
    { PORT: 'eighty' },
    { PORT: '70000' },
    { ORDERLOOM_BODY_LIMIT: 'lots' },
    { LOG_LEVEL: 'loud' },
    { ORDERLOOM_ADMIN_KEY: 'has space' },
  ])('rejects %j naming the variable', (env) => {
    expect(() => loadConfig(env, '/srv')).toThrow(Object.keys(env)[0]);
  });
});
