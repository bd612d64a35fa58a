import { describe, expect, it } from 'vitest';
import {
  chinaPeakStatusGraph,
  chinaPeakSystems,
  demoDefinitions,
  loadAlerts,
  loadDictionary,
  loadLanes,
  loadOrders,
  loadRegions,
  loadSkus,
  loadStatusEvents,
  loadWarehouses,
  peakSeasonRouting,
} from '../../fixtures/index.ts';
import { validate } from '../validate.ts';

describe('demo definitions', () => {
  it('has one definition per kind', () => {
    expect(demoDefinitions.map((d) => `${d.kind}/${d.id}`)).toEqual([
      'routing/peak-season',
      'status-graph/china-peak-orders',
      'playbook/typhoon-port',
      'journey/pick-timeout',
    ]);
  });

  it.each(demoDefinitions.map((d) => [d.id, d] as const))(
    '%s validates without any report',
    (_id, definition) => {
      expect(validate(definition.kind, definition)).toEqual([]);
    },
  );

  it('the VIP segment names a tier that exists in the orders', () => {
    const tiers = new Set(loadOrders().map((o) => o.customer.tier));
    expect(tiers).toContain('vip');
    expect(peakSeasonRouting.segments.map((s) => s.when)).toContain('order.customer.tier == "vip"');
  });

  it('the status graph knows every system and code the recorded events use', () => {
    const known = new Set(
      chinaPeakStatusGraph.systems.flatMap((s) => s.statuses.map((c) => `${s.id}:${c.code}`)),
    );
    const used = new Set(loadStatusEvents().map((e) => `${e.system}:${e.code}`));
    expect([...used].filter((code) => !known.has(code))).toEqual([]);
  });

  it('the status graph reads its evidence from the data fields the events carry', () => {
    const dataFields = new Set(
      loadStatusEvents().flatMap((e) => Object.keys(e.data ?? {}).map((k) => `${e.code}:${k}`)),
    );
    const codeOf = (system: string, code: string) =>
      chinaPeakStatusGraph.systems.find((s) => s.id === system)?.statuses.find((s) => s.code === code);
    expect(codeOf('wms', 'OUTBOUND_DONE')?.sets).toEqual({ 'wms.outboundNo': 'data.outboundNo' });
    expect(codeOf('carrier', 'WAYBILL_CREATED')?.sets).toEqual({ 'carrier.waybillNo': 'data.waybillNo' });
    expect(dataFields).toEqual(new Set(['OUTBOUND_DONE:outboundNo', 'WAYBILL_CREATED:waybillNo']));
  });
});

describe('china-peak loaders', () => {
  it('read and validate the data set', () => {
    const warehouses = loadWarehouses();
    expect(warehouses).toHaveLength(12);
    expect(warehouses.filter((w) => w.tier === 'own')).toHaveLength(3);
    const lanes = loadLanes();
    expect(lanes.every((l) => warehouses.some((w) => w.id === l.origin))).toBe(true);
    expect(loadAlerts().find((a) => a.id === 'AL-2026-RAIN-SC')?.impact).toBe(0.63);
    expect(loadOrders()).toHaveLength(2000);
    expect(loadStatusEvents()).toHaveLength(2491);
    expect(Object.keys(loadRegions())).toContain('south-china');
    expect(loadSkus()).toHaveLength(40);
  });

  it.each(chinaPeakSystems)('loads the %s dictionary', (system) => {
    const dictionary = loadDictionary(system);
    expect(dictionary.system).toBe(system);
    expect(dictionary.statuses.length).toBeGreaterThan(0);
  });
});
