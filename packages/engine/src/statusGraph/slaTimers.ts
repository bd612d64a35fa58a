import type { CompiledStatusGraph } from './compileStatusGraph.ts';
import type { SlaTimer } from './effects.ts';

const minuteMs = 60_000;

/** One stay of an order in a state: which order, which state, since when, on which channel. */
export interface StateStay {
  orderId: string;
  channel: string | undefined;
  state: string;
  enteredAt: number;
}

/**
 * The timers of every SLA level that applies to a stay: SLAs of that state whose channel is the order's
 * (or that name no channel), one timer per level, due at `enteredAt + withinMinutes × atPercent / 100`.
 * `onlyChannelSpecific` limits it to SLAs naming the channel (used when an order's channel is learned
 * after it entered the state).
 */
export function slaTimersFor(
  graph: CompiledStatusGraph,
  stay: StateStay,
  onlyChannelSpecific = false,
): SlaTimer[] {
  const timers: SlaTimer[] = [];
  for (const sla of graph.slasByState.get(stay.state) ?? []) {
    const applies = sla.channel === undefined ? !onlyChannelSpecific : sla.channel === stay.channel;
    if (!applies) continue;
    sla.levels.forEach((level, levelIndex) => {
      timers.push({
        id: slaTimerId(stay, sla.id, levelIndex),
        orderId: stay.orderId,
        slaId: sla.id,
        state: stay.state,
        levelIndex,
        level: level.level,
        atPercent: level.atPercent,
        withinMinutes: sla.withinMinutes,
        enteredAt: stay.enteredAt,
        dueAt: stay.enteredAt + Math.round((sla.withinMinutes * minuteMs * level.atPercent) / 100),
        notify: [...level.notify],
      });
    });
  }
  return timers;
}

/**
 * Ids of every timer a stay may have, whatever the channel — cancelling an id that was never scheduled
 * is harmless, and this way a timer scheduled under an earlier channel guess is cancelled too.
 */
export function slaTimerIdsFor(graph: CompiledStatusGraph, stay: StateStay): string[] {
  return (graph.slasByState.get(stay.state) ?? []).flatMap((sla) =>
    sla.levels.map((_, levelIndex) => slaTimerId(stay, sla.id, levelIndex)),
  );
}

function slaTimerId(stay: StateStay, slaId: string, levelIndex: number): string {
  return `${stay.orderId}/${slaId}/${stay.enteredAt}/${levelIndex}`;
}
