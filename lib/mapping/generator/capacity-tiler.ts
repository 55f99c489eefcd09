/**
 * Capacity refinement of the generic mapper (reference-co-pipeline §6 step 3, Stream's `CapacityTiler`).
 *
 * Footprint model (the reference's arithmetic one, reproduced literally because it decides the tiling):
 * * The cores of a node are all its *eligible* cores (what the reference hands the tiler), also when the
 *   allocation was shrunk to fewer cores.
 * * Per core, the distinct tensors (by name) of the nodes on it, each with the unique dims its access map
 *   spans in the first node on that core touching it.
 * * A tensor is measured **once per group**, through the first (core, node) that holds it — cores in order
 *   of first use, nodes in group order: its full bits divided by the group unroll U(z) of those dims, then
 *   scaled by `tile / per-core extent` of every candidate dim among them. So a tensor keeps that view on
 *   every other core too (ResNet-18's Relu output counts on the MaxPool core with the Relu's dims, ox
 *   unroll included), and a windowed reader's halo plays no part: the scaling is linear in the tile.
 * * Candidate dims: every dim a bucketed tensor spans, minus the protected ones (nonlinear reductions),
 *   with a per-core extent (`size / U` when U divides, else `size`) above 1.
 *
 * When some core's footprint exceeds `fillFraction` of its top-level memory, the tiler repeatedly shrinks
 * the candidate dim whose next smaller divisor leaves the smallest worst overflow (max over cores), as
 * long as the steady state keeps at most `maxSteadyStateTiles` tiles (Π per-core extent / tile). If no
 * step fits the group, it gives up and the seed is kept; otherwise its entries (every candidate dim tiled
 * below its per-core extent, seed dims included) replace the seed.
 *
 * Deterministic order (reference quirk Q63, a documented deviation): candidates are visited, and entries
 * emitted, by ascending unique-dim index, so on equal overflow the lowest index wins. The reference walks
 * a Python set there, whose order depends on the per-process string-hash seed.
 */
import { UniqueDimSplit, UniqueDimTile, unrollOf } from '../../tiling/fusion-splits';
import { ELEMENT_BITS, Tensor } from '../../workload/model';
import { UniqueDimensions } from '../../workload/analysis/unique-dimensions';
import { PlannedNode, intraCoreEntryName } from './planned-node';

export interface CapacityTilerOptions {
  /** Share of each core's top-level memory the steady-state footprint may use. */
  readonly fillFraction: number;
  /** Upper bound on the number of steady-state iterations (product of the fusion splits). */
  readonly maxSteadyStateTiles: number;
}

export const DEFAULT_CAPACITY_TILER_OPTIONS: CapacityTilerOptions = { fillFraction: 0.5, maxSteadyStateTiles: 1024 };

export interface CoreFootprint {
  readonly coreId: number;
  /** Bits the tiler's model puts on the core for one steady-state iteration. */
  readonly bits: number;
  /** `floor(fillFraction × capacity)`. */
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
  /** The intra-core tiling to use: the tiler's entries when it fitted the group, else the seed. */
  readonly tiles: readonly UniqueDimTile[];
  /** The shrink steps taken (empty when the seed already fits). */
  readonly steps: readonly CapacityStep[];
  /** Footprints under `tiles`, in the tiler's model. */
  readonly footprints: readonly CoreFootprint[];
  /** True when the tiler could not fit the group and fell back to the seed. */
  readonly overflowing: boolean;
}

/** One tensor's share of a core: `baseBits × Π tile(z) / perCore(z)` over `scalingDims`. */
interface FootprintTerm {
  readonly baseBits: number;
  readonly scalingDims: readonly number[];
}

interface FootprintModel {
  readonly cores: readonly { readonly coreId: number; readonly budget: number; readonly terms: readonly FootprintTerm[] }[];
  /** Candidate dim → its per-core extent, ascending dim index. */
  readonly perCore: ReadonlyMap<number, number>;
}

/** Unique dims the node's access map of operand `k` steps along (non-zero coefficient). */
function operandDims(p: PlannedNode, k: number): ReadonlySet<number> {
  return new Set(p.node.operandMaps[k].results.flatMap((e) => e.terms.filter((x) => x.coef !== 0).map((x) => p.dims[x.dim])));
}

/** The footprint model of the module comment, for one group. */
export function capacityFootprintModel(
  dimensions: UniqueDimensions,
  nodes: readonly PlannedNode[],
  unrollings: readonly UniqueDimSplit[],
  protectedDims: ReadonlySet<number>,
  capacityOf: (coreId: number) => number,
  fillFraction: number,
): FootprintModel {
  const buckets = new Map<number, { tensor: Tensor; dims: ReadonlySet<number> }[]>();
  for (const p of nodes) {
    const operands = [...p.node.inputs, ...p.node.outputs];
    for (const core of p.eligibleCores) {
      const bucket = buckets.get(core.id) ?? [];
      buckets.set(core.id, bucket);
      operands.forEach((tensor, k) => {
        if (!bucket.some((b) => b.tensor.name === tensor.name)) bucket.push({ tensor, dims: operandDims(p, k) });
      });
    }
  }

  const spanned = new Set<number>();
  for (const bucket of buckets.values()) for (const b of bucket) b.dims.forEach((z) => spanned.add(z));
  const perCore = new Map<number, number>();
  for (const z of [...spanned].sort((a, b) => a - b)) {
    if (protectedDims.has(z)) continue;
    const size = dimensions.sizes[z];
    const unroll = unrollOf(unrollings, z);
    const extent = unroll > 1 && size % unroll === 0 ? size / unroll : size;
    if (extent > 1) perCore.set(z, extent);
  }

  const termOf = new Map<string, FootprintTerm>();
  const cores = [...buckets].map(([coreId, bucket]) => ({
    coreId,
    budget: Math.floor(capacityOf(coreId) * fillFraction),
    terms: bucket.map(({ tensor, dims }) => {
      let term = termOf.get(tensor.name);
      if (!term) {
        const fullBits = tensor.shape.reduce((a, b) => a * b, 1) * ELEMENT_BITS[tensor.elementType];
        const split = [...dims].reduce((a, z) => a * unrollOf(unrollings, z), 1);
        term = { baseBits: fullBits / split, scalingDims: [...dims].filter((z) => perCore.has(z)).sort((a, b) => a - b) };
        termOf.set(tensor.name, term);
      }
      return term;
    }),
  }));
  return { cores, perCore };
}

function footprintsOf(model: FootprintModel, tiles: ReadonlyMap<number, number>): CoreFootprint[] {
  return model.cores.map(({ coreId, budget, terms }) => ({
    coreId,
    budget,
    bits: terms.reduce((sum, t) => sum + t.scalingDims.reduce((bits, z) => (bits * tiles.get(z)!) / model.perCore.get(z)!, t.baseBits), 0),
  }));
}

/** Largest amount by which a core (with a non-zero budget) exceeds its budget; 0 without cores. */
function worstOverflowOf(footprints: readonly CoreFootprint[]): number {
  const overflows = footprints.filter((f) => f.budget > 0).map((f) => f.bits - f.budget);
  return overflows.length > 0 ? Math.max(...overflows) : 0;
}

/** Largest divisor of n strictly below `below`, if any. */
function nextSmallerDivisor(n: number, below: number): number | undefined {
  for (let d = Math.min(below - 1, n); d >= 1; d--) if (n % d === 0) return d;
  return undefined;
}

/**
 * Floating-point footprints of equal improvements can differ in the last bits depending on the order of
 * the products; a relative margin keeps those ties ties, so the Q63 order decides them.
 */
const TIE_MARGIN = 1e-9;
const improves = (candidate: number, incumbent: number) => candidate < incumbent - TIE_MARGIN * Math.max(1, Math.abs(incumbent));

/** `CapacityTiler.plan` plus the caller's `refined or seed` (see the module comment). */
export function planCapacityTiling(
  dimensions: UniqueDimensions,
  nodes: readonly PlannedNode[],
  seed: readonly UniqueDimTile[],
  unrollings: readonly UniqueDimSplit[],
  nonlinearReductionDims: ReadonlySet<number>,
  capacityOf: (coreId: number) => number,
  options: CapacityTilerOptions = DEFAULT_CAPACITY_TILER_OPTIONS,
): CapacityPlan {
  const model = capacityFootprintModel(dimensions, nodes, unrollings, nonlinearReductionDims, capacityOf, options.fillFraction);
  const tiles = new Map(model.perCore);
  // Seed entries on dims the tiler does not consider (size-1 or protected dims) are not carried over.
  for (const t of seed) if (model.perCore.has(t.dim)) tiles.set(t.dim, t.tile);

  const seedFootprints = footprintsOf(model, tiles);
  const keepSeed = (steps: readonly CapacityStep[], overflowing: boolean): CapacityPlan => ({ tiles: seed, steps, footprints: seedFootprints, overflowing });
  let worst = worstOverflowOf(seedFootprints);
  if (worst <= 0 || model.perCore.size === 0) return keepSeed([], false);

  const steadyStateTiles = () => [...model.perCore].reduce((p, [z, extent]) => p * (extent / tiles.get(z)!), 1);
  const steps: CapacityStep[] = [];
  let footprints = seedFootprints;
  while (worst > 0) {
    let best: { dim: number; tile: number; worst: number; footprints: CoreFootprint[] } | undefined;
    for (const [dim, extent] of model.perCore) {
      const current = tiles.get(dim)!;
      const next = nextSmallerDivisor(extent, current);
      if (next === undefined) continue;
      tiles.set(dim, next);
      const after = footprintsOf(model, tiles);
      const count = steadyStateTiles();
      tiles.set(dim, current);
      const afterWorst = worstOverflowOf(after);
      if (count <= options.maxSteadyStateTiles && improves(afterWorst, best?.worst ?? worst)) best = { dim, tile: next, worst: afterWorst, footprints: after };
    }
    if (!best) break;
    tiles.set(best.dim, best.tile);
    steps.push({ dim: best.dim, tile: best.tile, worstOverflow: best.worst });
    worst = best.worst;
    footprints = best.footprints;
  }
  // The reference returns no entries when it cannot fit the group, so the caller keeps its seed.
  if (worst > 0) return keepSeed(steps, true);

  const refined: UniqueDimTile[] = [...model.perCore]
    .filter(([dim, extent]) => tiles.get(dim)! < extent)
    .map(([dim]) => ({ dim, tile: tiles.get(dim)!, entry: intraCoreEntryName(nodes, dim) }));
  return { tiles: refined, steps, footprints, overflowing: false };
}
