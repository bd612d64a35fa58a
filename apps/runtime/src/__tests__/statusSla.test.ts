import { chinaPeakStatusGraph } from '@orderloom/schema/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { statusEvent } from './statusTestHelpers.ts';
import { startTestRuntime, type TestRuntime, tempDataDir } from './testRuntime.ts';

const t0 = Date.parse('2026-11-11T00:00:00+08:00');
const minute = 60_000;

/** A clock the test moves by hand. */
function fakeClock(start: number) {
  let now = start;
  return {
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
  };
}

let runtime: TestRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

async function start(dataDir: string, clock: { now(): number }) {
  runtime = await startTestRuntime({ dataDir, demoDefinitions: [chinaPeakStatusGraph], clock });
  return runtime;
}

describe('SLA timers', () => {
  it('stores deadlines as rows that fire after a restart and escalate one alert', async () => {
    const dataDir = tempDataDir();
    const clock = fakeClock(t0);
    let t = await start(dataDir, clock);
    const paid = await t.api('POST', '/api/orders/DY-SLA-1/events', {
      json: statusEvent('douyin', 'PAID', { channel: 'douyin' }),
    });
    expect(paid.body.status).toBe('paid');
    const deadlines = (await t.api('GET', '/api/orders/DY-SLA-1')).body.slaDeadlines;
    expect(deadlines.map((d: { level: string; dueAt: string }) => [d.level, d.dueAt])).toEqual([
      ['warning', new Date(t0 + 12 * minute).toISOString()],
      ['breach', new Date(t0 + 15 * minute).toISOString()],
      ['escalation', new Date(t0 + 30 * minute).toISOString()],
    ]);
    expect(t.runtime.status.scheduler.runDue()).toBe(0);
    await t.close();

    // Down while the warning fell due: the restarted runtime fires it from the stored row.
    clock.set(t0 + 13 * minute);
    t = await start(dataDir, clock);
    const open = async () =>
      (await t.api('GET', '/api/alerts?state=open&type=sla')).body.items.filter(
        (a: { orderId: string }) => a.orderId === 'DY-SLA-1',
      );
    const [warning] = await open();
    expect(warning).toMatchObject({ level: 'warning', notify: ['channel-ops'] });
    expect((await t.api('GET', '/api/orders/DY-SLA-1')).body.slaDeadlines).toHaveLength(2);
    await t.api('POST', `/api/alerts/${warning.id}/ack`);
    expect(await open()).toEqual([]);

    clock.set(t0 + 15 * minute);
    expect(t.runtime.status.scheduler.runDue()).toBe(1);
    const [breach] = await open();
    expect(breach).toMatchObject({ id: warning.id, level: 'breach', state: 'open' });
    expect(breach.notify).toEqual(['channel-ops', 'oms-on-call']);

    // Leaving the state cancels the rest: no escalation at 30 min.
    await t.api('POST', '/api/orders/DY-SLA-1/events', { json: statusEvent('crm', 'PUSHED') });
    const after = (await t.api('GET', '/api/orders/DY-SLA-1')).body;
    expect(after.status).toBe('released-to-warehouse');
    expect(after.slaDeadlines.map((d: { slaId: string }) => d.slaId)).toEqual([
      'warehouse-pack-2h',
      'warehouse-pack-2h',
      'warehouse-pack-2h',
    ]);
    clock.set(t0 + 31 * minute);
    expect(t.runtime.status.scheduler.runDue()).toBe(0);
    expect((await open()).map((a: { level: string }) => a.level)).toEqual(['breach']);
  });

  it('does not fire an SLA that names another channel', async () => {
    const clock = fakeClock(t0);
    const t = await start(tempDataDir(), clock);
    await t.api('POST', '/api/orders/PDD-SLA-1/events', {
      json: statusEvent('douyin', 'PAID', { channel: 'pdd' }),
    });
    expect((await t.api('GET', '/api/orders/PDD-SLA-1')).body.slaDeadlines).toEqual([]);
    clock.set(t0 + 60 * minute);
    expect(t.runtime.status.scheduler.runDue()).toBe(0);
  });
});
