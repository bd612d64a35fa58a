import { compileRouting, type RoutingSnapshot, rankingWithFactors } from '@orderloom/engine';
import { loadAlerts, loadLanes, loadOrders, loadWarehouses } from '@orderloom/schema/fixtures';
import { peakSeasonRouting } from '@orderloom/schema/fixtures/demo';
import { describe, expect, it } from 'vitest';
import { type RoutingDraft, setFactorWeight } from '../features/routing/routingModel.ts';
import { allocationKey, runWhatIf, winnerOf } from '../features/routing/whatIf.ts';

const facts = { warehouses: loadWarehouses(), lanes: loadLanes(), alerts: loadAlerts() };
const compiled = compileRouting(peakSeasonRouting);
const carbon = peakSeasonRouting.factors.findIndex((f) => f.type === 'carbon');
const carbonId = peakSeasonRouting.factors[carbon]?.id ?? '';

/**
 * A stored-decision snapshot where the greenest feasible candidate is not the winner: raising the
 * carbon weight enough must then hand it the order. Found from the engine's own factor values.
 */
function findSnapshot(): { snapshot: RoutingSnapshot; greenest: string } {
  for (const order of loadOrders().slice(0, 300)) {
    const at = Date.parse(order.placedAt ?? '2026-11-11T00:00:00Z');
    const decision = compiled.route(order, facts, at);
    if (decision.allocation.length !== 1 || !decision.tierUsed) continue;
    const ranking = rankingWithFactors(decision);
    const sameTier = ranking.filter((c) => c.feasible && c.tier === decision.tierUsed);
    const best = Math.max(...sameTier.map((c) => c.factors[carbonId]?.normalized ?? 0));
    const greenest = sameTier.filter((c) => c.factors[carbonId]?.normalized === best);
    const winner = ranking[0];
    if (greenest.length === 1 && greenest[0] && winner && greenest[0] !== winner)
      return { snapshot: decision.snapshot, greenest: `${greenest[0].warehouse} via ${greenest[0].lane}` };
  }
  throw new Error('no order where carbon alone would change the winner');
}

describe('what-if', () => {
  const { snapshot, greenest } = findSnapshot();

  it('reproduces the recorded decision with the unchanged strategy', () => {
    const result = runWhatIf(peakSeasonRouting, snapshot);
    const recorded = compiled.route(snapshot.order, snapshot.facts, snapshot.at);
    expect(result.ok && allocationKey(result.decision)).toBe(allocationKey(recorded));
  });

  it('hands the order to the greenest candidate when the carbon weight is raised enough', () => {
    const draft = setFactorWeight(structuredClone(peakSeasonRouting) as RoutingDraft, carbon, 1000);
    const result = runWhatIf(draft, snapshot);
    if (!result.ok) throw new Error(result.message);
    expect(winnerOf(result.decision)).toBe(greenest);
    expect(winnerOf(result.decision)).not.toBe(
      winnerOf(compiled.route(snapshot.order, snapshot.facts, snapshot.at)),
    );
  });

  it('explains a draft that does not compile instead of throwing', () => {
    const broken = { ...peakSeasonRouting, constraints: [{ id: 'x', type: 'custom', expression: '1 +' }] };
    const result = runWhatIf(broken, snapshot);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('/constraints/0/expression');
    expect(runWhatIf({ ...peakSeasonRouting, factors: [] }, snapshot).ok).toBe(false);
  });
});
