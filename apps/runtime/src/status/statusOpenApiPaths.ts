import { systemDictionarySchema } from '@orderloom/schema';
import { allRoles, type JsonObject, operation, pathParam } from '../http/openApiOperation.ts';
import {
  alertPageSchema,
  alertSchema,
  checkpointListSchema,
  checkpointSchema,
  checkpointsQuerySchema,
  eventResultSchema,
  historyListSchema,
  importDictionaryQuerySchema,
  importDictionaryResponseSchema,
  listAlertsQuerySchema,
  listOrdersQuerySchema,
  orderDetailSchema,
  orderPageSchema,
  postEventQuerySchema,
  postEventRequestSchema,
  putSourceRequestSchema,
  sourceListSchema,
  sourceSchema,
  verifyResultSchema,
} from './statusApiSchemas.ts';

const orderId = pathParam('id', 'order id');

/** OpenAPI paths of sources, status events, orders, alerts, the audit chain and the dictionary import. */
export function statusPaths(): Record<string, JsonObject> {
  const importDictionary = operation({
    summary: 'Import a system’s status dictionary into the draft, with a semantic conflict report',
    tag: 'definitions',
    description:
      'Send JSON `{ system, statuses: [{ code, label, meaning, sets?, implies? }] }` or `text/csv` with the header ' +
      '`code,label,meaning,implies`. New codes are appended; known codes take the imported label and meaning, and ' +
      'the imported mapping when one is given (an analyst’s `sets`/`implies` survive a words-only import); codes ' +
      'the import does not list are kept. Saved as the next draft revision (409 when `baseRevision` is given and ' +
      'stale). `conflicts` lists, with JSON Pointers and node ids: the same label meaning different things in ' +
      'different systems, codes that map to nothing, facts no guard reads, implied states that do not exist, two ' +
      'codes of the system with the same meaning, and draft codes missing from the import.',
    roles: ['admin', 'analyst'],
    path: [pathParam('id', 'status-graph definition id'), pathParam('system', 'system id')],
    query: importDictionaryQuerySchema,
    body: systemDictionarySchema,
    ok: { status: 200, description: 'Merged', schema: importDictionaryResponseSchema },
    errors: {
      404: 'No such status graph',
      409: 'Stale baseRevision',
      422: 'The draft’s systems are not a list',
    },
  });
  const requestBody = importDictionary.requestBody as { content: Record<string, unknown> } | undefined;
  if (requestBody) {
    requestBody.content['text/csv'] = {
      schema: { type: 'string', description: 'header row code,label,meaning,implies; one code per line' },
    };
  }

  return {
    '/api/sources': {
      get: operation({
        summary: 'List source systems and their public keys',
        tag: 'sources',
        roles: allRoles,
        ok: { status: 200, description: 'Sources by system id', schema: sourceListSchema },
      }),
    },
    '/api/sources/{system}': {
      get: operation({
        summary: 'One source system',
        tag: 'sources',
        roles: allRoles,
        path: [pathParam('system', 'system id')],
        ok: { status: 200, description: 'The source', schema: sourceSchema },
        errors: { 404: 'Not registered' },
      }),
      put: operation({
        summary: 'Register a system and the Ed25519 keys its events must be signed with',
        tag: 'sources',
        description:
          'Replaces the key list. Rotation: PUT the old and the new key (both verify), switch the sender, then PUT ' +
          'without the old key; it stops verifying at once. With no keys (or when never registered) events need no ' +
          'signature. Keys: SPKI PEM, or base64 of the raw 32 bytes or of the DER SPKI.',
        roles: ['admin'],
        path: [pathParam('system', 'system id')],
        body: putSourceRequestSchema,
        ok: { status: 200, description: 'Updated', schema: sourceSchema },
        alsoOk: { status: 201, description: 'Registered' },
      }),
    },
    '/api/orders/{id}/events': {
      post: operation({
        summary: 'Apply a status event to an order',
        tag: 'orders',
        description:
          'Signature: when the system has keys, `signature` must be a base64 Ed25519 signature over the RFC 8785 ' +
          'canonical JSON of the body without `signature` (so `keyId` and an optional `orderId` are signed); ' +
          'otherwise 401, nothing stored, and an `invalid-signature` alert. Graph selection: a new order gets the ' +
          'status graph published in the environment (production unless `?environment=sandbox`) whose `channels` ' +
          'include the event’s channel, else the graph with no channels (the default); later events use the version ' +
          'that environment serves of the order’s graph. Unknown system or code → 422 and nothing stored. An event ' +
          'implying a state the graph cannot reach is stored and raises a `path-violation` alert. The order, ' +
          'history entries, alerts, SLA timers and outbox deliveries are written in one transaction. 201 when ' +
          'applied; a repeated (system, eventId) answers 200 with the original body and `Idempotent-Replayed: true`.',
        roles: ['service', 'admin'],
        path: [orderId],
        query: postEventQuerySchema,
        body: postEventRequestSchema,
        ok: { status: 201, description: 'Applied', schema: eventResultSchema },
        alsoOk: { status: 200, description: 'Duplicate: the original result' },
        errors: {
          401: 'Missing API key, or a missing or invalid source signature (`errors[0].path` is `/signature`)',
          409: 'The eventId was used for another order, or the order runs in the other environment',
          422: 'Unknown system (`/system`) or code (`/code`), or no status graph for the channel (`/channel`)',
        },
      }),
    },
    '/api/orders': {
      get: operation({
        summary: 'List orders by canonical status, channel or open alert',
        tag: 'orders',
        roles: allRoles,
        query: listOrdersQuerySchema,
        ok: { status: 200, description: 'One page, newest first', schema: orderPageSchema },
      }),
    },
    '/api/orders/{id}': {
      get: operation({
        summary: 'An order’s canonical status, facts, raw statuses, open alerts and SLA deadlines',
        tag: 'orders',
        roles: allRoles,
        path: [orderId],
        ok: { status: 200, description: 'The order', schema: orderDetailSchema },
        errors: { 404: 'No such order' },
      }),
    },
    '/api/orders/{id}/history': {
      get: operation({
        summary: 'An order’s entries in the tamper-evident log',
        tag: 'orders',
        roles: allRoles,
        path: [orderId],
        ok: { status: 200, description: 'Entries, oldest first', schema: historyListSchema },
        errors: { 404: 'No such order' },
      }),
    },
    '/api/alerts': {
      get: operation({
        summary: 'List alerts',
        tag: 'alerts',
        description: 'One alert per SLA stay: its level rises warning → breach → escalation as time passes.',
        roles: allRoles,
        query: listAlertsQuerySchema,
        ok: { status: 200, description: 'One page, newest first', schema: alertPageSchema },
      }),
    },
    '/api/alerts/{id}/ack': {
      post: operation({
        summary: 'Acknowledge an alert',
        tag: 'alerts',
        description: 'A later, higher level re-opens it.',
        roles: ['admin', 'analyst'],
        path: [pathParam('id', 'alert id')],
        ok: { status: 200, description: 'The alert', schema: alertSchema },
        errors: { 404: 'No such alert' },
      }),
    },
    '/api/audit/checkpoints': {
      get: operation({
        summary: 'Signed checkpoints of the log head, and the runtime’s public key',
        tag: 'audit',
        roles: allRoles,
        query: checkpointsQuerySchema,
        ok: { status: 200, description: 'One page, newest first', schema: checkpointListSchema },
      }),
      post: operation({
        summary: 'Sign a checkpoint of the current head now',
        tag: 'audit',
        description: 'Also done every ORDERLOOM_CHECKPOINT_INTERVAL_MS (default 60 s) and on shutdown.',
        roles: ['admin'],
        ok: { status: 201, description: 'Signed', schema: checkpointSchema },
        alsoOk: { status: 200, description: 'The head was already covered: the last checkpoint' },
      }),
    },
    '/api/audit/verify': {
      get: operation({
        summary: 'Verify the whole log against its hashes and the signed checkpoints',
        tag: 'audit',
        description:
          'Catches a changed, deleted or reordered entry, a re-hashed chain (at the first checkpoint after the ' +
          'rewrite) and a truncated tail (against the last checkpoint); `firstBad` names the first bad seq.',
        roles: allRoles,
        ok: { status: 200, description: 'The verdict', schema: verifyResultSchema },
      }),
    },
    '/api/audit/export': {
      get: operation({
        summary: 'Export the log for offline verification (NDJSON)',
        tag: 'audit',
        description:
          'Lines: `{ type: "runtime-key", keyId, publicKey }`, then `{ type: "entry", seq, orderId, hash, entry }` ' +
          'in seq order, then `{ type: "checkpoint", … }`. Verify with ' +
          '`pnpm --filter @orderloom/runtime exec tsx src/cli/verifyExport.ts <file> [--public-key <pem>]`.',
        roles: ['admin', 'analyst'],
        ok: { status: 200, description: 'NDJSON', contentType: 'application/x-ndjson' },
      }),
    },
    '/api/definitions/status-graph/{id}/dictionaries/{system}': { post: importDictionary },
  };
}
