/** How a failed delivery is retried: exponential backoff with full jitter, then dead-letter. */
export interface RetryPolicy {
  /** Attempts before a delivery is dead (the first send counts). */
  maxAttempts: number;
  /** Upper bound of the delay after the first failure, in ms. */
  baseDelayMs: number;
  /** Growth of the upper bound per further failure. */
  factor: number;
  /** Cap of the upper bound, in ms (a target's `Retry-After` is honoured beyond it). */
  maxDelayMs: number;
}

/** A source of uniform random numbers in [0, 1), injected so tests are deterministic. */
export type Rng = () => number;

/**
 * The delay before the next attempt after `attempts` failed ones, with "full jitter": uniform in
 * [0, min(maxDelay, base · factor^(attempts−1))), so retries of many deliveries spread out.
 *
 * @example
 * backoffDelay(3, { maxAttempts: 8, baseDelayMs: 1000, factor: 2, maxDelayMs: 60_000 }, () => 0.5); // 2000
 */
export function backoffDelay(attempts: number, policy: RetryPolicy, rng: Rng): number {
  const ceiling = Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * policy.factor ** Math.max(0, attempts - 1),
  );
  return Math.floor(rng() * ceiling);
}

/**
 * Reads an HTTP `Retry-After` value — delay seconds or an HTTP date — as milliseconds from `nowMs`.
 *
 * @returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names a weekday and month; Date.parse alone would also take "-5" as a year.
  const at = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
