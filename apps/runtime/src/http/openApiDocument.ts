import { openApiComponents } from '@orderloom/schema';
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
import { allRoles, type JsonObject, operation, pathParam, problemDescriptions } from './openApiOperation.ts';

const kindParam = {
  name: 'kind',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: ['routing', 'status-graph', 'playbook', 'journey'] },
  description: 'definition kind; any other value → 404',
};
const idParam = pathParam('id', 'definition id');

/**
 * The OpenAPI 3.1 document of the runtime's HTTP API, with request and response schemas generated
 * from the same zod schemas the routers parse with, and definition/report/problem components from
 * `@orderloom/schema`.
 */
export function buildOpenApiDocument(version: string): JsonObject {
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
        get: operation({
          summary: 'Liveness and database check',
          tag: 'system',
          ok: { status: 200, description: 'Healthy', schema: healthSchema },
          errors: { 503: 'The database is not answering' },
        }),
      },
      '/metrics': {
        get: operation({
          summary: 'Prometheus metrics',
          tag: 'system',
          ok: { status: 200, description: 'Prometheus text exposition format', contentType: 'text/plain' },
        }),
      },
      '/api/openapi.json': {
        get: operation({
          summary: 'This document',
          tag: 'system',
          ok: { status: 200, description: 'OpenAPI 3.1 document' },
        }),
      },
      '/api/docs': {
        get: operation({
          summary: 'API reference page (works offline)',
          tag: 'system',
          ok: { status: 200, description: 'HTML', contentType: 'text/html' },
        }),
      },
      '/api/me': {
        get: operation({
          summary: 'The presented API key',
          tag: 'keys',
          roles: allRoles,
          ok: { status: 200, description: 'Who is calling', schema: meSchema },
        }),
      },
      '/api/keys': {
        get: operation({
          summary: 'List API keys (never their secrets)',
          tag: 'keys',
          roles: ['admin'],
          ok: { status: 200, description: 'Keys, oldest first', schema: apiKeyListSchema },
        }),
        post: operation({
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
        delete: operation({
          summary: 'Delete an API key',
          tag: 'keys',
          description: 'The key stops working immediately. The last admin key cannot be deleted (409).',
          roles: ['admin'],
          path: [pathParam('keyId')],
          ok: { status: 204, description: 'Deleted' },
          errors: { 404: 'No such key', 409: 'The last admin key' },
        }),
      },
      '/api/definitions': {
        get: operation({
          summary: 'List definitions',
          tag: 'definitions',
          roles: allRoles,
          query: listDefinitionsQuerySchema,
          ok: { status: 200, description: 'Definitions ordered by kind, id', schema: definitionListSchema },
        }),
      },
      '/api/definitions/{kind}/{id}': {
        get: operation({
          summary: 'A definition: draft, versions and environments',
          tag: 'definitions',
          roles: allRoles,
          path: definitionPath,
          ok: { status: 200, description: 'The definition', schema: definitionDetailSchema },
          errors: { 404: 'Unknown kind or definition' },
        }),
      },
      '/api/definitions/{kind}/{id}/draft': {
        put: operation({
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
        post: operation({
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
        get: operation({
          summary: 'One version',
          tag: 'definitions',
          roles: allRoles,
          path: [
            ...definitionPath,
            { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          ],
          ok: { status: 200, description: 'The version', schema: versionRecordSchema },
          errors: { 404: 'Unknown kind, definition or version' },
        }),
      },
      '/api/definitions/{kind}/{id}/environments/{env}': {
        put: operation({
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
        get: operation({
          summary: 'RFC 6902 JSON Patch from one version (or the draft) to another',
          tag: 'definitions',
          roles: allRoles,
          path: definitionPath,
          query: diffQuerySchema,
          ok: { status: 200, description: 'JSON Patch turning `from` into `to`', schema: jsonPatchSchema },
          errors: { 404: 'Unknown kind, definition or version' },
        }),
      },
      '/api/audit/publications': {
        get: operation({
          summary: 'Publication audit: every environment change, newest first',
          tag: 'audit',
          roles: allRoles,
          query: publicationsQuerySchema,
          ok: { status: 200, description: 'One page', schema: publicationPageSchema },
        }),
      },
      ...subscriptionPaths(),
      ...statusPaths(),
      ...routingPaths(),
    },
  };
}

function subscriptionPaths(): Record<string, JsonObject> {
  const readers = ['admin', 'analyst'] as const;
  const id = [pathParam('id')];
  return {
    '/api/subscriptions': {
      get: operation({
        summary: 'List subscriptions (never their secrets)',
        tag: 'subscriptions',
        roles: readers,
        ok: { status: 200, description: 'Subscriptions, oldest first', schema: subscriptionListSchema },
      }),
      post: operation({
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
      get: operation({
        summary: 'One subscription',
        tag: 'subscriptions',
        roles: readers,
        path: id,
        ok: { status: 200, description: 'The subscription', schema: subscriptionSchema },
        errors: { 404: 'No such subscription' },
      }),
      delete: operation({
        summary: 'Delete a subscription with its delivery log',
        tag: 'subscriptions',
        roles: ['admin'],
        path: id,
        ok: { status: 204, description: 'Deleted' },
        errors: { 404: 'No such subscription' },
      }),
    },
    '/api/subscriptions/{id}/deliveries': {
      get: operation({
        summary: 'Delivery log of a subscription, newest first, with every attempt',
        tag: 'subscriptions',
        roles: readers,
        path: id,
        query: deliveriesQuerySchema,
        ok: { status: 200, description: 'One page', schema: deliveryPageSchema },
        errors: { 404: 'No such subscription' },
      }),
    },
    '/api/subscriptions/{id}/test': {
      post: operation({
        summary: 'Send a `ping` delivery to this subscription only',
        tag: 'subscriptions',
        roles: ['admin'],
        path: id,
        ok: { status: 202, description: 'Enqueued; poll GET /api/deliveries/{id}', schema: deliverySchema },
        errors: { 404: 'No such subscription', 409: 'The subscription is disabled' },
      }),
    },
    '/api/subscriptions/{id}/rotate-secret': {
      post: operation({
        summary: 'Replace a webhook subscription’s signing secret',
        tag: 'subscriptions',
        roles: ['admin'],
        path: id,
        ok: { status: 200, description: 'The new secret, shown once', schema: rotatedSecretSchema },
        errors: { 404: 'No such subscription', 409: 'Not a webhook subscription' },
      }),
    },
    '/api/deliveries/{id}': {
      get: operation({
        summary: 'One delivery with its attempts',
        tag: 'subscriptions',
        roles: readers,
        path: id,
        ok: { status: 200, description: 'The delivery', schema: deliverySchema },
        errors: { 404: 'No such delivery' },
      }),
    },
    '/api/deliveries/{id}/redeliver': {
      post: operation({
        summary: 'Send a delivered or dead delivery again',
        tag: 'subscriptions',
        description:
          'The delivery becomes pending, due now, with its attempt count reset; its `webhook-id` stays the same.',
        roles: ['admin'],
        path: id,
        ok: { status: 202, description: 'Pending again', schema: deliverySchema },
        errors: {
          404: 'No such delivery',
          409: 'Still pending, or the subscription is disabled',
        },
      }),
    },
  };
}
