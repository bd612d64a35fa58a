import { performance } from 'node:perf_hooks';
import type { Clock } from '@orderloom/engine';
import type { RankingMode } from './decisionAnswer.ts';
import type { DecisionService, RouteFailure } from './decisionService.ts';
import type { DecisionThread } from './decisionThread.ts';
import type { RouteRequest } from './routingApiSchemas.ts';

/** A routing decision made and stored for `POST /api/route`: the answer's JSON bytes, or why there is none. */
export type RouteAnswer = { ok: true; body: Uint8Array } | RouteFailure;

/** Makes and durably stores the decisions `POST /api/route` asks for. See {@link createDecisionMaker}. */
export interface DecisionMaker {
  /** Resolves once the decision is committed. */
  route(request: RouteRequest, mode: RankingMode): Promise<RouteAnswer>;
  /** How many decisions were prepared on this thread and on the decision thread so far. */
  counts(): { here: number; onThread: number };
  /** Stops the decision thread, if any (after the decisions in flight). */
  close(): Promise<void>;
}

/**
 * Makes decisions on the calling thread while it has time to spare, and on the decision thread (when
 * given) once it is busy — more than `busyAbove` of the last `sampleMs` spent working — and another
 * decision is already in flight: at moderate load no request pays a hand-off between threads (whose
 * latency shows in the tail on a machine with few cores), while under heavy load ranking and
 * serialising run on another core beside this thread's HTTP work. Either way the decision is stored
 * here, by the service's group commit, before the answer — one connection writes decisions, so the
 * two threads never wait for each other's locks.
 */
export function createDecisionMaker(deps: {
  decisions: DecisionService;
  clock: Clock;
  thread?: DecisionThread | undefined;
  /** Event-loop utilisation above which this thread counts as busy; default 0.6 (below 0: always). */
  busyAbove?: number;
  sampleMs?: number;
}): DecisionMaker {
  const { decisions, clock, thread } = deps;
  const busyAbove = deps.busyAbove ?? 0.6;
  let inFlight = 0;
  let busy = busyAbove < 0;
  let sampled = performance.eventLoopUtilization();
  const sampler = thread
    ? setInterval(() => {
        const now = performance.eventLoopUtilization();
        busy = performance.eventLoopUtilization(now, sampled).utilization > busyAbove;
        sampled = now;
      }, deps.sampleMs ?? 100)
    : undefined;
  sampler?.unref();
  const counts = { here: 0, onThread: 0 };
  return {
    async route(request, mode) {
      const at = clock.now();
      const offload = thread !== undefined && busy && inFlight > 0;
      counts[offload ? 'onThread' : 'here']++;
      inFlight++;
      try {
        const made = offload
          ? await thread.prepare(request, { at, mode })
          : decisions.prepare(request, { at, mode });
        if (!made.ok) return made;
        await decisions.store(made.prepared);
        return { ok: true, body: made.prepared.answer };
      } finally {
        inFlight--;
      }
    },
    counts: () => ({ ...counts }),
    close: () => {
      clearInterval(sampler);
      return thread?.close() ?? Promise.resolve();
    },
  };
}
