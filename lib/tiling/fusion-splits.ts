/**
 * Spatial unrollings and fusion splits (reference-co-pipeline §7, Stream's `collect_spatial_unrollings`
 * and `determine_fusion_splits`), shared by the mapping generator and the tiling stage.
 */
import { InterCoreSplit } from '../mapping/model';
import { UniqueDimensions, uniqueDimName } from '../workload/analysis/unique-dimensions';
import { TilingError } from './errors';

export type { InterCoreSplit } from '../mapping/model';

/** An inter-core split in unique dims: unique dim `dim` is spread over `factor` cores. */
export interface UniqueDimSplit {
  readonly dim: number;
  readonly factor: number;
}

/** Number of steady-state iterations along unique dim `dim`. */
export interface FusionSplit {
  readonly dim: number;
  readonly splits: number;
}

/** An intra-core tiling entry resolved to its unique dim; `entry` is the mapping text (`Conv1.D0`). */
export interface UniqueDimTile {
  readonly dim: number;
  readonly tile: number;
  readonly entry: string;
}

/** `get_unique_dims_inter_core_tiling`: a node's local splits expressed in unique dims, in mapping order. */
export function interCoreTilingInUniqueDims(nodeDims: readonly number[], splits: readonly InterCoreSplit[]): readonly UniqueDimSplit[] {
  return splits.map((s) => {
    const dim = nodeDims[s.dim];
    if (dim === undefined) throw new TilingError(`Inter-core split of loop D${s.dim} names a loop the node does not have.`);
    return { dim, factor: s.split };
  });
}

/**
 * `collect_spatial_unrollings`: every node's inter-core splits (in unique dims) merged, keeping the
 * largest factor per dim, in first-seen order (node order, then split order).
 */
export function spatialUnrollings(perNode: readonly (readonly UniqueDimSplit[])[]): readonly UniqueDimSplit[] {
  const order: number[] = [];
  const factor = new Map<number, number>();
  for (const splits of perNode) {
    for (const s of splits) {
      if (!factor.has(s.dim)) order.push(s.dim);
      factor.set(s.dim, Math.max(factor.get(s.dim) ?? 1, s.factor));
    }
  }
  return order.map((dim) => ({ dim, factor: factor.get(dim)! }));
}

/** The unroll U(z) of one unique dim (1 when no node splits it). */
export function unrollOf(unrollings: readonly UniqueDimSplit[], dim: number): number {
  return unrollings.find((u) => u.dim === dim)?.factor ?? 1;
}

/**
 * `determine_fusion_splits`: `splits(z) = size(z) / (tile · U(z))` per intra-core entry, in entry order
 * (a later entry on the same dim keeps the first one's position, as a Python dict does). The division
 * must be exact, and a nonlinear-reduction dim may not be split into more than one block.
 */
export function determineFusionSplits(
  tiles: readonly UniqueDimTile[],
  dimensions: Pick<UniqueDimensions, 'sizes'>,
  unrollings: readonly UniqueDimSplit[],
  nonlinearReductionDims: ReadonlySet<number>,
): readonly FusionSplit[] {
  const order: number[] = [];
  const splits = new Map<number, number>();
  for (const t of tiles) {
    const size = dimensions.sizes[t.dim];
    const block = t.tile * unrollOf(unrollings, t.dim);
    if (t.tile <= 0 || size % block !== 0) {
      throw new TilingError(`Dimension size ${size} not divisible by desired tile size ${block} (${t.entry} = ${t.tile} per core).`);
    }
    const n = size / block;
    if (n > 1 && nonlinearReductionDims.has(t.dim)) {
      throw new TilingError(
        `Fused group tiles nonlinear-reduction dimension ${uniqueDimName(t.dim)} into ${n} blocks; keep it resident or apply the online-softmax rewrite.`,
      );
    }
    if (!splits.has(t.dim)) order.push(t.dim);
    splits.set(t.dim, n);
  }
  return order.map((dim) => ({ dim, splits: splits.get(dim)! }));
}

/** `tiled_sizes`: `size(z) / splits(z)` for split dims, the full size otherwise. */
export function tiledSizesOf(sizes: readonly number[], fusionSplits: readonly FusionSplit[]): readonly number[] {
  const tiled = [...sizes];
  for (const s of fusionSplits) tiled[s.dim] = sizes[s.dim] / s.splits;
  return tiled;
}

/** Number of steady-state iterations: the product of the fusion splits. */
export function steadyStateIterations(fusionSplits: readonly FusionSplit[]): number {
  return fusionSplits.reduce((p, s) => p * s.splits, 1);
}
