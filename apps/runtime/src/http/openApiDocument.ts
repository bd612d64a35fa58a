import { openApiComponents } from '@orderloom/schema';
import { z } from 'zod';
import {
  apiKeyListSchema,
  createdApiKeySchema,
  createKeyRequestSchema,
  createVersionRequestSchema,
  createVersionResponseSchema,
  definitionDetailSchema,
  definitionListSchema,
  diffQuerySchema,
  healthSchema,
  jsonPatchSchema,
  listDefinitionsQuerySchema,
  meSchema,
  publicationPageSchema,
  publicationsQuerySchema,
  saveDraftRequestSchema,
  saveDraftResponseSchema,
  setEnvironmentRequestSchema,
  setEnvironmentResponseSchema,
  versionRecordSchema,
} from '../apiSchemas.ts';
import {
  createdSubscriptionSchema,
  createSubscriptionRequestSchema,
  deliveriesQuerySchema,
  deliveryPageSchema,
  deliverySchema,
  rotatedSecretSchema,
  subscriptionListSchema,
  subscriptionSchema,
} from '../effects/subscriptionSchemas.ts';
import { routingPaths } from '../routing/routingOpenApiPaths.ts';
import { statusPaths } from '../status/statusOpenApiPaths.ts';

type JsonObject = Record<string, unknown>;

const kindParam = {
  name: 'kind',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: ['routing', 'status-graph', 'playbook', 'journey'] },
  description: 'definition kind; any other value → 404',
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'definition id',
};

const problemDescriptions: Record<number, string> = {
  400: 'Invalid request: malformed JSON, unknown or invalid envelope fields (`errors` point into the body or query)',
  401: 'Missing or unknown API key',
  403: 'The key’s role may not do this',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body over the configured limit',
  415: 'Request body is not JSON',
  422: 'Definition has lint errors (`errors` lists every report)',
};

/** One operation of the document, as the path builders describe it. */
export interface OperationSpec {
  summary: string;
  tag: string;
  description?: string;
  /** Roles allowed; undefined = public (no key needed). */
  roles?: readonly string[];
  path?: readonly JsonObject[];
  query?: z.ZodObject;
  body?: z.ZodType;
  ok: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** A second success status with the same body (e.g. 201 when a PUT created the resource). */
  alsoOk?: { status: number; description: string };
  errors?: Record<number, string>;
}

/**
 * The OpenAPI 3.1 document of the runtime's HTTP API, with request and response schemas generated
 * from the same zod schemas the routers parse with, and definition/report/problem components from
 * `@orderloom/schema`.
 */
export function buildOpenApiDocument(version: string): JsonObject {
  const op = (spec: OperationSpec): JsonObject => {
    const errors: Record<number, string> = { ...(spec.errors ?? {}) };
    if (spec.roles) {
      errors[401] ??= problemDescriptions[401] ?? '';
      if (spec.roles.length < 3) errors[403] ??= problemDescriptions[403] ?? '';
    }
    if (spec.body) {
      errors[400] ??= problemDescriptions[400] ?? '';
      errors[413] ??= problemDescriptions[413] ?? '';
      errors[415] ??= problemDescriptions[415] ?? '';
    }
    if (spec.query) errors[400] ??= problemDescriptions[400] ?? '';
    const okContent = spec.ok.schema
      ? {
          content: {
            [spec.ok.contentType ?? 'application/json']: { schema: schemaOf(spec.ok.schema, 'output') },
          },
        }
      : {};
    const responses: JsonObject = { [spec.ok.status]: { description: spec.ok.description, ...okContent } };
    if (spec.alsoOk) responses[spec.alsoOk.status] = { description: spec.alsoOk.description, ...okContent };
    for (const [status, description] of Object.entries(errors)) {
      responses[status] = {
        description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    return {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.description || spec.roles
        ? {
            description: [spec.description, spec.roles ? `Roles: ${spec.roles.join(', ')}.` : undefined]
              .filter(Boolean)
              .join('\n\n'),
          }
        : {}),
      ...(spec.roles ? { security: [{ apiKey: [] }] } : { security: [] }),
      parameters: [...(spec.path ?? []), ...(spec.query ? queryParameters(spec.query) : [])],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(spec.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  };

  const all = ['admin', 'analyst', 'service'] as const;
  const definitionPath = [kindParam, idParam];

  return {
    openapi: '3.1.0',
    info: {
      title: 'Orderloom runtime API',
      version,
      description:
        'Definitions (routing, status-graph, playbook, journey) are edited as drafts, frozen into immutable ' +
        'versions and published to the sandbox and production environments. Authenticate with ' +
        '`Authorization: Bearer <API key>`. Errors are RFC 9457 problem+json with `errors: Report[]` where ' +
        'there are any. Unknown fields in request bodies and queries are rejected with 400.',
    },
    servers: [{ url: '/' }],
    components: {
      ...openApiComponents(),
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'olk_…' } },
    },
    security: [{ apiKey: [] }],
    paths: {
      '/health': {
        get: op({
          summary: 'Liveness and database check',
          tag: 'system',
          ok: { status: 200, description: 'Healthy', schema: healthSchema },
          errors: { 503: 'The database is not answering' },
        }),
      },
      '/metrics': {
        get: op({
          summary: 'Prometheus metrics',
          tag: 'system',
          ok: { status: 200, description: 'Prometheus text exposition format', contentType: 'text/plain' },
        }),
      },
      '/api/openapi.json': {
        get: op({
          summary: 'This document',
          tag: 'system',
          ok: { status: 200, description: 'OpenAPI 3.1 document' },
        }),
      },
      '/api/docs': {
        get: op({
          summary: 'API reference page (works offline)',
          tag: 'system',
          ok: { status: 200, description: 'HTML', contentType: 'text/html' },
        }),
      },
      '/api/me': {
        get: op({
          summary: 'The presented API key',
          tag: 'keys',
          roles: all,
          ok: { status: 200, description: 'Who is calling', schema: meSchema },
        }),
      },
      '/api/keys': {
        get: op({
          summary: 'List API keys (never their secrets)',
          tag: 'keys',
          roles: ['admin'],
          ok: { status: 200, description: 'Keys, oldest first', schema: apiKeyListSchema },
        }),
        post: op({
          summary: 'Create an API key',
          tag: 'keys',
          description:
            'The secret (`olk_` + 32 random bytes, base64url) is returned once; only its SHA-256 is stored.',
          roles: ['admin'],
          body: createKeyRequestSchema,
          ok: { status: 201, description: 'Created', schema: createdApiKeySchema },
        }),
      },
      '/api/keys/{keyId}': {
        delete: op({
          summary: 'Delete an API key',
          tag: 'keys',
          description: 'The key stops working immediately. The last admin key cannot be deleted (409).',
          roles: ['admin'],
          path: [{ name: 'keyId', in: 'path', required: true, schema: { type: 'string' } }],
          ok: { status: 204, description: 'Deleted' },
          errors: { 404: 'No such key', 409: 'The last admin key' },
        }),
      },
      '/api/definitions': {
        get: op({
          summary: 'List definitions',
          tag: 'definitions',
          roles: all,
          query: listDefinitionsQuerySchema,
          ok: { status: 200, description: 'Definitions ordered by kind, id', schema: definitionListSchema },
        }),
      },
      '/api/definitions/{kind}/{id}': {
        get: op({
          summary: 'A definition: draft, versions and environments',
          tag: 'definitions',
          roles: all,
          path: definitionPath,
          ok: { status: 200, description: 'The definition', schema: definitionDetailSchema },
          errors: { 404: 'Unknown kind or definition' },
        }),
      },
      '/api/definitions/{kind}/{id}/draft': {
        put: op({
          summary: 'Save the draft (optimistic concurrency)',
          tag: 'definitions',
          description:
            'Saves even with lint errors and returns the reports. `baseRevision` must equal the current ' +
            '`draftRevision` (0 creates the definition); otherwise 409 with `currentRevision` and nothing is saved. ' +
            'The definition must be a JSON object whose `kind` and `id` equal the URL (400 otherwise). ' +
            'Answers 201 when the definition was created, 200 otherwise.',
          roles: ['admin', 'analyst'],
          path: definitionPath,
          body: saveDraftRequestSchema,
          ok: { status: 200, description: 'Saved', schema: saveDraftResponseSchema },
          alsoOk: { status: 201, description: 'Created (baseRevision 0)' },
          errors: {
            404: 'Unknown kind',
            409: 'Stale baseRevision (the body carries `currentRevision`), or baseRevision 0 for an existing definition',
          },
        }),
      },
      '/api/definitions/{kind}/{id}/versions': {
        post: op({
          summary: 'Freeze the draft as the next immutable version',
          tag: 'definitions',
          roles: ['admin'],
          path: definitionPath,
          body: createVersionRequestSchema,
          ok: { status: 201, description: 'Version created', schema: createVersionResponseSchema },
          errors: { 404: 'Unknown kind or definition', 422: problemDescriptions[422] ?? '' },
        }),
      },
      '/api/definitions/{kind}/{id}/versions/{version}': {
        get: op({
          summary: 'One version',
          tag: 'definitions',
          roles: all,
          path: [
            ...definitionPath,
            { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          ],
          ok: { status: 200, description: 'The version', schema: versionRecordSchema },
          errors: { 404: 'Unknown kind, definition or version' },
        }),
      },
      '/api/definitions/{kind}/{id}/environments/{env}': {
        put: op({
          summary: 'Point an environment at a version (publish, promote, roll back)',
          tag: 'definitions',
          description:
            'Takes effect on the next request. Production only accepts a version that has been in sandbox. ' +
            'Every change is recorded in the publication audit; pointing at the current version records nothing.',
          roles: ['admin'],
          path: [
            ...definitionPath,
            {
              name: 'env',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: ['sandbox', 'production'] },
            },
          ],
          body: setEnvironmentRequestSchema,
          ok: {
            status: 200,
            description: 'The environment’s new pointer',
            schema: setEnvironmentResponseSchema,
          },
          errors: {
            404: 'Unknown kind, definition, environment or version',
            409: 'Production: the version has never been in sandbox',
          },
        }),
      },
      '/api/definitions/{kind}/{id}/diff': {
        get: op({
          summary: 'RFC 6902 JSON Patch from one version (or the draft) to another',
          tag: 'definitions',
          roles: all,
          path: definitionPath,
          query: diffQuerySchema,
          ok: { status: 200, description: 'JSON Patch turning `from` into `to`', schema: jsonPatchSchema },
          errors: { 404: 'Unknown kind, definition or version' },
        }),
      },
      '/api/audit/publications': {
        get: op({
          summary: 'Publication audit: every environment change, newest first',
          tag: 'audit',
          roles: all,
          query: publicationsQuerySchema,
          ok: { status: 200, description: 'One page', schema: publicationPageSchema },
        }),
      },
      ...subscriptionPaths(op),
      ...statusPaths(op),
      ...routingPaths(op),
    },
  };
}

function subscriptionPaths(op: (spec: OperationSpec) => JsonObject): Record<string, JsonObject> {
  const readers = ['admin', 'analyst'] as const;
  const subscriptionId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
  const deliveryId = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
  return {
    '/api/subscriptions': {
      get: op({
        summary: 'List subscriptions (never their secrets)',
        tag: 'subscriptions',
        roles: readers,
        ok: { status: 200, description: 'Subscriptions, oldest first', schema: subscriptionListSchema },
      }),
      post: op({
        summary: 'Subscribe a webhook or an MQTT topic to topics',
        tag: 'subscriptions',
        description:
          'Topics: `status.changed`, `alert.sla`, `alert.path-violation`, `decision.<strategy>`, `ping`; a pattern may ' +
          'end in `.*` (`alert.*`) or be `*`. Deliveries are written in the same transaction as the change that ' +
          'causes them and sent asynchronously, retried with exponential backoff and full jitter, and dead after the ' +
          'last attempt. Webhooks receive `POST { type, timestamp, data }` signed per Standard Webhooks ' +
          '(`webhook-id` — the same on every retry —, `webhook-timestamp`, `webhook-signature`); the `whsec_…` ' +
          'secret is returned once. A 410 answer disables the subscription; 429/503 `Retry-After` is honoured. ' +
          'Webhook URLs on loopback, private, link-local or unique-local addresses are refused (400 at ' +
          '`/target/url`) unless allow-listed in `ORDERLOOM_WEBHOOK_ALLOW`; the check is repeated at every send. ' +
          'MQTT targets receive `{ id, type, timestamp, data }` with QoS 1; `{topic}` in the MQTT topic is replaced ' +
          'by the delivery topic.',
        roles: ['admin'],
        body: createSubscriptionRequestSchema,
        ok: { status: 201, description: 'Created, with the secret', schema: createdSubscriptionSchema },
      }),
    },
    '/api/subscriptions/{id}': {
      get: op({
        summary: 'One subscription',
        tag: 'subscriptions',
        roles: readers,
        path: subscriptionId,
        ok: { status: 200, description: 'The subscription', schema: subscriptionSchema },
        errors: { 404: 'No such subscription' },
      }),
      delete: op({
        summary: 'Delete a subscription with its delivery log',
        tag: 'subscriptions',
        roles: ['admin'],
        path: subscriptionId,
        ok: { status: 204, description: 'Deleted' },
        errors: { 404: 'No such subscription' },
      }),
    },
    '/api/subscriptions/{id}/deliveries': {
      get: op({
        summary: 'Delivery log of a subscription, newest first, with every attempt',
        tag: 'subscriptions',
        roles: readers,
        path: subscriptionId,
        query: deliveriesQuerySchema,
        ok: { status: 200, description: 'One page', schema: deliveryPageSchema },
        errors: { 404: 'No such subscription' },
      }),
    },
    '/api/subscriptions/{id}/test': {
      post: op({
        summary: 'Send a `ping` delivery to this subscription only',
        tag: 'subscriptions',
        roles: ['admin'],
        path: subscriptionId,
        ok: { status: 202, description: 'Enqueued; poll GET /api/deliveries/{id}', schema: deliverySchema },
        errors: { 404: 'No such subscription', 409: 'The subscription is disabled' },
      }),
    },
    '/api/subscriptions/{id}/rotate-secret': {
      post: op({
        summary: 'Replace a webhook subscription’s signing secret',
        tag: 'subscriptions',
        roles: ['admin'],
        path: subscriptionId,
        ok: { status: 200, description: 'The new secret, shown once', schema: rotatedSecretSchema },
        errors: { 404: 'No such subscription', 409: 'Not a webhook subscription' },
      }),
    },
    '/api/deliveries/{id}': {
      get: op({
        summary: 'One delivery with its attempts',
        tag: 'subscriptions',
        roles: readers,
        path: deliveryId,
        ok: { status: 200, description: 'The delivery', schema: deliverySchema },
        errors: { 404: 'No such delivery' },
      }),
    },
    '/api/deliveries/{id}/redeliver': {
      post: op({
        summary: 'Send a delivered or dead delivery again',
        tag: 'subscriptions',
        description:
          'The delivery becomes pending, due now, with its attempt count reset; its `webhook-id` stays the same.',
        roles: ['admin'],
        path: deliveryId,
        ok: { status: 202, description: 'Pending again', schema: deliverySchema },
        errors: {
          404: 'No such delivery',
          409: 'Still pending, or the subscription is disabled',
        },
      }),
    },
  };
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  return rest;
}

function queryParameters(schema: z.ZodObject): JsonObject[] {
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      schema: propertySchema,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}
