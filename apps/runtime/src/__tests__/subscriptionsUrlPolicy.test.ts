import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createWebhookUrlPolicy, parseWebhookAllowList } from '../effects/webhookUrlPolicy.ts';

describe('webhook URL policy', () => {
  const strict = createWebhookUrlPolicy();

  it.each([
    ['http://127.0.0.1/h', '127.0.0.1 is a loopback address'],
    ['http://127.255.0.1/h', 'loopback'],
    ['http://10.0.0.1/h', 'private'],
    ['http://172.16.0.1/h', 'private'],
    ['http://172.31.255.255/h', 'private'],
    ['http://192.168.0.1/h', 'private'],
    ['http://169.254.169.254/h', 'link-local'],
    ['http://100.64.0.1/h', 'shared (carrier-grade NAT)'],
    ['http://0.0.0.0/h', 'unspecified'],
    ['http://[::1]/h', 'loopback'],
    ['http://[::]/h', 'unspecified'],
    ['http://[fd12:3456::1]/h', 'unique-local'],
    ['http://[fe80::1]/h', 'link-local'],
    ['http://[::ffff:10.0.0.1]/h', 'private'],
    ['http://2130706433/h', 'loopback'],
    ['http://0x7f.1/h', 'loopback'],
  ])('refuses %s', async (url, reason) => {
    const verdict = await strict.check(url);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it.each([
    'http://172.15.255.255/h',
    'http://172.32.0.1/h',
    'https://93.184.216.34/h',
    'http://[2001:db8::1]/h',
  ])('accepts the public address %s', async (url) => {
    expect(await strict.check(url)).toEqual({ ok: true });
  });

  it('refuses other schemes and names that resolve to loopback', async () => {
    expect(await strict.check('ftp://93.184.216.34/h')).toMatchObject({ ok: false, reason: /scheme ftp:/ });
    expect(await strict.check('http://localhost:8080/h')).toMatchObject({
      ok: false,
      reason: /^"localhost" resolves to (127\.0\.0\.1|::1), which is a loopback address/,
    });
  });

  it('admits allow-listed hosts, host:port pairs, addresses and CIDR ranges', async () => {
    const policy = createWebhookUrlPolicy([
      'localhost:9000',
      'hooks.internal',
      '10.20.0.0/16',
      '[::1]:8443',
      '192.168.1.5',
    ]);
    expect(await policy.check('http://localhost:9000/h')).toEqual({ ok: true });
    expect((await policy.check('http://localhost:9001/h')).ok).toBe(false);
    // An allow-listed name is trusted whatever it resolves to (here: nothing at all).
    expect(await policy.check('http://hooks.internal/h')).toEqual({ ok: true });
    expect(await policy.check('http://10.20.3.4:81/h')).toEqual({ ok: true });
    expect((await policy.check('http://10.21.0.1/h')).ok).toBe(false);
    expect(await policy.check('https://[::1]:8443/h')).toEqual({ ok: true });
    expect((await policy.check('https://[::1]/h')).ok).toBe(false);
    expect(await policy.check('http://192.168.1.5:7000/h')).toEqual({ ok: true });
    expect((await policy.check('http://192.168.1.6/h')).ok).toBe(false);
  });

  it('connects only to allowed addresses when the name is not allow-listed', async () => {
    const lookup = createWebhookUrlPolicy(['127.0.0.1']).lookupFor(new URL('http://localhost:1/h'));
    expect(lookup).toBeDefined();
    const addresses = await new Promise<unknown>((resolve, reject) =>
      lookup?.('localhost', { all: true }, (err, result) => (err ? reject(err) : resolve(result))),
    );
    expect(addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
    const refused = createWebhookUrlPolicy().lookupFor(new URL('http://localhost:1/h'));
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      refused?.('localhost', { all: true }, (err) => resolve(err)),
    );
    expect(error).toMatchObject({ code: 'EORDERLOOM_URL_POLICY', message: /loopback address/ });
    expect(
      createWebhookUrlPolicy(['hooks.internal']).lookupFor(new URL('http://hooks.internal/h')),
    ).toBeUndefined();
  });

  it('parses ORDERLOOM_WEBHOOK_ALLOW and names bad entries', () => {
    expect(parseWebhookAllowList(' 127.0.0.1, ,localhost:9000 ,10.0.0.0/8,[::1]:80 ')).toEqual([
      '127.0.0.1',
      'localhost:9000',
      '10.0.0.0/8',
      '[::1]:80',
    ]);
    expect(parseWebhookAllowList(undefined)).toEqual([]);
    expect(() => parseWebhookAllowList('10.0.0.0/33,host:99999,bad host')).toThrow(
      /"10\.0\.0\.0\/33" is not a valid CIDR range; "host:99999" has an invalid port; "bad host" is neither/,
    );
    expect(() => loadConfig({ ORDERLOOM_WEBHOOK_ALLOW: '300.1.1.1/8' })).toThrow(/ORDERLOOM_WEBHOOK_ALLOW/);
    expect(loadConfig({ ORDERLOOM_WEBHOOK_ALLOW: '127.0.0.1' }).webhookAllow).toEqual(['127.0.0.1']);
  });
});
