import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describePublicKey } from './ed25519Keys.ts';

/** The runtime's own Ed25519 key, which signs checkpoints of the log. */
export interface RuntimeSigningKey {
  publicKey: KeyObject;
  /** SPKI PEM of the public key. */
  publicKeyPem: string;
  /** SHA-256 fingerprint of the DER SPKI, hex; written into every checkpoint. */
  keyId: string;
  /** Ed25519 signature of a UTF-8 text, base64. */
  sign(text: string): string;
}

/**
 * Loads the runtime's signing key from a PKCS#8 PEM file, creating it (mode 0600) when it does not exist.
 *
 * @throws Error when the file holds something other than an Ed25519 private key.
 */
export function loadRuntimeSigningKey(file: string): RuntimeSigningKey {
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    // 'wx' fails if another process created it meanwhile, instead of overwriting its key.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${file} holds a ${privateKey.asymmetricKeyType} key; the runtime signs with Ed25519`);
  }
  return fromPrivateKey(privateKey);
}

/** A signing key held only in memory (tests, or an app built without a data directory). */
export function ephemeralRuntimeSigningKey(): RuntimeSigningKey {
  return fromPrivateKey(generateKeyPairSync('ed25519').privateKey);
}

function fromPrivateKey(privateKey: KeyObject): RuntimeSigningKey {
  const { key, pem, fingerprint } = describePublicKey(createPublicKey(privateKey));
  return {
    publicKey: key,
    publicKeyPem: pem,
    keyId: fingerprint,
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
  };
}
