/**
 * TilingGenerationStage (reference-co-pipeline §7): fusion splits from the intra-core tiling, the tiled
 * workload, the mapping rebound to it, total MAC ops, and the per-(node, core) cost-model requests.
 */
import { GeneratedMapping } from '../mapping/generator/model';
import { computationNodesInDataflowOrder, workloadOf } from '../workload/analysis/graph';
import { nonlinearReductionDims } from '../workload/analysis/iterator-types';
import { tensorShapeWithDimensionSizes } from '../workload/analysis/tensor-shape';
import { UniqueDimensions, uniqueDimensions } from '../workload/analysis/unique-dimensions';
import { ComputationNode, Tensor, Workload, WorkloadNode } from '../workload/model';
import { coreCostRequests } from './core-cost-request';
import { TilingError } from './errors';
import {
  UniqueDimTile,
  determineFusionSplits,
  interCoreTilingInUniqueDims,
  spatialUnrollings,
  steadyStateIterations,
  tiledSizesOf,
} from './fusion-splits';
import { GroupMapping, NodeAllocation, TiledFusionGroup, TiledNode } from './model';

/** Operator types whose MACs count towards `total_mac_ops` (case-insensitive substring match). */
const MAC_TYPE_PATTERN = /conv|gemm|matmul|linear/i;

/**
 * `with_modified_dimension_sizes`: every tensor resized to its extent under `sizes` (§3.6), node order and
 * names preserved.
 */
export function workloadWithDimensionSizes(workload: Workload, dimensions: UniqueDimensions, sizes: readonly number[]): Workload {
  const cache = new Map<string, Tensor>();
  const resize = (t: Tensor): Tensor => {
    let r = cache.get(t.name);
    if (!r) {
      r = { ...t, shape: tensorShapeWithDimensionSizes(dimensions, t, sizes) };
      cache.set(t.name, r);
    }
    return r;
  };
  const nodes = workload.nodes.map((n): WorkloadNode => {
    switch (n.kind) {
      case 'in':
        return { ...n, output: resize(n.output) };
      case 'out':
        return { ...n, input: resize(n.input) };
      case 'fusion-edge':
        return { ...n, input: resize(n.input), outputs: n.outputs.map(resize) };
      case 'computation':
      case 'transfer':
        return { ...n, inputs: n.inputs.map(resize), outputs: n.outputs.map(resize) };
    }
  });
  return workloadOf(workload.name, nodes, workload.sourceFile);
}

function resolveTiles(mapping: GroupMapping, dimensions: UniqueDimensions): UniqueDimTile[] {
  return mapping.intraCoreTiling.map((t) => {
    const dims = dimensions.nodeDims.get(t.node);
    if (!dims) throw new TilingError(`Intra-core tiling names node ${t.node}, which is not in the fusion group.`);
    if (t.dim < 0 || t.dim >= dims.length) throw new TilingError(`Intra-core tiling ${t.node}.D${t.dim}: the node has ${dims.length} loops.`);
    return { dim: dims[t.dim], tile: t.tile, entry: `${t.node}.D${t.dim}` };
  });
}

export interface TileFusionGroupOptions {
  /** Position of the group in the run (default 0). */
  readonly index?: number;
  /** The generated mapping to carry along (generic path). */
  readonly generatedMapping?: GeneratedMapping;
}

/**
 * Tiles one fusion group under its mapping. Throws `TilingError` when a tile does not divide, a
 * nonlinear reduction would be split, or the mapping names unknown nodes/loops or misses a node.
 */
export function tileFusionGroup(group: Workload, mapping: GroupMapping, options: TileFusionGroupOptions = {}): TiledFusionGroup {
  if (mapping.intraCoreTiling.length === 0) {
    throw new TilingError(`Fusion group ${group.name}: the fused group has no intra-core tiling.`);
  }
  const untiledDimensions = uniqueDimensions(group);
  const computeNodes = computationNodesInDataflowOrder(group);
  const mappingOf = new Map<string, NodeAllocation>(mapping.nodes.map((m) => [m.node, m]));
  const nodeMappings = computeNodes.map((n) => {
    const m = mappingOf.get(n.name);
    if (!m) throw new TilingError(`No mapping data found for node with name ${n.name}`);
    return m;
  });

  const uniqueSplits = computeNodes.map((n, i) => interCoreTilingInUniqueDims(untiledDimensions.nodeDims.get(n.name)!, nodeMappings[i].interCoreTiling));
  const unrollings = spatialUnrollings(uniqueSplits);
  const nonlinear = new Set<number>();
  for (const n of computeNodes) for (const d of nonlinearReductionDims(n)) nonlinear.add(untiledDimensions.nodeDims.get(n.name)![d]);
  const fusionSplits = determineFusionSplits(resolveTiles(mapping, untiledDimensions), untiledDimensions, unrollings, nonlinear);
  const tiledSizes = tiledSizesOf(untiledDimensions.sizes, fusionSplits);

  const tiledWorkload = workloadWithDimensionSizes(group, untiledDimensions, tiledSizes);
  const dimensions = uniqueDimensions(tiledWorkload);
  const tiledByName = new Map(tiledWorkload.nodes.filter((n): n is ComputationNode => n.kind === 'computation').map((n) => [n.name, n]));

  const nodes: TiledNode[] = computeNodes.map((n, i) => {
    const dims = untiledDimensions.nodeDims.get(n.name)!;
    const m = nodeMappings[i];
    const tiledDimSizes = dims.map((z) => tiledSizes[z]);
    const perCoreDimSizes = tiledDimSizes.map((size, local) => {
      const split = m.interCoreTiling.filter((s) => s.dim === local).reduce((p, s) => p * s.split, 1);
      return size % split === 0 ? size / split : size;
    });
    return {
      name: n.name,
      type: n.type,
      dims,
      untiledDimSizes: dims.map((z) => untiledDimensions.sizes[z]),
      tiledDimSizes,
      perCoreDimSizes,
      coreIds: m.coreIds,
      interCoreTiling: m.interCoreTiling,
      interCoreTilingInUniqueDims: uniqueSplits[i],
    };
  });

  const totalMacOps = nodes
    .filter((n) => MAC_TYPE_PATTERN.test(n.type))
    .reduce((sum, n) => sum + n.untiledDimSizes.reduce((p, s) => p * s, 1), 0);
  const costRequests = nodes.flatMap((t) => coreCostRequests(tiledByName.get(t.name)!, t, dimensions));

  return {
    index: options.index ?? 0,
    untiledWorkload: group,
    untiledDimensions,
    workload: tiledWorkload,
    dimensions,
    fusionSplits,
    tiledSizes,
    iterations: steadyStateIterations(fusionSplits),
    spatialUnrollings: unrollings,
    nodes,
    mapping: { nodes: nodeMappings, intraCoreTiling: mapping.intraCoreTiling },
    ...(options.generatedMapping ? { generatedMapping: options.generatedMapping } : {}),
    totalMacOps,
    costRequests,
  };
}
