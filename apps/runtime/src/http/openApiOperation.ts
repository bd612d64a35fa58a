import { z } from 'zod';

/** A JSON object of the OpenAPI document. */
export type JsonObject = Record<string, unknown>;

/** Every role: any valid API key. */
export const allRoles = ['admin', 'analyst', 'service'] as const;

/** A required string path parameter. */
export function pathParam(name: string, description?: string): JsonObject {
  return {
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
    ...(description === undefined ? {} : { description }),
  };
}

/** The default description of each problem status an operation can answer. */
export const problemDescriptions: Record<number, string> = {
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
 * One OpenAPI operation: parameters and request body from the zod schemas the router parses with, the
 * success response, and problem+json responses for the statuses the spec's roles, body and query imply.
 */
export function operation(spec: OperationSpec): JsonObject {
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
