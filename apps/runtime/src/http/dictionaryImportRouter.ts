import { idSchema, type SystemDictionary, systemDictionarySchema, validate } from '@orderloom/schema';
import express, { Router } from 'express';
import type { DefinitionsRepository } from '../db/definitionsRepository.ts';
import { dictionaryFromCsv, mergeDictionary, semanticConflicts } from '../status/importDictionary.ts';
import { importDictionaryQuerySchema } from '../status/statusApiSchemas.ts';
import { actorOf, requireRole } from './auth.ts';
import { HttpProblem, issuesToReports, parseRequest } from './problem.ts';

/** Path of the dictionary import; `requireJsonBody` lets CSV through on it. */
export const dictionaryImportPath = /^\/definitions\/status-graph\/[^/]+\/dictionaries\/[^/]+\/?$/;

/**
 * `POST /api/definitions/status-graph/:id/dictionaries/:system`: merges a system's status dictionary
 * (JSON `{ system, statuses }` or CSV `code,label,meaning,implies`) into the draft, as a new draft
 * revision, and answers with the semantic conflict report. Mount after `authenticate`.
 */
export function dictionaryImportRouter({
  definitions,
  bodyLimit,
}: {
  definitions: DefinitionsRepository;
  bodyLimit: number;
}): Router {
  const router = Router();

  router.post(
    '/definitions/status-graph/:id/dictionaries/:system',
    requireRole('admin', 'analyst'),
    express.text({ type: 'text/csv', limit: bodyLimit }),
    (req, res) => {
      const id = String(req.params.id);
      const system = String(req.params.system);
      if (!idSchema.safeParse(system).success) {
        throw new HttpProblem('invalid-request', `"${system}" is not a valid system id.`);
      }
      const { baseRevision } = parseRequest(importDictionaryQuerySchema, req.query, 'query');
      const dictionary = readDictionary(
        req.is('text/csv') ? String(req.body ?? '') : req.body,
        system,
        !!req.is('text/csv'),
      );

      const current = definitions.getDraft('status-graph', id);
      if (!current) throw new HttpProblem('not-found', `There is no status-graph definition "${id}".`);
      if (baseRevision !== undefined && baseRevision !== current.draftRevision) {
        throw staleRevision(current.draftRevision, baseRevision);
      }
      let merged: ReturnType<typeof mergeDictionary>;
      try {
        merged = mergeDictionary(current.draft, dictionary);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new HttpProblem('lint-errors', `The draft cannot take a dictionary: ${message}.`, {
          errors: [{ path: '/systems', severity: 'error', message }],
        });
      }
      const saved = definitions.saveDraft({
        kind: 'status-graph',
        id,
        definition: merged.draft,
        baseRevision: current.draftRevision,
        actor: actorOf(res),
      });
      if (!saved.ok) throw staleRevision(saved.currentRevision, current.draftRevision);
      res.json({
        draftRevision: saved.draftRevision,
        system,
        added: merged.added,
        updated: merged.updated,
        conflicts: semanticConflicts(
          merged.draft,
          system,
          dictionary.statuses.map((s) => s.code),
        ),
        reports: validate('status-graph', merged.draft),
      });
    },
  );

  return router;
}

function readDictionary(body: unknown, system: string, csv: boolean): SystemDictionary {
  if (csv) {
    const result = dictionaryFromCsv(system, String(body));
    if (!result.ok) {
      throw new HttpProblem(
        'invalid-request',
        `The CSV dictionary is invalid: ${result.errors[0]?.message}`,
        {
          errors: result.errors,
        },
      );
    }
    return result.dictionary;
  }
  const parsed = systemDictionarySchema.safeParse(body ?? {});
  if (!parsed.success) {
    const errors = issuesToReports(parsed.error.issues);
    throw new HttpProblem(
      'invalid-request',
      `The dictionary is invalid: ${errors[0]?.path} ${errors[0]?.message}`,
      {
        errors,
      },
    );
  }
  if (parsed.data.system !== system) {
    const message = `must be "${system}", the system in the URL`;
    throw new HttpProblem('invalid-request', `/system: ${message}`, {
      errors: [{ path: '/system', severity: 'error', message }],
    });
  }
  return parsed.data;
}

function staleRevision(currentRevision: number, baseRevision: number): HttpProblem {
  return new HttpProblem(
    'stale-revision',
    `The draft is at revision ${currentRevision}, not ${baseRevision}: reload it and import again.`,
    { extensions: { currentRevision } },
  );
}
