import type { DefinitionKind } from '@orderloom/schema';
import { definitionKinds, idSchema, validate } from '@orderloom/schema';
import { Router } from 'express';
import { createPatch } from 'rfc6902';
import {
  createVersionRequestSchema,
  diffQuerySchema,
  type Environment,
  environments,
  listDefinitionsQuerySchema,
  saveDraftRequestSchema,
  setEnvironmentRequestSchema,
} from '../apiSchemas.ts';
import type { DefinitionsRepository } from '../db/definitionsRepository.ts';
import type { PublicationsRepository } from '../db/publicationsRepository.ts';
import { actorOf, requireRole } from './auth.ts';
import { HttpProblem, parseRequest } from './problem.ts';

/** What the definitions routes need. */
export interface DefinitionsRouterDeps {
  definitions: DefinitionsRepository;
  publications: PublicationsRepository;
}

/**
 * Routes under `/api/definitions`: list, detail, draft save, version creation, environment
 * pointers, versions and diffs. Mount after `authenticate`.
 */
export function definitionsRouter({ definitions, publications }: DefinitionsRouterDeps): Router {
  const router = Router();

  router.param('kind', (_req, _res, next, kind: string) => {
    if (!isKind(kind)) {
      throw new HttpProblem(
        'not-found',
        `Unknown definition kind "${kind}"; use one of ${definitionKinds.join(', ')}.`,
      );
    }
    next();
  });
  router.param('env', (_req, _res, next, env: string) => {
    if (!(environments as readonly string[]).includes(env)) {
      throw new HttpProblem('not-found', `Unknown environment "${env}"; use sandbox or production.`);
    }
    next();
  });

  router.get('/definitions', (req, res) => {
    const { kind } = parseRequest(listDefinitionsQuerySchema, req.query, 'query');
    res.json({ items: definitions.list(kind) });
  });

  router.get('/definitions/:kind/:id', (req, res) => {
    const { kind, id } = target(req.params);
    res.json(definitions.get(kind, id) ?? notFound(kind, id));
  });

  router.put('/definitions/:kind/:id/draft', requireRole('admin', 'analyst'), (req, res) => {
    const { kind, id } = target(req.params);
    const { definition, baseRevision } = parseRequest(saveDraftRequestSchema, req.body, 'body');
    checkDraftMatchesUrl(definition, kind, id);
    const reports = validate(kind, definition);
    const result = definitions.saveDraft({ kind, id, definition, baseRevision, actor: actorOf(res) });
    if (!result.ok) {
      throw new HttpProblem(
        'stale-revision',
        `The draft is at revision ${result.currentRevision}, not ${baseRevision}: someone else saved first. ` +
          'Reload the draft, reapply your change and save with the current revision.',
        { extensions: { currentRevision: result.currentRevision } },
      );
    }
    res.status(baseRevision === 0 ? 201 : 200).json({ draftRevision: result.draftRevision, reports });
  });

  router.post('/definitions/:kind/:id/versions', requireRole('admin'), (req, res) => {
    const { kind, id } = target(req.params);
    const { note } = parseRequest(createVersionRequestSchema, req.body, 'body');
    const result = definitions.createVersion({
      kind,
      id,
      note,
      actor: actorOf(res),
      lint: (draft) => validate(kind, draft),
    });
    if (!result.ok) {
      if (result.reason === 'not-found') return notFound(kind, id);
      const errorCount = result.reports.filter((r) => r.severity === 'error').length;
      throw new HttpProblem(
        'lint-errors',
        `The draft has ${errorCount} lint error(s); fix them before creating a version.`,
        {
          errors: result.reports,
        },
      );
    }
    res.status(201).json({ ...result.version, reports: result.reports });
  });

  router.get('/definitions/:kind/:id/versions/:version', (req, res) => {
    const { kind, id } = target(req.params);
    const version = versionParam(String(req.params.version));
    const record = version === undefined ? undefined : definitions.getVersion(kind, id, version);
    if (!record) {
      if (!definitions.getDraft(kind, id)) notFound(kind, id);
      throw new HttpProblem('not-found', `${kind} "${id}" has no version ${req.params.version}.`);
    }
    res.json(record);
  });

  router.put('/definitions/:kind/:id/environments/:env', requireRole('admin'), (req, res) => {
    const { kind, id } = target(req.params);
    const environment = String(req.params.env) as Environment;
    const { version } = parseRequest(setEnvironmentRequestSchema, req.body, 'body');
    const result = publications.setEnvironment({ kind, id, environment, version, actor: actorOf(res) });
    if (!result.ok) {
      switch (result.reason) {
        case 'definition-not-found':
          return notFound(kind, id);
        case 'version-not-found':
          throw new HttpProblem('not-found', `${kind} "${id}" has no version ${version}.`);
        case 'not-in-sandbox':
          throw new HttpProblem(
            'conflict',
            `Version ${version} has never been in sandbox; publish it to sandbox before production.`,
          );
      }
    }
    res.json({
      kind,
      id,
      environment,
      fromVersion: result.fromVersion,
      toVersion: result.toVersion,
      changed: result.changed,
    });
  });

  router.get('/definitions/:kind/:id/diff', (req, res) => {
    const { kind, id } = target(req.params);
    const { from, to } = parseRequest(diffQuerySchema, req.query, 'query');
    const draft = definitions.getDraft(kind, id) ?? notFound(kind, id);
    const side = (selector: string): unknown => {
      if (selector === 'draft') return draft.draft;
      const record = definitions.getVersion(kind, id, Number(selector));
      if (!record) throw new HttpProblem('not-found', `${kind} "${id}" has no version ${selector}.`);
      return record.definition;
    };
    res.json(createPatch(side(from), side(to)));
  });

  return router;
}

function isKind(value: string): value is DefinitionKind {
  return (definitionKinds as readonly string[]).includes(value);
}

// `:kind` was checked by router.param; `:id` is any string, which simply matches nothing if odd.
function target(params: { kind?: unknown; id?: unknown }): { kind: DefinitionKind; id: string } {
  return { kind: String(params.kind) as DefinitionKind, id: String(params.id) };
}

function notFound(kind: DefinitionKind, id: string): never {
  throw new HttpProblem('not-found', `There is no ${kind} definition "${id}".`);
}

function versionParam(value: string): number | undefined {
  if (!/^[1-9][0-9]{0,14}$/.test(value)) return undefined;
  return Number(value);
}

function checkDraftMatchesUrl(
  definition: unknown,
  kind: DefinitionKind,
  id: string,
): asserts definition is Record<string, unknown> {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw invalidDefinition('/definition', 'must be a JSON object');
  }
  const record = definition as Record<string, unknown>;
  if (record.kind !== kind) {
    throw invalidDefinition('/definition/kind', `must be "${kind}", the kind in the URL`);
  }
  if (record.id !== id) {
    throw invalidDefinition('/definition/id', `must be "${id}", the id in the URL`);
  }
  const idCheck = idSchema.safeParse(id);
  if (!idCheck.success) {
    throw invalidDefinition('/definition/id', idCheck.error.issues[0]?.message ?? 'is not a valid id');
  }
}

function invalidDefinition(path: string, message: string): HttpProblem {
  return new HttpProblem('invalid-request', `${path}: ${message}`, {
    errors: [{ path, severity: 'error', message }],
  });
}
