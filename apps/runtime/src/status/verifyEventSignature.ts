import { type KeyObject, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { SourceKeys } from '../db/sourcesRepository.ts';

/** Outcome of {@link verifyEventSignature}. */
export type SignatureCheck =
  | { ok: true; keyId: string | null; verified: boolean }
  | {
      ok: false;
      reason: 'missing-signature' | 'unknown-key' | 'bad-signature' | 'malformed-signature';
      message: string;
    };

/**
 * The bytes a source signs: the RFC 8785 canonical JSON of the event as sent, without its `signature`
 * member (so `keyId`, and `orderId` when the sender includes it, are signed too).
 */
export function signedBytes(event: Readonly<Record<string, unknown>>): Buffer {
  const { signature: _signature, ...rest } = event;
  return Buffer.from(canonicalize(rest) ?? '', 'utf8');
}

/**
 * Checks a source's Ed25519 signature of an event. A system without keys (or not registered) needs no
 * signature; one with keys needs a valid signature by one of them — by the key `keyId` names, or by any
 * of them when it names none (during a rotation both the old and the new key verify).
 */
export async function verifyEventSignature(
  event: Readonly<Record<string, unknown>> & { signature?: string | undefined; keyId?: string | undefined },
  keys: SourceKeys | undefined,
): Promise<SignatureCheck> {
  const keyId = event.keyId ?? null;
  if (!keys || keys.size === 0) return { ok: true, keyId, verified: false };
  if (event.signature === undefined) {
    return {
      ok: false,
      reason: 'missing-signature',
      message: `system "${String(event.system)}" has public keys registered, so its events must be signed`,
    };
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(event.signature)) {
    return { ok: false, reason: 'malformed-signature', message: 'the signature is not base64' };
  }
  const signature = Buffer.from(event.signature, 'base64');
  if (signature.length !== 64) {
    return { ok: false, reason: 'malformed-signature', message: 'an Ed25519 signature is 64 bytes' };
  }
  let candidates: [string, KeyObject][];
  if (keyId !== null) {
    const key = keys.get(keyId);
    if (!key) {
      return {
        ok: false,
        reason: 'unknown-key',
        message: `key "${keyId}" is not (or no longer) registered for system "${String(event.system)}"`,
      };
    }
    candidates = [[keyId, key]];
  } else {
    candidates = [...keys.entries()];
  }
  const data = signedBytes(event);
  for (const [id, key] of candidates) {
    // With a callback, node verifies on the libuv thread pool, keeping the event loop free meanwhile.
    const valid = await new Promise<boolean>((resolve, reject) =>
      verify(null, data, key, signature, (err, ok) => (err ? reject(err) : resolve(ok))),
    );
    if (valid) return { ok: true, keyId: id, verified: true };
  }
  return {
    ok: false,
    reason: 'bad-signature',
    message: `the signature does not verify with ${keyId === null ? 'any registered key' : `key "${keyId}"`} of system "${String(event.system)}"`,
  };
}
