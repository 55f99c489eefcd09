/**
 * Output contract of the tiling stage: the tiled fusion group the steady-state scheduler consumes and the
 * per-(node, core) layer requests the cost model consumes (reference-co-pipeline §7-§8).
 *
 * Tile hierarchy (what "tile" means where):
 *  1. steady-state tile — `TiledFusionGroup.workload`: every fusion-split unique dim z reduced to
 *     `tiledSizes[z] = size(z) / fusionSplits(z)` (= intra-core tile × U(z)); all tensor shapes (transfer
 *     sizes, MILP memory) are at this granularity; one steady-state iteration moves/computes one such
 *     tile of every node active in it;
 *  2. per-core tile — the steady-state tile divided by the node's own inter-core splits (when they
 *     divide): `TiledNode.perCoreDimSizes`, what the cost model costs (`CoreCostRequest`);
 *  3. kernel loops — the per-core extents, ordered by the cost model.
 *
 * Unique dims are integers `z` (printed `z<z>`, see `uniqueDimName`); the tiled workload keeps the untiled
 * group's z numbering (tiling changes sizes, not identity relations).
 */
import { GeneratedMapping } from '../mapping/generator/model';
import { InterCoreSplit, IntraCoreTile } from '../mapping/model';
import { UniqueDimensions } from '../workload/analysis/unique-dimensions';
import { Workload } from '../workload/model';
import { FusionSplit, UniqueDimSplit } from './fusion-splits';

export type { FusionSplit, UniqueDimSplit } from './fusion-splits';
export type { InterCoreSplit, IntraCoreTile } from '../mapping/model';

/** How one computation node is mapped (the first core allocation and its inter-core tiling). */
export interface NodeAllocation {
  readonly node: string;
  /** Core ids, in mapping order. */
  readonly coreIds: readonly number[];
  /** Splits of the node's local loops (`D<i>`), in mapping order; product = number of cores used. */
  readonly interCoreTiling: readonly InterCoreSplit[];
}

/** A fusion group's mapping, resolved against its workload (node names, local loops). */
export interface GroupMapping {
  /** One entry per computation node of the group, in dataflow order. */
  readonly nodes: readonly NodeAllocation[];
  /** The fused group's intra-core tiling, in entry order (this order is the fusion-split order). */
  readonly intraCoreTiling: readonly IntraCoreTile[];
}

/** A computation node of the tiled group. */
export interface TiledNode {
  readonly name: string;
  /** Operator type (`Conv`, `Gemm`, `Silu`, `Mul`, ...). */
  readonly type: string;
  /** Unique dim of each local loop (`get_dims(node)`). */
  readonly dims: readonly number[];
  /** Untiled size of each local loop. */
  readonly untiledDimSizes: readonly number[];
  /** Steady-state tile size of each local loop (`tiledSizes[dims[i]]`). */
  readonly tiledDimSizes: readonly number[];
  /** Per-core tile size of each local loop: tiled size ÷ the node's split of that loop when it divides. */
  readonly perCoreDimSizes: readonly number[];
  readonly coreIds: readonly number[];
  /** Inter-core tiling in local loops (as in the mapping) ... */
  readonly interCoreTiling: readonly InterCoreSplit[];
  /** ... and in unique dims (`get_unique_dims_inter_core_tiling`). */
  readonly interCoreTilingInUniqueDims: readonly UniqueDimSplit[];
}

/**
 * One fusion group after the tiling stage: everything the steady-state scheduler needs (transfer graph,
 * SSIS, timeslots, MILP) besides the accelerator and the cost table.
 */
export interface TiledFusionGroup {
  /** Execution order of the group (groups run back to back). */
  readonly index: number;
  /** The group sub-workload as split from the full workload. */
  readonly untiledWorkload: Workload;
  readonly untiledDimensions: UniqueDimensions;
  /** The tiled workload: same nodes in the same order, every tensor resized to its steady-state tile (§3.6). */
  readonly workload: Workload;
  /** Unique dims of the tiled workload (same numbering as `untiledDimensions`). */
  readonly dimensions: UniqueDimensions;
  /** Steady-state splits per unique dim, in intra-core-tiling entry order (`fusion_splits`). */
  readonly fusionSplits: readonly FusionSplit[];
  /** Steady-state tile size of every unique dim (`tiled_sizes`), indexed by z. */
  readonly tiledSizes: readonly number[];
  /** Number of steady-state iterations (product of the fusion splits). */
  readonly iterations: number;
  /** U: every node's inter-core splits in unique dims, largest factor per dim, first-seen order. */
  readonly spatialUnrollings: readonly UniqueDimSplit[];
  /** Computation nodes in dataflow order. */
  readonly nodes: readonly TiledNode[];
  /** The resolved mapping (node names are the tiled workload's, which keeps the untiled names). */
  readonly mapping: GroupMapping;
  /** The mapping the generic generator wrote for this group (absent on the hand-mapping path). */
  readonly generatedMapping?: GeneratedMapping;
  /** Σ over Conv/Gemm/MatMul/Linear-type nodes of the product of their untiled loop sizes (utilisation statistic). */
  readonly totalMacOps: number;
  /** One request per (computation node, core of its allocation), in node order then core order. */
  readonly costRequests: readonly CoreCostRequest[];
}

/**
 * The ZigZag layer of one node's per-core tile (reference-cost-model §3.1), in the golden `layer` /
 * `zigzag_calls[].zigzag_layer` record form; lib/cost's `layerFromRecord` accepts it.
 */
export interface ZigzagLayerRecord {
  readonly layer_type: string;
  /** `O[d0][d6][d2][d1] = A[d0][d5][d7][d8] * B[d6][d5][d4][d3]`. */
  readonly equation: string;
  /** Base loops `D0..D(n−1)` → per-core tile size. */
  readonly layer_dim_sizes: Readonly<Record<string, number>>;
  /** `A`, `B`, … → input bits; `O` and `O_final` → output bits. */
  readonly operand_precision: Readonly<Record<string, number>>;
  /** `D7 = 1*D2 + 1*D4` per partially relevant (two-loop) tensor index. */
  readonly dimension_relations: readonly string[];
  /** pr dim → `(|constant|, |constant|)`. */
  readonly padding: Readonly<Record<string, readonly [number, number]>>;
  /** pr dim → clipped tensor extent under the per-core tile (max over the tensor's accessors). */
  readonly pr_layer_dim_sizes: Readonly<Record<string, number>>;
  /** `A` → `I1`, `B` → `I2`, …, `O` → `O`. */
  readonly memory_operand_links: Readonly<Record<string, string>>;
  /** Product of `layer_dim_sizes`. */
  readonly total_mac_count: number;
}

/**
 * What the cost model is asked for one (node, core). Requests of one node share the layer; the cost
 * model may reuse results across nodes/cores with identical canonical keys (Stream's LUT dedup).
 */
export interface CoreCostRequest {
  readonly node: string;
  readonly nodeType: string;
  readonly coreId: number;
  /** Per-core tile of every local loop (input of the ideal-cycle fallback as well). */
  readonly perCoreDimSizes: readonly number[];
  /** The ZigZag layer, or undefined when the reference's layer construction raises ... */
  readonly layer?: ZigzagLayerRecord;
  /** ... with this reason (the node then falls back to the ideal-cycle estimate). */
  readonly layerError?: string;
}
