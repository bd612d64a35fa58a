import type { LaneFact } from '@orderloom/schema';
import type { RegionIndex } from '../indexFacts.ts';
import { laneServiceLevel, warehouseTierAffinity } from './builtInFactors.ts';

/** One bit per transport mode, so that an alert's modes are matched with a mask instead of a search. */
export const modeBits: Readonly<Record<LaneFact['mode'], number>> = {
  ground: 1,
  air: 2,
  rail: 4,
  sea: 8,
  'cold-chain': 16,
};

/**
 * The numbers a decision reads from one region's lanes and their origin warehouses, as typed columns:
 * lane `l` is `region.lanes[l]`, warehouse `w` is `region.warehouses[w]`. They depend on the facts
 * only, not on the order or the strategy, so a region of an {@link IndexedFacts} computes them once.
 */
export interface RegionColumns {
  readonly region: RegionIndex;
  readonly origins: Int32Array;
  readonly modeBit: Uint8Array;
  /** {@link laneServiceLevel} of the lane's mode. */
  readonly serviceLevel: Float64Array;
  readonly saturation: Float64Array;
  readonly co2PerKg: Float64Array;
  readonly costPerKg: Float64Array;
  readonly costPerParcel: Float64Array;
  readonly etaHours: Float64Array;
  /** Per warehouse: (capacityPerDay − load) / capacityPerDay, 0 without capacity. */
  readonly capacityShare: Float64Array;
  /** Per warehouse: capacityPerDay − load. */
  readonly remainingCapacity: Float64Array;
  /** Per warehouse: {@link warehouseTierAffinity} of its tier. */
  readonly tierAffinity: Float64Array;
  readonly ageDays: Float64Array;
  /** Per warehouse: the age factor for `ageDecayDays` = `ageDecay` (undefined until a decision needs it). */
  readonly ageFactor: Float64Array;
  ageDecay: number | undefined;
}

const cache = new WeakMap<RegionIndex, RegionColumns>();

/**
 * The columns of `region`. A region of an index kept across decisions (`cached`) computes them once;
 * for a region indexed for a single decision they are written into `reuse` when it is large enough,
 * since allocating a dozen typed arrays per decision would cost more than filling them.
 */
export function regionColumns(region: RegionIndex, cached: boolean, reuse?: RegionColumns): RegionColumns {
  if (!cached) return buildColumns(region, reuse);
  let columns = cache.get(region);
  if (!columns) {
    columns = buildColumns(region);
    cache.set(region, columns);
  }
  return columns;
}

function buildColumns(region: RegionIndex, reuse?: RegionColumns): RegionColumns {
  const { lanes, warehouses } = region;
  const n = lanes.length;
  const m = warehouses.length;
  const fits = reuse !== undefined && reuse.origins.length >= n && reuse.ageDays.length >= m;
  const laneSize = fits ? reuse.origins.length : n;
  const origins = fits ? reuse.origins : new Int32Array(laneSize);
  const modeBit = fits ? reuse.modeBit : new Uint8Array(laneSize);
  const serviceLevel = fits ? reuse.serviceLevel : new Float64Array(laneSize);
  const saturation = fits ? reuse.saturation : new Float64Array(laneSize);
  const co2PerKg = fits ? reuse.co2PerKg : new Float64Array(laneSize);
  const costPerKg = fits ? reuse.costPerKg : new Float64Array(laneSize);
  const costPerParcel = fits ? reuse.costPerParcel : new Float64Array(laneSize);
  const etaHours = fits ? reuse.etaHours : new Float64Array(laneSize);
  for (let l = 0; l < n; l++) {
    const lane = lanes[l] as LaneFact;
    origins[l] = region.origins[l] as number;
    modeBit[l] = modeBits[lane.mode] ?? 0;
    serviceLevel[l] = laneServiceLevel[lane.mode];
    saturation[l] = lane.saturation;
    co2PerKg[l] = lane.co2PerKg;
    costPerKg[l] = lane.costPerKg ?? 0;
    costPerParcel[l] = lane.costPerParcel ?? 0;
    etaHours[l] = lane.etaHours;
  }
  const warehouseSize = fits ? reuse.ageDays.length : m;
  const capacityShare = fits ? reuse.capacityShare : new Float64Array(warehouseSize);
  const remainingCapacity = fits ? reuse.remainingCapacity : new Float64Array(warehouseSize);
  const tierAffinity = fits ? reuse.tierAffinity : new Float64Array(warehouseSize);
  const ageDays = fits ? reuse.ageDays : new Float64Array(warehouseSize);
  const ageFactor = fits ? reuse.ageFactor : new Float64Array(warehouseSize);
  for (let w = 0; w < m; w++) {
    const { capacityPerDay, load, tier } = warehouses[w] as (typeof warehouses)[number];
    ageDays[w] = (warehouses[w] as (typeof warehouses)[number]).ageDays;
    capacityShare[w] = capacityPerDay > 0 ? (capacityPerDay - load) / capacityPerDay : 0;
    remainingCapacity[w] = capacityPerDay - load;
    tierAffinity[w] = warehouseTierAffinity[tier];
  }
  return {
    region,
    origins,
    modeBit,
    serviceLevel,
    saturation,
    co2PerKg,
    costPerKg,
    costPerParcel,
    etaHours,
    capacityShare,
    remainingCapacity,
    tierAffinity,
    ageDays,
    ageFactor,
    ageDecay: undefined,
  };
}
