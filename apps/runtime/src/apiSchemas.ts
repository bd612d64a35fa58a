import { definitionKindSchema, idSchema, reportSchema } from '@orderloom/schema';
import { z } from 'zod';

// Request envelopes and response shapes of the HTTP API. Routers parse with them, the OpenAPI
// document is generated from them, and the repositories' record types are inferred from them.

/** What a key may do: admins everything, analysts read and edit drafts, services read and call decisions. */
export const apiKeyRoles = ['admin', 'analyst', 'service'] as const;
/** An API key's role. */
export type ApiKeyRole = (typeof apiKeyRoles)[number];

/** The two environments a version can be published to. */
export const environments = ['sandbox', 'production'] as const;
/** An environment name. */
export type Environment = (typeof environments)[number];

const versionNumber = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const nullableVersion = versionNumber.nullable();
const timestamp = z.string().describe('ISO 8601 UTC timestamp');

// ---- requests -------------------------------------------------------------------------------

/** Body of `PUT /api/definitions/:kind/:id/draft`. */
export const saveDraftRequestSchema = z.strictObject({
  definition: z
    .unknown()
    .describe(
      'the draft definition; a JSON object whose kind and id equal the URL; saved even with lint errors',
    ),
  baseRevision: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .describe('the draftRevision this edit started from; 0 creates the definition'),
});

/** Body of `POST /api/definitions/:kind/:id/versions`. */
export const createVersionRequestSchema = z.strictObject({
  note: z.string().max(2000).default('').describe('what changed, for the version list'),
});

/** Body of `PUT /api/definitions/:kind/:id/environments/:env`. */
export const setEnvironmentRequestSchema = z.strictObject({
  version: versionNumber.describe('the version the environment should serve'),
});

/** Body of `POST /api/keys`. */
export const createKeyRequestSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('who or what uses the key; recorded as the actor of its writes'),
  role: z.enum(apiKeyRoles),
});

/** Query of `GET /api/definitions`. */
export const listDefinitionsQuerySchema = z.strictObject({ kind: definitionKindSchema.optional() });

const versionSelector = z
  .union([z.literal('draft'), z.string().regex(/^[1-9][0-9]{0,14}$/, 'a version number or "draft"')])
  .describe('a version number, or "draft"');

/** Query of `GET /api/definitions/:kind/:id/diff`. */
export const diffQuerySchema = z.strictObject({ from: versionSelector, to: versionSelector });

/** Query of `GET /api/audit/publications`. */
export const publicationsQuerySchema = z.strictObject({
  kind: definitionKindSchema.optional(),
  id: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'use the nextCursor of the previous page')
    .optional()
    .describe('nextCursor of the previous page'),
});

// ---- responses ------------------------------------------------------------------------------

/** The environments' current versions; null when never published there. */
export const environmentPointersSchema = z.object({ sandbox: nullableVersion, production: nullableVersion });

/** Metadata of one immutable version. */
export const versionInfoSchema = z.object({
  version: versionNumber,
  createdAt: timestamp,
  createdBy: z.string().describe('name of the key that created it, or "system"'),
  note: z.string(),
});

/** `GET /api/definitions/:kind/:id`. */
export const definitionDetailSchema = z.object({
  id: z.string(),
  kind: definitionKindSchema,
  draft: z.unknown().describe('the current draft, exactly as saved (it may have lint errors)'),
  draftRevision: z.number().int().min(1),
  versions: z.array(versionInfoSchema).describe('oldest first'),
  environments: environmentPointersSchema,
});

/** One item of `GET /api/definitions`. */
export const definitionSummarySchema = z.object({
  kind: definitionKindSchema,
  id: z.string(),
  name: z.string().nullable().describe("the draft's name"),
  draftRevision: z.number().int().min(1),
  updatedAt: timestamp,
  updatedBy: z.string(),
  latestVersion: nullableVersion,
  environments: environmentPointersSchema,
});

/** `GET /api/definitions`. */
export const definitionListSchema = z.object({ items: z.array(definitionSummarySchema) });

/** `PUT /api/definitions/:kind/:id/draft`. */
export const saveDraftResponseSchema = z.object({
  draftRevision: z.number().int().min(1).describe('send it as baseRevision with the next save'),
  reports: z.array(reportSchema).describe('lint reports of the saved draft'),
});

/** `POST /api/definitions/:kind/:id/versions`. */
export const createVersionResponseSchema = versionInfoSchema.extend({
  reports: z.array(reportSchema).describe('warnings of the frozen draft (errors prevent a version)'),
});

/** `GET /api/definitions/:kind/:id/versions/:n`. */
export const versionRecordSchema = versionInfoSchema.extend({
  kind: definitionKindSchema,
  id: z.string(),
  definition: z
    .unknown()
    .meta({ $ref: '#/components/schemas/Definition', description: 'the frozen definition' }),
});

/** `PUT /api/definitions/:kind/:id/environments/:env`. */
export const setEnvironmentResponseSchema = z.object({
  kind: definitionKindSchema,
  id: z.string(),
  environment: z.enum(environments),
  fromVersion: nullableVersion,
  toVersion: versionNumber,
  changed: z
    .boolean()
    .describe('false when the environment already pointed at this version (nothing recorded)'),
});

/** One environment change in the publication audit. */
export const publicationSchema = z.object({
  seq: z.number().int().min(1),
  at: timestamp,
  actor: z.string().describe('name of the key that made the change, or "system"'),
  actorKeyId: z.string().nullable(),
  kind: definitionKindSchema,
  id: z.string(),
  environment: z.enum(environments),
  fromVersion: nullableVersion,
  toVersion: versionNumber,
});

/** `GET /api/audit/publications`. */
export const publicationPageSchema = z.object({
  items: z.array(publicationSchema).describe('newest first'),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

/** An API key as listed (never with its secret). */
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(apiKeyRoles),
  createdAt: timestamp,
});

/** `POST /api/keys`: the only response that carries the secret. */
export const createdApiKeySchema = apiKeySchema.extend({
  secret: z.string().describe('olk_… — shown once; send as "Authorization: Bearer <secret>"'),
});

/** `GET /api/keys`. */
export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });

/** `GET /api/me`. */
export const meSchema = apiKeySchema.pick({ id: true, name: true, role: true });

/** `GET /health`. */
export const healthSchema = z.object({
  status: z.enum(['ok', 'error']),
  db: z.enum(['ok', 'error']),
  version: z.string(),
});

/** One RFC 6902 JSON Patch operation. */
export const jsonPatchOperationSchema = z.object({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
  from: z.string().optional(),
  value: z.unknown().optional(),
});

/** `GET /api/definitions/:kind/:id/diff`: an RFC 6902 JSON Patch turning `from` into `to`. */
export const jsonPatchSchema = z.array(jsonPatchOperationSchema);

export type VersionInfo = z.infer<typeof versionInfoSchema>;
export type EnvironmentPointers = z.infer<typeof environmentPointersSchema>;
export type DefinitionDetail = z.infer<typeof definitionDetailSchema>;
export type DefinitionSummary = z.infer<typeof definitionSummarySchema>;
export type VersionRecord = z.infer<typeof versionRecordSchema>;
export type Publication = z.infer<typeof publicationSchema>;
export type ApiKey = z.infer<typeof apiKeySchema>;
