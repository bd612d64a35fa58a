import { compileRouting, compileStatusGraph, fixedClock, transition } from '@orderloom/engine';
import { loadAlerts, loadLanes, loadOrders, loadWarehouses } from '@orderloom/schema/fixtures';
import { chinaPeakStatusGraph, peakSeasonRouting } from '@orderloom/schema/fixtures/demo';
import { describe, expect, it } from 'vitest';
import { celCompletionContext, celCompletions } from '../monaco/celCompletions.ts';
import { celMarkerRange, celMarkers } from '../monaco/celMarkers.ts';
import { type CelVariable, routingCelVariables, statusGraphGuardVariables } from '../monaco/celVariables.ts';

const guardVariables = statusGraphGuardVariables(chinaPeakStatusGraph.systems);
const labels = (variables: readonly CelVariable[], text: string) =>
  celCompletions(variables, text).map((c) => c.label);

describe('status-graph guard completion', () => {
  it('offers one fact namespace per system and the fields its dictionary sets', () => {
    expect(labels(guardVariables, 'facts.')).toEqual(['carrier', 'crm', 'douyin', 'finance', 'wms']);
    expect(labels(guardVariables, 'has(facts.wms.')).toEqual(['acceptedAt', 'outboundNo', 'packingAt']);
    // The word being typed is replaced by the choice; the editor filters by it.
    expect(labels(guardVariables, 'has(facts.wms.out')).toEqual(['acceptedAt', 'outboundNo', 'packingAt']);
    expect(celCompletionContext('has(facts.wms.out')).toEqual({
      chain: ['facts', 'wms'],
      word: 'out',
      afterExpression: false,
    });
  });

  it('documents where a fact comes from and guesses its type from the setting expression', () => {
    const outboundNo = celCompletions(guardVariables, 'facts.wms.').find((c) => c.label === 'outboundNo');
    expect(outboundNo?.documentation).toContain('wms OUTBOUND_DONE');
    expect(outboundNo?.documentation).toContain('data.outboundNo');
    const exception = celCompletions(guardVariables, 'facts.carrier.').find((c) => c.label === 'exception');
    expect(exception?.detail).toBe('bool');
    // Set by four carrier codes.
    expect(exception?.documentation?.match(/carrier [A-Z_]+/g)).toHaveLength(4);
  });

  it('follows the draft: a fact set by a new code is offered at once', () => {
    const systems = structuredClone(chinaPeakStatusGraph.systems);
    systems.push({
      id: 'pdd',
      name: 'Pinduoduo',
      statuses: [
        { code: 'PAID', label: '已付款', meaning: '', sets: { 'pdd.payment.paidAt': 'event.occurredAt' } },
      ],
    });
    const variables = statusGraphGuardVariables(systems);
    expect(labels(variables, 'facts.')).toContain('pdd');
    expect(labels(variables, 'facts.pdd.payment.')).toEqual(['paidAt']);
  });

  it('offers the variables, functions and keywords of the engine at the top level', () => {
    const items = celCompletions(guardVariables, 'has(facts.wms.outboundNo) && ');
    expect(items.filter((i) => i.kind === 'variable').map((i) => i.label)).toEqual([
      'facts',
      'order',
      'channel',
    ]);
    expect(items.find((i) => i.label === 'has')).toMatchObject({
      kind: 'function',
      snippet: true,
      insertText: 'has($1)',
    });
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['true', 'false', 'in', 'size']));
    expect(labels(guardVariables, 'order.')).toEqual(['id', 'channel']);
  });

  it('names exactly what the engine gives a guard: each offered path is readable in a real transition', () => {
    const paths = [
      ...(guardVariables.find((v) => v.name === 'order')?.fields ?? []).map((f) => `order.${f.name}`),
      ...(guardVariables.find((v) => v.name === 'facts')?.fields ?? []).map((f) => `facts.${f.name}`),
    ];
    const guard = `${paths.map((p) => `has(${p})`).join(' && ')} && channel == "douyin"`;
    const definition = {
      ...chinaPeakStatusGraph,
      transitions: [{ id: 'probe', from: 'created', to: 'paid', guard }],
    };
    const result = transition(
      compileStatusGraph(definition),
      { orderId: 'order-1' },
      {
        eventId: 'e1',
        system: 'crm',
        code: 'CREATED',
        occurredAt: '2026-11-11T00:00:00+08:00',
        channel: 'douyin',
      },
      fixedClock(Date.parse('2026-11-11T00:00:00+08:00')),
    );
    expect(result.ok && result.next.status).toBe('paid');
  });

  it('offers nothing inside a string, after an unknown chain or in a number', () => {
    expect(celCompletions(guardVariables, 'facts.wms.outboundNo == "facts.')).toEqual([]);
    expect(celCompletions(guardVariables, "channel == '''a\nfacts.")).toEqual([]);
    expect(celCompletions(guardVariables, 'facts.nope.')).toEqual([]);
    expect(celCompletions(guardVariables, 'order.value > 1.')).toEqual([]);
  });

  it('offers methods after a leaf or a call', () => {
    expect(labels(guardVariables, 'facts.wms.outboundNo.')).toEqual(
      expect.arrayContaining(['contains', 'startsWith']),
    );
    expect(labels(guardVariables, '[1, 2].')).toEqual(expect.arrayContaining(['exists', 'all', 'size']));
    // A closed string does not hide what follows it.
    expect(labels(guardVariables, 'channel == "douyin" && facts.')).toContain('wms');
  });
});

describe('routing completion', () => {
  const candidate = routingCelVariables(peakSeasonRouting.parameters, 'candidate');
  const segment = routingCelVariables(peakSeasonRouting.parameters, 'segment');

  it('offers what custom constraints and factors see, with fields from the shared fact schemas', () => {
    expect(candidate.map((v) => v.name)).toEqual(['order', 'warehouse', 'lane', 'candidate', 'params']);
    expect(labels(candidate, 'order.customer.')).toEqual(['id', 'tier', 'ltv']);
    expect(labels(candidate, 'warehouse.')).toEqual(
      expect.arrayContaining(['capacityPerDay', 'load', 'ageDays', 'tier']),
    );
    expect(labels(candidate, 'lane.')).toEqual(
      expect.arrayContaining(['carrier', 'mode', 'etaHours', 'co2PerKg']),
    );
    const params = labels(candidate, 'params.');
    for (const p of peakSeasonRouting.parameters) expect(params).toContain(p.name);
    expect(params).toContain('ageDecayDays');
  });

  it('offers what a segment condition sees', () => {
    expect(segment.map((v) => v.name)).toEqual(['order', 'customer', 'channel', 'destination', 'params']);
    expect(labels(segment, 'customer.')).toEqual(['id', 'tier', 'ltv']);
    expect(labels(segment, 'destination.')).toEqual(expect.arrayContaining(['region', 'city']));
  });

  it('names exactly what compileRouting gives a custom constraint', () => {
    const fields = (name: string) => candidate.find((v) => v.name === name)?.fields ?? [];
    const probe = [
      ...fields('candidate').map((f) => `has(candidate.${f.name})`),
      'has(warehouse.capacityPerDay)',
      'has(lane.etaHours)',
      'has(order.customer.tier)',
      ...fields('params').map((f) => `has(params.${f.name})`),
    ].join(' && ');
    const strategy = compileRouting({
      ...peakSeasonRouting,
      constraints: [...peakSeasonRouting.constraints, { id: 'probe', type: 'custom', expression: probe }],
    });
    const facts = { warehouses: loadWarehouses(), lanes: loadLanes(), alerts: loadAlerts() };
    const [order] = loadOrders();
    if (!order) throw new Error('no demo order');
    const decision = strategy.route(order, facts, Date.parse('2026-11-11T00:00:00+08:00'));
    expect(decision.ranking.length).toBeGreaterThan(0);
    expect(decision.ranking.filter((c) => c.rejectedBy?.includes('probe'))).toEqual([]);
  });
});

describe('CEL markers', () => {
  it('puts the marker where checkCel stops parsing', () => {
    expect(celMarkers('has(facts.wms.outboundNo) & has(facts.carrier.waybillNo)')).toEqual([
      expect.objectContaining({ startLineNumber: 1, startColumn: 27, endColumn: 28 }),
    ]);
    expect(celMarkers('a.b +\n  c..d')).toEqual([
      expect.objectContaining({ startLineNumber: 2, startColumn: 5, endLineNumber: 2 }),
    ]);
    expect(celMarkers('has(facts.wms.outboundNo)')).toEqual([]);
    expect(celMarkers('  ')).toEqual([]);
  });

  it('underlines the last character for an error at the end of the text, and whole tokens', () => {
    // "Expected RPAREN, got EOF" is reported one past the end.
    expect(celMarkerRange('has(x', 1, 6)).toEqual({
      startLineNumber: 1,
      startColumn: 5,
      endLineNumber: 1,
      endColumn: 6,
    });
    expect(celMarkerRange('a == facts.wms.x', 1, 6)).toMatchObject({ startColumn: 6, endColumn: 17 });
    expect(celMarkerRange('', 1, 1)).toMatchObject({ startColumn: 1, endColumn: 2 });
  });
});
