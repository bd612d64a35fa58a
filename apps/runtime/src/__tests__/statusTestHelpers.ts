import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import canonicalize from 'canonicalize';

/** A source system's Ed25519 key pair as a test holds it. */
export interface TestSigner {
  id: string;
  privateKey: KeyObject;
  /** SPKI PEM, as registered with PUT /api/sources/:system. */
  publicKeyPem: string;
  /** base64 of the raw 32-byte public key (the other accepted form). */
  publicKeyRaw: string;
}

/** A fresh Ed25519 key pair. */
export function newSigner(id: string): TestSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    id,
    privateKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyRaw: Buffer.from(String(jwk.x), 'base64url').toString('base64'),
  };
}

/** Signs an event as a source would: Ed25519 over the RFC 8785 canonical JSON without `signature`. */
export function signEvent<E extends Record<string, unknown>>(
  event: E,
  signer: TestSigner,
  options: { withKeyId?: boolean } = {},
): E & { signature: string } {
  const body: Record<string, unknown> = { ...event };
  if (options.withKeyId ?? true) body.keyId = signer.id;
  const text = canonicalize(body);
  if (text === undefined) throw new Error('not serialisable');
  return { ...(body as E), signature: sign(null, Buffer.from(text), signer.privateKey).toString('base64') };
}

let counter = 0;
/** A status event with a unique eventId. */
export function statusEvent(
  system: string,
  code: string,
  extra: { channel?: string; data?: Record<string, unknown>; occurredAt?: string } = {},
): Record<string, unknown> {
  counter += 1;
  return {
    eventId: `${system}-${code}-${counter}`,
    system,
    code,
    occurredAt: extra.occurredAt ?? '2026-11-11T00:00:00+08:00',
    ...(extra.channel ? { channel: extra.channel } : {}),
    ...(extra.data ? { data: extra.data } : {}),
  };
}
