import { describe, expect, it } from 'vitest';
import { peakSeasonRouting } from '../../fixtures/demoDefinitions.ts';
import { jsonPointer } from '../jsonPointer.ts';
import { validate } from '../validate.ts';
import { at, copy } from './helpers.ts';

describe('structural reports (zod)', () => {
  it('rejects anything but a JSON object, at the root pointer', () => {
    for (const json of [null, [], 'routing', 42]) {
      expect(validate('routing', json)).toEqual([
        { path: '', severity: 'error', message: 'a routing definition must be a JSON object' },
      ]);
    }
  });

  it('names each missing required field at its own pointer', () => {
    const reports = validate('journey', { kind: 'journey', schemaVersion: 1, trigger: { system: 'wms' } });
    expect(reports.map((r) => [r.path, r.severity])).toEqual([
      ['/id', 'error'],
      ['/name', 'error'],
      ['/trigger/code', 'error'],
      ['/steps', 'error'],
    ]);
    expect(reports[1]?.message).toBe('"name" is required (string)');
  });

  it('points into arrays by index', () => {
    const def = copy(peakSeasonRouting) as unknown as { factors: Record<string, unknown>[] };
    def.factors[1] = { ...def.factors[1], weight: 'heavy', direction: 'up' };
    const reports = validate('routing', def);
    expect(reports).toEqual([
      { path: '/factors/1/weight', severity: 'error', message: 'expected number, got "heavy"' },
      {
        path: '/factors/1/direction',
        severity: 'error',
        message: 'expected "higher-better" | "lower-better", got "up"',
      },
    ]);
  });

  it('escapes "/" and "~" in record keys (RFC 6901)', () => {
    const def = copy(peakSeasonRouting) as unknown as { segments: { weights: Record<string, unknown> }[] };
    const vip = at(def.segments, 0);
    vip.weights = { 'eta/ETA~1': -1 };
    expect(validate('routing', def).map((r) => r.path)).toEqual(['/segments/0/weights/eta~1ETA~01']);
  });

  it('reports an invalid fact path key at the key', () => {
    const reports = validate('status-graph', {
      kind: 'status-graph',
      id: 'g',
      name: 'G',
      schemaVersion: 1,
      states: [{ id: 'a', labels: { en: 'A' }, initial: true }],
      systems: [{ id: 'wms', statuses: [{ code: 'OUT', sets: { outboundNo: 'data.outboundNo' } }] }],
    });
    expect(reports).toEqual([
      {
        path: '/systems/0/statuses/0/sets/outboundNo',
        severity: 'error',
        message: 'invalid key "outboundNo": fact paths look like system.fact',
      },
    ]);
  });

  it('names the allowed values of an unknown step type', () => {
    const reports = validate('journey', {
      kind: 'journey',
      id: 'j',
      name: 'J',
      schemaVersion: 1,
      trigger: { system: 'wms', code: 'PICK_TIMEOUT' },
      steps: [{ id: 's', type: 'email' }],
    });
    expect(reports).toEqual([
      {
        path: '/steps/0/type',
        severity: 'error',
        message: 'unknown type; expected "condition" | "wait" | "action"',
      },
    ]);
  });

  it('reports a kind that disagrees once, at /kind', () => {
    const def = { ...copy(peakSeasonRouting), kind: 'journey' };
    const reports = validate('routing', def);
    expect(reports).toEqual([
      { path: '/kind', severity: 'error', message: 'kind is "journey" but a routing definition is expected' },
    ]);
  });

  it('still reports CEL errors while the structure is broken elsewhere', () => {
    const def = copy(peakSeasonRouting) as unknown as Record<string, unknown> & {
      segments: { when: string }[];
    };
    delete def.name;
    const vip = at(def.segments, 0);
    vip.when = 'order.customer.tier = "vip"';
    const reports = validate('routing', def);
    expect(reports.map((r) => r.path)).toEqual(['/name', '/segments/0/when']);
    expect(reports[1]).toMatchObject({ nodeId: 'vip', line: 1, column: 21 });
  });

  it('runs semantic rules only on a structurally valid definition', () => {
    const def = copy(peakSeasonRouting) as unknown as Record<string, unknown> & RoutingLike;
    def.fallbackTiers = ['own', 'own'];
    def.name = '';
    expect(validate('routing', def).map((r) => r.path)).toEqual(['/name']);
    def.name = 'Peak';
    expect(validate('routing', def).map((r) => r.path)).toEqual(['/fallbackTiers/1']);
  });
});

interface RoutingLike {
  fallbackTiers: string[];
  name: string;
}

describe('jsonPointer', () => {
  it('builds RFC 6901 pointers', () => {
    expect(jsonPointer([])).toBe('');
    expect(jsonPointer(['transitions', 2, 'guard'])).toBe('/transitions/2/guard');
    expect(jsonPointer(['a/b', 'm~n', ''])).toBe('/a~1b/m~0n/');
  });
});
