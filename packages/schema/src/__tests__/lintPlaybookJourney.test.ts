import { describe, expect, it } from 'vitest';
import { pickTimeoutJourney, typhoonPortPlaybook } from '../../fixtures/demoDefinitions.ts';
import { validate } from '../validate.ts';
import { at, copy, expectClean, expectOneReport } from './helpers.ts';

describe('playbook rules', () => {
  const base = () => copy(typhoonPortPlaybook);

  it('the typhoon playbook is clean (the passing case of every rule below)', () => {
    expectClean('playbook', base());
  });

  it('reports repeated source, scoring factor and disposal ids', () => {
    const def = base();
    def.sources.push({ ...at(def.sources, 0), name: 'again' });
    def.scoring.factors.push({ ...at(def.scoring.factors, 0) });
    def.disposals.push({ ...at(def.disposals, 0), label: 'again' });
    const reports = validate('playbook', def);
    expect(reports.map((r) => [r.path, r.nodeId, r.severity])).toEqual([
      ['/sources/2/id', 'port-authority', 'error'],
      ['/scoring/factors/3/id', 'expected-delay', 'error'],
      ['/disposals/3/id', 'ship-from-bonded', 'error'],
    ]);
  });

  it('warns below 3 one-click disposals', () => {
    const def = base();
    def.disposals = def.disposals.slice(0, 2);
    expectOneReport('playbook', def, { path: '/disposals', severity: 'warning', message: /at least 3/ });
  });

  it('warns when every scoring factor weighs 0', () => {
    const def = base();
    def.scoring.factors = def.scoring.factors.map((f) => ({ ...f, weight: 0 }));
    expectOneReport('playbook', def, { path: '/scoring/factors', severity: 'warning' });
  });

  it('reports a scoring expression that does not compile, with the factor as nodeId', () => {
    const def = base();
    at(def.scoring.factors, 1).expression = 'order.customer.tier == "vip" ? 1.0';
    const report = expectOneReport('playbook', def, {
      path: '/scoring/factors/1/expression',
      severity: 'error',
      nodeId: 'customer-tier',
    });
    expect(report.line).toBe(1);
    expect(report.column).toBe(35);
  });
});

describe('journey rules', () => {
  const base = () => copy(pickTimeoutJourney);

  it('the pick-timeout journey is clean (the passing case of every rule below)', () => {
    expectClean('journey', base());
  });

  it('reports a repeated step id', () => {
    const def = base();
    def.steps.push({ ...at(def.steps, 1) });
    expectOneReport('journey', def, {
      path: '/steps/4/id',
      severity: 'error',
      nodeId: 'tag-expected-delay',
    });
  });

  it('reports a journey without any action step', () => {
    const def = base();
    def.steps = def.steps.filter((s) => s.type !== 'action');
    expectOneReport('journey', def, { path: '/steps', severity: 'error', message: /at least one action/ });
  });

  it('warns about a wait with nothing after it', () => {
    const def = base();
    def.steps.push({ id: 'linger', type: 'wait', minutes: 30 });
    expectOneReport('journey', def, { path: '/steps/4', severity: 'warning', nodeId: 'linger' });
  });

  it('reports trigger and step conditions that do not compile', () => {
    const def = base();
    def.trigger.when = 'event.code ==';
    const step = def.steps[0];
    if (step?.type !== 'condition') throw new Error('the journey starts with a condition');
    step.when = '(order.status';
    const reports = validate('journey', def);
    expect(reports.map((r) => [r.path, r.nodeId, r.line, r.column])).toEqual([
      ['/trigger/when', 'trigger', 1, 14],
      ['/steps/0/when', 'still-in-warehouse', 1, 14],
    ]);
  });
});
