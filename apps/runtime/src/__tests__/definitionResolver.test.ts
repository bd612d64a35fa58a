import { peakSeasonRouting } from '@orderloom/schema/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefinitionResolver } from '../definitionResolver.ts';
import { startTestRuntime, type TestRuntime } from './testRuntime.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
  // Three versions whose names tell them apart; sandbox starts on 1.
  for (const [revision, name] of [
    [0, 'one'],
    [1, 'two'],
    [2, 'three'],
  ] as const) {
    await t.api('PUT', '/api/definitions/routing/hot/draft', {
      json: { definition: { ...peakSeasonRouting, id: 'hot', name }, baseRevision: revision },
    });
    await t.api('POST', '/api/definitions/routing/hot/versions', { json: { note: name } });
  }
});
afterAll(() => t.close());

const publish = async (environment: string, version: number) => {
  const res = await t.api('PUT', `/api/definitions/routing/hot/environments/${environment}`, {
    json: { version },
  });
  expect(res.status).toBe(200);
};

describe('definitionResolver', () => {
  it('switches to a newly published version on the next resolve, while a resolved one stays as it was', async () => {
    const compiled: string[] = [];
    const resolver = createDefinitionResolver(t.runtime.db, {
      compile: (definition) => {
        compiled.push(definition.name);
        return { label: definition.name };
      },
    });
    expect(resolver.resolvePublished('routing', 'hot', 'sandbox')).toBeUndefined();

    await publish('sandbox', 1);
    const inFlight = resolver.resolvePublished('routing', 'hot', 'sandbox');
    expect(inFlight).toMatchObject({
      kind: 'routing',
      id: 'hot',
      environment: 'sandbox',
      version: 1,
      compiled: { label: 'one' },
    });

    await publish('sandbox', 2);
    const next = resolver.resolvePublished('routing', 'hot', 'sandbox');
    expect(next?.version).toBe(2);
    expect(next?.definition.name).toBe('two');
    expect(inFlight?.version).toBe(1);
    expect(inFlight?.definition.name).toBe('one');

    // Production is independent and only follows its own pointer.
    expect(resolver.resolvePublished('routing', 'hot', 'production')).toBeUndefined();
    await publish('production', 2);
    expect(resolver.resolvePublished('routing', 'hot', 'production')?.version).toBe(2);

    // Rolling back reuses the compiled version 1: each version is compiled once.
    await publish('sandbox', 1);
    const rolledBack = resolver.resolvePublished('routing', 'hot', 'sandbox');
    expect(rolledBack?.version).toBe(1);
    expect(rolledBack?.compiled).toBe(inFlight?.compiled);
    for (let i = 0; i < 5; i++) resolver.resolvePublished('routing', 'hot', 'sandbox');
    expect(compiled).toEqual(['one', 'two']);
  });

  it('returns the parsed definition with defaults applied, frozen', async () => {
    await publish('sandbox', 3);
    const resolver = createDefinitionResolver(t.runtime.db);
    const resolved = resolver.resolvePublished('routing', 'hot', 'sandbox');
    expect(resolved?.definition).toMatchObject({ kind: 'routing', id: 'hot', name: 'three' });
    expect(resolved?.compiled).toBe(resolved?.definition);
    expect(Object.isFrozen(resolved?.definition)).toBe(true);
    expect(() => {
      (resolved?.definition as { name: string }).name = 'changed';
    }).toThrow(TypeError);
  });

  it('evicts the least recently used versions beyond its cache size', async () => {
    let compiles = 0;
    const resolver = createDefinitionResolver(t.runtime.db, {
      compile: () => ++compiles,
      maxCachedVersions: 1,
    });
    await publish('sandbox', 1);
    resolver.resolvePublished('routing', 'hot', 'sandbox');
    await publish('sandbox', 2);
    resolver.resolvePublished('routing', 'hot', 'sandbox');
    await publish('sandbox', 1);
    expect(resolver.resolvePublished('routing', 'hot', 'sandbox')?.compiled).toBe(3);
  });

  it('knows nothing of unknown definitions', () => {
    const resolver = createDefinitionResolver(t.runtime.db);
    expect(resolver.resolvePublished('routing', 'absent', 'production')).toBeUndefined();
    expect(resolver.resolvePublished('journey', 'hot', 'sandbox')).toBeUndefined();
  });
});
