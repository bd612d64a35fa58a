import type {
  AllocationEntry,
  CandidateRef,
  ExplanationDetail,
  RankedCandidate,
  UnroutableReason,
  WarehouseTier,
} from '../routingDecision.ts';

/** How many factor differences the sentence names (the detail keeps all of them). */
const namedDifferences = 3;

/** What the explanation needs to know besides the ranking. */
export interface ExplainInput {
  ranking: readonly RankedCandidate[];
  /**
   * Per factor in `factorIds` order, the contribution of `ranking[0]` − that of `ranking[1]`; needed
   * only when a single parcel has a runner-up.
   */
  contributionDeltas: readonly number[];
  allocation: readonly AllocationEntry[];
  factorIds: readonly string[];
  tiers: readonly WarehouseTier[];
  tierUsed: WarehouseTier | null;
  destinationRegion: string;
  maxParcels: number;
  splitAllowed: boolean;
  reasons: readonly UnroutableReason[] | undefined;
}

/** Builds the sentence and its machine-readable detail for a decision. */
export function explainDecision(input: ExplainInput): { explanation: string; detail: ExplanationDetail } {
  const { ranking, allocation } = input;
  if (allocation.length === 0) {
    return { explanation: explainUnroutable(input), detail: emptyDetail() };
  }
  const winner = ranking[0] as RankedCandidate;
  const fallback = fallbackNote(input);
  if (allocation.length > 1) {
    const parcels = allocation
      .map((a) => `${a.warehouse} via ${a.lane} [${a.lines.map((l) => `${l.sku}×${l.qty}`).join(', ')}]`)
      .join(' + ');
    const first = allocation[0] as AllocationEntry;
    const lead = ranking.find((r) => r.warehouse === first.warehouse && r.lane === first.lane) ?? winner;
    return {
      explanation: `Split into ${allocation.length} parcels (no single candidate had stock for every line): ${parcels}${fallback}`,
      detail: { winner: ref(lead), runnerUp: null, margin: null, differences: [] },
    };
  }
  const runnerUp = ranking[1];
  if (!runnerUp) {
    return {
      explanation: `${name(winner)} was the only candidate${fallback}`,
      detail: { winner: ref(winner), runnerUp: null, margin: null, differences: [] },
    };
  }
  const margin = winner.score - runnerUp.score;
  const differences = sortedDeltas(input.contributionDeltas, input.factorIds);
  const detail: ExplanationDetail = { winner: ref(winner), runnerUp: ref(runnerUp), margin, differences };
  let named = '';
  for (let i = 0, shown = 0; i < differences.length && shown < namedDifferences; i++) {
    const d = differences[i] as { factor: string; delta: number };
    if (Math.abs(d.delta) < 0.0005) break;
    named += `${shown++ === 0 ? ': ' : ', '}${d.factor} ${signed(d.delta)}`;
  }
  let sentence: string;
  if (!runnerUp.feasible) {
    const higher = margin < 0 ? ` although it scored ${amount(-margin)} higher` : '';
    sentence = `${name(winner)} won; the next candidate ${name(runnerUp)} was rejected by ${(runnerUp.rejectedBy ?? []).join(', ')}${higher}`;
  } else if (runnerUp.tier !== winner.tier) {
    const diff = margin >= 0 ? `also scored ${amount(margin)} higher` : `scored ${amount(-margin)} lower`;
    sentence = `${name(winner)} (${winner.tier}) was preferred over ${name(runnerUp)} (${runnerUp.tier}) by fallback tier order; it ${diff}${named}`;
  } else if (margin === 0) {
    sentence = `${name(winner)} tied with ${name(runnerUp)} at ${amount(winner.score)}; the tie went to the lower warehouse id, then lane id`;
  } else {
    sentence = `${name(winner)} beat ${name(runnerUp)} by ${amount(margin)}${named}`;
  }
  return { explanation: sentence + fallback, detail };
}

/** The per-factor deltas, largest magnitude first (stable). */
function sortedDeltas(
  deltas: readonly number[],
  factorIds: readonly string[],
): { factor: string; delta: number }[] {
  const out = new Array<{ factor: string; delta: number }>(factorIds.length);
  const magnitudes = new Array<number>(factorIds.length);
  for (let f = 0; f < factorIds.length; f++) {
    const delta = deltas[f] ?? 0;
    const magnitude = Math.abs(delta);
    let j = f;
    while (j > 0 && (magnitudes[j - 1] as number) < magnitude) {
      out[j] = out[j - 1] as { factor: string; delta: number };
      magnitudes[j] = magnitudes[j - 1] as number;
      j--;
    }
    out[j] = { factor: factorIds[f] as string, delta };
    magnitudes[j] = magnitude;
  }
  return out;
}

function explainUnroutable(input: ExplainInput): string {
  if (input.ranking.length === 0) {
    return `Unroutable: no lane from a warehouse in tiers ${input.tiers.join(', ')} serves ${input.destinationRegion}`;
  }
  const counts = new Map<string, number>();
  for (const reason of input.reasons ?? []) {
    for (const id of reason.rejectedBy) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const summary = [...counts].map(([id, n]) => `${id} ×${n}`).join(', ');
  const split = input.splitAllowed
    ? `; no combination of up to ${input.maxParcels} warehouses has stock for every line`
    : '';
  return `Unroutable: none of ${input.ranking.length} candidates is feasible (${summary})${split}`;
}

function fallbackNote(input: ExplainInput): string {
  const used = input.tierUsed === null ? -1 : input.tiers.indexOf(input.tierUsed);
  if (used <= 0) return '';
  return ` (fallback to tier ${input.tierUsed}: no feasible candidate in ${input.tiers.slice(0, used).join(', ')})`;
}

function emptyDetail(): ExplanationDetail {
  return { winner: null, runnerUp: null, margin: null, differences: [] };
}

function ref(c: RankedCandidate): CandidateRef {
  return { warehouse: c.warehouse, lane: c.lane, score: c.score, feasible: c.feasible };
}

function name(c: RankedCandidate): string {
  return `${c.warehouse} via ${c.lane}`;
}

/** Two decimals (two significant digits below 0.01); hand-rolled because `toFixed` is slow and this runs per decision. */
function amount(x: number): string {
  const abs = Math.abs(x);
  if (abs !== 0 && abs < 0.01) return x.toPrecision(2);
  const cents = Math.round(abs * 100);
  if (!Number.isSafeInteger(cents)) return x.toFixed(2);
  const fraction = cents % 100;
  return `${x < 0 && cents !== 0 ? '-' : ''}${(cents - fraction) / 100}.${fraction < 10 ? '0' : ''}${fraction}`;
}

function signed(x: number): string {
  return `${x < 0 ? '\u2212' : '+'}${amount(Math.abs(x))}`;
}
