import { validate } from '@orderloom/schema';
import { chinaPeakStatusGraph } from '@orderloom/schema/fixtures/demo';
import { describe, expect, it } from 'vitest';
import {
  addSla,
  addSlaLevel,
  formatSlaMinutes,
  parseNotify,
  removeSla,
  removeSlaLevel,
  slaFieldReports,
  slasOfState,
  updateSla,
  updateSlaLevel,
} from '../features/status-graph/slaModel.ts';
import type { GraphDraft } from '../features/status-graph/statusGraphModel.ts';

const graph = (): GraphDraft => structuredClone(chinaPeakStatusGraph) as GraphDraft;
const slaReports = (draft: GraphDraft) =>
  validate('status-graph', JSON.parse(JSON.stringify(draft))).filter((r) => r.path.startsWith('/slas'));

describe('SLA edits', () => {
  it('lists the SLAs of a state with their index in the draft', () => {
    const draft = graph();
    expect(slasOfState(draft, 'paid').map(({ sla, index }) => [sla.id, index])).toEqual([
      ['douyin-paid-15min', 0],
    ]);
    expect(slasOfState(draft, 'packing')).toEqual([]);
  });

  it('adds a valid SLA with warning, breach and escalation levels and a fresh id', () => {
    const first = addSla(graph(), 'packing');
    expect(first.index).toBe(2);
    expect(first.draft.slas?.[2]).toMatchObject({
      id: 'packing-sla',
      state: 'packing',
      withinMinutes: 60,
      levels: [
        { atPercent: 80, level: 'warning' },
        { atPercent: 100, level: 'breach' },
        { atPercent: 200, level: 'escalation' },
      ],
    });
    expect(slaReports(first.draft)).toEqual([]);
    const second = addSla(first.draft, 'packing');
    expect(second.draft.slas?.[3]?.id).toBe('packing-sla-2');
  });

  it('sets and clears the channel, and reports an invalid deadline at its field', () => {
    let draft = updateSla(graph(), 1, { channel: 'pinduoduo' });
    expect(draft.slas?.[1]?.channel).toBe('pinduoduo');
    draft = updateSla(draft, 1, { channel: undefined });
    expect(draft.slas?.[1] && 'channel' in draft.slas[1]).toBe(false);

    draft = updateSla(draft, 1, { withinMinutes: 0 });
    const byField = slaFieldReports(slaReports(draft), 1);
    expect([...byField.keys()]).toEqual(['withinMinutes']);
    expect(byField.get('withinMinutes')?.[0]?.severity).toBe('error');
    // The other SLA's reports are not this one's.
    expect(slaFieldReports(slaReports(draft), 0).size).toBe(0);
  });

  it('adds, edits and removes escalation levels; a bad level is reported at its own field', () => {
    const index = 0;
    let draft = addSlaLevel(graph(), index);
    expect(draft.slas?.[index]?.levels?.at(-1)).toEqual({ atPercent: 300, level: 'escalation', notify: [] });
    draft = updateSlaLevel(draft, index, 1, { atPercent: 0, notify: ['channel-ops', 'ceo'] });
    expect(draft.slas?.[index]?.levels?.[1]).toEqual({
      atPercent: 0,
      level: 'breach',
      notify: ['channel-ops', 'ceo'],
    });
    expect([...slaFieldReports(slaReports(draft), index).keys()]).toEqual(['levels/1/atPercent']);
    draft = removeSlaLevel(draft, index, 1);
    expect(draft.slas?.[index]?.levels?.map((l) => l.atPercent)).toEqual([80, 200, 300]);
    expect(slaReports(draft)).toEqual([]);
  });

  it('starts a new list of levels with a warning and continues with a breach', () => {
    let draft = addSla(graph(), 'packing').draft;
    for (let i = 0; i < 3; i++) draft = removeSlaLevel(draft, 2, 0);
    expect(draft.slas?.[2]?.levels).toEqual([]);
    draft = addSlaLevel(addSlaLevel(draft, 2), 2);
    expect(draft.slas?.[2]?.levels?.map((l) => [l.atPercent, l.level])).toEqual([
      [80, 'warning'],
      [180, 'breach'],
    ]);
  });

  it('removes an SLA by index', () => {
    const draft = removeSla(graph(), 0);
    expect(draft.slas?.map((s) => s.id)).toEqual(['warehouse-pack-2h']);
  });

  it('keys reports about the SLA as a whole under the empty field', () => {
    const reports = [
      { path: '/slas/3', severity: 'error' as const, message: 'x' },
      { path: '/slas/3/id', severity: 'error' as const, message: 'duplicate' },
      { path: '/slas/3/levels/0/notify/1', severity: 'error' as const, message: 'y' },
      { path: '/slas/30/id', severity: 'error' as const, message: 'other' },
    ];
    const byField = slaFieldReports(reports, 3);
    expect([...byField.keys()]).toEqual(['', 'id', 'levels/0/notify']);
  });
});

describe('SLA words', () => {
  it('reads who is notified as a list', () => {
    expect(parseNotify('channel-ops， oms-on-call,, ;head-of-ecommerce ')).toEqual([
      'channel-ops',
      'oms-on-call',
      'head-of-ecommerce',
    ]);
    expect(parseNotify('  ')).toEqual([]);
  });

  it('writes deadlines in minutes, hours and days', () => {
    expect(formatSlaMinutes(12)).toBe('12 min');
    expect(formatSlaMinutes(22.5)).toBe('22.5 min');
    expect(formatSlaMinutes(90)).toBe('1 h 30 min');
    expect(formatSlaMinutes(120)).toBe('2 h');
    expect(formatSlaMinutes(1500)).toBe('1 d 1 h');
    expect(formatSlaMinutes(-1)).toBe('—');
  });
});
