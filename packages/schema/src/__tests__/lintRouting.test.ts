import { describe, expect, it } from 'vitest';
import { peakSeasonRouting } from '../../fixtures/demoDefinitions.ts';
import type { Factor, RoutingDefinition } from '../routingDefinition.ts';
import { validate } from '../validate.ts';
import { at, copy, expectClean, expectOneReport } from './helpers.ts';

const base = (): RoutingDefinition => copy(peakSeasonRouting);
const factor = (over: Partial<Factor>): Factor => ({
  id: 'extra',
  type: 'capacity',
  weight: 1,
  direction: 'higher-better',
  normalization: 'min-max',
  ...over,
});

describe('routing rules', () => {
  it('the peak-season strategy is clean (the passing case of every rule below)', () => {
    expectClean('routing', base());
  });

  describe('duplicate ids', () => {
    it.each([
      ['factors', (d: RoutingDefinition) => d.factors.push(factor({ id: 'cost' })), '/factors/8/id', 'cost'],
      [
        'constraints',
        (d: RoutingDefinition) => d.constraints.push({ id: 'stock', type: 'stock' }),
        '/constraints/3/id',
        'stock',
      ],
      [
        'parameter names',
        (d: RoutingDefinition) => d.parameters.push({ name: 'etaTolerance', value: 2, windows: [] }),
        '/parameters/2/name',
        'etaTolerance',
      ],
      [
        'segments',
        (d: RoutingDefinition) => d.segments.push({ id: 'vip', when: 'true', weights: {}, parameters: {} }),
        '/segments/1/id',
        'vip',
      ],
    ])('reports a repeated id among %s at the repeat', (_list, mutate, path, nodeId) => {
      const def = base();
      mutate(def);
      expectOneReport('routing', def, { path, severity: 'error', nodeId, message: /duplicate/ });
    });
  });

  describe('custom factors and constraints', () => {
    it('requires an expression on a custom factor', () => {
      const def = base();
      def.factors.push(factor({ id: 'margin', type: 'custom' }));
      expectOneReport('routing', def, { path: '/factors/8/expression', severity: 'error', nodeId: 'margin' });
    });

    it('accepts a custom factor with an expression', () => {
      const def = base();
      def.factors.push(factor({ id: 'margin', type: 'custom', expression: 'order.value / 100.0' }));
      expectClean('routing', def);
    });

    it('requires an expression on a custom constraint', () => {
      const def = base();
      def.constraints.push({ id: 'no-cold', type: 'custom' });
      expectOneReport('routing', def, {
        path: '/constraints/3/expression',
        severity: 'error',
        nodeId: 'no-cold',
      });
    });

    it('warns that an expression on a built-in factor is ignored', () => {
      const def = base();
      (def.factors[0] as Factor).expression = '1.0';
      expectOneReport('routing', def, {
        path: '/factors/0/expression',
        severity: 'warning',
        nodeId: 'capacity',
        message: /ignored/,
      });
    });
  });

  describe('parameters referenced by constraints and factors', () => {
    it('reports an eta constraint naming an unknown parameter', () => {
      const def = base();
      def.constraints[2] = { id: 'eta', type: 'eta', parameter: 'etaTolerence' };
      expectOneReport('routing', def, {
        path: '/constraints/2/parameter',
        severity: 'error',
        nodeId: 'eta',
        message: /unknown parameter "etaTolerence"/,
      });
    });

    it('warns about a parameter on a constraint that does not read one', () => {
      const def = base();
      def.constraints[0] = { id: 'stock', type: 'stock', parameter: 'etaTolerance' };
      expectOneReport('routing', def, {
        path: '/constraints/0/parameter',
        severity: 'warning',
        nodeId: 'stock',
      });
    });

    it('reports a factor weight parameter that does not exist', () => {
      const def = base();
      (def.factors[3] as Factor).weightParameter = 'shippingWeight';
      expectOneReport('routing', def, {
        path: '/factors/3/weightParameter',
        severity: 'error',
        nodeId: 'cost',
      });
    });
  });

  describe('segments', () => {
    it('reports weights naming unknown factors', () => {
      const def = base();
      at(def.segments, 0).weights.speed = 10;
      expectOneReport('routing', def, {
        path: '/segments/0/weights/speed',
        severity: 'error',
        nodeId: 'vip',
        message: /unknown factor "speed"/,
      });
    });

    it('reports parameters naming unknown parameters, and accepts known ones', () => {
      const def = base();
      const vip = at(def.segments, 0);
      vip.parameters = { etaTolerance: 1.1, speedBonus: 2 };
      const reports = validate('routing', def);
      expect(reports).toEqual([
        {
          path: '/segments/0/parameters/speedBonus',
          nodeId: 'vip',
          severity: 'error',
          message: 'unknown parameter "speedBonus"',
        },
      ]);
    });
  });

  describe('parameter windows', () => {
    const withWindows = (...windows: [string, string][]) => {
      const def = base();
      def.parameters[0] = {
        name: 'etaTolerance',
        value: 1,
        windows: windows.map(([from, to]) => ({ from, to, value: 1.3 })),
      };
      return def;
    };

    it('reports a window that ends before it starts', () => {
      const def = withWindows(['2026-11-12T00:00:00+08:00', '2026-11-10T00:00:00+08:00']);
      expectOneReport('routing', def, {
        path: '/parameters/0/windows/0/to',
        severity: 'error',
        nodeId: 'etaTolerance',
      });
    });

    it('compares instants, not strings: the same instant in two offsets is an empty window', () => {
      const def = withWindows(['2026-11-10T08:00:00+08:00', '2026-11-10T00:00:00Z']);
      expectOneReport('routing', def, { path: '/parameters/0/windows/0/to', severity: 'error' });
    });

    it('reports overlapping windows', () => {
      const def = withWindows(
        ['2026-11-10T00:00:00+08:00', '2026-11-12T00:00:00+08:00'],
        ['2026-11-11T00:00:00+08:00', '2026-11-13T00:00:00+08:00'],
      );
      expectOneReport('routing', def, {
        path: '/parameters/0/windows/1',
        severity: 'error',
        nodeId: 'etaTolerance',
        message: /overlaps window 0/,
      });
    });

    it('accepts back-to-back windows ([from, to) intervals)', () => {
      expectClean(
        'routing',
        withWindows(
          ['2026-11-10T00:00:00+08:00', '2026-11-11T00:00:00+08:00'],
          ['2026-11-11T00:00:00+08:00', '2026-11-12T00:00:00+08:00'],
        ),
      );
    });
  });

  it('reports a fallback tier listed twice', () => {
    const def = base();
    def.fallbackTiers = ['own', 'regional', 'own'];
    expectOneReport('routing', def, { path: '/fallbackTiers/2', severity: 'error', message: /"own"/ });
  });

  describe('weights', () => {
    it('warns when every factor weighs 0', () => {
      const def = base();
      def.factors = def.factors.map((f) => ({ ...f, weight: 0, weightParameter: undefined }));
      expectOneReport('routing', def, { path: '/factors', severity: 'warning' });
    });

    it('counts a weight parameter as the weight', () => {
      const def = base();
      def.factors = def.factors.map((f) => ({ ...f, weight: 0 }));
      // cost keeps weightParameter costWeight = 20, so scores still differ.
      expect(validate('routing', def).filter((r) => r.path === '/factors')).toEqual([]);
    });

    it('warns when a segment zeroes every factor', () => {
      const def = base();
      const vip = at(def.segments, 0);
      vip.weights = Object.fromEntries(def.factors.map((f) => [f.id, 0]));
      expectOneReport('routing', def, { path: '/segments/0/weights', severity: 'warning', nodeId: 'vip' });
    });
  });

  it('warns that fewest-parcels with maxParcels 1 never splits', () => {
    const def = base();
    def.split = { policy: 'fewest-parcels', maxParcels: 1 };
    expectOneReport('routing', def, { path: '/split/maxParcels', severity: 'warning' });
  });

  it('reports a segment condition that does not compile, with its position', () => {
    const def = base();
    const vip = at(def.segments, 0);
    vip.when = 'order.customer.tier == "vip" &&\n  order.channel in ["douyin"';
    const report = expectOneReport('routing', def, {
      path: '/segments/0/when',
      severity: 'error',
      nodeId: 'vip',
    });
    expect(report).toMatchObject({ line: 2, column: 29 });
    expect(report.message).toMatch(/segment condition does not compile: Expected RBRACKET, got EOF/);
  });
});
