/**
 * The generic ("auto") mapping generator (reference-co-pipeline §6, Stream's GenericMappingGenerationStage):
 * split the workload into fusion groups and give every group a mapping with one layer entry per
 * computation node (in dataflow order) and a single fused group `Fused_Group_1`.
 */
import { topLevelMemoryCapacity } from '../../hardware/derived';
import { Accelerator, Core } from '../../hardware/model';
import { UniqueDimTile } from '../../tiling/fusion-splits';
import { FusionCutPointsOption, resolveFusionCutPoints, splitFusionGroups } from '../../workload/analysis/fusion-groups';
import { computationNodesInDataflowOrder } from '../../workload/analysis/graph';
import { iteratorTypes } from '../../workload/analysis/iterator-types';
import { UniqueDimensions, uniqueDimensions } from '../../workload/analysis/unique-dimensions';
import { Workload } from '../../workload/model';
import { CapacityPlan, CapacityTilerOptions, DEFAULT_CAPACITY_TILER_OPTIONS, planCapacityTiling } from './capacity-tiler';
import { eligibleCores, gcdInterCoreSplit, shrinkAllocation } from './core-allocation';
import { MappingGenerationError } from './errors';
import { autoFusionTiling, groupIteratorTypes, groupNonlinearReductionDims, wholeLayerTiling } from './intra-core-tiling';
import { GENERATED_FUSED_GROUP_NAME, GeneratedMapping, IntraCoreTileEntry, parseIntraCoreDim } from './model';
import { PlannedNode, plannedUnrollings } from './planned-node';

export interface GroupMappingOptions {
  /**
   * Caller intra-core tiling (`<Node>.D<i>` per-core tiles). Entries naming nodes of the group are kept;
   * passing a list, even one without entries for this group, disables the automatic fusion tiling.
   */
  readonly intraCoreTiling?: readonly IntraCoreTileEntry[];
  readonly capacityTiler?: Partial<CapacityTilerOptions>;
}

export interface GenericMappingOptions extends GroupMappingOptions {
  /** Caller cut points (node names) or `per-layer`; default: `determineFusionCutPoints`. */
  readonly fusionCutPoints?: FusionCutPointsOption;
}

export type IntraCoreTilingSource = 'caller' | 'auto-fusion' | 'whole-layer';

export interface GroupMappingPlan {
  readonly mapping: GeneratedMapping;
  /** Computation nodes in dataflow order with their allocation and inter-core split. */
  readonly nodes: readonly PlannedNode[];
  readonly dimensions: UniqueDimensions;
  /** Where the seed intra-core tiling came from (before capacity refinement). */
  readonly intraCoreTilingSource: IntraCoreTilingSource;
  /** The final intra-core tiling in unique dims (the entries of `mapping`). */
  readonly intraCoreTiling: readonly UniqueDimTile[];
  readonly capacity: CapacityPlan;
  readonly warnings: readonly string[];
}

export interface GenericMappingGroup {
  readonly index: number;
  readonly workload: Workload;
  readonly plan: GroupMappingPlan;
}

export interface GenericMappingResult {
  readonly cutPoints: readonly string[];
  readonly groups: readonly GenericMappingGroup[];
}

function coreCapacityLookup(accelerator: Accelerator): (coreId: number) => number {
  const byId = new Map<number, Core>(accelerator.cores.map((c) => [c.id, c]));
  return (coreId) => {
    const core = byId.get(coreId);
    if (!core) throw new MappingGenerationError(`Core ${coreId} is not part of accelerator ${accelerator.name}.`);
    return topLevelMemoryCapacity(core);
  };
}

/** Steps 1-2 for every node: eligible cores, gcd split over them, shrink when the split falls short. */
function allocateCores(dimensions: UniqueDimensions, group: Workload, accelerator: Accelerator, warnings: string[]): PlannedNode[] {
  const computeNodes = computationNodesInDataflowOrder(group);
  const preliminary = computeNodes.map((node) => ({ node, dims: dimensions.nodeDims.get(node.name)! }));
  // Never split across cores: recurrences (SEQUENTIAL) and nonlinear reductions of any node of the group.
  const protectedDims = new Set<number>(groupNonlinearReductionDims(preliminary));
  for (const [z, types] of groupIteratorTypes(preliminary)) if (types.includes('sequential')) protectedDims.add(z);

  const used = new Set<number>();
  return preliminary.map(({ node, dims }) => {
    const eligible = eligibleCores(node, accelerator);
    if (eligible.warning) warnings.push(eligible.warning);
    if (eligible.cores.length === 0) throw new MappingGenerationError(`No core of ${accelerator.name} can run node ${node.name} (${node.type}).`);
    const ids = eligible.cores.map((c) => c.id);
    const types = iteratorTypes(node);
    const candidates = dims
      .map((z, dim) => ({ dim, iteratorType: types[dim], size: dimensions.sizes[z], z }))
      .filter((c) => !protectedDims.has(c.z));
    const splits = gcdInterCoreSplit(candidates, ids.length);
    const coreCount = splits.reduce((p, s) => p * s.split, 1);
    const coreIds = ids.length > 1 ? shrinkAllocation(ids, coreCount, used) : ids;
    for (const id of coreIds) used.add(id);
    return { node, dims, eligibleCores: eligible.cores, coreIds, interCoreTiling: splits };
  });
}

/** Resolves caller entries naming this group's nodes to unique dims (unknown loops are an error). */
function callerTiles(entries: readonly IntraCoreTileEntry[], nodes: readonly PlannedNode[]): UniqueDimTile[] {
  const byName = new Map(nodes.map((p) => [p.node.name, p]));
  const tiles: UniqueDimTile[] = [];
  for (const e of entries) {
    const ref = parseIntraCoreDim(e.dim);
    if (!ref) throw new MappingGenerationError(`Intra-core tiling dim '${e.dim}' is not of the form <Node>.D<i>.`);
    const p = byName.get(ref.node);
    if (!p) continue;
    if (ref.dim >= p.dims.length) throw new MappingGenerationError(`Intra-core tiling dim '${e.dim}': node ${ref.node} has ${p.dims.length} loops.`);
    tiles.push({ dim: p.dims[ref.dim], tile: e.tile, entry: e.dim });
  }
  return tiles;
}

/** The mapping of one fusion group (steps 1-4 of §6). */
export function generateGroupMapping(group: Workload, accelerator: Accelerator, options: GroupMappingOptions = {}): GroupMappingPlan {
  const warnings: string[] = [];
  const dimensions = uniqueDimensions(group);
  const nodes = allocateCores(dimensions, group, accelerator, warnings);
  if (nodes.length === 0) throw new MappingGenerationError(`Fusion group ${group.name} has no computation node.`);
  const unrollings = plannedUnrollings(nodes);
  const capacityOf = coreCapacityLookup(accelerator);

  let seed: UniqueDimTile[] = [];
  let source: IntraCoreTilingSource = 'whole-layer';
  if (options.intraCoreTiling !== undefined) {
    seed = callerTiles(options.intraCoreTiling, nodes);
    if (seed.length > 0) source = 'caller';
  } else {
    const auto = autoFusionTiling(dimensions, nodes, unrollings, capacityOf);
    if (auto.tile) {
      seed = [auto.tile];
      source = 'auto-fusion';
    }
  }
  if (seed.length === 0) seed = [wholeLayerTiling(dimensions, nodes, unrollings)];

  const capacity = planCapacityTiling(
    dimensions,
    nodes,
    seed,
    unrollings,
    groupNonlinearReductionDims(nodes),
    capacityOf,
    { ...DEFAULT_CAPACITY_TILER_OPTIONS, ...options.capacityTiler },
  );
  if (capacity.overflowing) {
    warnings.push(`Fusion group ${group.name} exceeds the memory budget of some core and the capacity tiler found no tiling that fits; its seed tiling is kept.`);
  }

  const mapping: GeneratedMapping = {
    layers: nodes.map((p) => ({
      name: p.node.name,
      coreAllocation: [p.coreIds],
      interCoreTiling: p.interCoreTiling.length > 0 ? [p.interCoreTiling.map((s) => ({ dim: `D${s.dim}`, split: s.split }))] : [],
    })),
    fusedGroups: [
      {
        name: GENERATED_FUSED_GROUP_NAME,
        layers: nodes.map((p) => p.node.name),
        intraCoreTiling: capacity.tiles.map((t) => ({ dim: t.entry, tile: t.tile })),
      },
    ],
  };
  return { mapping, nodes, dimensions, intraCoreTilingSource: source, intraCoreTiling: capacity.tiles, capacity, warnings };
}

/**
 * GenericMappingGenerationStage: cut points (caller's, per layer, or automatic), fusion groups, and one
 * generated mapping per group. Run `expandNormalizations` on the workload first (the pipeline's
 * ExpandNormalizationStage).
 */
export function generateGenericMapping(workload: Workload, accelerator: Accelerator, options: GenericMappingOptions = {}): GenericMappingResult {
  const cutPoints = resolveFusionCutPoints(workload, options.fusionCutPoints);
  const groups = splitFusionGroups(workload, cutPoints).map((g, index) => ({
    index,
    workload: g,
    plan: generateGroupMapping(g, accelerator, options),
  }));
  return { cutPoints, groups };
}
