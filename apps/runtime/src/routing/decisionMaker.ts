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
 * Makes decisions on the calling thread while it is free, and on the decision thread (when given) as
 * soon as another decision is already in flight: a lone request pays no hand-off between threads,
 * while under load ranking and serialising run on the second core beside this thread's HTTP work.
 * Either way the decision is stored here, by the service's group commit, before the answer — one
 * connection writes decisions, so the two never wait for each other's locks.
 */
export function createDecisionMaker(deps: {
  decisions: DecisionService;
  clock: Clock;
  thread?: DecisionThread | undefined;
}): DecisionMaker {
  const { decisions, clock, thread } = deps;
  let inFlight = 0;
  const counts = { here: 0, onThread: 0 };
  return {
    async route(request, mode) {
      const at = clock.now();
      const offload = thread !== undefined && inFlight > 0;
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
    close: () => thread?.close() ?? Promise.resolve(),
  };
}
