import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * A parsed Ed25519 public key: the key object, its raw 32 bytes (what libsodium verifies with), its SPKI
 * PEM and SHA-256 fingerprint of the DER SPKI.
 */
export interface Ed25519PublicKey {
  key: KeyObject;
  raw: Buffer;
  pem: string;
  fingerprint: string;
}

/**
 * Parses an Ed25519 public key given as SPKI PEM, or as base64 of the raw 32 bytes or of the DER SPKI.
 *
 * @throws Error saying why the text is not an Ed25519 public key.
 */
export function parseEd25519PublicKey(text: string): Ed25519PublicKey {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      key = createPublicKey({ key: trimmed, format: 'pem' });
    } else {
      if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error('not PEM and not base64');
      const der = Buffer.from(trimmed, 'base64');
      key =
        der.length === 32
          ? createPublicKey({
              key: { kty: 'OKP', crv: 'Ed25519', x: der.toString('base64url') },
              format: 'jwk',
            })
          : createPublicKey({ key: der, format: 'der', type: 'spki' });
    }
  } catch (err) {
    throw new Error(`not a public key (${err instanceof Error ? err.message : String(err)})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`an Ed25519 key is needed, this is ${key.asymmetricKeyType ?? 'not an asymmetric key'}`);
  }
  return describePublicKey(key);
}

/** The PEM and fingerprint of an Ed25519 public key object. */
export function describePublicKey(key: KeyObject): Ed25519PublicKey {
  const der = key.export({ format: 'der', type: 'spki' });
  return {
    key,
    raw: Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url'),
    pem: key.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}
