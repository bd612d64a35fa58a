import { type StatusEvent, type StatusGraphDefinition, statusGraphDefinitionSchema } from '@orderloom/schema';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.ts';
import { compileStatusGraph, StatusGraphDefinitionError } from '../statusGraph/compileStatusGraph.ts';
import { fireSlaTimer } from '../statusGraph/fireSlaTimer.ts';
import type { NewOrder, OrderState } from '../statusGraph/orderState.ts';
import { type TransitionResult, transition } from '../statusGraph/transition.ts';

const minute = 60_000;
const t0 = Date.parse('2026-11-11T00:00:00+08:00');

/** A small graph in the shape of the demo: composite `shipped`, Douyin's 15-minute SLA on `paid`. */
const definitionInput = {
  kind: 'status-graph',
  id: 'test-graph',
  name: 'Test graph',
  schemaVersion: 1,
  states: [
    { id: 'created', labels: { en: 'Created' }, initial: true },
    { id: 'paid', labels: { en: 'Paid' } },
    { id: 'shipped', labels: { en: 'Shipped' } },
    { id: 'delivered', labels: { en: 'Delivered' }, terminal: true },
    { id: 'cancelled', labels: { en: 'Cancelled' }, terminal: true },
  ],
  systems: [
    {
      id: 'crm',
      statuses: [{ code: 'CREATED' }, { code: 'CANCELLED', sets: { 'crm.cancelled': 'true' } }],
    },
    {
      id: 'douyin',
      statuses: [{ code: 'PAID', sets: { 'douyin.paidAt': 'event.occurredAt' }, implies: 'paid' }],
    },
    {
      id: 'finance',
      statuses: [
        { code: 'PENDING' },
        { code: 'RECEIVED', sets: { 'finance.paymentConfirmed': 'true' }, implies: 'paid' },
      ],
    },
    { id: 'wms', statuses: [{ code: 'OUTBOUND_DONE', sets: { 'wms.outboundNo': 'data.outboundNo' } }] },
    {
      id: 'carrier',
      statuses: [
        { code: 'WAYBILL_CREATED', sets: { 'carrier.waybillNo': 'data.waybillNo' } },
        {
          code: 'DELIVERED',
          sets: { 'carrier.deliveredAt': 'timestamp(event.occurredAt)' },
          implies: 'delivered',
        },
      ],
    },
  ],
  transitions: [
    {
      id: 'pay',
      from: 'created',
      to: 'paid',
      guard: 'has(facts.douyin.paidAt) || facts.finance.paymentConfirmed',
    },
    { id: 'cancel', from: 'created', to: 'cancelled', guard: 'facts.crm.cancelled' },
    {
      id: 'ship',
      from: 'paid',
      to: 'shipped',
      guard: 'has(facts.wms.outboundNo) && has(facts.carrier.waybillNo) && facts.finance.paymentConfirmed',
    },
    { id: 'deliver', from: 'shipped', to: 'delivered', guard: 'has(facts.carrier.deliveredAt)' },
  ],
  slas: [
    {
      id: 'douyin-paid-sync',
      state: 'paid',
      channel: 'douyin',
      withinMinutes: 15,
      levels: [
        { atPercent: 80, level: 'warning', notify: ['oms-oncall'] },
        { atPercent: 100, level: 'breach', notify: ['oms-oncall', 'shop-manager'] },
        { atPercent: 200, level: 'escalation', notify: ['ops-director'] },
      ],
    },
    { id: 'ship-within-48h', state: 'paid', withinMinutes: 48 * 60 },
    { id: 'deliver-within-72h', state: 'shipped', withinMinutes: 72 * 60 },
  ],
};
const definition: StatusGraphDefinition = statusGraphDefinitionSchema.parse(definitionInput);
const graph = compileStatusGraph(definition);

let sequence = 0;
function event(system: string, code: string, extra: Partial<StatusEvent> = {}): StatusEvent {
  sequence += 1;
  return {
    eventId: `${system}-${code}-${sequence}`,
    system,
    code,
    occurredAt: '2026-11-10T16:00:00.000Z',
    ...extra,
  };
}

/** Applies the event at `ms` and fails the test on a rejection. */
function apply(order: OrderState | NewOrder, e: StatusEvent, ms: number): TransitionResult {
  const result = transition(graph, order, e, fixedClock(ms));
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

/** Applies events one after another, one minute apart from `start`. */
function applyAll(order: OrderState | NewOrder, events: StatusEvent[], start: number): TransitionResult[] {
  const results: TransitionResult[] = [];
  let state = order;
  events.forEach((e, i) => {
    const result = apply(state, e, start + i * minute);
    results.push(result);
    state = result.next;
  });
  return results;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function paidDouyinOrder(orderId: string, at = t0): OrderState {
  return apply({ orderId }, event('douyin', 'PAID', { channel: 'douyin' }), at).next;
}

const shippingEvidence = (): StatusEvent[] => [
  event('wms', 'OUTBOUND_DONE', { data: { outboundNo: 'OB11100001' } }),
  event('carrier', 'WAYBILL_CREATED', { data: { waybillNo: 'SF287321193818' } }),
  event('finance', 'RECEIVED'),
];

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('compileStatusGraph', () => {
  it('names every expression that does not parse and every unknown state by JSON Pointer', () => {
    const broken = statusGraphDefinitionSchema.parse({
      ...definitionInput,
      transitions: [
        ...definitionInput.transitions,
        { id: 'bad-guard', from: 'paid', to: 'shipped', guard: 'has(facts.wms.outboundNo) &&' },
        { id: 'to-nowhere', from: 'shipped', to: 'lost', guard: 'true' },
      ],
    });
    let thrown: unknown;
    try {
      compileStatusGraph(broken);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(StatusGraphDefinitionError);
    const reports = (thrown as StatusGraphDefinitionError).reports;
    const badGuard = definitionInput.transitions.length;
    expect(reports.map((r) => r.path)).toEqual([
      `/transitions/${badGuard}/guard`,
      `/transitions/${badGuard + 1}/to`,
    ]);
    expect(reports[0]?.nodeId).toBe('bad-guard');
    expect(reports[0]?.column).toBeGreaterThan(1);
  });

  it('refuses a graph without an initial state', () => {
    const noInitial = statusGraphDefinitionSchema.parse({
      ...definitionInput,
      states: definitionInput.states.map((s) => ({ ...s, initial: false })),
    });
    expect(() => compileStatusGraph(noInitial)).toThrow(/no state is marked initial/);
  });
});

describe('transition: the three-condition shipped', () => {
  for (const order of permutations([0, 1, 2])) {
    it(`ships only on the last of outbound number, e-waybill and payment (order ${order.join('-')})`, () => {
      const paid = paidDouyinOrder(`DY-ship-${order.join('')}`);
      const evidence = shippingEvidence();
      const arriving = order.map((i) => evidence[i] as StatusEvent);
      const results = applyAll(paid, arriving, t0 + 5 * minute);

      expect(results.slice(0, -1).every((r) => r.transitions.length === 0 && r.next.status === 'paid')).toBe(
        true,
      );
      const last = results.at(-1) as TransitionResult;
      expect(last.transitions.map((t) => [t.id, t.from, t.to])).toEqual([['ship', 'paid', 'shipped']]);
      expect(last.next.status).toBe('shipped');
      expect(last.next.since).toBe(t0 + 7 * minute);
      expect(last.next.facts).toMatchObject({
        wms: { outboundNo: 'OB11100001' },
        carrier: { waybillNo: 'SF287321193818' },
        finance: { paymentConfirmed: true },
      });
      const lastEvent = arriving.at(-1) as StatusEvent;
      expect(last.deliveries).toEqual([
        {
          topic: 'status.changed',
          key: expect.any(String),
          payload: {
            orderId: paid.orderId,
            channel: 'douyin',
            transition: 'ship',
            from: 'paid',
            to: 'shipped',
            at: new Date(t0 + 7 * minute).toISOString(),
            cause: { system: lastEvent.system, code: lastEvent.code, eventId: lastEvent.eventId },
          },
        },
      ]);
    });
  }

  it('records each system’s last raw status with the source time and the clock time', () => {
    const results = applyAll(paidDouyinOrder('DY-raw'), shippingEvidence(), t0 + minute);
    const next = (results.at(-1) as TransitionResult).next;
    expect(Object.keys(next.lastRaw).sort()).toEqual(['carrier', 'douyin', 'finance', 'wms']);
    expect(next.lastRaw.wms).toMatchObject({ code: 'OUTBOUND_DONE', receivedAt: t0 + minute });
    expect(next.lastRaw.wms?.occurredAt).toBe('2026-11-10T16:00:00.000Z');
  });
});

describe('transition: chains', () => {
  it('takes several transitions in a row when the last piece of evidence completes them all', () => {
    const start = apply({ orderId: 'MP-chain' }, event('crm', 'CREATED', { channel: 'miniprogram' }), t0);
    const [outbound, waybill, received] = shippingEvidence() as [StatusEvent, StatusEvent, StatusEvent];
    const results = applyAll(start.next, [outbound, waybill, received], t0 + minute);
    const last = results.at(-1) as TransitionResult;

    expect(results[1]?.next.status).toBe('created');
    expect(last.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['created→paid', 'paid→shipped']);
    expect(last.transitions.every((t) => t.at === t0 + 3 * minute)).toBe(true);
    expect(last.deliveries.map((d) => d.topic)).toEqual(['status.changed', 'status.changed']);
    expect(new Set(last.deliveries.map((d) => d.key)).size).toBe(2);
    // Only the state it ends in gets timers; `paid` was passed through within one event.
    expect(new Set(last.slaTimers.schedule.map((t) => t.slaId))).toEqual(new Set(['deliver-within-72h']));
  });

  it('follows a chain through to a terminal state once late evidence arrives', () => {
    const paid = paidDouyinOrder('DY-late-outbound');
    const [outbound, waybill, received] = shippingEvidence() as [StatusEvent, StatusEvent, StatusEvent];
    const results = applyAll(paid, [waybill, received, event('carrier', 'DELIVERED'), outbound], t0 + minute);
    const last = results.at(-1) as TransitionResult;
    expect(last.transitions.map((t) => t.id)).toEqual(['ship', 'deliver']);
    expect(last.next.status).toBe('delivered');
    expect(last.slaTimers.schedule).toEqual([]);
  });

  it('cuts a loop of always-true guards short with a warning instead of spinning', () => {
    const loop = compileStatusGraph(
      statusGraphDefinitionSchema.parse({
        ...definitionInput,
        transitions: [
          { id: 'there', from: 'created', to: 'paid', guard: 'true' },
          { id: 'back', from: 'paid', to: 'created', guard: 'true' },
        ],
      }),
    );
    const result = transition(loop, { orderId: 'LOOP' }, event('crm', 'CREATED'), fixedClock(t0));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.transitions).toHaveLength(definitionInput.states.length);
    expect(result.warnings).toEqual([
      expect.objectContaining({ severity: 'warning', nodeId: expect.any(String) }),
    ]);
    expect(result.warnings[0]?.message).toMatch(/loop/);
  });
});

describe('transition: SLA timers', () => {
  const douyinTimers = (r: TransitionResult) =>
    r.slaTimers.schedule.filter((t) => t.slaId === 'douyin-paid-sync');

  it('schedules the Douyin 15-minute SLA on paid at 80, 100 and 200 %', () => {
    const result = apply({ orderId: 'DY-sla' }, event('douyin', 'PAID', { channel: 'douyin' }), t0);
    expect(result.created).toBe(true);
    expect(result.next.status).toBe('paid');
    expect(result.next.since).toBe(t0);
    const timers = douyinTimers(result);
    expect(timers.map((t) => [t.level, (t.dueAt - t0) / minute])).toEqual([
      ['warning', 12],
      ['breach', 15],
      ['escalation', 30],
    ]);
    expect(result.slaTimers.schedule.filter((t) => t.slaId === 'ship-within-48h')).toHaveLength(3);
  });

  it('cancels the timers when the order leaves paid in time, and a late firing is stale', () => {
    const paid = apply({ orderId: 'DY-in-time' }, event('douyin', 'PAID', { channel: 'douyin' }), t0);
    const results = applyAll(paid.next, shippingEvidence(), t0 + 8 * minute);
    const shipped = results.at(-1) as TransitionResult;
    expect(shipped.next.status).toBe('shipped');
    expect(shipped.slaTimers.cancel.sort()).toEqual(paid.slaTimers.schedule.map((t) => t.id).sort());

    const warning = douyinTimers(paid)[0];
    if (!warning) throw new Error('no warning timer');
    const fired = fireSlaTimer(graph, shipped.next, warning, fixedClock(warning.dueAt));
    expect(fired).toEqual({ outcome: 'stale', alerts: [], deliveries: [] });
  });

  it('escalates warning → breach → escalation while the order stays in paid, also from stored rows', () => {
    const paid = apply({ orderId: 'DY-stuck' }, event('douyin', 'PAID', { channel: 'douyin' }), t0);
    // A finance PENDING does not move the order: the timers stay valid.
    const pending = apply(paid.next, event('finance', 'PENDING'), t0 + 5 * minute);
    expect(pending.slaTimers).toEqual({ schedule: [], cancel: [] });

    const stored = douyinTimers(paid).map((t) => JSON.parse(JSON.stringify(t)) as typeof t);
    const early = fireSlaTimer(
      graph,
      pending.next,
      stored[0] as (typeof stored)[0],
      fixedClock(t0 + 11 * minute),
    );
    expect(early.outcome).toBe('not-due');

    const fired = stored.map((timer) =>
      fireSlaTimer(graph, pending.next, timer, fixedClock(timer.dueAt + 1000)),
    );
    expect(fired.map((f) => f.outcome)).toEqual(['fired', 'fired', 'fired']);
    const alerts = fired.flatMap((f) => f.alerts);
    expect(alerts.map((a) => a.level)).toEqual(['warning', 'breach', 'escalation']);
    expect(alerts.map((a) => a.notify)).toEqual([
      ['oms-oncall'],
      ['oms-oncall', 'shop-manager'],
      ['ops-director'],
    ]);
    expect(new Set(alerts.map((a) => a.key)).size).toBe(1);
    expect(alerts[1]?.message).toContain('15 min');
    const deliveries = fired.flatMap((f) => f.deliveries);
    expect(deliveries.map((d) => d.topic)).toEqual(['alert.sla', 'alert.sla', 'alert.sla']);
    expect(new Set(deliveries.map((d) => d.key)).size).toBe(3);
  });

  it('does not apply a Douyin SLA to a Pinduoduo order, but does apply the channel-less ones', () => {
    const result = apply({ orderId: 'PDD-sla' }, event('finance', 'RECEIVED', { channel: 'pinduoduo' }), t0);
    expect(result.next.status).toBe('paid');
    expect(result.slaTimers.schedule.map((t) => t.slaId)).toEqual([
      'ship-within-48h',
      'ship-within-48h',
      'ship-within-48h',
    ]);
  });

  it('adds the channel’s SLAs when the channel becomes known after the state was entered', () => {
    const paid = apply({ orderId: 'DY-late-channel' }, event('finance', 'RECEIVED'), t0);
    expect(paid.slaTimers.schedule.some((t) => t.slaId === 'douyin-paid-sync')).toBe(false);
    const learned = apply(paid.next, event('finance', 'PENDING', { channel: 'douyin' }), t0 + 3 * minute);
    expect(learned.next.channel).toBe('douyin');
    // Measured from when the order entered paid, not from when the channel was learned.
    expect(learned.slaTimers.schedule.map((t) => [t.slaId, (t.dueAt - t0) / minute])).toEqual([
      ['douyin-paid-sync', 12],
      ['douyin-paid-sync', 15],
      ['douyin-paid-sync', 30],
    ]);
  });
});

describe('transition: path violations', () => {
  it('raises a path-violation when the carrier reports delivered before the order shipped, and applies it', () => {
    const paid = paidDouyinOrder('DY-violation');
    const result = apply(paid, event('carrier', 'DELIVERED'), t0 + 30 * minute);

    expect(result.next.status).toBe('paid');
    expect(result.transitions).toEqual([]);
    expect(result.next.facts).toMatchObject({ carrier: { deliveredAt: '2026-11-10T16:00:00.000Z' } });
    expect(result.alerts).toEqual([
      expect.objectContaining({ type: 'path-violation', implies: 'delivered', from: 'paid', state: 'paid' }),
    ]);
    expect(result.deliveries.map((d) => d.topic)).toEqual(['alert.path-violation']);
  });

  it('raises none when the implied state is entered, or was already passed', () => {
    const shipped = applyAll(paidDouyinOrder('DY-no-violation'), shippingEvidence(), t0 + minute).at(
      -1,
    )?.next;
    if (!shipped) throw new Error('not shipped');
    const delivered = apply(shipped, event('carrier', 'DELIVERED'), t0 + 60 * minute);
    expect(delivered.next.status).toBe('delivered');
    expect(delivered.alerts).toEqual([]);

    const latePayment = apply(delivered.next, event('finance', 'RECEIVED'), t0 + 61 * minute);
    expect(latePayment.alerts).toEqual([]);
    expect(latePayment.next.status).toBe('delivered');
  });
});

describe('transition: idempotency and purity', () => {
  it('applies the same event only once', () => {
    const paid = paidDouyinOrder('DY-dup');
    const [outbound, waybill, received] = shippingEvidence() as [StatusEvent, StatusEvent, StatusEvent];
    const ready = applyAll(paid, [outbound, waybill], t0 + minute).at(-1)?.next as OrderState;

    const first = apply(ready, received, t0 + 5 * minute);
    expect(first.transitions).toHaveLength(1);
    const again = apply(first.next, received, t0 + 6 * minute);
    expect(again.duplicate).toBe(true);
    expect(again.transitions).toEqual([]);
    expect(again.deliveries).toEqual([]);
    expect(again.slaTimers).toEqual({ schedule: [], cancel: [] });
    expect(again.next).toBe(first.next);

    const replayOfEarlier = apply(first.next, outbound, t0 + 7 * minute);
    expect(replayOfEarlier.duplicate).toBe(true);
    expect(replayOfEarlier.next.since).toBe(first.next.since);
  });

  it('tells events of different systems with the same eventId apart', () => {
    const created = apply({ orderId: 'MP-ids' }, { ...event('crm', 'CREATED'), eventId: 'e-1' }, t0);
    const paid = apply(created.next, { ...event('finance', 'RECEIVED'), eventId: 'e-1' }, t0 + minute);
    expect(paid.duplicate).toBe(false);
    expect(paid.next.status).toBe('paid');
  });

  it('never changes the state it is given', () => {
    const paid = deepFreeze(paidDouyinOrder('DY-frozen'));
    const snapshot = structuredClone(paid);
    const results = applyAll(paid, shippingEvidence(), t0 + minute);
    expect((results.at(-1) as TransitionResult).next.status).toBe('shipped');
    expect(paid).toEqual(snapshot);
  });
});

describe('transition: bad input', () => {
  it('rejects an unknown system and an unknown code, naming them', () => {
    const paid = paidDouyinOrder('DY-unknown');
    const noSystem = transition(graph, paid, event('erp', 'SHIPPED'), fixedClock(t0));
    expect(noSystem).toEqual({
      ok: false,
      error: expect.objectContaining({ type: 'unknown-system', path: '/system', system: 'erp' }),
    });
    const noCode = transition(graph, paid, event('wms', 'TELEPORTED'), fixedClock(t0));
    expect(noCode).toEqual({
      ok: false,
      error: expect.objectContaining({
        type: 'unknown-code',
        path: '/code',
        system: 'wms',
        code: 'TELEPORTED',
      }),
    });
    if (noCode.ok) throw new Error('accepted');
    expect(noCode.error.message).toContain('TELEPORTED');
  });

  it('warns, and sets nothing, when evidence the dictionary expects is missing from the event data', () => {
    const paid = paidDouyinOrder('DY-no-waybill');
    const result = apply(paid, event('carrier', 'WAYBILL_CREATED', { data: {} }), t0 + minute);
    const carrier = definition.systems.findIndex((s) => s.id === 'carrier');
    expect(result.warnings).toEqual([
      expect.objectContaining({
        path: `/systems/${carrier}/statuses/0/sets/carrier.waybillNo`,
        severity: 'warning',
      }),
    ]);
    expect(result.next.facts.carrier).toBeUndefined();
    expect(result.next.lastRaw.carrier?.code).toBe('WAYBILL_CREATED');
  });
});
