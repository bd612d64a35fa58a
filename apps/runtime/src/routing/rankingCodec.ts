import type { FactorValue, RankedCandidate, WarehouseTier } from '@orderloom/engine';
import type { LaneFact, WarehouseFact } from '@orderloom/schema';

// A decision's ranking is its largest part: every candidate × every factor × four doubles (about 54 kB
// of JSON for 55 candidates and 8 factors), and formatting those numbers is most of a decision's
// cost. It is stored exactly (float64) in a compact binary form instead, about 8 kB:
//
// - a candidate is named by its lane's position in the decision's lane snapshot (its warehouse is the
//   lane's origin and the tier that warehouse's), unless that does not hold, then by its ids;
// - a factor's weight is stored once when every candidate has the same one;
// - contributions and scores are left out when the engine's formulas (`normalized × weight / Σ weights`,
//   score = Σ contributions in factor order) reproduce them bit for bit — checked on every encode,
//   otherwise they are stored too.
//
// Layout: uint32 LE header length | header JSON | zero padding to a multiple of 8 | float64 LE values.

type CandidateHeader =
  | [lane: number, feasible: 0 | 1, rejectedBy?: string[]]
  | [warehouse: string, lane: string, tier: WarehouseTier, feasible: 0 | 1, rejectedBy?: string[]];

interface Header {
  factors: string[];
  /** One weight per factor, or null when weights vary per candidate (then stored per value). */
  weights: number[] | null;
  /** True when contributions and scores are stored, false when they are recomputed. */
  explicit: boolean;
  candidates: CandidateHeader[];
}

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * Encodes a ranking exactly. `lanes` and `warehouses` are the decision's snapshot (the same arrays
 * must be passed to {@link decodeRanking}).
 */
export function encodeRanking(
  ranking: readonly RankedCandidate[],
  lanes: readonly LaneFact[],
  warehouses: readonly WarehouseFact[],
): Buffer {
  const n = ranking.length;
  const factors = ranking[0] ? Object.keys(ranking[0].factors) : [];
  const nf = factors.length;
  const weights = new Array<number>(nf);
  let weightSum = 0;
  for (let f = 0; f < nf; f++) {
    const w = factorOf(ranking[0] as RankedCandidate, factors[f] as string).weight;
    weights[f] = w;
    weightSum += w;
  }

  // One pass writes the compact form and checks that the weights are shared and the formulas hold.
  const compact = new Float64Array(n * nf * 2);
  let derivable = true;
  let k = 0;
  for (let c = 0; c < n; c++) {
    const candidate = ranking[c] as RankedCandidate;
    let score = 0;
    for (let f = 0; f < nf; f++) {
      const v = factorOf(candidate, factors[f] as string);
      compact[k++] = v.raw;
      compact[k++] = v.normalized;
      if (derivable) {
        const w = weights[f] as number;
        const contribution = weightSum > 0 ? (v.normalized * w) / weightSum : 0;
        derivable = same(v.weight, w) && same(contribution, v.contribution);
        score += contribution;
      }
    }
    if (derivable) derivable = same(score, candidate.score);
  }

  let values = compact;
  if (!derivable) {
    values = new Float64Array(n * (1 + nf * 4));
    k = 0;
    for (const candidate of ranking) {
      values[k++] = candidate.score;
      for (const id of factors) {
        const v = factorOf(candidate, id);
        values[k++] = v.raw;
        values[k++] = v.normalized;
        values[k++] = v.weight;
        values[k++] = v.contribution;
      }
    }
  }

  const laneIndex = new Map<string, number>();
  for (let i = 0; i < lanes.length; i++) laneIndex.set((lanes[i] as LaneFact).id, i);
  const tierOf = new Map<string, WarehouseTier>();
  for (const w of warehouses) tierOf.set(w.id, w.tier);
  const candidates = new Array<CandidateHeader>(n);
  for (let c = 0; c < n; c++) {
    const candidate = ranking[c] as RankedCandidate;
    const i = laneIndex.get(candidate.lane);
    const feasible = candidate.feasible ? 1 : 0;
    const row: CandidateHeader =
      i !== undefined &&
      lanes[i]?.origin === candidate.warehouse &&
      tierOf.get(candidate.warehouse) === candidate.tier
        ? [i, feasible]
        : [candidate.warehouse, candidate.lane, candidate.tier, feasible];
    if (candidate.rejectedBy) (row as unknown[]).push(candidate.rejectedBy);
    candidates[c] = row;
  }

  const header = Buffer.from(
    JSON.stringify({
      factors,
      weights: derivable ? weights : null,
      explicit: !derivable,
      candidates,
    } satisfies Header),
    'utf8',
  );
  const dataOffset = align8(4 + header.length);
  const out = Buffer.allocUnsafe(dataOffset + values.length * 8);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  out.fill(0, 4 + header.length, dataOffset);
  if (littleEndian) out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), dataOffset);
  else for (let i = 0; i < values.length; i++) out.writeDoubleLE(values[i] as number, dataOffset + i * 8);
  return out;
}

/** Decodes {@link encodeRanking}'s output back into the identical ranking. */
export function decodeRanking(
  blob: Uint8Array,
  lanes: readonly LaneFact[],
  warehouses: readonly WarehouseFact[],
): RankedCandidate[] {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const headerLength = buf.readUInt32LE(0);
  const header = JSON.parse(buf.toString('utf8', 4, 4 + headerLength)) as Header;
  const { factors, weights, explicit } = header;
  let weightSum = 0;
  for (const w of weights ?? []) weightSum += w;
  const tierOf = new Map(warehouses.map((w) => [w.id, w.tier]));
  let offset = align8(4 + headerLength);
  const next = () => {
    const value = buf.readDoubleLE(offset);
    offset += 8;
    return value;
  };
  return header.candidates.map((row) => {
    let warehouse: string;
    let lane: string;
    let tier: WarehouseTier;
    let feasible: 0 | 1;
    let rejectedBy: string[] | undefined;
    if (typeof row[0] === 'number') {
      const fact = lanes[row[0]];
      if (!fact) throw new Error(`ranking names lane ${row[0]} of ${lanes.length}`);
      warehouse = fact.origin;
      lane = fact.id;
      const known = tierOf.get(warehouse);
      if (!known) throw new Error(`ranking names warehouse ${warehouse}, which the snapshot lacks`);
      tier = known;
      feasible = row[1] as 0 | 1;
      rejectedBy = row[2] as string[] | undefined;
    } else {
      [warehouse, lane, tier, feasible, rejectedBy] = row as [
        string,
        string,
        WarehouseTier,
        0 | 1,
        string[]?,
      ];
    }
    let score = explicit ? next() : 0;
    const values: Record<string, FactorValue> = {};
    for (let f = 0; f < factors.length; f++) {
      const raw = next();
      const normalized = next();
      const weight = weights ? (weights[f] as number) : next();
      let contribution: number;
      if (explicit) contribution = next();
      else {
        contribution = weightSum > 0 ? (normalized * weight) / weightSum : 0;
        score += contribution;
      }
      values[factors[f] as string] = { raw, normalized, weight, contribution };
    }
    const candidate: RankedCandidate = {
      warehouse,
      lane,
      tier,
      score,
      feasible: feasible === 1,
      factors: values,
    };
    if (rejectedBy) candidate.rejectedBy = rejectedBy;
    return candidate;
  });
}

function factorOf(candidate: RankedCandidate, id: string): FactorValue {
  const value = candidate.factors[id];
  if (!value) throw new Error(`candidate ${candidate.warehouse}/${candidate.lane} has no factor "${id}"`);
  return value;
}

// Bit-for-bit equality of doubles (as Object.is, without the call).
function same(a: number, b: number): boolean {
  return a === b ? a !== 0 || 1 / a === 1 / b : Number.isNaN(a) && Number.isNaN(b);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
