import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { demoDefinitions } from '../../fixtures/demoDefinitions.ts';
import { definitionKinds } from '../definition.ts';
import { definitionJsonSchema, openApiComponents } from '../jsonSchema.ts';

// Formats (date-time, uri) are annotations for monaco; the zod schemas check them at validate().
const newAjv = () => new Ajv2020({ strict: false, validateFormats: false, allErrors: true });

describe('definitionJsonSchema', () => {
  it.each(definitionKinds)('is a draft 2020-12 schema that accepts the %s demo definition', (kind) => {
    const schema = definitionJsonSchema(kind);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const check = newAjv().compile(schema);
    const demo = demoDefinitions.find((d) => d.kind === kind);
    expect(check(demo), JSON.stringify(check.errors)).toBe(true);
  });

  it('describes the input side: defaulted fields may be left out, required ones may not', () => {
    const check = newAjv().compile(definitionJsonSchema('journey'));
    const minimal = {
      kind: 'journey',
      id: 'j',
      name: 'J',
      schemaVersion: 1,
      trigger: { system: 'wms', code: 'PICK_TIMEOUT' },
      steps: [{ id: 'tag', type: 'action', action: 'tag-order' }],
    };
    expect(check(minimal), JSON.stringify(check.errors)).toBe(true);
    const { name: _name, ...withoutName } = minimal;
    expect(check(withoutName)).toBe(false);
  });

  it('rejects a definition of another kind', () => {
    const check = newAjv().compile(definitionJsonSchema('routing'));
    expect(check(demoDefinitions.find((d) => d.kind === 'journey'))).toBe(false);
  });
});

describe('openApiComponents', () => {
  const { schemas } = openApiComponents();
  // An OpenAPI document holds its components under #/components/schemas; validate through one.
  const documentFor = (name: string) => ({ components: { schemas }, $ref: `#/components/schemas/${name}` });

  it('has the listed components', () => {
    expect(Object.keys(schemas).sort()).toEqual(
      [
        'AlertFact',
        'Definition',
        'JourneyDefinition',
        'LaneFact',
        'Order',
        'PlaybookDefinition',
        'Problem',
        'Report',
        'RoutingDefinition',
        'StatusGraphDefinition',
        'WarehouseFact',
      ].sort(),
    );
  });

  it('refers between components only by #/components/schemas/<Name>, and every reference resolves', () => {
    const refs = [...JSON.stringify(schemas).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(Object.keys(schemas)).toContain(ref?.slice('#/components/schemas/'.length));
    }
    for (const schema of Object.values(schemas)) {
      expect(schema.$schema).toBeUndefined();
      expect(schema.$id).toBeUndefined();
    }
  });

  it('Definition accepts every demo definition and rejects an unknown kind', () => {
    const check = newAjv().compile(documentFor('Definition'));
    for (const demo of demoDefinitions) expect(check(demo), JSON.stringify(check.errors)).toBe(true);
    expect(check({ ...demoDefinitions[0], kind: 'workflow' })).toBe(false);
  });

  it('Problem requires RFC 9457 members and well-formed reports', () => {
    const check = newAjv().compile(documentFor('Problem'));
    const problem = {
      type: 'https://orderloom.dev/problems/lint',
      title: 'The draft has lint errors',
      status: 422,
      detail: '1 error',
      errors: [{ path: '/transitions/0/guard', severity: 'error', message: 'guard does not compile' }],
    };
    expect(check(problem), JSON.stringify(check.errors)).toBe(true);
    expect(check({ ...problem, errors: [{ path: '/x', message: 'no severity' }] })).toBe(false);
    const { status: _status, ...withoutStatus } = problem;
    expect(check(withoutStatus)).toBe(false);
  });
});
