import { validate } from '@orderloom/schema';
import { chinaPeakStatusGraph } from '@orderloom/schema/fixtures/demo';
import { describe, expect, it } from 'vitest';
import { parseChannels } from '../features/status-graph/ChannelsField.tsx';
import {
  definitionIdOfBuffer,
  detectDictionaryFormat,
  dictionaryPayload,
} from '../features/status-graph/dictionaryImport.ts';
import type { GraphDraft } from '../features/status-graph/statusGraphModel.ts';
import {
  addStatusCode,
  checkSystemId,
  conflictTargets,
  groupConflicts,
  parseStatusNodeId,
  removeStatusCode,
  type SemanticConflict,
  systemRows,
} from '../features/status-graph/systemsModel.ts';

const graph = (): GraphDraft => structuredClone(chinaPeakStatusGraph) as GraphDraft;

function conflict(
  partial: Partial<SemanticConflict> & Pick<SemanticConflict, 'type' | 'nodeId'>,
): SemanticConflict {
  return { path: '/systems/0', severity: 'warning', message: 'm', related: [], ...partial };
}

describe('systems and dictionaries', () => {
  it('lists each system with its codes, the facts they set and the state they imply', () => {
    const rows = systemRows(graph());
    expect(rows.map((s) => s.id)).toEqual(['crm', 'wms', 'carrier', 'finance', 'douyin']);
    const outbound = rows[1]?.statuses.find((s) => s.code === 'OUTBOUND_DONE');
    expect(outbound).toMatchObject({
      label: '已发货',
      sets: ['wms.outboundNo'],
      implies: undefined,
      nodeId: 'wms:OUTBOUND_DONE',
    });
    expect(rows[0]?.statuses.find((s) => s.code === 'PUSHED')?.implies).toBe('released-to-warehouse');
  });

  it('skips what an unsaved draft holds that is not a system or a code', () => {
    const draft = {
      ...graph(),
      systems: [null, { id: 'x', statuses: [{ label: 'no code' }, 1] }],
    } as unknown as GraphDraft;
    expect(systemRows(draft)).toEqual([{ id: 'x', name: '', statuses: [] }]);
  });

  it('adds a code that keeps the draft valid, and refuses duplicates and unknown states', () => {
    const added = addStatusCode(graph(), 'wms', { code: ' SORTED ', label: '已分拣', implies: 'packing' });
    if (!added.ok) throw new Error(added.message);
    const wms = systemRows(added.draft)[1];
    expect(wms?.statuses.at(-1)).toMatchObject({ code: 'SORTED', label: '已分拣', implies: 'packing' });
    expect(validate('status-graph', added.draft).filter((r) => r.severity === 'error')).toEqual([]);

    expect(addStatusCode(graph(), 'wms', { code: 'PACKING' })).toEqual({
      ok: false,
      message: 'wms already has a code "PACKING".',
    });
    expect(addStatusCode(graph(), 'wms', { code: 'X', implies: 'limbo' })).toMatchObject({ ok: false });
    expect(addStatusCode(graph(), 'nope', { code: 'X' })).toMatchObject({ ok: false });
    expect(addStatusCode(graph(), 'wms', { code: '  ' })).toMatchObject({ ok: false });
  });

  it('removes a code from its system only', () => {
    const draft = removeStatusCode(graph(), 'finance', 'RECEIVED');
    const rows = systemRows(draft);
    expect(rows[3]?.statuses.map((s) => s.code)).toEqual(['PENDING', 'REFUNDED']);
    expect(rows[1]?.statuses.map((s) => s.code)).toContain('RECEIVED');
  });

  it('splits node ids at the first colon and checks new system ids', () => {
    expect(parseStatusNodeId('carrier:A:B')).toEqual({ system: 'carrier', code: 'A:B' });
    expect(parseStatusNodeId('nocolon')).toBeNull();
    expect(checkSystemId('pdd')).toBeNull();
    expect(checkSystemId('bad id')).toMatch(/letters, digits/);
  });
});

describe('conflict report', () => {
  it('groups conflicts by kind in a fixed order, leaving empty kinds out', () => {
    const groups = groupConflicts([
      conflict({ type: 'unmapped-code', nodeId: 'wms:A' }),
      conflict({ type: 'same-label-different-meaning', nodeId: 'wms:B' }),
      conflict({ type: 'unmapped-code', nodeId: 'wms:C' }),
    ]);
    expect(groups.map((g) => [g.kind, g.conflicts.map((c) => c.nodeId)])).toEqual([
      ['same-label-different-meaning', ['wms:B']],
      ['unmapped-code', ['wms:A', 'wms:C']],
    ]);
  });

  it('links a label clash to every code involved and the states they imply', () => {
    const targets = conflictTargets(
      conflict({
        type: 'same-label-different-meaning',
        nodeId: 'wms:OUTBOUND_DONE',
        path: '/systems/1/statuses/4',
        related: [
          { nodeId: 'crm:PUSHED', path: '/systems/0/statuses/1' },
          { nodeId: 'douyin:SHIP_CONFIRMED', path: '/systems/4/statuses/1' },
        ],
      }),
      graph(),
    );
    expect(targets.map((t) => (t.type === 'code' ? `code ${t.nodeId}` : `${t.type} ${t.id}`))).toEqual([
      'code wms:OUTBOUND_DONE',
      'code crm:PUSHED',
      'code douyin:SHIP_CONFIRMED',
      'state released-to-warehouse',
      'state shipped',
    ]);
    expect(targets[0]?.label).toBe('wms OUTBOUND_DONE 已发货');
    expect(targets[4]?.label).toBe('→ Shipped');
  });

  it('does not link a state the graph does not have', () => {
    const draft = graph();
    const added = addStatusCode(draft, 'finance', { code: 'HOLD' });
    if (!added.ok) throw new Error(added.message);
    const withUnknown = {
      ...added.draft,
      systems: added.draft.systems?.map((s) =>
        s.id === 'finance'
          ? { ...s, statuses: s.statuses.map((c) => (c.code === 'HOLD' ? { ...c, implies: 'limbo' } : c)) }
          : s,
      ),
    };
    const targets = conflictTargets(
      conflict({
        type: 'implies-unknown-state',
        nodeId: 'finance:HOLD',
        path: '/systems/3/statuses/3/implies',
      }),
      withUnknown,
    );
    expect(targets).toEqual([
      { type: 'code', system: 'finance', code: 'HOLD', nodeId: 'finance:HOLD', label: 'finance HOLD' },
    ]);
  });

  it('finds codes by node id after edits moved them, and links a report about a transition to it', () => {
    const draft = removeStatusCode(graph(), 'wms', 'RECEIVED');
    const [target] = conflictTargets(
      conflict({ type: 'unmapped-code', nodeId: 'wms:PICK_TIMEOUT', path: '/systems/1/statuses/2' }),
      draft,
    );
    expect(target).toMatchObject({
      type: 'code',
      nodeId: 'wms:PICK_TIMEOUT',
      label: 'wms PICK_TIMEOUT 拣货超时',
    });

    const ship = draft.transitions?.findIndex((t) => t.id === 'ship') ?? -1;
    const [transition] = conflictTargets(
      conflict({ type: 'unused-meaning', nodeId: 'ship', path: `/transitions/${ship}/guard` }),
      draft,
    );
    expect(transition).toEqual({ type: 'transition', id: 'ship', label: 'ship' });
  });
});

describe('dictionary import request', () => {
  it('detects the format from the file name, else from the text', () => {
    expect(detectDictionaryFormat('{"system":"wms"}', 'wms.csv')).toBe('csv');
    expect(detectDictionaryFormat('code,label', 'wms.json')).toBe('json');
    expect(detectDictionaryFormat('  [{"code":"A"}]')).toBe('json');
    expect(detectDictionaryFormat('code,label,meaning,implies\nA,b,c,')).toBe('csv');
  });

  it('sends CSV as text and completes or refuses JSON dictionaries', () => {
    expect(dictionaryPayload('code\nA', 'csv', 'pdd')).toEqual({
      ok: true,
      body: 'code\nA',
      contentType: 'text/csv',
    });
    expect(dictionaryPayload('[{"code":"A"}]', 'json', 'pdd')).toEqual({
      ok: true,
      body: { system: 'pdd', statuses: [{ code: 'A' }] },
    });
    expect(dictionaryPayload('{"statuses":[]}', 'json', 'pdd')).toEqual({
      ok: true,
      body: { statuses: [], system: 'pdd' },
    });
    expect(dictionaryPayload('{"system":"wms","statuses":[]}', 'json', 'pdd')).toMatchObject({ ok: false });
    expect(dictionaryPayload('{', 'json', 'pdd')).toMatchObject({ ok: false, message: /not valid/ });
    expect(dictionaryPayload(' ', 'csv', 'pdd')).toMatchObject({ ok: false });
  });

  it('reads the definition id from the buffer key', () => {
    expect(definitionIdOfBuffer('status-graph/china-peak-orders')).toBe('china-peak-orders');
  });
});

describe('parseChannels', () => {
  it('splits, trims and de-duplicates channel names, dropping empty ones', () => {
    expect(parseChannels(' douyin, tmall ,,douyin ')).toEqual(['douyin', 'tmall']);
    expect(parseChannels('  ')).toEqual([]);
  });
});
