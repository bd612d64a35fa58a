import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/openDatabase.ts';
import { startWalCheckpointer } from '../db/walCheckpointer.ts';
import { tempDataDir } from './testRuntime.ts';

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('WAL checkpointer', () => {
  it('checkpoints from its own thread and keeps the WAL bounded, while the writer never checkpoints', async () => {
    const file = join(tempDataDir(), 'orderloom.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(db, {
      intervalMs: 10,
      restartBytes: 1024 * 1024,
      onError: (message) => errors.push(message),
    });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(50_000);
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const body = 'x'.repeat(4000);
    // 8 MB through the WAL, far below the writer's own backstop of 50,000 pages.
    for (let i = 0; i < 2000; i++) {
      insert.run(body);
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(() => statSync(file).size > 8_000_000);
    insert.run(body);
    await until(() => (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) <= 2 * 1024 * 1024);
    await checkpointer.stop();
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2001);
    expect(errors).toEqual([]);
    db.close();
  });
});
