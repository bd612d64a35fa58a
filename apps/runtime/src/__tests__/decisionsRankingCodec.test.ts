import { compileRouting, indexFacts, type RankedCandidate, type RoutingDecision } from '@orderloom/engine';
import { routingDefinitionSchema } from '@orderloom/schema';
import {
  loadAlerts,
  loadLanes,
  loadOrders,
  loadWarehouses,
  peakSeasonRouting,
} from '@orderloom/schema/fixtures';
import { describe, expect, it } from 'vitest';
import { decodeRanking, encodeRanking } from '../routing/rankingCodec.ts';

const strategy = compileRouting(routingDefinitionSchema.parse(peakSeasonRouting));
const facts = indexFacts({ warehouses: loadWarehouses(), lanes: loadLanes(), alerts: loadAlerts() });
const decisions: RoutingDecision[] = loadOrders()
  .slice(0, 300)
  .map((order) => strategy.route(order, facts, Date.parse(order.placedAt ?? '2026-11-11T00:00:00Z')));

const roundTrip = (d: RoutingDecision, ranking: RankedCandidate[] = d.ranking) => {
  const { lanes, warehouses } = d.snapshot.facts;
  const blob = encodeRanking(ranking, lanes, warehouses);
  return { blob, decoded: decodeRanking(new Uint8Array(blob), lanes, warehouses) };
};

describe('ranking codec', () => {
  it('decodes exactly what was encoded, in a fraction of the JSON size', () => {
    expect(decisions.some((d) => d.ranking.some((r) => r.rejectedBy))).toBe(true);
    for (const d of decisions) {
      const { blob, decoded } = roundTrip(d);
      expect(decoded).toEqual(d.ranking);
      expect(JSON.stringify(decoded)).toBe(JSON.stringify(d.ranking));
      expect(blob.length).toBeLessThan(JSON.stringify(d.ranking).length / 5);
    }
  });

  it('stores contributions and scores when the formulas do not reproduce them, and ids when lanes do not', () => {
    const d = decisions[0] as RoutingDecision;
    const [head, ...rest] = d.ranking as [RankedCandidate, ...RankedCandidate[]];
    const [factor] = Object.keys(head.factors) as [string];
    const nudged: RankedCandidate = {
      ...head,
      warehouse: 'WH-ELSEWHERE',
      score: head.score + 1e-12,
      factors: {
        ...head.factors,
        [factor]: { ...(head.factors[factor] as RankedCandidate['factors'][string]), weight: 3 },
      },
    };
    const ranking = [nudged, ...rest];
    const { blob, decoded } = roundTrip(d, ranking);
    expect(decoded).toEqual(ranking);
    expect(blob.length).toBeGreaterThan(roundTrip(d).blob.length);
  });

  it('round-trips an empty ranking and negative zero', () => {
    const d = decisions[1] as RoutingDecision;
    expect(roundTrip(d, []).decoded).toEqual([]);
    const [head] = d.ranking as [RankedCandidate];
    const zeroed = {
      ...head,
      factors: Object.fromEntries(
        Object.keys(head.factors).map((k) => [k, { raw: -0, normalized: 0, weight: 1, contribution: 0 }]),
      ),
    };
    const { decoded } = roundTrip(d, [zeroed]);
    expect(Object.is(decoded[0]?.factors[Object.keys(head.factors)[0] as string]?.raw, -0)).toBe(true);
  });
});
