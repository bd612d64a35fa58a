import { type KeyObject, verify } from 'node:crypto';
import { checkpointSignedText, genesisHash, sha256Hex } from './status/chainEntry.ts';
import type { Checkpoint, VerifyResult } from './status/statusApiSchemas.ts';

/** One stored log entry as verification needs it (a database row or an export line). */
export interface LogRow {
  seq: number;
  /** The order the row is filed under; must agree with the entry. */
  orderId: string;
  /** The canonical JSON text of the entry. */
  entry: string;
  hash: string;
}

/** Incremental verifier of the log; see {@link createLogVerifier}. */
export interface LogVerifier {
  /** Checks the next row (rows must come in stored order). Returns false once a bad entry is found. */
  add(row: LogRow): boolean;
  /** The verdict after the last row. */
  finish(): VerifyResult;
}

/**
 * Verifies the tamper-evident log row by row, against the runtime's signed checkpoints:
 *
 * - a changed entry: its SHA-256 no longer matches its hash;
 * - a deleted entry: a gap in seq;
 * - reordered entries: the seq inside an entry differs from its position, or prevHash does not link;
 * - an entry changed and every later hash recomputed ("re-signed"): the chain is consistent again, but
 *   the first checkpoint at or after it signed a different head hash;
 * - a truncated tail: the last checkpoint covers a seq the log no longer has.
 *
 * Entries appended after the last checkpoint are only as safe as the chain; the runtime checkpoints at an
 * interval and on shutdown to keep that window short.
 *
 * @param publicKey the runtime's Ed25519 key; checkpoints not signed by it make verification fail
 * @param keyId its fingerprint, as written into each checkpoint
 */
export function createLogVerifier(
  publicKey: KeyObject,
  keyId: string,
  checkpoints: readonly Checkpoint[],
): LogVerifier {
  let expectedSeq = 1;
  let prevHash = genesisHash;
  let checked = 0;
  let firstBad: VerifyResult['firstBad'];
  const bySeq = new Map<number, Checkpoint[]>();
  let lastCheckpointSeq = 0;
  let previousCheckpointSeq = 0;

  // Checkpoints are checked up front: one with a bad signature is itself tampering.
  for (const c of checkpoints) {
    const signatureOk =
      c.keyId === keyId &&
      verify(
        null,
        Buffer.from(checkpointSignedText(c), 'utf8'),
        publicKey,
        Buffer.from(c.signature, 'base64'),
      );
    if (!signatureOk) {
      firstBad ??= {
        seq: c.seq,
        reason: `checkpoint ${c.id} (seq ${c.seq}) is not signed by the runtime key ${keyId.slice(0, 16)}…`,
      };
    }
    bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
    lastCheckpointSeq = Math.max(lastCheckpointSeq, c.seq);
  }

  const bad = (seq: number, reason: string): false => {
    firstBad = { seq, reason };
    return false;
  };

  return {
    add(row) {
      if (firstBad) return false;
      if (row.seq !== expectedSeq) {
        return row.seq > expectedSeq
          ? bad(expectedSeq, `entry ${expectedSeq} is missing (the next stored entry is ${row.seq})`)
          : bad(row.seq, `entry ${row.seq} appears again after entry ${expectedSeq - 1}`);
      }
      if (sha256Hex(row.entry) !== row.hash) {
        return bad(row.seq, 'the entry does not match its hash: it was changed');
      }
      let parsed: { seq?: unknown; prevHash?: unknown; orderId?: unknown };
      try {
        parsed = JSON.parse(row.entry) as typeof parsed;
      } catch {
        return bad(row.seq, 'the entry is not valid JSON');
      }
      if (parsed.seq !== row.seq) {
        return bad(row.seq, `the entry says it is seq ${String(parsed.seq)}: entries were reordered`);
      }
      if (parsed.prevHash !== prevHash) {
        return bad(
          row.seq,
          `prevHash does not match the hash of entry ${row.seq - 1}: entries were reordered or replaced`,
        );
      }
      if (parsed.orderId !== row.orderId) {
        return bad(
          row.seq,
          `the entry belongs to order ${String(parsed.orderId)}, but is filed under ${row.orderId}`,
        );
      }
      for (const c of bySeq.get(row.seq) ?? []) {
        if (c.hash !== row.hash) {
          return bad(
            row.seq,
            `checkpoint ${c.id} signed a different hash for seq ${row.seq}: an entry between seq ` +
              `${previousCheckpointSeq + 1} and ${row.seq} was rewritten and the chain re-hashed`,
          );
        }
      }
      if (bySeq.has(row.seq)) previousCheckpointSeq = row.seq;
      prevHash = row.hash;
      expectedSeq = row.seq + 1;
      checked += 1;
      return true;
    },

    finish() {
      const headSeq = expectedSeq - 1;
      if (!firstBad && lastCheckpointSeq > headSeq) {
        firstBad = {
          seq: headSeq + 1,
          reason: `the log ends at seq ${headSeq}, but a checkpoint covers seq ${lastCheckpointSeq}: the tail was truncated`,
        };
      }
      return {
        ok: firstBad === undefined,
        checked,
        checkpoints: checkpoints.length,
        headSeq,
        ...(firstBad ? { firstBad } : {}),
      };
    },
  };
}

/** Verifies a whole log held in memory (see {@link createLogVerifier}). */
export function verifyLog(
  rows: Iterable<LogRow>,
  checkpoints: readonly Checkpoint[],
  publicKey: KeyObject,
  keyId: string,
): VerifyResult {
  const verifier = createLogVerifier(publicKey, keyId, checkpoints);
  for (const row of rows) if (!verifier.add(row)) break;
  return verifier.finish();
}
