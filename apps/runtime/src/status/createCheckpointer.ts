import type { Clock } from '@orderloom/engine';
import type { HistoryRepository } from '../db/historyRepository.ts';
import type { Db } from '../db/openDatabase.ts';
import { checkpointSignedText } from './chainEntry.ts';
import type { RuntimeSigningKey } from './runtimeSigningKey.ts';
import type { Checkpoint } from './statusApiSchemas.ts';

/** Signs checkpoints of the log head; see {@link createCheckpointer}. */
export interface Checkpointer {
  /** Signs and stores a checkpoint of the current head, unless the log is empty or the head is already covered. */
  checkpoint(): Checkpoint | undefined;
  /** Starts signing every `intervalMs`. */
  start(): void;
  /** Stops the interval and signs a last checkpoint (shutdown). */
  stop(): Checkpoint | undefined;
}

/**
 * Checkpoint policy: every `intervalMs` (ORDERLOOM_CHECKPOINT_INTERVAL_MS, default 60 s) when the head
 * moved since the last checkpoint, on shutdown, and on demand (`POST /api/audit/checkpoints`). A checkpoint
 * is the runtime's Ed25519 signature over `{ seq, hash, at, keyId }` of the head entry; verification
 * uses it to catch a re-hashed chain and a truncated tail.
 */
export function createCheckpointer(deps: {
  db: Db;
  history: HistoryRepository;
  key: RuntimeSigningKey;
  clock: Clock;
  intervalMs: number;
  onError?: (err: unknown) => void;
}): Checkpointer {
  const { db, history, key, clock } = deps;
  let timer: NodeJS.Timeout | undefined;

  const checkpointTx = db.transaction((): Checkpoint | undefined => {
    const head = history.head();
    if (head.seq === 0) return undefined;
    if (history.lastCheckpoint()?.seq === head.seq) return undefined;
    const unsigned = {
      seq: head.seq,
      hash: head.hash,
      at: new Date(clock.now()).toISOString(),
      keyId: key.keyId,
    };
    return history.addCheckpoint({ ...unsigned, signature: key.sign(checkpointSignedText(unsigned)) });
  });

  const checkpoint = () => checkpointTx.immediate();
  return {
    checkpoint,
    start() {
      if (timer || deps.intervalMs <= 0) return;
      timer = setInterval(() => {
        try {
          checkpoint();
        } catch (err) {
          deps.onError?.(err);
        }
      }, deps.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      return db.open ? checkpoint() : undefined;
    },
  };
}
