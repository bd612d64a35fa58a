import {
  compileRouting,
  type RoutingDecision,
  RoutingDefinitionError,
  type RoutingSnapshot,
} from '@orderloom/engine';
import { routingDefinitionSchema } from '@orderloom/schema';

/** Outcome of routing a snapshot with the draft: the decision, or why the draft could not decide. */
export type WhatIfResult = { ok: true; decision: RoutingDecision } | { ok: false; message: string };

/**
 * Routes a stored decision's snapshot (or a pasted order with its facts) with the draft, in the browser,
 * on the same engine the runtime uses. Never throws: a draft that does not parse or compile, or a CEL
 * expression that fails on this order, comes back as a sentence.
 */
export function runWhatIf(draft: unknown, snapshot: RoutingSnapshot): WhatIfResult {
  const parsed = routingDefinitionSchema.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `/${issue.path.join('/')}` : 'the draft';
    return { ok: false, message: `${where}: ${issue?.message ?? 'invalid strategy'}` };
  }
  try {
    const decision = compileRouting(parsed.data).route(snapshot.order, snapshot.facts, snapshot.at);
    return { ok: true, decision };
  } catch (cause) {
    if (cause instanceof RoutingDefinitionError)
      return { ok: false, message: cause.reports.map((r) => `${r.path}: ${r.message}`).join('; ') };
    return { ok: false, message: cause instanceof Error ? cause.message : String(cause) };
  }
}

/** The winner of a decision as `warehouse via lane` (the first parcel), or null when unroutable. */
export function winnerOf(decision: {
  allocation: readonly { warehouse: string; lane: string }[];
}): string | null {
  const first = decision.allocation[0];
  return first ? `${first.warehouse} via ${first.lane}` : null;
}

/** The allocation as one comparable key (every parcel), so a split that changes shows as a change. */
export function allocationKey(decision: {
  allocation: readonly { warehouse: string; lane: string }[];
}): string {
  return decision.allocation.map((a) => `${a.warehouse}|${a.lane}`).join(',');
}
