/** A candidate that may take part of a split: it passes every constraint except stock. */
export interface SplitCandidate {
  warehouse: string;
  tierIndex: number;
  score: number;
  /** Bit g set when the warehouse has stock for the order's g-th distinct SKU. */
  covers: number;
}

/** The chosen parcels, best score first, and the SKU indexes each one ships. */
export interface SplitPlan<C extends SplitCandidate> {
  parcels: { candidate: C; skuIndexes: number[] }[];
  /** The highest (last-resort) tier index among the parcels. */
  tierIndex: number;
}

/** Bit masks keep the search cheap; orders with more distinct SKUs than this are not split. */
export const maxSplitSkus = 30;

/** Past this many search steps for one size, a greedy cover is used instead (deterministic either way). */
const searchBudget = 50_000;

/**
 * Finds the fewest warehouses (2..maxParcels) whose stock together covers every distinct SKU of the
 * order. Fewer parcels win over earlier tiers: for each parcel count, tiers are added one at a time
 * (own, then own + regional …). Among covers of the same size and tiers the highest total score wins,
 * ties going to the lexicographically first combination in preference order.
 *
 * `candidates` must be in preference order (score descending, then warehouse id, then lane id); only
 * the first candidate of each warehouse is used (its best lane). Each SKU ships from the best-scoring
 * parcel that has it.
 */
export function planSplit<C extends SplitCandidate>(
  candidates: readonly C[],
  skuCount: number,
  maxParcels: number,
  tierCount: number,
): SplitPlan<C> | null {
  if (skuCount < 2 || skuCount > maxSplitSkus || maxParcels < 2) return null;
  const full = 2 ** skuCount - 1;
  const seen = new Set<string>();
  const pool: C[] = [];
  for (const c of candidates) {
    if (c.covers === 0 || seen.has(c.warehouse)) continue;
    seen.add(c.warehouse);
    pool.push(c);
  }
  for (let size = 2; size <= Math.min(maxParcels, skuCount); size++) {
    for (let tier = 0; tier < tierCount; tier++) {
      const eligible = pool.filter((c) => c.tierIndex <= tier);
      if (tier > 0 && !eligible.some((c) => c.tierIndex === tier)) continue;
      const members = bestCover(eligible, size, full);
      if (members) return toPlan(members, skuCount);
    }
  }
  return null;
}

function bestCover<C extends SplitCandidate>(pool: readonly C[], size: number, full: number): C[] | null {
  const best: { members: number[] | null; score: number } = {
    members: null,
    score: Number.NEGATIVE_INFINITY,
  };
  let steps = 0;
  const picked: number[] = [];
  const visit = (start: number, mask: number, score: number): boolean => {
    if (++steps > searchBudget) return false;
    if (picked.length === size) {
      if (mask === full && score > best.score) {
        best.score = score;
        best.members = [...picked];
      }
      return true;
    }
    for (let i = start; i <= pool.length - (size - picked.length); i++) {
      const c = pool[i] as C;
      // A member adding no new SKU cannot be part of a minimal cover.
      if ((mask | c.covers) === mask) continue;
      picked.push(i);
      const completed = visit(i + 1, (mask | c.covers) >>> 0, score + c.score);
      picked.pop();
      if (!completed) return false;
    }
    return true;
  };
  if (!visit(0, 0, 0)) return greedyCover(pool, size, full);
  return best.members ? best.members.map((i) => pool[i] as C) : null;
}

function greedyCover<C extends SplitCandidate>(pool: readonly C[], size: number, full: number): C[] | null {
  const members: C[] = [];
  let mask = 0;
  while (members.length < size && mask !== full) {
    let pick: C | undefined;
    let gain = 0;
    for (const c of pool) {
      const g = popCount((c.covers & ~mask) >>> 0);
      if (g > gain) {
        gain = g;
        pick = c;
      }
    }
    if (!pick) break;
    members.push(pick);
    mask = (mask | pick.covers) >>> 0;
  }
  return mask === full ? members : null;
}

function toPlan<C extends SplitCandidate>(members: readonly C[], skuCount: number): SplitPlan<C> {
  const parcels = members.map((candidate) => ({ candidate, skuIndexes: [] as number[] }));
  for (let g = 0; g < skuCount; g++) {
    const bit = 2 ** g;
    parcels.find((p) => (p.candidate.covers & bit) !== 0)?.skuIndexes.push(g);
  }
  const used = parcels.filter((p) => p.skuIndexes.length > 0);
  return { parcels: used, tierIndex: Math.max(...used.map((p) => p.candidate.tierIndex)) };
}

function popCount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}
