import { type CompiledStatusGraph, compileStatusGraph } from '@orderloom/engine';
import { chinaPeakStatusGraph } from '@orderloom/schema/fixtures/demo';
import { describe, expect, it } from 'vitest';
import { compileSimulationGraph } from '../compileSimulationGraph.ts';
import { formatDuration, formatElapsed } from '../formatDuration.ts';
import { type SimulationStepInput, simulateStatusGraph } from '../simulateStatusGraph.ts';
import { missingCodes, simulatorScenarios } from '../simulatorScenarios.ts';

const graph: CompiledStatusGraph = compileStatusGraph(chinaPeakStatusGraph);
const startAt = Date.parse('2026-11-11T00:00:00+08:00');
const minute = 60_000;
const options = { orderId: 'SIM-1', startAt };

const withIds = (steps: readonly SimulationStepInput[]) => steps.map((s, i) => ({ ...s, id: `s${i}` }));
const run = (steps: readonly SimulationStepInput[], on: CompiledStatusGraph = graph) =>
  simulateStatusGraph(on, withIds(steps), options);
const scenario = (id: string) => {
  const found = simulatorScenarios.find((s) => s.id === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
};

const paidOnDouyin: SimulationStepInput = {
  kind: 'event',
  system: 'douyin',
  code: 'PAID',
  channel: 'douyin',
};

describe('simulateStatusGraph', () => {
  it('reaches shipped only once all three pieces of evidence are in', () => {
    const frames = run(scenario('three-condition-shipped').steps);
    expect(frames.map((f) => f.order?.status ?? null)).toEqual([
      null,
      'paid',
      'released-to-warehouse',
      'packing',
      'packing',
      'packing',
      'shipped',
    ]);
    const last = frames.at(-1);
    expect(last?.order?.facts).toMatchObject({
      wms: { outboundNo: 'OB-20261111-0001' },
      carrier: { waybillNo: 'SF1402234567' },
      finance: { paymentConfirmed: true },
    });
    const ship = chinaPeakStatusGraph.transitions.find((t) => t.id === 'ship');
    expect(last?.transitions).toEqual([
      expect.objectContaining({
        id: 'ship',
        from: 'packing',
        to: 'shipped',
        guard: ship?.guard,
        label: ship?.label,
      }),
    ]);
    expect(last?.alertLog).toEqual([]);
  });

  it('stays in packing when finance has not confirmed the funds', () => {
    const steps = scenario('three-condition-shipped').steps.slice(0, 5);
    const frames = run([...steps, { kind: 'event', system: 'finance', code: 'PENDING' }]);
    expect(frames.at(-1)?.order?.status).toBe('packing');
    expect(frames.at(-1)?.transitions).toEqual([]);
  });

  it('gives each step the frame a run of only the steps before it ends on, so stepping back is exact', () => {
    const steps = scenario('douyin-sla').steps;
    const frames = run(steps);
    for (let k = 0; k <= steps.length; k++) {
      expect(run(steps.slice(0, k)).at(-1)).toEqual(frames[k]);
    }
  });

  it('fires the Douyin SLA levels at 80, 100 and 200 % of 15 minutes through the engine', () => {
    const frames = run([
      paidOnDouyin,
      { kind: 'advance', minutes: 11 },
      { kind: 'advance', minutes: 1 },
      { kind: 'advance', minutes: 3 },
      { kind: 'next-deadline' },
    ]);
    const [, paid, at11, at12, at15, next] = frames;
    expect(paid?.countdowns).toEqual([
      expect.objectContaining({ slaId: 'douyin-paid-15min', remainingMs: 15 * minute, reached: null }),
    ]);
    expect(at11?.alerts).toEqual([]);
    expect(at11?.countdowns[0]?.remainingMs).toBe(4 * minute);
    expect(at12?.alerts.map((a) => a.level)).toEqual(['warning']);
    expect(at12?.countdowns[0]?.reached).toBe('warning');
    expect(at15?.alerts.map((a) => a.level)).toEqual(['breach']);
    expect(at15?.countdowns[0]).toMatchObject({ remainingMs: 0, elapsedPercent: 100, reached: 'breach' });
    expect(next?.now).toBe(startAt + 30 * minute);
    expect(next?.alerts).toEqual([
      expect.objectContaining({ type: 'sla', level: 'escalation', at: startAt + 30 * minute }),
    ]);
    expect(next?.alertLog.map((a) => a.level)).toEqual(['warning', 'breach', 'escalation']);
    expect(next?.pendingTimers).toEqual([]);
  });

  it('fires several levels passed by one clock move, each at its own due time', () => {
    const frames = run([paidOnDouyin, { kind: 'advance', minutes: 60 }]);
    expect(frames.at(-1)?.alerts.map((a) => [a.level, a.at])).toEqual([
      ['warning', startAt + 12 * minute],
      ['breach', startAt + 15 * minute],
      ['escalation', startAt + 30 * minute],
    ]);
  });

  it('applies a channel SLA only to orders of that channel', () => {
    const frames = run([
      { kind: 'event', system: 'douyin', code: 'PAID', channel: 'pinduoduo' },
      { kind: 'advance', minutes: 60 },
    ]);
    expect(frames.at(-1)?.countdowns).toEqual([]);
    expect(frames.at(-1)?.alertLog).toEqual([]);
  });

  it('cancels the timers of a state the order left, and starts the next state’s SLA', () => {
    const frames = run([
      paidOnDouyin,
      { kind: 'advance', minutes: 5 },
      { kind: 'event', system: 'crm', code: 'PUSHED' },
      { kind: 'advance', minutes: 60 },
    ]);
    const last = frames.at(-1);
    expect(last?.order?.status).toBe('released-to-warehouse');
    expect(last?.alertLog).toEqual([]);
    expect(last?.countdowns).toEqual([
      expect.objectContaining({
        slaId: 'warehouse-pack-2h',
        enteredAt: startAt + 5 * minute,
        remainingMs: 60 * minute,
        reached: null,
      }),
    ]);
  });

  it('raises a path violation when a system reports a state the graph does not lead to', () => {
    const frames = run([{ kind: 'event', system: 'carrier', code: 'DELIVERED' }]);
    expect(frames.at(-1)?.order?.status).toBe('created');
    expect(frames.at(-1)?.alerts).toEqual([
      expect.objectContaining({ type: 'path-violation', implies: 'delivered', from: 'created' }),
    ]);
  });

  it('reports an unknown code as the step’s problem and changes nothing', () => {
    const frames = run([paidOnDouyin, { kind: 'event', system: 'wms', code: 'NOPE' }]);
    expect(frames[2]?.problem).toMatch(/NOPE/);
    expect(frames[2]?.order).toEqual(frames[1]?.order);
  });

  it('keeps the clock where it is when no deadline is pending', () => {
    const frames = run([{ kind: 'next-deadline' }]);
    expect(frames[1]?.now).toBe(startAt);
    expect(frames[1]?.problem).toMatch(/No SLA deadline/);
  });
});

describe('simulatorScenarios', () => {
  it('only uses codes of the demo dictionaries', () => {
    for (const s of simulatorScenarios) expect(missingCodes(graph, s)).toEqual([]);
  });

  it('names the codes another graph lacks', () => {
    const withoutCarrier = compileStatusGraph({
      ...chinaPeakStatusGraph,
      systems: chinaPeakStatusGraph.systems.filter((s) => s.id !== 'carrier'),
    });
    expect(missingCodes(withoutCarrier, scenario('three-condition-shipped'))).toEqual([
      'carrier WAYBILL_CREATED',
    ]);
  });

  it('ends the Douyin scenario escalated, then released to the warehouse', () => {
    const frames = run(scenario('douyin-sla').steps);
    expect(frames.at(-2)?.countdowns[0]?.reached).toBe('escalation');
    expect(frames.at(-1)?.order?.status).toBe('released-to-warehouse');
  });
});

describe('compileSimulationGraph', () => {
  it('compiles the demo graph', () => {
    const result = compileSimulationGraph(JSON.stringify(chinaPeakStatusGraph));
    expect(result.ok).toBe(true);
  });

  it('says why a draft with a broken guard cannot be simulated, by JSON Pointer', () => {
    const broken = {
      ...chinaPeakStatusGraph,
      transitions: chinaPeakStatusGraph.transitions.map((t, i) =>
        i === 0 ? { ...t, guard: 'has(facts.' } : t,
      ),
    };
    const result = compileSimulationGraph(JSON.stringify(broken));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reports.map((r) => r.path)).toContain('/transitions/0/guard');
  });

  it('says so when the buffer is not JSON', () => {
    const result = compileSimulationGraph('{ "states": [');
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/not valid/) });
  });
});

describe('formatDuration and formatElapsed', () => {
  it('reads like a countdown', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(12 * minute)).toBe('12m');
    expect(formatDuration(-(90 * 1000))).toBe('1m 30s');
    expect(formatDuration(65 * minute)).toBe('1h 05m');
    expect(formatDuration(51 * 60 * minute)).toBe('2d 3h');
    expect(formatElapsed(startAt + 75 * minute, startAt)).toBe('T+1:15');
  });
});
