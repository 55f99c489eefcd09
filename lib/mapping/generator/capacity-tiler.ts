/**
 * Capacity refinement of the generic mapper (reference-co-pipeline §6 step 3, Stream's `CapacityTiler`).
 *
 * Per physical core, the footprint is the sum over the distinct tensors (by name) of the nodes mapped to
 * it of the tensor's steady-state tile, divided by the accessing node's inter-core splits on the dims
 * the tensor spans in that node's map (the first node on the core touching the tensor counts). When a
 * core exceeds `fillFraction` of its top-level memory, the tiler repeatedly shrinks the per-core tile of
 * one unique dim to its next smaller divisor, choosing the dim whose shrink leaves the smallest worst
 * overflow, as long as the steady state keeps at most `maxSteadyStateTiles` iterations. Nonlinear-
 * reduction dims are never shrunk.
 *
 * Deterministic tie-break (reference quirk Q63, a documented deviation): when several dims leave the
 * same worst overflow, the dim with the **lowest unique-dim index** wins. The reference follows Python
 * set order there, which depends on the per-process string-hash seed.
 */
import { FusionSplit, UniqueDimSplit, UniqueDimTile, tiledSizesOf, unrollOf } from '../../tiling/fusion-splits';
import { tensorShapeWithDimensionSizes } from '../../workload/analysis/tensor-shape';
import { UniqueDimensions } from '../../workload/analysis/unique-dimensions';
import { ELEMENT_BITS, Tensor } from '../../workload/model';
import { PlannedNode, intraCoreEntryName, plannedUniqueSplits } from './planned-node';

export interface CapacityTilerOptions {
  /** Share of each core's top-level memory the steady-state footprint may use. */
  readonly fillFraction: number;
  /** Upper bound on the number of steady-state iterations (product of the fusion splits). */
  readonly maxSteadyStateTiles: number;
}

export const DEFAULT_CAPACITY_TILER_OPTIONS: CapacityTilerOptions = { fillFraction: 0.5, maxSteadyStateTiles: 1024 };

export interface CoreFootprint {
  readonly coreId: number;
  /** Bits the core holds for one steady-state iteration. */
  readonly bits: number;
  /** `fillFraction × capacity`. */
  readonly budget: number;
}

export interface CapacityStep {
  readonly dim: number;
  /** The new per-core tile of `dim`. */
  readonly tile: number;
  /** Worst overflow (bits over budget, max over cores) after this step. */
  readonly worstOverflow: number;
}

export interface CapacityPlan {
  /** The intra-core tiling to use: the seed with shrunk tiles updated in place, then new entries. */
  readonly tiles: readonly UniqueDimTile[];
  /** The shrink steps taken (empty when the seed already fits). */
  readonly steps: readonly CapacityStep[];
  /** Footprints under the final tiling. */
  readonly footprints: readonly CoreFootprint[];
  /** True when some core still exceeds its budget (no admissible shrink was left). */
  readonly overflowing: boolean;
}

/** Per-core tiles (per unique dim) → the fusion splits they imply; undefined when a tile does not divide. */
function splitsOf(tiles: ReadonlyMap<number, number>, sizes: readonly number[], unrollings: readonly UniqueDimSplit[]): FusionSplit[] | undefined {
  const splits: FusionSplit[] = [];
  for (const [dim, tile] of tiles) {
    const block = tile * unrollOf(unrollings, dim);
    if (tile <= 0 || sizes[dim] % block !== 0) return undefined;
    splits.push({ dim, splits: sizes[dim] / block });
  }
  return splits;
}

/** The footprint model described in the module comment. */
export function coreFootprints(
  dimensions: UniqueDimensions,
  nodes: readonly PlannedNode[],
  tiledSizes: readonly number[],
  capacityOf: (coreId: number) => number,
  fillFraction: number,
): readonly CoreFootprint[] {
  const coreOrder: number[] = [];
  for (const p of nodes) for (const id of p.coreIds) if (!coreOrder.includes(id)) coreOrder.push(id);
  const shapeCache = new Map<string, number>();
  const tiledBits = (t: Tensor): number => {
    let bits = shapeCache.get(t.name);
    if (bits === undefined) {
      bits = tensorShapeWithDimensionSizes(dimensions, t, tiledSizes).reduce((a, b) => a * b, 1) * ELEMENT_BITS[t.elementType];
      shapeCache.set(t.name, bits);
    }
    return bits;
  };
  return coreOrder.map((coreId) => {
    const seen = new Set<string>();
    let bits = 0;
    for (const p of nodes) {
      if (!p.coreIds.includes(coreId)) continue;
      const splits = plannedUniqueSplits(p);
      const operands = [...p.node.inputs, ...p.node.outputs];
      operands.forEach((t, k) => {
        if (seen.has(t.name)) return;
        seen.add(t.name);
        const spanned = new Set(p.node.operandMaps[k].results.flatMap((e) => e.terms.filter((x) => x.coef !== 0).map((x) => p.dims[x.dim])));
        const divisor = splits.filter((s) => spanned.has(s.dim)).reduce((a, s) => a * s.factor, 1);
        bits += tiledBits(t) / divisor;
      });
    }
    return { coreId, bits, budget: fillFraction * capacityOf(coreId) };
  });
}

const worstOverflowOf = (footprints: readonly CoreFootprint[]): number => Math.max(...footprints.map((f) => f.bits - f.budget));

/** Largest divisor of n strictly below `below`, if any. */
function nextSmallerDivisor(n: number, below: number): number | undefined {
  for (let d = Math.min(below - 1, n); d >= 1; d--) if (n % d === 0) return d;
  return undefined;
}

/** `CapacityTiler.plan`: refine `seed` until every core fits (see the module comment). */
export function planCapacityTiling(
  dimensions: UniqueDimensions,
  nodes: readonly PlannedNode[],
  seed: readonly UniqueDimTile[],
  unrollings: readonly UniqueDimSplit[],
  nonlinearReductionDims: ReadonlySet<number>,
  capacityOf: (coreId: number) => number,
  options: CapacityTilerOptions = DEFAULT_CAPACITY_TILER_OPTIONS,
): CapacityPlan {
  const sizes = dimensions.sizes;
  const tiles = new Map<number, number>();
  for (const t of seed) tiles.set(t.dim, t.tile);
  const evaluate = (candidate: ReadonlyMap<number, number>) => {
    const splits = splitsOf(candidate, sizes, unrollings);
    if (!splits) return undefined;
    const footprints = coreFootprints(dimensions, nodes, tiledSizesOf(sizes, splits), capacityOf, options.fillFraction);
    return { splits, footprints, worst: worstOverflowOf(footprints) };
  };

  let current = evaluate(tiles);
  // A seed that does not divide is reported by the tiling stage; there is nothing to refine here.
  if (!current) return { tiles: seed, steps: [], footprints: [], overflowing: false };

  const steps: CapacityStep[] = [];
  const added: number[] = [];
  while (current.worst > 0) {
    let best: { dim: number; tile: number; result: NonNullable<ReturnType<typeof evaluate>> } | undefined;
    for (let dim = 0; dim < dimensions.count; dim++) {
      if (nonlinearReductionDims.has(dim)) continue;
      const unroll = unrollOf(unrollings, dim);
      if (sizes[dim] % unroll !== 0) continue;
      const perCore = sizes[dim] / unroll;
      const next = nextSmallerDivisor(perCore, tiles.get(dim) ?? perCore);
      if (next === undefined) continue;
      const candidate = new Map(tiles);
      candidate.set(dim, next);
      const result = evaluate(candidate);
      if (!result) continue;
      if (result.splits.reduce((p, s) => p * s.splits, 1) > options.maxSteadyStateTiles) continue;
      // Strict comparison: on equal overflow the lower unique-dim index (visited first) is kept (Q63).
      if (result.worst < current.worst && (best === undefined || result.worst < best.result.worst)) best = { dim, tile: next, result };
    }
    if (!best) break;
    if (!tiles.has(best.dim) && !added.includes(best.dim)) added.push(best.dim);
    tiles.set(best.dim, best.tile);
    steps.push({ dim: best.dim, tile: best.tile, worstOverflow: best.result.worst });
    current = best.result;
  }

  const refined: UniqueDimTile[] = [
    ...seed.map((t) => ({ ...t, tile: tiles.get(t.dim)! })),
    ...added.filter((dim) => !seed.some((t) => t.dim === dim)).map((dim) => ({ dim, tile: tiles.get(dim)!, entry: intraCoreEntryName(nodes, dim) })),
  ];
  return { tiles: steps.length > 0 ? refined : seed, steps, footprints: current.footprints, overflowing: current.worst > 0 };
}
