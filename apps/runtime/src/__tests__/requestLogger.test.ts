import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../createLogger.ts';
import { createKeysRepository } from '../db/keysRepository.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase } from '../db/openDatabase.ts';
import { createApp } from '../http/createApp.ts';
import { tempDataDir } from './testRuntime.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function appLoggingAt(level: 'info' | 'warn') {
  const db = openDatabase(join(tempDataDir(), 'orderloom.db'));
  migrate(db);
  const secret = createKeysRepository(db).create({ name: 'admin', role: 'admin' }).secret;
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const app = createApp({
    config: { bodyLimit: 1024 * 1024, designerDir: join(tempDataDir(), 'none'), logLevel: level },
    db,
    logger,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => {
    server.close();
    db.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, secret, lines };
}

describe('request log', () => {
  it('logs one line per request with id, method, URL, status and duration, the key redacted', async () => {
    const { url, secret, lines } = await appLoggingAt('info');
    const ok = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    const missing = await fetch(`${url}/api/nothing-here?x=1`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(missing.status).toBe(404);

    const requests = lines.filter((l) => l.msg === 'request completed');
    expect(requests).toHaveLength(2);
    type Line = { req: { id: number }; responseTime: unknown };
    const [first, second] = requests as [Line, Line];
    expect(first).toMatchObject({
      level: 30,
      req: { method: 'GET', url: '/api/me', headers: { authorization: '[redacted]' } },
      res: { statusCode: 200 },
    });
    expect(second).toMatchObject({
      req: { method: 'GET', url: '/api/nothing-here?x=1' },
      res: { statusCode: 404 },
    });
    expect(typeof first.responseTime).toBe('number');
    expect(first.req.id).not.toBe(second.req.id);
    expect(JSON.stringify(lines)).not.toContain(secret);
  });

  it('logs nothing for answered requests when the level is warn', async () => {
    const { url, secret, lines } = await appLoggingAt('warn');
    expect((await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(
      200,
    );
    expect((await fetch(`${url}/api/me`)).status).toBe(401);
    expect(lines).toEqual([]);
  });
});
