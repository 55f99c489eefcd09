/**
 * Seed intra-core tilings of the generic mapper (reference-co-pipeline §6 step 3): the automatic fusion
 * tiling (`_auto_fusion_tiling`) and the whole-layer fallback. Tiles are per-core extents.
 */
import { UniqueDimSplit, UniqueDimTile, unrollOf } from '../../tiling/fusion-splits';
import { compareCodePoints } from '../../workload/analysis/graph';
import { iteratorTypes, nonlinearReductionDims } from '../../workload/analysis/iterator-types';
import { tensorShapeWithDimensionSizes } from '../../workload/analysis/tensor-shape';
import { UniqueDimensions, uniqueDimName } from '../../workload/analysis/unique-dimensions';
import { ELEMENT_BITS, IteratorType, Tensor } from '../../workload/model';
import { PlannedNode, intraCoreEntryName } from './planned-node';

/** Unique dims that are nonlinear reductions for some node of the group. */
export function groupNonlinearReductionDims(nodes: readonly Pick<PlannedNode, 'node' | 'dims'>[]): ReadonlySet<number> {
  const dims = new Set<number>();
  for (const p of nodes) for (const d of nonlinearReductionDims(p.node)) dims.add(p.dims[d]);
  return dims;
}

/** Iterator types each unique dim has across the group's nodes. */
export function groupIteratorTypes(nodes: readonly Pick<PlannedNode, 'node' | 'dims'>[]): ReadonlyMap<number, readonly IteratorType[]> {
  const types = new Map<number, IteratorType[]>();
  for (const p of nodes) {
    iteratorTypes(p.node).forEach((t, d) => {
      const list = types.get(p.dims[d]) ?? [];
      list.push(t);
      types.set(p.dims[d], list);
    });
  }
  return types;
}

/** Whole-layer tiling: the first node's D0 at its full per-core extent (one steady-state iteration). */
export function wholeLayerTiling(dimensions: UniqueDimensions, nodes: readonly PlannedNode[], unrollings: readonly UniqueDimSplit[]): UniqueDimTile {
  const first = nodes[0];
  const dim = first.dims[0];
  return { dim, tile: Math.floor(dimensions.sizes[dim] / unrollOf(unrollings, dim)), entry: `${first.node.name}.D0` };
}

export interface AutoFusionTilingDecision {
  /** The tile entry, or undefined when the group keeps whole layers. */
  readonly tile?: UniqueDimTile;
  /** Why (for reports and debugging). */
  readonly reason: string;
}

const tensorBits = (shape: readonly number[], t: Tensor) => shape.reduce((a, b) => a * b, 1) * ELEMENT_BITS[t.elementType];

/** The larger of two equally sized candidates is the one with the larger printed name (`z9` > `z10`). */
function pickStreamingAxis(candidates: readonly number[], sizes: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const z of candidates) {
    if (best === undefined || sizes[z] > sizes[best] || (sizes[z] === sizes[best] && compareCodePoints(uniqueDimName(z), uniqueDimName(best)) > 0)) {
      best = z;
    }
  }
  return best;
}

/**
 * `_auto_fusion_tiling`: stream a fused intermediate along one axis when the largest streamed
 * intermediate slice does not fit half the smallest (first-eligible-core) capacity of the group.
 *
 * * Streaming axis: the largest (size > 1; ties by the larger printed name) dim among the producer dims
 *   indexing an intermediate that is SEQUENTIAL for some node; else among those that are PARALLEL (and
 *   not nonlinear reductions) for every node that has them.
 * * Streamed intermediates: those whose shape changes when the axis is tiled to 1 (max over accessors,
 *   so a conv consumer's halo keeps its input at full extent: reference quirk Q56).
 * * Tile: the largest divisor T of the per-core extent with every streamed slice (axis at T) within budget.
 */
export function autoFusionTiling(
  dimensions: UniqueDimensions,
  nodes: readonly PlannedNode[],
  unrollings: readonly UniqueDimSplit[],
  capacityOf: (coreId: number) => number,
): AutoFusionTilingDecision {
  if (nodes.length < 2) return { reason: 'fewer than two computation nodes' };
  const producedBy = new Map<string, PlannedNode>();
  for (const p of nodes) for (const t of p.node.outputs) producedBy.set(t.name, p);
  const intermediates: Tensor[] = [];
  const seen = new Set<string>();
  for (const p of nodes) {
    for (const t of p.node.inputs) {
      if (producedBy.has(t.name) && !seen.has(t.name)) {
        seen.add(t.name);
        intermediates.push(producedBy.get(t.name)!.node.outputs.find((o) => o.name === t.name)!);
      }
    }
  }
  if (intermediates.length === 0) return { reason: 'no fused intermediate' };

  const indexed: number[] = [];
  for (const t of intermediates) {
    const p = producedBy.get(t.name)!;
    const k = p.node.inputs.length + p.node.outputs.findIndex((o) => o.name === t.name);
    for (const e of p.node.operandMaps[k].results) {
      for (const term of e.terms) {
        const z = p.dims[term.dim];
        if (term.coef !== 0 && !indexed.includes(z)) indexed.push(z);
      }
    }
  }
  const sizes = dimensions.sizes;
  const types = groupIteratorTypes(nodes);
  const nonlinear = groupNonlinearReductionDims(nodes);
  const big = indexed.filter((z) => sizes[z] > 1);
  const sequential = big.filter((z) => types.get(z)?.includes('sequential'));
  const parallel = big.filter((z) => !nonlinear.has(z) && (types.get(z) ?? []).every((t) => t === 'parallel'));
  const axis = pickStreamingAxis(sequential.length > 0 ? sequential : parallel, sizes);
  if (axis === undefined) return { reason: 'no streaming axis' };

  const withAxis = (extent: number) => {
    const s = [...sizes];
    s[axis] = extent;
    return s;
  };
  const streamed = intermediates.filter((t) => {
    const shape = tensorShapeWithDimensionSizes(dimensions, t, withAxis(1));
    return shape.some((s, i) => s !== t.shape[i]);
  });
  if (streamed.length === 0) return { reason: `no intermediate is streamed along ${uniqueDimName(axis)}` };

  const perCore = Math.floor(sizes[axis] / unrollOf(unrollings, axis));
  const budget = Math.min(...nodes.map((p) => capacityOf(p.eligibleCores[0].id))) / 2;
  const largestSlice = (extent: number) =>
    Math.max(...streamed.map((t) => tensorBits(tensorShapeWithDimensionSizes(dimensions, t, withAxis(extent)), t)));
  if (largestSlice(perCore) <= budget) return { reason: `streamed slices along ${uniqueDimName(axis)} fit the budget` };
  let tile = 1;
  for (let t = perCore; t >= 1; t--) {
    if (perCore % t === 0 && largestSlice(t) <= budget) {
      tile = t;
      break;
    }
  }
  return { tile: { dim: axis, tile, entry: intraCoreEntryName(nodes, axis) }, reason: `streaming ${uniqueDimName(axis)}` };
}
