import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { adminSecret, request, tempDataDir } from './testRuntime.ts';

const runtimeDir = fileURLToPath(new URL('../..', import.meta.url));

interface Child {
  process: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/**
 * Starts `src/main.ts` under tsx on a free port and resolves once it logs that it listens. Node runs it
 * with tsx's loader directly (not the `tsx` CLI, which would put a wrapper process in between), so the
 * SIGKILL hits the runtime itself.
 */
function startChild(dataDir: string, env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: runtimeDir,
    env: {
      ...process.env,
      PORT: '0',
      ORDERLOOM_DATA_DIR: dataDir,
      ORDERLOOM_ADMIN_KEY: adminSecret,
      ORDERLOOM_DESIGNER_DIR: join(dataDir, 'no-designer'),
      ORDERLOOM_MQTT_EMBEDDED: 'false',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`runtime did not start:\n${buffer}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        if (!line.includes('runtime listening')) continue;
        const { port } = JSON.parse(line) as { port: number };
        clearTimeout(timer);
        resolve({ process: child, url: `http://127.0.0.1:${port}`, exited });
        return;
      }
    });
    child.on('exit', (code) => reject(new Error(`runtime exited with ${code}:\n${buffer}`)));
  });
}

let receiver: Server | undefined;
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

describe('crash recovery', () => {
  it('keeps every acknowledged event with its history and deliveries after SIGKILL', async () => {
    receiver = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const dataDir = tempDataDir();
    const env = { ORDERLOOM_WEBHOOK_ALLOW: '127.0.0.1' };

    const first = await startChild(dataDir, env);
    children.push(first.process);
    const subscription = await request(first.url, 'POST', '/api/subscriptions', {
      json: { topics: ['status.changed', 'alert.*'], target: { type: 'webhook', url: receiverUrl } },
    });
    expect(subscription.status, subscription.text).toBe(201);

    // Douyin orders walking through paid → released → packing; each POST is one event.
    const codes: [string, string, Record<string, unknown>?][] = [
      ['douyin', 'PAID'],
      ['crm', 'PUSHED'],
      ['wms', 'PACKING'],
      ['wms', 'OUTBOUND_DONE', { outboundNo: 'OB' }],
    ];
    const acked: { orderId: string; system: string; eventId: string; transitions: number }[] = [];
    let sent = 0;
    // Workers keep posting until the kill cuts their connection, so requests are in flight when it hits.
    const worker = async (w: number) => {
      for (let i = 0; ; i += 1) {
        const orderId = `DY-CRASH-${w}-${i}`;
        for (const [system, code, data] of codes) {
          const eventId = `${orderId}-${code}`;
          sent += 1;
          try {
            const res = await request(first.url, 'POST', `/api/orders/${orderId}/events`, {
              json: {
                eventId,
                system,
                code,
                occurredAt: '2026-11-11T00:00:00+08:00',
                channel: 'douyin',
                ...(data ? { data } : {}),
              },
            });
            if (res.status >= 200 && res.status < 300) {
              acked.push({ orderId, system, eventId, transitions: res.body.transitions.length });
            }
          } catch {
            return; // connection reset by the kill
          }
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    while (acked.length < 150) await new Promise((resolve) => setTimeout(resolve, 5));
    first.process.kill('SIGKILL');
    await Promise.all(workers);
    await first.exited;
    expect(sent).toBeGreaterThan(acked.length);

    const second = await startChild(dataDir, env);
    children.push(second.process);
    const histories = new Map<string, { entry: { type: string; event?: { eventId: string } } }[]>();
    for (const orderId of new Set(acked.map((a) => a.orderId))) {
      const res = await request(second.url, 'GET', `/api/orders/${orderId}/history`);
      expect(res.status).toBe(200);
      histories.set(orderId, res.body.items);
    }
    for (const a of acked) {
      const events = histories.get(a.orderId)?.filter((h) => h.entry.type === 'event') ?? [];
      expect(events.map((h) => h.entry.event?.eventId)).toContain(a.eventId);
    }
    const verify = await request(second.url, 'GET', '/api/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.checked).toBeGreaterThanOrEqual(acked.length);

    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const db = new Database(join(dataDir, 'orderloom.db'), { readonly: true });
    try {
      const keys = new Set(
        db
          .prepare<[], string>(`SELECT dedupe_key FROM deliveries WHERE topic = 'status.changed'`)
          .pluck()
          .all(),
      );
      for (const a of acked) {
        for (let i = 0; i < a.transitions; i += 1) {
          expect(keys.has(`${a.orderId}/${a.system}/${a.eventId}/${i}`), `${a.eventId} delivery ${i}`).toBe(
            true,
          );
        }
      }
      expect(acked.some((a) => a.transitions > 0)).toBe(true);
      // The clean shutdown signed a checkpoint of the head.
      const head = db.prepare<[], number>('SELECT max(seq) FROM history').pluck().get();
      const checkpoint = db.prepare<[], number>('SELECT max(seq) FROM checkpoints').pluck().get();
      expect(checkpoint).toBe(head);
    } finally {
      db.close();
    }
  }, 90_000);
});
