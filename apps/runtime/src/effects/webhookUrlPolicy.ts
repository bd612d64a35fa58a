import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { withTimeout } from './withTimeout.ts';

/** Address ranges a webhook may not reach unless allow-listed, with the word used in refusals. */
const deniedRanges: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (carrier-grade NAT)'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'unique-local'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const denied = deniedRanges.map(([address, prefix, family, label]) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return { list, label };
});

/** Error code of a connection refused by the policy at DNS lookup time. */
export const urlPolicyErrorCode = 'EORDERLOOM_URL_POLICY';

/** Verdict of {@link WebhookUrlPolicy.check}. */
export type UrlPolicyVerdict = { ok: true } | { ok: false; reason: string };

/** Which webhook URLs the runtime may call (see {@link createWebhookUrlPolicy}). */
export interface WebhookUrlPolicy {
  /** The allow-list entries the policy was built from. */
  readonly allow: readonly string[];
  /** Checks the scheme and the host: by name if allow-listed, else every address it resolves to. */
  check(url: string): Promise<UrlPolicyVerdict>;
  /**
   * A `lookup` for `http.request` that connects only to allowed addresses, so a DNS answer that
   * changed after {@link check} cannot redirect a send to a private address. Undefined when the
   * host is allow-listed by name (any address is fine then).
   */
  lookupFor(url: URL): LookupFunction | undefined;
}

interface AllowList {
  names: Set<string>;
  namePorts: Set<string>;
  anyPort: BlockList;
  byPort: Map<number, BlockList>;
}

/**
 * Parses `ORDERLOOM_WEBHOOK_ALLOW`: comma-separated host names (`hooks.internal`), addresses
 * (`127.0.0.1`, `::1`), either with a port (`localhost:9000`, `[::1]:9000`), or CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`). Blank entries are ignored.
 *
 * @returns the trimmed entries.
 * @throws Error naming each invalid entry.
 */
export function parseWebhookAllowList(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const errors: string[] = [];
  buildAllowList(entries, errors);
  if (errors.length > 0) throw new Error(errors.join('; '));
  return entries;
}

/**
 * Builds the webhook URL policy: `http`/`https` only, and no loopback, private (10/8, 172.16/12,
 * 192.168/16), shared, link-local, unique-local, multicast or unspecified addresses unless
 * allow-listed (entries as for {@link parseWebhookAllowList}).
 *
 * @example
 * const policy = createWebhookUrlPolicy(['127.0.0.1']);
 * await policy.check('http://127.0.0.1:9000/hook'); // { ok: true }
 * await policy.check('http://10.0.0.7/hook'); // { ok: false, reason: '10.0.0.7 is a private address…' }
 */
export function createWebhookUrlPolicy(
  allow: readonly string[] = [],
  options: { resolveTimeoutMs?: number } = {},
): WebhookUrlPolicy {
  const errors: string[] = [];
  const list = buildAllowList(allow, errors);
  if (errors.length > 0) throw new Error(errors.join('; '));
  const resolveTimeoutMs = options.resolveTimeoutMs ?? 5000;

  const addressAllowed = (address: string, port: number): boolean => {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (list.anyPort.check(address, family) || list.byPort.get(port)?.check(address, family)) return true;
    return rangeOf(address) === undefined;
  };
  const nameAllowed = (host: string, port: number) =>
    list.names.has(host) || list.namePorts.has(`${host}:${port}`);

  return {
    allow: [...allow],

    async check(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { ok: false, reason: 'not an absolute URL' };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { ok: false, reason: `the scheme ${url.protocol} is not allowed; use http or https` };
      }
      const host = hostOf(url);
      const port = portOf(url);
      if (nameAllowed(host, port)) return { ok: true };
      if (isIP(host)) {
        return addressAllowed(host, port) ? { ok: true } : { ok: false, reason: refusal(host, host) };
      }
      let addresses: LookupAddress[];
      try {
        addresses = await withTimeout(resolveAll(host), resolveTimeoutMs, `resolving "${host}" timed out`);
      } catch (err) {
        return { ok: false, reason: `the host "${host}" does not resolve (${errorText(err)})` };
      }
      const first = addresses[0];
      if (!first) return { ok: false, reason: `the host "${host}" does not resolve` };
      // Sends connect only to the allowed addresses among those resolved (see lookupFor).
      if (!addresses.some((a) => addressAllowed(a.address, port))) {
        return { ok: false, reason: refusal(host, first.address) };
      }
      return { ok: true };
    },

    lookupFor(url) {
      const host = hostOf(url);
      const port = portOf(url);
      if (nameAllowed(host, port)) return undefined;
      const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
        dnsLookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
          if (err) {
            callback(err, '', 0);
            return;
          }
          const allowed = addresses.filter((a) => addressAllowed(a.address, port));
          const first = allowed[0];
          if (!first) {
            const policyError: NodeJS.ErrnoException = new Error(
              refusal(hostname, addresses[0]?.address ?? '(no address)'),
            );
            policyError.code = urlPolicyErrorCode;
            callback(policyError, '', 0);
            return;
          }
          // Only allowed addresses are handed to the socket, so it never connects anywhere else.
          if (lookupOptions.all) callback(null, allowed);
          else callback(null, first.address, first.family);
        });
      };
      return lookup;
    },
  };
}

function buildAllowList(entries: readonly string[], errors: string[]): AllowList {
  const list: AllowList = {
    names: new Set(),
    namePorts: new Set(),
    anyPort: new BlockList(),
    byPort: new Map(),
  };
  for (const entry of entries) {
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const [, address = '', prefixText = ''] = cidr;
      const version = isIP(address);
      const prefix = Number(prefixText);
      if (version === 0 || prefix > (version === 4 ? 32 : 128)) {
        errors.push(`"${entry}" is not a valid CIDR range`);
      } else {
        list.anyPort.addSubnet(address, prefix, version === 4 ? 'ipv4' : 'ipv6');
      }
      continue;
    }
    const withPort = /^\[([^\]]+)\]:(\d{1,5})$/.exec(entry) ?? /^([^:[\]]+):(\d{1,5})$/.exec(entry);
    const host = (withPort ? (withPort[1] ?? '') : entry.replace(/^\[(.*)\]$/, '$1')).toLowerCase();
    const port = withPort ? Number(withPort[2]) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) {
      errors.push(`"${entry}" has an invalid port`);
      continue;
    }
    const version = isIP(host);
    if (version !== 0) {
      const family = version === 4 ? 'ipv4' : 'ipv6';
      if (port === undefined) list.anyPort.addAddress(host, family);
      else {
        const forPort = list.byPort.get(port) ?? new BlockList();
        forPort.addAddress(host, family);
        list.byPort.set(port, forPort);
      }
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(host)) {
      if (port === undefined) list.names.add(host);
      else list.namePorts.add(`${host}:${port}`);
    } else {
      errors.push(`"${entry}" is neither a host name, an address, host:port nor a CIDR range`);
    }
  }
  return list;
}

function rangeOf(address: string): string | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return denied.find((d) => d.list.check(address, family))?.label;
}

function refusal(host: string, address: string): string {
  const label = rangeOf(address) ?? 'refused';
  const subject = host === address ? address : `"${host}" resolves to ${address}, which`;
  return `${subject} is a ${label} address; allow it with ORDERLOOM_WEBHOOK_ALLOW if this is intended`;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });
}

function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
