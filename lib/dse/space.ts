/**
 * Builds the variant space of a workload on an accelerator around the auto mapper's choice:
 *
 *  - allocation axes, per node or per operator type: subsets of the eligible cores with every inter-core
 *    split of the node's splittable loops whose product is the subset's size;
 *  - tile axes, per tiled loop of the base mapping: the base per-core tile scaled by `tileScales` (kept
 *    when it divides the loop), and for fusion groups the auto mapper left untiled, one candidate loop to
 *    start tiling (the first node's largest unsplit parallel loop);
 *  - a cut axis: the default cut points, a cut after every layer, and the default plus one extra cut.
 *
 * Option 0 of every axis is the auto mapper's, so variant 0 is the generic mapping. Splittable loops
 * exclude the dims the auto mapper protects (recurrences and nonlinear reductions of any node of the
 * base group).
 */
import { Accelerator } from '../hardware/model';
import { GenericMappingResult, GroupMappingPlan, generateGenericMapping } from '../mapping/generator/generic-generator';
import { groupIteratorTypes, groupNonlinearReductionDims } from '../mapping/generator/intra-core-tiling';
import { IntraCoreTileEntry, parseIntraCoreDim } from '../mapping/generator/model';
import { IntraCoreTile } from '../mapping/model';
import { unrollOf } from '../tiling/fusion-splits';
import { plannedUnrollings } from '../mapping/generator/planned-node';
import { computationNodesInDataflowOrder } from '../workload/analysis/graph';
import { iteratorTypes } from '../workload/analysis/iterator-types';
import { expandNormalizations } from '../workload/analysis/normalization-expansion';
import { uniqueDimensions } from '../workload/analysis/unique-dimensions';
import { Workload } from '../workload/model';
import { AllocationOptionLimits, DEFAULT_ALLOCATION_LIMITS, SplittableLoop, allocationKey, allocationLabel, nodeAllocationOptions } from './allocation-options';
import { AllocationAxis, AllocationOption, Axis, CutAxis, CutOption, GroupLayout, NodeAllocationChoice, TileAnchor, TileAxis, VariantSpace } from './model';

export type Granularity = VariantSpace['granularity'];

export interface VariantSpaceOptions {
  /** Caller intra-core tiling of the base mapping (as for the generic pipeline). */
  readonly intraCoreTiling?: readonly IntraCoreTileEntry[];
  /** One allocation axis per node, or per operator type; default: per node up to `NODE_GRANULARITY_LIMIT` nodes. */
  readonly granularity?: Granularity;
  /** Which kinds of axes vary (the others keep the base option only). Default: all. */
  readonly explore?: { readonly allocations?: boolean; readonly tiles?: boolean; readonly cuts?: boolean };
  readonly allocationLimits?: Partial<AllocationOptionLimits>;
  /** Factors applied to a base tile, in trial order; default `DEFAULT_TILE_SCALES`. */
  readonly tileScales?: readonly number[];
}

export const DEFAULT_TILE_SCALES: readonly number[] = [1 / 2, 2, 1 / 4, 4];

/** Above this many computation nodes, allocation axes are per operator type by default. */
export const NODE_GRANULARITY_LIMIT = 8;

/** Per-core tiles tried when a loop the base leaves whole starts being tiled: its extent divided by these. */
const STREAMING_DIVISORS: readonly number[] = [2, 4, 8];

interface BaseNode {
  readonly name: string;
  readonly type: string;
  readonly group: number;
  readonly eligible: readonly number[];
  readonly loops: readonly SplittableLoop[];
  readonly auto: NodeAllocationChoice;
}

function baseNodes(generic: GenericMappingResult): BaseNode[] {
  return generic.groups.flatMap((g) => {
    const plan = g.plan;
    const protectedDims = new Set<number>(groupNonlinearReductionDims(plan.nodes));
    for (const [z, types] of groupIteratorTypes(plan.nodes)) if (types.includes('sequential')) protectedDims.add(z);
    return plan.nodes.map((p) => ({
      name: p.node.name,
      type: p.node.type,
      group: g.index,
      eligible: p.eligibleCores.map((c) => c.id),
      loops: p.dims.map((z, loop) => ({ loop, size: plan.dimensions.sizes[z], z })).filter((l) => l.size > 1 && !protectedDims.has(l.z)),
      auto: { node: p.node.name, coreIds: p.coreIds, interCoreTiling: p.interCoreTiling },
    }));
  });
}

function allocationAxes(nodes: readonly BaseNode[], granularity: Granularity, limits: AllocationOptionLimits, explore: boolean): AllocationAxis[] {
  const optionsOf = (n: BaseNode) => (explore ? nodeAllocationOptions(n.name, n.eligible, n.loops, n.auto, limits) : [n.auto]);
  if (granularity === 'node') {
    return nodes.map((n) => ({
      kind: 'allocation',
      name: n.name,
      nodes: [n.name],
      options: optionsOf(n).map((a, i) => ({ label: i === 0 ? `auto (${allocationLabel(a)})` : allocationLabel(a), nodes: [a] })),
    }));
  }
  const types = [...new Set(nodes.map((n) => n.type))];
  return types.map((type) => {
    const members = nodes.filter((n) => n.type === type);
    const auto: AllocationOption = { label: 'auto', nodes: members.map((n) => n.auto) };
    // An operator-type option is one allocation every node of the type accepts.
    const perNode = members.map((n) => new Map(optionsOf(n).map((a) => [allocationKey(a), a] as const)));
    const common = [...perNode[0].values()].filter((a) => perNode.every((m) => m.has(allocationKey(a))));
    const autoKey = members.map((n) => allocationKey(n.auto)).join(';');
    const options: AllocationOption[] = [auto];
    for (const a of common) {
      const nodesOf = members.map((n) => ({ ...a, node: n.name }));
      if (nodesOf.map(allocationKey).join(';') === autoKey) continue;
      options.push({ label: allocationLabel(a), nodes: nodesOf });
    }
    return { kind: 'allocation', name: type, nodes: members.map((n) => n.name), options };
  });
}

function scaledTiles(base: number, loopSize: number, scales: readonly number[]): number[] {
  const tiles = [base];
  for (const s of scales) {
    const t = base * s;
    if (Number.isInteger(t) && t >= 1 && t <= loopSize && loopSize % t === 0 && !tiles.includes(t)) tiles.push(t);
  }
  return tiles;
}

function tileAxes(generic: GenericMappingResult, scales: readonly number[], explore: boolean): TileAxis[] {
  const axes: TileAxis[] = [];
  for (const g of generic.groups) {
    const plan = g.plan;
    const dimsOf = new Map(plan.nodes.map((p) => [p.node.name, p.dims] as const));
    for (const entry of plan.mapping.fusedGroups[0]?.intraCoreTiling ?? []) {
      const ref = parseIntraCoreDim(entry.dim);
      const dims = ref && dimsOf.get(ref.node);
      if (!ref || !dims) continue;
      const anchor: TileAnchor = { node: ref.node, loop: ref.dim, baseGroup: g.index };
      const loopSize = plan.dimensions.sizes[dims[ref.dim]];
      axes.push({ kind: 'tile', name: entry.dim, anchor, options: explore ? scaledTiles(entry.tile, loopSize, scales) : [entry.tile] });
    }
    if (!explore || plan.intraCoreTilingSource !== 'whole-layer') continue;
    // The auto mapper keeps whole layers here: offer streaming the first node along one loop.
    const first = plan.nodes[0];
    const types = iteratorTypes(first.node);
    const unrollings = plannedUnrollings(plan.nodes);
    const protectedDims = groupNonlinearReductionDims(plan.nodes);
    const candidates = first.dims
      .map((z, loop) => ({ loop, z, size: plan.dimensions.sizes[z], split: first.interCoreTiling.some((s) => s.dim === loop) }))
      .filter((c) => types[c.loop] === 'parallel' && c.size > 1 && !protectedDims.has(c.z));
    candidates.sort((a, b) => Number(a.split) - Number(b.split) || b.size - a.size || a.loop - b.loop);
    const pick = candidates[0];
    if (!pick || axes.some((a) => a.anchor.node === first.node.name && a.anchor.loop === pick.loop)) continue;
    const perCore = pick.size / unrollOf(unrollings, pick.z);
    const tiles = STREAMING_DIVISORS.map((d) => perCore / d).filter((t) => Number.isInteger(t) && t >= 1);
    if (tiles.length === 0) continue;
    axes.push({
      kind: 'tile',
      name: `${first.node.name}.D${pick.loop}`,
      anchor: { node: first.node.name, loop: pick.loop, baseGroup: g.index },
      options: [null, ...tiles],
    });
  }
  return axes;
}

function cutAxis(workload: Workload, baseCuts: readonly string[], explore: boolean): CutAxis {
  const options: CutOption[] = [{ label: baseCuts.length > 0 ? `default (${baseCuts.join(',')})` : 'default (none)', cutPoints: baseCuts }];
  if (explore) {
    const order = computationNodesInDataflowOrder(workload).map((n) => n.name);
    const extra = order.slice(0, -1).filter((n) => !baseCuts.includes(n));
    const inOrder = (cuts: Set<string>) => order.filter((n) => cuts.has(n));
    if (extra.length > 1) options.push({ label: 'per-layer', cutPoints: order.slice(0, -1) });
    for (const n of extra) options.push({ label: `+${n}`, cutPoints: inOrder(new Set([...baseCuts, n])) });
  }
  return { kind: 'cuts', name: 'fusion cuts', options };
}

function tilesOfPlan(plan: GroupMappingPlan): IntraCoreTile[] {
  return plan.mapping.fusedGroups.flatMap((g) =>
    g.intraCoreTiling.flatMap((e) => {
      const ref = parseIntraCoreDim(e.dim);
      return ref ? [{ node: ref.node, dim: ref.dim, tile: e.tile }] : [];
    }),
  );
}

function layoutOfPlan(plan: GroupMappingPlan): GroupLayout {
  return {
    nodes: plan.nodes.map((p) => p.node.name),
    dimensions: plan.dimensions,
    nonlinearReductionDims: groupNonlinearReductionDims(plan.nodes),
    autoTiles: tilesOfPlan(plan),
  };
}

/**
 * The variant space. `workload` is the parsed ONNX workload: the space maps it as the hand-mapping path
 * sees it. If it has normalisations (which only the generic path expands), the base is generated on the
 * unexpanded graph and variant 0 may differ from the generic run; a note says so.
 */
export function buildVariantSpace(workload: Workload, accelerator: Accelerator, options: VariantSpaceOptions = {}): VariantSpace {
  const notes: string[] = [];
  if (expandNormalizations(workload) !== workload) {
    notes.push('the workload has normalisations, which only the generic pipeline expands: variants map the unexpanded graph, so variant 0 may differ from the generic run');
  }
  const generic = generateGenericMapping(workload, accelerator, { intraCoreTiling: options.intraCoreTiling });
  const nodes = baseNodes(generic);
  const granularity = options.granularity ?? (nodes.length <= NODE_GRANULARITY_LIMIT ? 'node' : 'operator-type');
  const explore = { allocations: true, tiles: true, cuts: true, ...options.explore };
  const limits = { ...DEFAULT_ALLOCATION_LIMITS, ...options.allocationLimits };

  const axes: Axis[] = [
    ...allocationAxes(nodes, granularity, limits, explore.allocations),
    ...tileAxes(generic, options.tileScales ?? DEFAULT_TILE_SCALES, explore.tiles),
    cutAxis(workload, generic.cutPoints, explore.cuts),
  ];
  const radices = axes.map((a) => a.options.length);
  const cuts = axes[axes.length - 1] as CutAxis;

  // Group layouts of a cut choice: the auto mapper's groups and tilings with those cut points.
  const layouts = new Map<number, readonly GroupLayout[]>([[0, generic.groups.map((g) => layoutOfPlan(g.plan))]]);
  const layoutOf = (cutOption: number): readonly GroupLayout[] => {
    let layout = layouts.get(cutOption);
    if (!layout) {
      const cutPoints = cuts.options[cutOption].cutPoints;
      layout = generateGenericMapping(workload, accelerator, { intraCoreTiling: options.intraCoreTiling, fusionCutPoints: cutPoints }).groups.map((g) =>
        layoutOfPlan(g.plan),
      );
      layouts.set(cutOption, layout);
    }
    return layout;
  };

  return {
    workload,
    nodes: nodes.map((n) => n.name),
    workloadDims: uniqueDimensions(workload).nodeDims,
    axes,
    radices,
    size: radices.reduce((p, r) => p * BigInt(r), 1n),
    layoutOf,
    granularity,
    notes,
  };
}
