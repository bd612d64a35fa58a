import type { Definition } from '@orderloom/schema';
import { validate } from '@orderloom/schema';
import type { Logger } from 'pino';
import type { Actor } from './db/definitionsRepository.ts';
import { createDefinitionsRepository } from './db/definitionsRepository.ts';
import type { Db } from './db/openDatabase.ts';
import { createPublicationsRepository } from './db/publicationsRepository.ts';

const system: Actor = { name: 'system', keyId: null };

/**
 * Loads the demo definitions on first start, i.e. only while no definition exists: each is saved as
 * a draft, frozen as version 1 by `system`, then published to sandbox and production (recorded in
 * the publication audit with actor `system`). All or nothing, in one transaction.
 *
 * @returns the number of definitions seeded (0 when definitions already existed).
 */
export function seedDemo(db: Db, demoDefinitions: readonly Definition[], logger: Logger): number {
  const definitions = createDefinitionsRepository(db);
  const publications = createPublicationsRepository(db);

  return db
    .transaction(() => {
      if (definitions.count() > 0) return 0;
      for (const definition of demoDefinitions) {
        const { kind, id } = definition;
        definitions.saveDraft({ kind, id, definition, baseRevision: 0, actor: system });
        const created = definitions.createVersion({
          kind,
          id,
          note: 'Demo data loaded on first start',
          actor: system,
          lint: (draft) => validate(kind, draft),
        });
        if (!created.ok) {
          // A broken demo must not keep the runtime from starting; it stays an unpublished draft.
          logger.error({ kind, id, result: created }, 'demo definition has lint errors; left as a draft');
          continue;
        }
        for (const environment of ['sandbox', 'production'] as const) {
          publications.setEnvironment({
            kind,
            id,
            environment,
            version: created.version.version,
            actor: system,
          });
        }
      }
      logger.info({ count: demoDefinitions.length }, 'loaded demo definitions');
      return demoDefinitions.length;
    })
    .immediate();
}
