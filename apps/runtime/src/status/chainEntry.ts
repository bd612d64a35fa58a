import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** prevHash of the first entry of the log. */
export const genesisHash = '0'.repeat(64);

/** The source signature recorded with an event entry. */
export interface EntrySignature {
  /** base64 Ed25519 signature as sent. */
  value: string;
  /** The key that verified it (or that the event named, when the system has no keys). */
  keyId: string | null;
  /** false when the system had no keys registered, so nothing was verified. */
  verified: boolean;
}

/** What an entry says, before it is numbered and chained. */
export type EntryBody =
  | {
      type: 'event';
      orderId: string;
      /** Epoch ms by the runtime's clock. */
      receivedAt: number;
      signature: EntrySignature | null;
      /** The event as received, without its `signature` member: the bytes the source signed. */
      event: Record<string, unknown>;
      /**
       * RFC 8785 JSON of `event` when the caller has it already (the signature check computes it); not
       * part of the entry, it only saves canonicalising the event twice.
       */
      eventText?: string | undefined;
    }
  | {
      type: 'transition';
      orderId: string;
      receivedAt: number;
      /** The signature of the event that caused the transition. */
      signature: EntrySignature | null;
      transition: { id: string; from: string; to: string; at: string };
      cause: { system: string; code: string; eventId: string; seq: number };
      graph: { id: string; version: number; environment: string };
    };

/** A chained entry as stored: its canonical JSON text and hash. */
export interface ChainedEntry {
  seq: number;
  orderId: string;
  type: EntryBody['type'];
  /** RFC 8785 canonical JSON of `{ seq, prevHash, ...body }` with `receivedAt` as ISO 8601. */
  text: string;
  /** SHA-256 of `text`, hex. */
  hash: string;
}

/**
 * Numbers and chains an entry: `hash = SHA-256(canonical JSON of { seq, prevHash, type, orderId,
 * receivedAt, signature, … })`. Because prevHash and seq are inside the hashed text, changing, removing
 * or reordering any entry breaks every later link.
 */
export function chainEntry(body: EntryBody, seq: number, prevHash: string): ChainedEntry {
  const receivedAt = new Date(body.receivedAt).toISOString();
  let text: string | undefined;
  if (body.type === 'event') {
    const { event, eventText, ...rest } = body;
    // RFC 8785 orders members by key: "event" sorts before every other member of an event entry, so
    // the canonical entry is the event's canonical text followed by the canonical rest.
    const eventJson = eventText ?? canonicalize(event);
    const restJson = canonicalize({ ...rest, receivedAt, seq, prevHash });
    if (eventJson !== undefined && restJson !== undefined)
      text = `{"event":${eventJson},${restJson.slice(1)}`;
  } else {
    text = canonicalize({ ...body, receivedAt, seq, prevHash });
  }
  if (text === undefined) throw new Error('entry is not JSON-serialisable');
  return { seq, orderId: body.orderId, type: body.type, text, hash: sha256Hex(text) };
}

/** SHA-256 of a UTF-8 string, hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The exact text a checkpoint signature covers. */
export function checkpointSignedText(c: { seq: number; hash: string; at: string; keyId: string }): string {
  return canonicalize({ seq: c.seq, hash: c.hash, at: c.at, keyId: c.keyId }) ?? '';
}
