import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The sender's port: the same for requests over one kept-alive connection. */
  remotePort: number | undefined;
}

/** What the receiver answers; `hang` never answers. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A real HTTP server on 127.0.0.1 recording webhook calls. */
export interface WebhookReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Most requests that were open at the same time. */
  maxConcurrent: () => number;
  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`). */
  received: (count: number, timeoutMs?: number) => Promise<ReceivedRequest[]>;
  close: () => Promise<void>;
}

/**
 * Starts a receiver; `reply(request, n)` decides the answer to the n-th request (1-based).
 * `delayMs` holds each answer that long, to observe concurrency.
 */
export async function startWebhookReceiver(
  reply: (request: ReceivedRequest, n: number) => Reply = () => ({ status: 204 }),
  options: { delayMs?: number } = {},
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let open = 0;
  let maxOpen = 0;

  const server = createServer((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => {
      open -= 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort,
      };
      requests.push(request);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
      const answer = reply(request, requests.length);
      if (answer === 'hang') return;
      const send = () => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? '');
      };
      if (options.delayMs) setTimeout(send, options.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks/orderloom`,
    port,
    requests,
    maxConcurrent: () => maxOpen,
    received(count, timeoutMs = 5000) {
      if (requests.length >= count) return Promise.resolve(requests.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`expected ${count} requests within ${timeoutMs} ms, got ${requests.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(requests.slice());
          },
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A clock the test moves by hand. */
export interface FakeClock {
  now: () => number;
  advance: (ms: number) => void;
}

/** A fake clock starting at the real current time (webhook signatures are checked against it). */
export function fakeClock(start = Date.now()): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}
