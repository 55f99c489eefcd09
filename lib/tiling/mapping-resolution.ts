/**
 * From a mapping to the `GroupMapping`s the tiling stage takes, and the two entry paths: the generic
 * path (one generated mapping per fusion group) and the hand-mapping path (the whole graph with the
 * mapping's fused groups). A hand mapping comes either resolved by lib/mapping (`ResolvedMapping`, the
 * normal route: validated, with file positions in its issues) or as raw mapping-file data.
 */
import { GenericMappingResult } from '../mapping/generator/generic-generator';
import { parseIntraCoreDim, parseLocalDim } from '../mapping/generator/model';
import { InterCoreSplit, IntraCoreTile, ResolvedMapping } from '../mapping/model';
import { determineFusionCutPoints, splitFusionGroups } from '../workload/analysis/fusion-groups';
import { computationNodesInDataflowOrder } from '../workload/analysis/graph';
import { ComputationNode, Workload } from '../workload/model';
import { TilingError } from './errors';
import { GroupMapping, NodeAllocation, TiledFusionGroup } from './model';
import { tileFusionGroup } from './tiling';

/** The parts of a mapping file (reference-surface §1.3) the tiling reads; kernels and runtime args are ignored. */
export interface MappingFileData {
  readonly layers: readonly {
    readonly name: string;
    readonly core_allocation: readonly (readonly number[])[];
    readonly inter_core_tiling?: readonly (readonly { readonly dim: string; readonly split: number }[])[];
  }[];
  readonly fused_groups?: readonly {
    readonly name: string;
    readonly layers: readonly string[];
    readonly intra_core_tiling: readonly { readonly dim: string; readonly tile: number }[];
  }[] | null;
}

/** What the hand-mapping path needs from a mapping, whichever form it came in. */
interface MappingView {
  readonly allocationOf: (node: ComputationNode) => NodeAllocation;
  readonly fusedGroups: readonly { readonly name: string; readonly layers: readonly string[]; readonly intraCoreTiling: readonly IntraCoreTile[] }[];
}

function viewOfResolved(mapping: ResolvedMapping): MappingView {
  const byNode = new Map(mapping.nodes.map((m) => [m.node, m]));
  return {
    allocationOf: (node) => {
      const m = byNode.get(node.name);
      if (!m) throw new TilingError(`No mapping data found for node with name ${node.name}`);
      return { node: node.name, coreIds: m.coreAllocation, interCoreTiling: m.interCoreTiling };
    },
    fusedGroups: mapping.fusedGroups,
  };
}

/**
 * Raw file data: per node the first layer entry in file order whose name is the node's name **or** its
 * operator type (reference quirk Q24: no priority for exact names); only the first core allocation.
 */
function viewOfFileData(mapping: MappingFileData): MappingView {
  return {
    allocationOf: (node) => {
      const entry = mapping.layers.find((l) => l.name === node.name || l.name === node.type);
      if (!entry) throw new TilingError(`No mapping data found for node with name ${node.name}`);
      const coreIds = entry.core_allocation[0];
      if (!coreIds || coreIds.length === 0) throw new TilingError(`Layer entry '${entry.name}' (node ${node.name}) has no core allocation.`);
      const interCoreTiling = (entry.inter_core_tiling?.[0] ?? []).map((s): InterCoreSplit => {
        const dim = parseLocalDim(s.dim);
        if (dim === undefined) throw new TilingError(`Unsupported inter_core_tiling dimension format: '${s.dim}' for node ${node.name}`);
        return { dim, split: s.split };
      });
      return { node: node.name, coreIds, interCoreTiling };
    },
    fusedGroups: (mapping.fused_groups ?? []).map((g) => ({
      name: g.name,
      layers: g.layers,
      intraCoreTiling: g.intra_core_tiling.map((e): IntraCoreTile => {
        const ref = parseIntraCoreDim(e.dim);
        if (!ref) throw new TilingError(`Intra-core tiling dim '${e.dim}' of fused group '${g.name}' is not of the form <Node>.D<i>.`);
        return { node: ref.node, dim: ref.dim, tile: e.tile };
      }),
    })),
  };
}

/** Generic path: tile every group of a generated mapping (the group's generated mapping is carried along). */
export function tileGenericMapping(result: GenericMappingResult): readonly TiledFusionGroup[] {
  return result.groups.map((g) => {
    const mapping: GroupMapping = {
      nodes: g.plan.nodes.map((p) => ({ node: p.node.name, coreIds: p.coreIds, interCoreTiling: p.interCoreTiling })),
      intraCoreTiling: g.plan.intraCoreTiling.map((t) => {
        const ref = parseIntraCoreDim(t.entry)!;
        return { node: ref.node, dim: ref.dim, tile: t.tile };
      }),
    };
    return tileFusionGroup(g.workload, mapping, { index: g.index, generatedMapping: g.plan.mapping });
  });
}

const belongsTo = (node: ComputationNode, layers: readonly string[]) => layers.includes(node.name) || layers.includes(node.type);

/**
 * Cut points of a multi-group hand mapping: the default cut points (`determineFusionCutPoints`) plus a
 * cut wherever two consecutive nodes (dataflow order) cannot share a fused group. Fused groups list
 * layer-entry names, which are often operator types (ResNet-18's 11 groups all list `Conv, Relu, Add`),
 * so membership alone cannot place every boundary; the default cut points are where the reference's
 * fixed mappings put them (the ResNet-18 mapping's 11 groups are exactly its 9 cuts plus the Flatten).
 */
function multiGroupCutPoints(workload: Workload, fusedGroups: MappingView['fusedGroups']): readonly string[] {
  const order = computationNodesInDataflowOrder(workload);
  const candidates = order.map((n) => {
    const set = new Set(fusedGroups.flatMap((g, i) => (belongsTo(n, g.layers) ? [i] : [])));
    if (set.size === 0) throw new TilingError(`Node ${n.name} is in no fused group of the mapping.`);
    return set;
  });
  const cuts = new Set(determineFusionCutPoints(workload));
  for (let k = 0; k + 1 < order.length; k++) {
    if (![...candidates[k]].some((i) => candidates[k + 1].has(i))) cuts.add(order[k].name);
  }
  return order.filter((n) => cuts.has(n.name)).map((n) => n.name);
}

/**
 * Hand-mapping path (`optimize_allocation_co_with_mapping`, no normalisation expansion). With one fused
 * group the whole graph is one fusion group. With several (reference quirk Q27, fixed as recommended)
 * the graph is split at `multiGroupCutPoints` (and at FusionEdges), and each resulting group, in
 * execution order, takes the first unused fused group that lists all its nodes (by name or type) and
 * whose intra-core tiling names only its nodes. A mapping without fused groups is an error.
 */
function tileWithView(workload: Workload, view: MappingView): readonly TiledFusionGroup[] {
  const fusedGroups = view.fusedGroups;
  const groupMapping = (group: Workload, fusedIndex: number): GroupMapping => ({
    nodes: computationNodesInDataflowOrder(group).map(view.allocationOf),
    intraCoreTiling: fusedGroups[fusedIndex].intraCoreTiling,
  });
  if (fusedGroups.length === 0) {
    throw new TilingError('The mapping has no fused group; one fused group with an intra_core_tiling is required.');
  }
  if (fusedGroups.length === 1) return [tileFusionGroup(workload, groupMapping(workload, 0))];

  const used = new Set<number>();
  const groups = splitFusionGroups(workload, multiGroupCutPoints(workload, fusedGroups));
  if (groups.length !== fusedGroups.length) {
    throw new TilingError(`The workload splits into ${groups.length} fusion groups but the mapping declares ${fusedGroups.length} fused groups.`);
  }
  return groups.map((group, index) => {
    const members = computationNodesInDataflowOrder(group);
    const names = new Set(members.map((n) => n.name));
    const fusedIndex = fusedGroups.findIndex(
      (g, i) => !used.has(i) && members.every((n) => belongsTo(n, g.layers)) && g.intraCoreTiling.every((t) => names.has(t.node)),
    );
    if (fusedIndex < 0) {
      throw new TilingError(`No unused fused group of the mapping fits the fusion group of nodes ${members.map((n) => n.name).join(', ')}.`);
    }
    used.add(fusedIndex);
    return tileFusionGroup(group, groupMapping(group, fusedIndex), { index });
  });
}

/** Hand-mapping path on a mapping resolved by lib/mapping (`resolveMapping`). */
export function tileWithResolvedMapping(workload: Workload, mapping: ResolvedMapping): readonly TiledFusionGroup[] {
  return tileWithView(workload, viewOfResolved(mapping));
}

/** Hand-mapping path on raw mapping-file data (in-memory mappings, tests). */
export function tileWithMapping(workload: Workload, mapping: MappingFileData): readonly TiledFusionGroup[] {
  return tileWithView(workload, viewOfFileData(mapping));
}
