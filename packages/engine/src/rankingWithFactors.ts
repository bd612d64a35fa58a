import type { RankedCandidateWithFactors, RoutingDecision } from './routingDecision.ts';

/**
 * The ranking with each candidate's factor record, as `{ warehouse, lane, tier, score, feasible,
 * factors, rejectedBy? }` (in that key order): every candidate, or those at `positions` (ranking
 * positions, in the order given). Builds the records from the decision's columnar
 * {@link RoutingDecision.factorTable}; ask only for the candidates you show.
 *
 * @example
 * rankingWithFactors(decision); // every candidate, preferred first
 * rankingWithFactors(decision, [0, 1]); // the winner and the runner-up
 */
export function rankingWithFactors(
  decision: Pick<RoutingDecision, 'ranking' | 'factorTable'>,
  positions?: readonly number[],
): RankedCandidateWithFactors[] {
  const { ranking, factorTable } = decision;
  const count = positions ? positions.length : ranking.length;
  const out = new Array<RankedCandidateWithFactors>(count);
  for (let k = 0; k < count; k++) {
    const r = positions ? (positions[k] as number) : k;
    const candidate = ranking[r];
    if (!candidate) throw new RangeError(`no ranking position ${r} (the ranking holds ${ranking.length})`);
    const { warehouse, lane, tier, score, feasible, rejectedBy } = candidate;
    const factors = factorTable.factorsOf(r);
    // Two literals rather than adding `rejectedBy` afterwards: the key order is the answer's.
    out[k] =
      rejectedBy === undefined
        ? { warehouse, lane, tier, score, feasible, factors }
        : { warehouse, lane, tier, score, feasible, factors, rejectedBy };
  }
  return out;
}
