import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chinaPeakStatusGraph } from '@orderloom/schema/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { chainEntry, type EntryBody, genesisHash } from '../status/chainEntry.ts';
import { statusEvent } from './statusTestHelpers.ts';
import { adminSecret, startTestRuntime, type TestRuntime, tempDataDir } from './testRuntime.ts';

const runtimeDir = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface Row {
  seq: number;
  order_id: string;
  entry: string;
  hash: string;
}

/**
 * A runtime with a log of two orders' events, and a checkpoint after each event (so re-hashing is
 * caught at the first checkpoint after the rewritten entry).
 */
async function runtimeWithLog() {
  t = await startTestRuntime({ demoDefinitions: [chinaPeakStatusGraph] });
  const events: [string, Record<string, unknown>][] = [
    ['DY-C-1', statusEvent('douyin', 'PAID', { channel: 'douyin' })],
    ['DY-C-2', statusEvent('crm', 'CREATED', { channel: 'douyin' })],
    ['DY-C-1', statusEvent('crm', 'PUSHED')],
    ['DY-C-1', statusEvent('wms', 'PACKING')],
    ['DY-C-2', statusEvent('crm', 'CANCELLED')],
    ['DY-C-1', statusEvent('wms', 'OUTBOUND_DONE', { data: { outboundNo: 'OB9' } })],
  ];
  for (const [orderId, event] of events) {
    const res = await t.api('POST', `/api/orders/${orderId}/events`, { json: event });
    expect(res.status).toBe(201);
    expect((await t.api('POST', '/api/audit/checkpoints')).status).toBe(201);
  }
  const db = t.runtime.db;
  const rows = () => db.prepare<[], Row>('SELECT seq, order_id, entry, hash FROM history ORDER BY seq').all();
  const checkpointSeqs = (await t.api('GET', '/api/audit/checkpoints')).body.items
    .map((c: { seq: number }) => c.seq)
    .sort((a: number, b: number) => a - b) as number[];
  const verify = async () => (await (t as TestRuntime).api('GET', '/api/audit/verify')).body;
  return { t, db, rows, checkpointSeqs, verify };
}

describe('GET /api/audit/verify', () => {
  it('passes on an untouched log', async () => {
    const { verify, rows, checkpointSeqs } = await runtimeWithLog();
    const head = rows().length;
    expect(head).toBeGreaterThan(8);
    expect(checkpointSeqs.at(-1)).toBe(head);
    expect(await verify()).toEqual({ ok: true, checked: head, checkpoints: 6, headSeq: head });
  });

  it('names a changed entry (one flipped bit)', async () => {
    const { db, rows, verify } = await runtimeWithLog();
    const row = rows()[3] as Row;
    const flipped = row.entry.replace('"code":"', '"code":"X');
    db.prepare('UPDATE history SET entry = ? WHERE seq = ?').run(flipped, row.seq);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBad: { seq: row.seq, reason: expect.stringContaining('changed') },
    });
  });

  it('names a deleted entry', async () => {
    const { db, verify } = await runtimeWithLog();
    db.prepare('DELETE FROM history WHERE seq = 5').run();
    expect(await verify()).toMatchObject({
      ok: false,
      firstBad: { seq: 5, reason: expect.stringContaining('missing') },
    });
  });

  it('names reordered entries', async () => {
    const { db, rows, verify } = await runtimeWithLog();
    const all = rows();
    const [a, b] = [all[4] as Row, all[5] as Row];
    const move = db.prepare('UPDATE history SET seq = ? WHERE seq = ?');
    db.transaction(() => {
      move.run(-1, a.seq);
      move.run(a.seq, b.seq);
      move.run(b.seq, -1);
    })();
    expect(await verify()).toMatchObject({
      ok: false,
      firstBad: { seq: a.seq, reason: expect.stringContaining('reordered') },
    });
  });

  it('catches a consistently re-hashed chain at the first checkpoint after the rewrite', async () => {
    const { db, rows, checkpointSeqs, verify } = await runtimeWithLog();
    const all = rows();
    const target = 4;
    const update = db.prepare('UPDATE history SET entry = ?, hash = ? WHERE seq = ?');
    let prevHash = (all[target - 2] as Row | undefined)?.hash ?? genesisHash;
    db.transaction(() => {
      for (const row of all.slice(target - 1)) {
        const { seq: _s, prevHash: _p, ...body } = JSON.parse(row.entry) as Record<string, unknown>;
        if (row.seq === target)
          (body.event as Record<string, unknown>).occurredAt = '2026-11-10T00:00:00+08:00';
        const rewritten = chainEntry(
          { ...(body as unknown as EntryBody), receivedAt: Date.parse(String(body.receivedAt)) },
          row.seq,
          prevHash,
        );
        update.run(rewritten.text, rewritten.hash, row.seq);
        prevHash = rewritten.hash;
      }
    })();
    const firstCheckpointAfter = checkpointSeqs.find((seq) => seq >= target);
    const result = await verify();
    expect(result).toMatchObject({
      ok: false,
      firstBad: { seq: firstCheckpointAfter, reason: expect.stringContaining('checkpoint') },
    });
    const previous = checkpointSeqs.filter((s) => s < target).at(-1) ?? 0;
    expect(result.firstBad.reason).toContain(`between seq ${previous + 1} and ${firstCheckpointAfter}`);
  });

  it('catches a truncated tail against the last checkpoint', async () => {
    const { db, rows, verify } = await runtimeWithLog();
    const head = rows().length;
    db.prepare('DELETE FROM history WHERE seq > ?').run(head - 2);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBad: { seq: head - 1, reason: expect.stringContaining('truncated') },
    });
  });

  it('refuses a checkpoint whose signature does not match', async () => {
    const { db, verify } = await runtimeWithLog();
    const [first] = db
      .prepare<[], { id: number; seq: number }>('SELECT id, seq FROM checkpoints ORDER BY id LIMIT 1')
      .all();
    db.prepare(`UPDATE checkpoints SET at = '2020-01-01T00:00:00.000Z' WHERE id = ?`).run(first?.id);
    expect(await verify()).toMatchObject({
      ok: false,
      firstBad: { seq: first?.seq, reason: expect.stringContaining('not signed') },
    });
  });
});

describe('export and offline verification', () => {
  const verifyOffline = async (file: string, extra: string[] = []) => {
    try {
      const { stdout } = await run('npx', ['tsx', 'src/cli/verifyExport.ts', file, ...extra], {
        cwd: runtimeDir,
      });
      return { code: 0, result: JSON.parse(stdout) };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, result: JSON.parse(e.stdout) };
    }
  };

  it('verifies an export with the CLI, and fails it once an entry is changed', async () => {
    const { t: runtime, rows } = await runtimeWithLog();

    const response = await fetch(`${runtime.runtime.url}/api/audit/export`, {
      headers: { authorization: `Bearer ${adminSecret}` },
    });
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const exported = { text: await response.text() };
    const lines = exported.text
      .trim()
      .split('\n')
      .map((l: string) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'runtime-key' });
    expect(lines.filter((l: { type: string }) => l.type === 'entry')).toHaveLength(rows().length);
    expect(lines.filter((l: { type: string }) => l.type === 'checkpoint')).toHaveLength(6);

    const dir = tempDataDir();
    const good = join(dir, 'log.ndjson');
    writeFileSync(good, exported.text);
    const pem = join(dir, 'runtime.pem');
    writeFileSync(pem, lines[0].publicKey);
    expect(await verifyOffline(good)).toMatchObject({
      code: 0,
      result: { ok: true, checked: rows().length },
    });
    expect(await verifyOffline(good, ['--public-key', pem])).toMatchObject({
      code: 0,
      result: { keySource: 'pinned' },
    });

    const tampered = join(dir, 'tampered.ndjson');
    writeFileSync(
      tampered,
      readFileSync(good, 'utf8').replace('"outboundNo\\":\\"OB9', '"outboundNo\\":\\"OB8'),
    );
    const bad = await verifyOffline(tampered);
    expect(bad.code).toBe(1);
    const seqOfOb9 = rows().find((r) => r.entry.includes('OB9'))?.seq;
    expect(bad.result.firstBad).toMatchObject({ seq: seqOfOb9 });

    // A key other than the runtime's does not verify the checkpoints.
    const other = join(dir, 'other.pem');
    const { generateKeyPairSync } = await import('node:crypto');
    writeFileSync(
      other,
      generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    );
    expect((await verifyOffline(good, ['--public-key', other])).code).toBe(1);
  });
});

describe('runtime signing key and checkpoint policy', () => {
  it('creates the key file 0600 on first start, keeps it across restarts and checkpoints on shutdown', async () => {
    const dataDir = tempDataDir();
    t = await startTestRuntime({ dataDir, demoDefinitions: [chinaPeakStatusGraph] });
    const keyFile = join(dataDir, 'runtime-signing-key.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const { keyId } = (await t.api('GET', '/api/audit/checkpoints')).body;
    await t.api('POST', '/api/orders/DY-K-1/events', {
      json: statusEvent('douyin', 'PAID', { channel: 'douyin' }),
    });
    expect((await t.api('GET', '/api/audit/checkpoints')).body.items).toEqual([]);
    await t.close();

    t = await startTestRuntime({ dataDir });
    const after = (await t.api('GET', '/api/audit/checkpoints')).body;
    expect(after.keyId).toBe(keyId);
    expect(after.items).toEqual([expect.objectContaining({ seq: 2, keyId })]);
    expect((await t.api('GET', '/api/audit/verify')).body).toMatchObject({
      ok: true,
      checked: 2,
      checkpoints: 1,
    });
  });

  it('reads the checkpoint interval and key file from the environment', () => {
    expect(loadConfig({ ORDERLOOM_DATA_DIR: 'var' }, '/srv')).toMatchObject({
      checkpointIntervalMs: 60_000,
      signingKeyFile: '/srv/var/runtime-signing-key.pem',
    });
    expect(
      loadConfig(
        { ORDERLOOM_CHECKPOINT_INTERVAL_MS: '5000', ORDERLOOM_SIGNING_KEY_FILE: 'keys/rt.pem' },
        '/srv',
      ),
    ).toMatchObject({ checkpointIntervalMs: 5000, signingKeyFile: '/srv/keys/rt.pem' });
  });
});
