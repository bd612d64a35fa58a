import { z } from 'zod';
import { type DefinitionKind, definitionSchema, definitionSchemas } from './definition.ts';
import { alertFactSchema, laneFactSchema, orderSchema, warehouseFactSchema } from './facts.ts';
import { problemSchema } from './problem.ts';
import { reportSchema } from './report.ts';

/** A JSON Schema document (draft 2020-12), as produced by zod. */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

/**
 * The JSON Schema (draft 2020-12) of one definition kind, for monaco's JSON language service.
 * Input side: fields that have defaults are optional.
 */
export function definitionJsonSchema(kind: DefinitionKind): JsonSchema {
  return z.toJSONSchema(definitionSchemas[kind], { target: 'draft-2020-12', io: 'input' });
}

/** Component names of {@link openApiComponents}, in document order. */
const components = {
  RoutingDefinition: definitionSchemas.routing,
  StatusGraphDefinition: definitionSchemas['status-graph'],
  PlaybookDefinition: definitionSchemas.playbook,
  JourneyDefinition: definitionSchemas.journey,
  Definition: definitionSchema,
  Report: reportSchema,
  Problem: problemSchema,
  WarehouseFact: warehouseFactSchema,
  LaneFact: laneFactSchema,
  AlertFact: alertFactSchema,
  Order: orderSchema,
} as const;

export type OpenApiComponentName = keyof typeof components;

/**
 * `components` of an OpenAPI 3.1 document generated from the same zod schemas: every schema is a
 * JSON Schema 2020-12 object, and schemas refer to each other by `#/components/schemas/<Name>`
 * (e.g. `Definition` is a `oneOf` of the four kinds, `Problem.errors` refers to `Report`).
 *
 * @example
 * const doc = { openapi: '3.1.0', info, paths, components: openApiComponents() };
 */
export function openApiComponents(): { schemas: Record<OpenApiComponentName, JsonSchema> } {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out = {} as Record<OpenApiComponentName, JsonSchema>;
  for (const name of Object.keys(components) as OpenApiComponentName[]) {
    const schema = schemas[name];
    if (schema === undefined) throw new Error(`zod produced no JSON Schema for ${name}`);
    // Each component is embedded in one document, so it carries neither its own dialect nor its own $id.
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    out[name] = rest;
  }
  return { schemas: out };
}
