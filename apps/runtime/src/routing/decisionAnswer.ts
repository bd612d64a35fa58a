import { type RoutingDecision, rankingWithFactors } from '@orderloom/engine';
import type { RouteResponse } from './routingApiSchemas.ts';

/** How much of the ranking `POST /api/route` answers with (`?ranking=`). */
export type RankingMode = 'all' | 'top' | 'none';

/** A `POST /api/route` answer without its ranking, in the answer's key order. */
export type RouteAnswerParts = Omit<RouteResponse, 'ranking' | 'candidates'>;

/**
 * The JSON body of a `POST /api/route` answer, as bytes: `parts` with the ranking `mode` asks for,
 * whose factor records are built from the decision's factor table for the candidates shown only. The
 * ranking is most of a full answer (every candidate's factor table) and pure ASCII, the rest is small
 * but may hold non-ASCII text (the explanation's "−"); encoding them apart keeps the large part on V8's
 * one-byte fast path.
 */
export function decisionAnswer(
  parts: RouteAnswerParts,
  decision: Pick<RoutingDecision, 'ranking' | 'factorTable'>,
  mode: RankingMode,
): Buffer {
  const { decisionId, strategy, allocation, ...rest } = parts;
  const shown =
    mode === 'all'
      ? rankingWithFactors(decision)
      : mode === 'none'
        ? []
        : rankingWithFactors(decision, namedPositions(parts, decision.ranking));
  const tail = mode === 'all' ? rest : { ...rest, candidates: decision.ranking.length };
  const head = JSON.stringify({ decisionId, strategy, allocation });
  return Buffer.concat([
    Buffer.from(`${head.slice(0, -1)},"ranking":`),
    Buffer.from(JSON.stringify(shown)),
    Buffer.from(`,${JSON.stringify(tail).slice(1)}`),
  ]);
}

/** The whole `POST /api/route` answer as an object: `parts` with every candidate and its factor record. */
export function routeResponse(
  parts: RouteAnswerParts,
  decision: Pick<RoutingDecision, 'ranking' | 'factorTable'>,
): RouteResponse {
  const { decisionId, strategy, allocation, ...rest } = parts;
  return { decisionId, strategy, allocation, ranking: rankingWithFactors(decision), ...rest };
}

/** Ranking positions of the candidates the decision names: those it allocates to, and the runner-up. */
function namedPositions(parts: RouteAnswerParts, ranking: RoutingDecision['ranking']): number[] {
  const { allocation } = parts;
  const runnerUp = parts.explanationDetail.runnerUp;
  const positions: number[] = [];
  for (let r = 0; r < ranking.length; r++) {
    const { warehouse, lane } = ranking[r] as RoutingDecision['ranking'][number];
    if (
      (runnerUp !== null && runnerUp.warehouse === warehouse && runnerUp.lane === lane) ||
      allocation.some((a) => a.warehouse === warehouse && a.lane === lane)
    ) {
      positions.push(r);
    }
  }
  return positions;
}
