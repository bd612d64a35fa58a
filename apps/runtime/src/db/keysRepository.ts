import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKey, ApiKeyRole } from '../apiSchemas.ts';
import type { Db } from './openDatabase.ts';

/** Outcome of {@link KeysRepository.delete}. */
export type DeleteKeyResult = { ok: true } | { ok: false; reason: 'not-found' | 'last-admin' };

interface KeyRow {
  id: string;
  name: string;
  role: ApiKeyRole;
  created_at: string;
}

/** Storage of API keys; only SHA-256 hashes of secrets are kept. */
export type KeysRepository = ReturnType<typeof createKeysRepository>;

/** Generates a new key secret: `olk_` followed by 32 random bytes in base64url. */
export function generateKeySecret(): string {
  return `olk_${randomBytes(32).toString('base64url')}`;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

// Known keys by secret hash, shared by every repository over one connection (so a delete through any of
// them is seen by all): authentication then does no query per request. Only hits are kept, so a key
// created after a miss is found at once; a delete clears the whole cache.
const keyCaches = new WeakMap<Db, Map<string, ApiKey>>();
const maxCachedKeys = 1024;

function keyCacheOf(db: Db): Map<string, ApiKey> {
  let cache = keyCaches.get(db);
  if (!cache) {
    cache = new Map();
    keyCaches.set(db, cache);
  }
  return cache;
}

/** Creates the API key repository over a migrated database, with its statements prepared once. */
export function createKeysRepository(db: Db) {
  const insertKey = db.prepare(
    'INSERT INTO api_keys (id, name, role, secret_hash, created_at) VALUES (@id, @name, @role, @hash, @createdAt)',
  );
  const selectByHash = db.prepare<[string], KeyRow>(
    'SELECT id, name, role, created_at FROM api_keys WHERE secret_hash = ?',
  );
  const selectAll = db.prepare<[], KeyRow>(
    'SELECT id, name, role, created_at FROM api_keys ORDER BY created_at, id',
  );
  const selectRole = db.prepare<[string], ApiKeyRole>('SELECT role FROM api_keys WHERE id = ?').pluck();
  const countAll = db.prepare<[], number>('SELECT count(*) FROM api_keys').pluck();
  const countAdmins = db.prepare<[], number>(`SELECT count(*) FROM api_keys WHERE role = 'admin'`).pluck();
  const deleteKey = db.prepare('DELETE FROM api_keys WHERE id = ?');
  const cache = keyCacheOf(db);

  const deleteTx = db.transaction((id: string): DeleteKeyResult => {
    const role = selectRole.get(id);
    if (role === undefined) return { ok: false, reason: 'not-found' };
    // Removing the last admin key would leave nobody able to manage keys or publish.
    if (role === 'admin' && (countAdmins.get() ?? 0) <= 1) return { ok: false, reason: 'last-admin' };
    deleteKey.run(id);
    cache.clear();
    return { ok: true };
  });

  const toKey = (row: KeyRow): ApiKey => ({
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
  });

  return {
    /** Number of keys stored. */
    count(): number {
      return countAll.get() ?? 0;
    },

    /**
     * Stores a new key and returns it with its secret — the only time the secret is available.
     * Pass `secret` to adopt a given secret (the admin bootstrap); otherwise one is generated.
     */
    create(input: { name: string; role: ApiKeyRole; secret?: string }): ApiKey & { secret: string } {
      const secret = input.secret ?? generateKeySecret();
      const key: ApiKey = {
        id: randomUUID(),
        name: input.name,
        role: input.role,
        createdAt: new Date().toISOString(),
      };
      insertKey.run({ ...key, hash: hashSecret(secret) });
      return { ...key, secret };
    },

    /** The key a presented secret belongs to, or undefined. */
    findBySecret(secret: string): ApiKey | undefined {
      const hash = hashSecret(secret);
      const cached = cache.get(hash);
      if (cached) return cached;
      const row = selectByHash.get(hash);
      if (!row) return undefined;
      const key = Object.freeze(toKey(row));
      if (cache.size >= maxCachedKeys) cache.clear();
      cache.set(hash, key);
      return key;
    },

    /** All keys, oldest first, without secrets. */
    list(): ApiKey[] {
      return selectAll.all().map(toKey);
    },

    /** Deletes a key; the last admin key cannot be deleted. */
    delete(id: string): DeleteKeyResult {
      return deleteTx.immediate(id);
    },
  };
}
