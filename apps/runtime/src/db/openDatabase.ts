import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** An open better-sqlite3 connection. */
export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite database file with the settings the runtime relies on:
 * WAL journal, `synchronous=NORMAL` (a committed transaction survives a process crash),
 * foreign keys enforced and a busy timeout instead of immediate `SQLITE_BUSY`.
 * Run {@link migrate} on the result before use.
 */
export function openDatabase(file: string): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
