import { type ChainedEntry, chainEntry, type EntryBody, genesisHash } from '../status/chainEntry.ts';
import type { Checkpoint, HistoryEntry } from '../status/statusApiSchemas.ts';
import type { Db } from './openDatabase.ts';

/** A stored row of the log, as verification reads it. */
export interface HistoryRow {
  seq: number;
  order_id: string;
  entry: string;
  hash: string;
}

interface CheckpointRow {
  id: number;
  seq: number;
  hash: string;
  at: string;
  key_id: string;
  signature: string;
}

/** The append-only, hash-chained log and its signed checkpoints. */
export type HistoryRepository = ReturnType<typeof createHistoryRepository>;

/**
 * Creates the repository of the tamper-evident log. {@link HistoryRepository.append} must run inside
 * the caller's transaction: it reads the head and writes after it, so the chain never forks.
 */
export function createHistoryRepository(db: Db) {
  const selectHead = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    'INSERT INTO history (seq, order_id, type, entry, hash) VALUES (@seq, @orderId, @type, @text, @hash)',
  );
  const selectByOrder = db.prepare<[string], HistoryRow>(
    'SELECT seq, order_id, entry, hash FROM history WHERE order_id = ? ORDER BY seq',
  );
  const selectAll = db.prepare<[], HistoryRow>('SELECT seq, order_id, entry, hash FROM history ORDER BY seq');
  const insertCheckpoint = db.prepare(
    'INSERT INTO checkpoints (seq, hash, at, key_id, signature) VALUES (@seq, @hash, @at, @keyId, @signature)',
  );
  const selectCheckpoints = db.prepare<{ before: number | null; limit: number }, CheckpointRow>(
    `SELECT id, seq, hash, at, key_id, signature FROM checkpoints
     WHERE (@before IS NULL OR id < @before) ORDER BY id DESC LIMIT @limit`,
  );
  const selectAllCheckpoints = db.prepare<[], CheckpointRow>(
    'SELECT id, seq, hash, at, key_id, signature FROM checkpoints ORDER BY id',
  );
  const selectLastCheckpoint = db.prepare<[], CheckpointRow>(
    'SELECT id, seq, hash, at, key_id, signature FROM checkpoints ORDER BY id DESC LIMIT 1',
  );

  const readHead = (): { seq: number; hash: string } => selectHead.get() ?? { seq: 0, hash: genesisHash };

  const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
    id: row.id,
    seq: row.seq,
    hash: row.hash,
    at: row.at,
    keyId: row.key_id,
    signature: row.signature,
  });

  return {
    /** The last entry's seq and hash (seq 0 and the genesis hash for an empty log). */
    head: readHead,

    /**
     * Appends entries after the head, in order. Call inside a transaction; pass the head when the
     * caller has just read it in the same transaction.
     */
    append(bodies: readonly EntryBody[], head = readHead()): ChainedEntry[] {
      let { seq, hash } = head;
      return bodies.map((body) => {
        const entry = chainEntry(body, seq + 1, hash);
        insert.run(entry);
        seq = entry.seq;
        hash = entry.hash;
        return entry;
      });
    },

    /** An order's entries, oldest first. */
    listByOrder(orderId: string): HistoryEntry[] {
      return selectByOrder.all(orderId).map(toHistoryEntry);
    },

    /** Every row in seq order, read lazily (for verification and export). */
    iterate(): IterableIterator<HistoryRow> {
      return selectAll.iterate();
    },

    /** Stores a signed checkpoint. */
    addCheckpoint(checkpoint: Omit<Checkpoint, 'id'>): Checkpoint {
      const { lastInsertRowid } = insertCheckpoint.run(checkpoint);
      return { id: Number(lastInsertRowid), ...checkpoint };
    },

    /** One page of checkpoints, newest first. */
    listCheckpoints(options: { before?: number | undefined; limit: number }): Checkpoint[] {
      return selectCheckpoints
        .all({ before: options.before ?? null, limit: options.limit })
        .map(toCheckpoint);
    },

    /** Every checkpoint, oldest first. */
    allCheckpoints(): Checkpoint[] {
      return selectAllCheckpoints.all().map(toCheckpoint);
    },

    /** The newest checkpoint, or undefined. */
    lastCheckpoint(): Checkpoint | undefined {
      const row = selectLastCheckpoint.get();
      return row ? toCheckpoint(row) : undefined;
    },
  };
}

/** A stored row as the API shows it. */
export function toHistoryEntry(row: HistoryRow): HistoryEntry {
  return { seq: row.seq, hash: row.hash, entry: JSON.parse(row.entry) as HistoryEntry['entry'] };
}
