import type { Report } from '@orderloom/schema';
import {
  type ChinaPeakStatusEvent,
  chinaPeakStatusGraph,
  loadStatusEvents,
} from '@orderloom/schema/fixtures';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.ts';
import { compileStatusGraph } from '../statusGraph/compileStatusGraph.ts';
import type { AlertEffect, DeliveryEffect, SlaTimer, StatusChange } from '../statusGraph/effects.ts';
import { fireSlaTimer } from '../statusGraph/fireSlaTimer.ts';
import type { NewOrder, OrderState } from '../statusGraph/orderState.ts';
import { transition } from '../statusGraph/transition.ts';

const graph = compileStatusGraph(chinaPeakStatusGraph);
const minute = 60_000;

/** The first 30 orders of the recorded events: enough to contain the happy path and its exceptions. */
const allEvents = loadStatusEvents();
const sample = [...new Set(allEvents.map((e) => e.orderId))]
  .slice(0, 30)
  .map((orderId) => ({ orderId, events: allEvents.filter((e) => e.orderId === orderId) }));

interface Replay {
  order: OrderState;
  transitions: StatusChange[];
  alerts: AlertEffect[];
  deliveries: DeliveryEffect[];
  warnings: Report[];
}

/**
 * Replays one order's events as the runtime would: the clock reads each event's time, timer rows are
 * kept in a map, and a scheduler fires every due timer (at its due time) before the next event.
 */
function replay(orderId: string, events: ChinaPeakStatusEvent[]): Replay {
  let state: OrderState | NewOrder = { orderId };
  const timers = new Map<string, SlaTimer>();
  const out: Omit<Replay, 'order'> = { transitions: [], alerts: [], deliveries: [], warnings: [] };
  const fireDue = (order: OrderState, now: number): void => {
    const due = [...timers.values()].filter((t) => t.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    for (const timer of due) {
      timers.delete(timer.id);
      const fired = fireSlaTimer(graph, order, timer, fixedClock(timer.dueAt));
      out.alerts.push(...fired.alerts);
      out.deliveries.push(...fired.deliveries);
    }
  };
  for (const event of events) {
    const now = Date.parse(event.occurredAt);
    if ('status' in state) fireDue(state, now);
    const result = transition(graph, state, event, fixedClock(now));
    if (!result.ok) throw new Error(result.error.message);
    state = result.next;
    for (const id of result.slaTimers.cancel) timers.delete(id);
    for (const timer of result.slaTimers.schedule) timers.set(timer.id, timer);
    out.transitions.push(...result.transitions);
    out.alerts.push(...result.alerts);
    out.deliveries.push(...result.deliveries);
    out.warnings.push(...result.warnings);
  }
  if (!('status' in state)) throw new Error(`no events for ${orderId}`);
  return { order: state, ...out };
}

const indexOf = (events: ChinaPeakStatusEvent[], system: string, code: string) =>
  events.findIndex((e) => e.system === system && e.code === code);
const reported = (events: ChinaPeakStatusEvent[], system: string, code: string) =>
  indexOf(events, system, code) >= 0;

const replays = sample.map(({ orderId, events }) => ({ orderId, events, ...replay(orderId, events) }));

describe('replay of the china-peak status events through the demo graph', () => {
  it('applies every event without a rejection or a warning', () => {
    expect(replays.flatMap((r) => r.warnings)).toEqual([]);
    expect(replays.map((r) => r.order.seenEvents.length)).toEqual(sample.map((s) => s.events.length));
  });

  it('delivers exactly the orders with outbound number, e-waybill, funds and a delivery scan', () => {
    const complete = (events: ChinaPeakStatusEvent[]) =>
      reported(events, 'wms', 'OUTBOUND_DONE') &&
      reported(events, 'carrier', 'WAYBILL_CREATED') &&
      reported(events, 'finance', 'RECEIVED') &&
      reported(events, 'carrier', 'DELIVERED');
    const expected = replays.filter((r) => complete(r.events)).map((r) => r.orderId);
    expect(expected.length).toBeGreaterThan(0);
    expect(replays.filter((r) => r.order.status === 'delivered').map((r) => r.orderId)).toEqual(expected);
  });

  it('raises one path violation for each order the carrier delivered before the warehouse shipped it', () => {
    const early = (events: ChinaPeakStatusEvent[]) => {
      const delivered = indexOf(events, 'carrier', 'DELIVERED');
      const outbound = indexOf(events, 'wms', 'OUTBOUND_DONE');
      return delivered >= 0 && (outbound < 0 || outbound > delivered);
    };
    const expected = replays.filter((r) => early(r.events)).map((r) => r.orderId);
    expect(expected.length).toBeGreaterThan(0);
    const violations = replays.flatMap((r) => r.alerts.filter((a) => a.type === 'path-violation'));
    expect(violations.map((a) => a.orderId)).toEqual(expected);
    for (const alert of violations) {
      expect(alert).toMatchObject({ implies: 'delivered', cause: { system: 'carrier', code: 'DELIVERED' } });
      expect(replays.find((r) => r.orderId === alert.orderId)?.order.status).not.toBe('delivered');
    }
  });

  it('passes through exception exactly for the orders whose pickup failed', () => {
    for (const r of replays) {
      const passed = r.transitions.some((t) => t.to === 'exception');
      expect({ order: r.orderId, passed }).toEqual({
        order: r.orderId,
        passed: reported(r.events, 'carrier', 'PICKUP_FAILED'),
      });
    }
  });

  it('keeps each order’s transitions a connected path from the initial state, one delivery each', () => {
    for (const r of replays) {
      const path = r.transitions.map((t) => t.to);
      expect([graph.initialState, ...path.slice(0, -1)]).toEqual(r.transitions.map((t) => t.from));
      expect(path.at(-1) ?? graph.initialState).toBe(r.order.status);
      const last = r.transitions.at(-1);
      if (last) expect(r.order.since).toBe(last.at);
      expect(r.deliveries.filter((d) => d.topic === 'status.changed')).toHaveLength(r.transitions.length);
      expect(r.deliveries.filter((d) => d.topic.startsWith('alert.'))).toHaveLength(r.alerts.length);
    }
  });

  it('raises the Douyin paid SLA levels that the time between payment and the warehouse push reached', () => {
    const sla = chinaPeakStatusGraph.slas.find((s) => s.state === 'paid' && s.channel === 'douyin');
    if (!sla) throw new Error('the demo graph has no Douyin SLA on paid');
    // In the demo graph an order leaves paid when the CRM push or the WMS acceptance arrives.
    const expectedLevels = (events: ChinaPeakStatusEvent[]) => {
      const paid = events.find((e) => e.system === 'douyin' && e.code === 'PAID');
      const left = events.find(
        (e) => (e.system === 'crm' && e.code === 'PUSHED') || (e.system === 'wms' && e.code === 'RECEIVED'),
      );
      if (!paid || !left || events.indexOf(left) < events.indexOf(paid)) return [];
      const stay = Date.parse(left.occurredAt) - Date.parse(paid.occurredAt);
      return sla.levels
        .filter((l) => stay >= (sla.withinMinutes * minute * l.atPercent) / 100)
        .map((l) => l.level);
    };
    const fired = (r: Replay) =>
      r.alerts.filter((a) => a.type === 'sla' && a.slaId === sla.id).map((a) => a.level);

    const expected = replays.map((r) => ({ order: r.orderId, levels: expectedLevels(r.events) }));
    expect(replays.map((r) => ({ order: r.orderId, levels: fired(r) }))).toEqual(expected);
    expect(expected.some(({ levels }) => levels.length > 0)).toBe(true);
    expect(
      replays.some(
        (r) => r.order.channel === 'douyin' && reported(r.events, 'douyin', 'PAID') && fired(r).length === 0,
      ),
    ).toBe(true);
  });
});
