import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { urlPolicyErrorCode, type WebhookUrlPolicy } from './webhookUrlPolicy.ts';

/** What one send produced; `error` is null exactly when the target accepted the message. */
export interface SendOutcome {
  /** HTTP status, or null when no response came (or for MQTT). */
  status: number | null;
  error: string | null;
  /** The `Retry-After` header of the response, if any. */
  retryAfter?: string | undefined;
}

/** One signed webhook call. */
export interface WebhookRequest {
  url: string;
  /** `whsec_…` secret of the subscription. */
  secret: string;
  /** `webhook-id`: the same for every attempt of a delivery. */
  messageId: string;
  /** The JSON body, already serialised; it is signed byte for byte. */
  body: string;
  /** Time of this attempt (epoch ms), sent as `webhook-timestamp` in seconds. */
  nowMs: number;
}

/** Generates a Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Sends signed webhooks (see {@link createWebhookSender}). */
export type WebhookSender = ReturnType<typeof createWebhookSender>;

const maxErrorBody = 300;

/**
 * Creates a sender of webhooks signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`). Every send re-checks the URL policy, connects only to addresses the policy
 * allows (also when DNS changed since the subscription was created), does not follow redirects
 * and gives up after `timeoutMs`.
 */
export function createWebhookSender({ policy, timeoutMs }: { policy: WebhookUrlPolicy; timeoutMs: number }) {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };

  return {
    /** Posts one message; never throws. */
    async send(request: WebhookRequest): Promise<SendOutcome> {
      const verdict = await policy.check(request.url);
      if (!verdict.ok) return { status: null, error: `refused by the webhook URL policy: ${verdict.reason}` };
      const url = new URL(request.url);
      const signature = new Webhook(request.secret).sign(
        request.messageId,
        new Date(request.nowMs),
        request.body,
      );
      const headers = {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': 'Orderloom-Webhooks/1',
        'webhook-id': request.messageId,
        'webhook-timestamp': String(Math.floor(request.nowMs / 1000)),
        'webhook-signature': signature,
      };
      const lookup = policy.lookupFor(url);
      return new Promise<SendOutcome>((settle) => {
        const transport = url.protocol === 'https:' ? https : http;
        const req = transport.request(url, {
          method: 'POST',
          headers,
          agent: agents[url.protocol === 'https:' ? 'https:' : 'http:'],
          ...(lookup ? { lookup } : {}),
        });
        // A plain timer rather than `signal: AbortSignal.timeout()`, which costs ≈10 µs a request to set
        // up — a tenth of a whole send here.
        const timer = setTimeout(() => req.destroy(new TimeoutError(timeoutMs)), timeoutMs).unref();
        const resolve = (outcome: SendOutcome) => {
          clearTimeout(timer);
          settle(outcome);
        };
        req.on('response', (res) => {
          const status = res.statusCode ?? 0;
          const retryAfter = res.headers['retry-after'];
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (text.length < maxErrorBody) text += chunk;
          });
          res.on('error', (err: NodeJS.ErrnoException) => {
            resolve({ status, error: describeError(err, timeoutMs) });
          });
          res.on('end', () => {
            if (status >= 200 && status < 300) {
              resolve({ status, error: null });
              return;
            }
            const location = status >= 300 && status < 400 ? res.headers.location : undefined;
            const detail = location
              ? `redirect to ${location} not followed`
              : text.trim().slice(0, maxErrorBody) || (res.statusMessage ?? '');
            resolve({ status, error: `HTTP ${status}${detail ? `: ${detail}` : ''}`, retryAfter });
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          resolve({ status: null, error: describeError(err, timeoutMs) });
        });
        req.end(request.body);
      });
    },

    /** Closes pooled connections. */
    close(): void {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** The whole exchange took longer than the sender's `timeoutMs`. */
class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
  }
}

function describeError(err: NodeJS.ErrnoException, timeoutMs: number): string {
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no response within ${timeoutMs} ms`;
  if (err.code === urlPolicyErrorCode) return `refused by the webhook URL policy: ${err.message}`;
  return err.code ? `${err.code}: ${err.message}` : err.message;
}
