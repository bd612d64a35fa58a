import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { KeysRepository } from './db/keysRepository.ts';

/** What {@link bootstrapAdminKey} did. */
export type AdminKeyBootstrap =
  | { created: false }
  | { created: true; source: 'environment'; keyId: string }
  | { created: true; source: 'generated'; keyId: string; secret: string; file: string };

/**
 * Makes sure an admin can sign in on a fresh installation. Only when no API key exists:
 * with `ORDERLOOM_ADMIN_KEY` set, an admin key with exactly that secret is created; otherwise a
 * random one is generated, printed once and written to `<dataDir>/admin-key.txt` (mode 0600).
 */
export function bootstrapAdminKey(deps: {
  keys: KeysRepository;
  config: Pick<Config, 'adminKey' | 'dataDir'>;
  logger: Logger;
  /** Where the generated secret is printed; stdout by default. */
  print?: (line: string) => void;
}): AdminKeyBootstrap {
  const { keys, config, logger } = deps;
  if (keys.count() > 0) {
    if (config.adminKey && !keys.findBySecret(config.adminKey)) {
      logger.warn('ORDERLOOM_ADMIN_KEY is ignored: API keys already exist and none has that secret');
    }
    return { created: false };
  }
  if (config.adminKey) {
    const key = keys.create({ name: 'admin', role: 'admin', secret: config.adminKey });
    logger.info({ keyId: key.id }, 'created the admin key from ORDERLOOM_ADMIN_KEY');
    return { created: true, source: 'environment', keyId: key.id };
  }
  const key = keys.create({ name: 'admin', role: 'admin' });
  const file = join(config.dataDir, 'admin-key.txt');
  writeFileSync(file, `${key.secret}\n`, { mode: 0o600 });
  // `mode` only applies when the file is created; an older file keeps its mode otherwise.
  chmodSync(file, 0o600);
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  print(`Orderloom admin API key (shown once, also saved to ${file}): ${key.secret}`);
  logger.info({ keyId: key.id, file }, 'generated an admin key');
  return { created: true, source: 'generated', keyId: key.id, secret: key.secret, file };
}
