import { type Ed25519PublicKey, parseEd25519PublicKey } from '../status/ed25519Keys.ts';
import type { Source } from '../status/statusApiSchemas.ts';
import type { Actor } from './definitionsRepository.ts';
import type { Db } from './openDatabase.ts';

interface SourceRow {
  system: string;
  public_keys: string;
  updated_at: string;
  updated_by: string;
}

interface StoredKey {
  id: string;
  publicKey: string;
  fingerprint: string;
}

/**
 * The keys an event of a system may be signed with, as raw 32-byte Ed25519 public keys by key id; empty
 * when the system needs no signature.
 */
export type SourceKeys = ReadonlyMap<string, Buffer>;

/** Registered source systems and their Ed25519 public keys. */
export type SourcesRepository = ReturnType<typeof createSourcesRepository>;

/**
 * Creates the repository of source systems. Parsed keys are cached per system and replaced on every
 * {@link SourcesRepository.put}, so a removed key stops verifying on the next event.
 */
export function createSourcesRepository(db: Db) {
  const selectOne = db.prepare<[string], SourceRow>(
    'SELECT system, public_keys, updated_at, updated_by FROM sources WHERE system = ?',
  );
  const selectAll = db.prepare<[], SourceRow>(
    'SELECT system, public_keys, updated_at, updated_by FROM sources ORDER BY system',
  );
  const upsert = db.prepare(
    `INSERT INTO sources (system, public_keys, updated_at, updated_by) VALUES (@system, @keys, @at, @actor)
     ON CONFLICT (system) DO UPDATE SET public_keys = excluded.public_keys, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by`,
  );
  const insertIfMissing = db.prepare(
    `INSERT INTO sources (system, public_keys, updated_at, updated_by) VALUES (@system, '[]', @at, @actor)
     ON CONFLICT (system) DO NOTHING`,
  );
  const cache = new Map<string, SourceKeys>();

  const toSource = (row: SourceRow): Source => {
    const keys = JSON.parse(row.public_keys) as StoredKey[];
    return {
      system: row.system,
      publicKeys: keys,
      signaturesRequired: keys.length > 0,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    };
  };

  return {
    /**
     * Registers a system or replaces its keys. Each key is parsed first; nothing is stored when one is
     * not an Ed25519 public key.
     *
     * @returns the stored source, or the index and reason of the first key that does not parse.
     */
    put(
      system: string,
      publicKeys: readonly { id: string; publicKey: string }[],
      actor: Actor,
    ): { ok: true; source: Source; created: boolean } | { ok: false; index: number; message: string } {
      const parsed: (Ed25519PublicKey & { id: string })[] = [];
      for (const [index, k] of publicKeys.entries()) {
        try {
          parsed.push({ id: k.id, ...parseEd25519PublicKey(k.publicKey) });
        } catch (err) {
          return { ok: false, index, message: err instanceof Error ? err.message : String(err) };
        }
      }
      const stored: StoredKey[] = parsed.map((k) => ({
        id: k.id,
        publicKey: k.pem,
        fingerprint: k.fingerprint,
      }));
      const created = selectOne.get(system) === undefined;
      upsert.run({ system, keys: JSON.stringify(stored), at: new Date().toISOString(), actor: actor.name });
      cache.set(system, new Map(parsed.map((k) => [k.id, k.raw])));
      const row = selectOne.get(system);
      if (!row) throw new Error(`source ${system} vanished after being written`);
      return { ok: true, source: toSource(row), created };
    },

    /** Registers systems without keys unless they exist (demo seeding). */
    ensureUnsigned(systems: readonly string[], actor: Actor): void {
      const at = new Date().toISOString();
      for (const system of systems) insertIfMissing.run({ system, at, actor: actor.name });
    },

    /** The source, or undefined when never registered. */
    get(system: string): Source | undefined {
      const row = selectOne.get(system);
      return row ? toSource(row) : undefined;
    },

    /** Every registered source, by system id. */
    list(): Source[] {
      return selectAll.all().map(toSource);
    },

    /** The verifying keys of a system by key id (undefined when the system is not registered). */
    keysOf(system: string): SourceKeys | undefined {
      const hit = cache.get(system);
      if (hit) return hit;
      const row = selectOne.get(system);
      if (!row) return undefined;
      const keys = new Map(
        (JSON.parse(row.public_keys) as StoredKey[]).map((k) => [
          k.id,
          parseEd25519PublicKey(k.publicKey).raw,
        ]),
      );
      cache.set(system, keys);
      return keys;
    },
  };
}
