import type { RouteResponse } from './routingApiSchemas.ts';

/** How much of the ranking `POST /api/route` answers with (`?ranking=`). */
export type RankingMode = 'all' | 'top' | 'none';

/**
 * The JSON body of a `POST /api/route` answer, as bytes. The ranking is most of a full answer (every
 * candidate's factor table) and pure ASCII, the rest is small but may hold non-ASCII text (the
 * explanation's "−"); encoding them apart keeps the large part on V8's one-byte fast path.
 */
export function decisionAnswer(response: RouteResponse, mode: RankingMode): Buffer {
  const { decisionId, strategy, allocation, ranking, ...rest } = response;
  const shown = mode === 'all' ? ranking : mode === 'none' ? [] : namedCandidates(response);
  const tail = mode === 'all' ? rest : { ...rest, candidates: ranking.length };
  const head = JSON.stringify({ decisionId, strategy, allocation });
  return Buffer.concat([
    Buffer.from(`${head.slice(0, -1)},"ranking":`),
    Buffer.from(JSON.stringify(shown)),
    Buffer.from(`,${JSON.stringify(tail).slice(1)}`),
  ]);
}

/** The candidates the decision names: those it allocates to, and the runner-up. */
function namedCandidates(response: RouteResponse): RouteResponse['ranking'] {
  const named = new Set(response.allocation.map((a) => `${a.warehouse}\u0000${a.lane}`));
  const runnerUp = response.explanationDetail.runnerUp;
  if (runnerUp) named.add(`${runnerUp.warehouse}\u0000${runnerUp.lane}`);
  return response.ranking.filter((r) => named.has(`${r.warehouse}\u0000${r.lane}`));
}
