import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { matchesTopic } from '../effects/matchesTopic.ts';
import { backoffDelay, parseRetryAfter } from '../effects/retryPolicy.ts';

const policy = { maxAttempts: 8, baseDelayMs: 1000, factor: 2, maxDelayMs: 10_000 };

describe('backoffDelay (full jitter)', () => {
  it('draws uniformly below an exponentially growing, capped ceiling', () => {
    const almostOne = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy, almostOne))).toEqual([
      999, 1999, 3999, 7999, 9999, 9999,
    ]);
    expect([1, 2, 3].map((n) => backoffDelay(n, policy, () => 0.25))).toEqual([250, 500, 1000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(2, { ...policy, factor: 3 }, () => 0.5)).toBe(1500);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  it('reads delay seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('matchesTopic', () => {
  it.each([
    ['*', 'status.changed', true],
    ['status.changed', 'status.changed', true],
    ['status.changed', 'status.changed.x', false],
    ['alert.*', 'alert.sla', true],
    ['alert.*', 'alert.path-violation', true],
    ['alert.*', 'alert', false],
    ['alert.*', 'alerts.sla', false],
    ['decision.*', 'decision.peak.season', true],
  ])('%s selects %s: %s', (pattern, topic, expected) => {
    expect(matchesTopic(pattern, topic)).toBe(expected);
  });
});

describe('delivery configuration', () => {
  it('has defaults and reads every variable', () => {
    expect(loadConfig({})).toMatchObject({
      webhookAllow: [],
      mqttBroker: { enabled: true, port: 1883, host: '127.0.0.1' },
      delivery: {
        retry: { maxAttempts: 10, baseDelayMs: 1000, factor: 2, maxDelayMs: 3_600_000 },
        timeoutMs: 10_000,
        concurrency: 8,
        pollIntervalMs: 500,
      },
    });
    expect(
      loadConfig({
        ORDERLOOM_MQTT_EMBEDDED: 'false',
        ORDERLOOM_MQTT_PORT: '11883',
        ORDERLOOM_MQTT_HOST: '0.0.0.0',
        ORDERLOOM_DELIVERY_MAX_ATTEMPTS: '3',
        ORDERLOOM_DELIVERY_BASE_DELAY_MS: '50',
        ORDERLOOM_DELIVERY_BACKOFF_FACTOR: '3',
        ORDERLOOM_DELIVERY_MAX_DELAY_MS: '900',
        ORDERLOOM_DELIVERY_TIMEOUT_MS: '700',
        ORDERLOOM_DELIVERY_CONCURRENCY: '2',
        ORDERLOOM_DELIVERY_POLL_MS: '250',
      }),
    ).toMatchObject({
      mqttBroker: { enabled: false, port: 11883, host: '0.0.0.0' },
      delivery: {
        retry: { maxAttempts: 3, baseDelayMs: 50, factor: 3, maxDelayMs: 900 },
        timeoutMs: 700,
        concurrency: 2,
        pollIntervalMs: 250,
      },
    });
    expect(() =>
      loadConfig({ ORDERLOOM_DELIVERY_MAX_ATTEMPTS: '0', ORDERLOOM_MQTT_EMBEDDED: 'maybe' }),
    ).toThrow(
      /ORDERLOOM_DELIVERY_MAX_ATTEMPTS[\s\S]*ORDERLOOM_MQTT_EMBEDDED|ORDERLOOM_MQTT_EMBEDDED[\s\S]*ORDERLOOM_DELIVERY_MAX_ATTEMPTS/,
    );
  });
});
