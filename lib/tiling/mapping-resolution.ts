/**
 * From mapping-file data (hand-written, or generated) to the `GroupMapping` the tiling stage takes, and
 * the two entry paths: the generic path (one generated mapping per fusion group) and the hand-mapping
 * path (the whole graph with the file's fused groups).
 */
import { GenericMappingResult } from '../mapping/generator/generic-generator';
import { parseIntraCoreDim, parseLocalDim } from '../mapping/generator/model';
import { splitFusionGroups } from '../workload/analysis/fusion-groups';
import { computationNodesInDataflowOrder } from '../workload/analysis/graph';
import { ComputationNode, Workload } from '../workload/model';
import { TilingError } from './errors';
import { GroupMapping, IntraCoreTile, NodeMapping, TiledFusionGroup } from './model';
import { tileFusionGroup } from './tiling';

/** The parts of a mapping file (reference-surface §1.3) the tiling reads; kernels and runtime args are ignored. */
export interface MappingFileData {
  readonly layers: readonly {
    readonly name: string;
    readonly core_allocation: readonly (readonly number[])[];
    readonly inter_core_tiling?: readonly (readonly { readonly dim: string; readonly split: number }[])[];
  }[];
  readonly fused_groups?: readonly MappingFileFusedGroup[] | null;
}

export interface MappingFileFusedGroup {
  readonly name: string;
  readonly layers: readonly string[];
  readonly intra_core_tiling: readonly { readonly dim: string; readonly tile: number }[];
}

/**
 * Per node: the first layer entry in file order whose name is the node's name **or** its operator type
 * (reference quirk Q24: no priority for exact names); only the first core allocation and its tiling.
 */
function nodeMappingOf(node: ComputationNode, mapping: MappingFileData): NodeMapping {
  const entry = mapping.layers.find((l) => l.name === node.name || l.name === node.type);
  if (!entry) throw new TilingError(`No mapping data found for node with name ${node.name}`);
  const coreIds = entry.core_allocation[0];
  if (!coreIds || coreIds.length === 0) throw new TilingError(`Layer entry '${entry.name}' (node ${node.name}) has no core allocation.`);
  const interCoreTiling = (entry.inter_core_tiling?.[0] ?? []).map((s) => {
    const localDim = parseLocalDim(s.dim);
    if (localDim === undefined) throw new TilingError(`Unsupported inter_core_tiling dimension format: '${s.dim}' for node ${node.name}`);
    return { localDim, split: s.split };
  });
  return { node: node.name, coreIds, interCoreTiling };
}

function intraCoreTilesOf(group: MappingFileFusedGroup): IntraCoreTile[] {
  return group.intra_core_tiling.map((e) => {
    const ref = parseIntraCoreDim(e.dim);
    if (!ref) throw new TilingError(`Intra-core tiling dim '${e.dim}' of fused group '${group.name}' is not of the form <Node>.D<i>.`);
    return { node: ref.node, localDim: ref.localDim, tile: e.tile };
  });
}

/** The `GroupMapping` of `group` under one fused group of `mapping`. */
export function resolveGroupMapping(group: Workload, mapping: MappingFileData, fusedGroup: MappingFileFusedGroup): GroupMapping {
  return {
    nodes: computationNodesInDataflowOrder(group).map((n) => nodeMappingOf(n, mapping)),
    intraCoreTiling: intraCoreTilesOf(fusedGroup),
  };
}

/** Generic path: tile every group of a generated mapping (the group's generated mapping is carried along). */
export function tileGenericMapping(result: GenericMappingResult): readonly TiledFusionGroup[] {
  return result.groups.map((g) => {
    const mapping: GroupMapping = {
      nodes: g.plan.nodes.map((p) => ({ node: p.node.name, coreIds: p.coreIds, interCoreTiling: p.interCoreTiling })),
      intraCoreTiling: g.plan.intraCoreTiling.map((t) => {
        const ref = parseIntraCoreDim(t.entry)!;
        return { node: ref.node, localDim: ref.localDim, tile: t.tile };
      }),
    };
    return tileFusionGroup(g.workload, mapping, { index: g.index, generatedMapping: g.plan.mapping });
  });
}

const belongsTo = (node: ComputationNode, group: MappingFileFusedGroup) => group.layers.includes(node.name) || group.layers.includes(node.type);

/**
 * Hand-mapping path (`optimize_allocation_co_with_mapping`, no normalisation expansion). With one fused
 * group the whole graph is one fusion group. With several (reference quirk Q27, fixed as recommended)
 * the graph is cut after the last node of each fused group in dataflow order; every fused group must
 * then be one contiguous run of nodes. A mapping without fused groups is an error.
 */
export function tileWithMapping(workload: Workload, mapping: MappingFileData): readonly TiledFusionGroup[] {
  const fusedGroups = mapping.fused_groups ?? [];
  if (fusedGroups.length === 0) {
    throw new TilingError('The mapping has no fused group; one fused group with an intra_core_tiling is required.');
  }
  if (fusedGroups.length === 1) return [tileFusionGroup(workload, resolveGroupMapping(workload, mapping, fusedGroups[0]))];

  const order = computationNodesInDataflowOrder(workload);
  const groupIndexOf = order.map((n) => {
    const i = fusedGroups.findIndex((g) => belongsTo(n, g));
    if (i < 0) throw new TilingError(`Node ${n.name} is in no fused group of the mapping.`);
    return i;
  });
  const cutPoints = order.filter((_, k) => k + 1 < order.length && groupIndexOf[k] !== groupIndexOf[k + 1]).map((n) => n.name);
  const groups = splitFusionGroups(workload, cutPoints);
  const used = new Set<number>();
  return groups.map((group, index) => {
    const members = computationNodesInDataflowOrder(group);
    const fusedIndex = fusedGroups.findIndex((g) => members.every((n) => belongsTo(n, g)));
    if (fusedIndex < 0 || used.has(fusedIndex)) {
      throw new TilingError(`Fused group boundaries do not follow the dataflow order (nodes ${members.map((n) => n.name).join(', ')}).`);
    }
    used.add(fusedIndex);
    return tileFusionGroup(group, resolveGroupMapping(group, mapping, fusedGroups[fusedIndex]), { index });
  });
}
