/**
 * AllocationIR (reference-surface §5.3): one solved fusion group — latency, solve statistics, the cost
 * models used, the mapping of every compute and transfer node, fused groups, the steady state, tiling
 * and the performance view — and its persona views (algorithmic, hardware, compiler, performance).
 *
 * Version 1.6 = the reference's 1.5 plus two fields: `group_index` (which fusion group of the run) and
 * `cost_models.intra_core_backends`, the per-core cost backends actually used by the group's cost table
 * (Q46: the reference names ZigZag even when nodes were costed by the AIE model or fell back to ideal
 * cycles; `intra_core` now describes exactly those backends).
 */
import * as t from 'io-ts';
import { Accelerator } from '../hardware/model';
import { ConstraintSelection } from '../milp/problem';
import { SteadyStateSolution } from '../milp/result';
import { PerformanceStats } from '../report/performance';
import { linkLabel } from '../scheduler/problem';
import { finalAllocations, solvedTransfersOf } from '../scheduler/results';
import { SteadyStateSchedule } from '../scheduler/steady-state';
import { TiledFusionGroup } from '../tiling/model';
import { uniqueDimName } from '../workload/analysis/unique-dimensions';
import { dataflowOrder } from '../workload/analysis/graph';
import { described, finiteNumber, nonNegativeInteger, nonNegativeNumber, nullable, oneOfLiterals, positiveInteger } from './codec-kit';
import { LatencyIRCodec, PerformanceView, PerformanceViewCodec, latencyIR, performanceView } from './performance-view';

export const ALLOCATION_IR_SCHEMA_VERSION = '1.6';
export const ALLOCATION_IR_ID = 'stream/allocation_ir/v1';
export const ALLOCATION_ALGORITHMIC_VIEW_SCHEMA_VERSION = '1.1';
export const ALLOCATION_HARDWARE_VIEW_SCHEMA_VERSION = '1.0';
export const ALLOCATION_COMPILER_VIEW_SCHEMA_VERSION = '1.0';

export const COST_BACKENDS = ['zigzag', 'aie', 'ideal-cycle'] as const;
export type CostBackend = (typeof COST_BACKENDS)[number];

const COST_BACKEND_DESCRIPTIONS: Readonly<Record<CostBackend, string>> = {
  zigzag: 'ZigZag analytical (per-node latency & energy, MAC-array spatial utilization)',
  aie: 'AIE kernel model (per-tile latency)',
  'ideal-cycle': 'Ideal-cycle fallback (ceil(MACs / array units) × cycles per op, no energy)',
};
const SCHEDULER_DESCRIPTION = 'SteadyStateScheduler (steady-state pipeline latency, compute vs transfer bottleneck)';

const dimFactor = t.tuple([described(t.string, 'Unique dim z<i>.'), positiveInteger]);

export const SolveIRCodec = t.strict({
  status: t.string,
  solver: t.string,
  mip_gap: nullable(nonNegativeNumber),
  objective: described(nullable(finiteNumber), 'Objective of the last lexicographic level.'),
  solve_time_s: nonNegativeNumber,
  node_count: nullable(nonNegativeInteger),
  iteration_count: described(nullable(nonNegativeInteger), 'Simplex iterations over all levels; null when the solver does not report them.'),
});

export const CostModelsIRCodec = t.strict({
  intra_core: described(t.string, 'Description of the per-core cost backends this group actually used.'),
  intra_core_backends: described(t.array(oneOfLiterals(COST_BACKENDS)), 'Per-core cost backends found in the group’s cost table.'),
  scheduler: t.string,
  solver: t.string,
});

export const ConstraintSelectionIRCodec = t.strict({
  memory_capacity: t.boolean,
  object_fifo_depth: t.boolean,
  buffer_descriptors: t.boolean,
  dma_channels: t.boolean,
});

export const ResourceIRCodec = t.union([
  t.strict({ type: t.literal('core'), id: nonNegativeInteger }),
  t.strict({
    type: t.literal('path'),
    sources: t.array(nonNegativeInteger),
    targets: t.array(nonNegativeInteger),
    hops: described(t.array(t.strict({ link: t.string, bandwidth: nonNegativeNumber })), 'Links the chosen route uses, in traversal order.'),
  }),
]);

export const MappingNodeIRCodec = t.strict({
  resource_allocation: described(t.array(t.array(ResourceIRCodec)), 'The chosen allocation: cores of a compute node, the route of a transfer.'),
  inter_core_tiling: described(t.array(t.array(dimFactor)), 'Splits over cores in steady-state unique dims, per allocation.'),
  memory_allocation: described(
    t.array(t.array(nonNegativeInteger)),
    'Cores holding the node’s output: a compute node’s cores; a transfer’s on-chip cores when it loads a graph input or stores a graph output (empty otherwise).',
  ),
});

export const FusedGroupIRCodec = t.strict({
  name: t.string,
  layers: t.array(t.string),
  intra_core_tiling: described(t.array(t.tuple([described(t.string, "'<node>.D<n>'"), positiveInteger])), 'Per-core tile of each listed loop.'),
});

const LoopIRCodec = t.strict({
  dim: t.string,
  size: positiveInteger,
  type: oneOfLiterals(['temporal', 'spatiotemporal', 'spatial', 'core_temporal', 'core_spatial', 'kernel']),
  node: described(nullable(t.string), 'The node a loop inside a core belongs to; null for the steady-state (temporal) loops.'),
});

export const SteadyStateIRCodec = t.strict({
  operators: t.array(t.strict({ name: t.string, op: t.string, tensors: t.array(t.strict({ name: t.string, shape: t.array(nonNegativeInteger) })) })),
  loops: described(t.array(LoopIRCodec), 'Temporal loops first, then per node (dataflow order) its spatial then kernel loops.'),
  tiled_graph: t.strict({
    nodes: t.array(
      t.union([
        t.strict({ name: t.string, kind: t.literal('compute'), op: t.string }),
        t.strict({
          name: t.string,
          kind: t.literal('transfer'),
          transfer_type: t.string,
          tensor: described(t.string, 'The tensor the transfer moves.'),
          elements: nonNegativeInteger,
        }),
      ]),
    ),
    edges: t.array(t.strict({ source: t.string, target: t.string })),
  }),
});

const dimSplit = t.strict({ dim: t.string, factor: positiveInteger });

export const TilingIRCodec = t.strict({
  fusion_splits: described(t.array(dimSplit), 'Steady-state splits (count of parts) per unique dim.'),
  inter_core: described(t.record(t.string, t.array(dimSplit)), 'Compute node → its splits over cores.'),
  intra_core: described(t.record(t.string, t.array(t.strict({ dim: t.string, tile: positiveInteger }))), 'Fused group → per-core tile (block extent) per loop.'),
});

const algorithmicParts = {
  latency: LatencyIRCodec,
  backend: described(t.string, 'MILP solver backend.'),
  solve: nullable(SolveIRCodec),
  constraint_selection: described(nullable(ConstraintSelectionIRCodec), 'Constraint groups the MILP was built with; null when not known.'),
  fusion_splits: described(t.record(t.string, positiveInteger), 'Unique dim z<i> → number of steady-state iterations it is split into.'),
};
const mappingNodes = described(t.record(t.string, MappingNodeIRCodec), 'Every compute and transfer node, in dataflow order.');
const compilerParts = {
  fused_groups: t.array(FusedGroupIRCodec),
  runtime_args: described(t.record(t.string, t.string), 'Tensor → layout string from the mapping file.'),
};

export const AllocationIRCodec = t.strict({
  schema_version: described(t.literal(ALLOCATION_IR_SCHEMA_VERSION), 'AllocationIR schema version (minor bump = fields added).'),
  group_index: described(nonNegativeInteger, 'Fusion group of the run (groups execute in index order).'),
  ...algorithmicParts,
  cost_models: CostModelsIRCodec,
  mapping_nodes: mappingNodes,
  ...compilerParts,
  performance: nullable(PerformanceViewCodec),
  steady_state: nullable(SteadyStateIRCodec),
  fusion: t.strict({ n_groups: nonNegativeInteger, groups: t.array(FusedGroupIRCodec) }),
  tiling: TilingIRCodec,
  overlays: described(t.array(t.string), 'Overlay distributions loaded (results are comparable only with equal sets).'),
});

export const AllocationAlgorithmicViewCodec = t.strict({
  schema_version: t.literal(ALLOCATION_ALGORITHMIC_VIEW_SCHEMA_VERSION),
  ...algorithmicParts,
});
export const AllocationHardwareViewCodec = t.strict({
  schema_version: t.literal(ALLOCATION_HARDWARE_VIEW_SCHEMA_VERSION),
  mapping_nodes: mappingNodes,
});
export const AllocationCompilerViewCodec = t.strict({
  schema_version: t.literal(ALLOCATION_COMPILER_VIEW_SCHEMA_VERSION),
  mapping_nodes: mappingNodes,
  ...compilerParts,
});

export type SolveIR = t.TypeOf<typeof SolveIRCodec>;
export type MappingNodeIR = t.TypeOf<typeof MappingNodeIRCodec>;
export type FusedGroupIR = t.TypeOf<typeof FusedGroupIRCodec>;
export type SteadyStateIR = t.TypeOf<typeof SteadyStateIRCodec>;
export type AllocationIR = t.TypeOf<typeof AllocationIRCodec>;
export type AllocationAlgorithmicView = t.TypeOf<typeof AllocationAlgorithmicViewCodec>;
export type AllocationHardwareView = t.TypeOf<typeof AllocationHardwareViewCodec>;
export type AllocationCompilerView = t.TypeOf<typeof AllocationCompilerViewCodec>;

export const ALLOCATION_VIEWS = ['algorithmic', 'hardware', 'compiler', 'performance'] as const;
export type AllocationViewName = (typeof ALLOCATION_VIEWS)[number];

/** One solved fusion group as the CO pipeline returns it (its `GroupResult` has this shape). */
export interface AllocationGroupFacts {
  readonly index: number;
  readonly group: TiledFusionGroup;
  /** node → core id → the cost backend that produced the node's latency on that core. */
  readonly costs: ReadonlyMap<string, ReadonlyMap<number, { readonly backend: CostBackend }>>;
  readonly schedule: SteadyStateSchedule;
  readonly solution: SteadyStateSolution;
  readonly performance: PerformanceStats;
}

/** A CO run as the pipeline returns it (its `CoResult` has this shape). */
export interface AllocationRunFacts {
  readonly accelerator: Accelerator;
  readonly groups: readonly AllocationGroupFacts[];
}

/** What the run's result does not carry: the options the MILP was built with and the hand-written mapping. */
export interface AllocationContext {
  readonly constraints?: ConstraintSelection;
  readonly mapping?: {
    readonly fusedGroups: readonly { readonly name: string; readonly layers: readonly string[] }[];
    readonly runtimeArgs: readonly { readonly tensor: string; readonly layout: string }[];
  };
}

function solveIR(solution: SteadyStateSolution): AllocationIR['solve'] {
  const s = solution.solve;
  const iterations = s.levels.map((l) => l.simplexIterations).filter((n): n is number => n !== undefined);
  return {
    status: s.status,
    solver: s.solver,
    mip_gap: s.mipGap ?? null,
    objective: s.objective ?? null,
    solve_time_s: s.solveTimeSeconds,
    node_count: s.nodeCount,
    iteration_count: iterations.length > 0 ? iterations.reduce((a, b) => a + b, 0) : null,
  };
}

function costModels(facts: AllocationGroupFacts): AllocationIR['cost_models'] {
  const used = new Set<CostBackend>();
  for (const perCore of facts.costs.values()) for (const cost of perCore.values()) used.add(cost.backend);
  const backends = COST_BACKENDS.filter((b) => used.has(b));
  const { backend, solver } = facts.solution.solve;
  return {
    intra_core: backends.map((b) => COST_BACKEND_DESCRIPTIONS[b]).join(' + '),
    intra_core_backends: backends,
    scheduler: SCHEDULER_DESCRIPTION,
    solver: `TETRA MILP, lexicographic (latency, off-chip traffic, buffering) on ${backend} (${solver})`,
  };
}

function constraintSelectionIR(constraints: ConstraintSelection | undefined): AllocationIR['constraint_selection'] {
  if (!constraints) return null;
  return {
    memory_capacity: constraints.memoryCapacity,
    object_fifo_depth: constraints.objectFifoDepth,
    buffer_descriptors: constraints.bufferDescriptors,
    dma_channels: constraints.dmaChannels,
  };
}

function mappingNodesIR(facts: AllocationGroupFacts, accelerator: Accelerator): AllocationIR['mapping_nodes'] {
  const transferTilings = new Map(facts.schedule.transfers.map((m) => [m.transfer, m]));
  const placementOf = new Map(facts.solution.tensors.map((d) => [d.name, d.placementIndex]));
  const entries = finalAllocations(facts.schedule, solvedTransfersOf(facts.solution)).map((a): [string, MappingNodeIR] => {
    if (a.kind === 'compute') {
      return [
        a.name,
        {
          resource_allocation: [a.cores.map((id) => ({ type: 'core' as const, id }))],
          inter_core_tiling: [a.interCoreTiling.map((u): [string, number] => [uniqueDimName(u.dim), u.factor])],
          memory_allocation: [[...a.cores]],
        },
      ];
    }
    const mapping = transferTilings.get(a.name);
    const output = facts.schedule.steadyState.workload.nodes.find((n) => n.name === a.name);
    const outputTensor = output?.kind === 'transfer' ? output.outputs[0]?.name : undefined;
    const destination = outputTensor !== undefined ? (placementOf.get(outputTensor) ?? 0) : 0;
    return [
      a.name,
      {
        resource_allocation: [
          [
            {
              type: 'path' as const,
              sources: [...a.route.sources],
              targets: [...a.route.targets],
              hops: a.route.linksUsed.map((link) => ({ link: linkLabel(accelerator, link), bandwidth: accelerator.links[link].bandwidth })),
            },
          ],
        ],
        inter_core_tiling: [(mapping?.unrollings[destination] ?? []).map((u): [string, number] => [uniqueDimName(u.dim), u.factor])],
        memory_allocation: a.memoryAllocation.length > 0 ? [[...a.memoryAllocation]] : [],
      },
    ];
  });
  return Object.fromEntries(entries);
}

function fusedGroupIR(facts: AllocationGroupFacts, context: AllocationContext): FusedGroupIR {
  const layers = facts.group.nodes.map((n) => n.name);
  const declared = context.mapping?.fusedGroups.find((g) => g.layers.some((l) => layers.includes(l)));
  const generated = facts.group.generatedMapping?.fusedGroups[0];
  return {
    name: declared?.name ?? generated?.name ?? `group_${facts.index}`,
    layers,
    intra_core_tiling: facts.group.mapping.intraCoreTiling.map((tile): [string, number] => [`${tile.node}.D${tile.dim}`, tile.tile]),
  };
}

function steadyStateIR(facts: AllocationGroupFacts): SteadyStateIR {
  const { schedule, group } = facts;
  const workload = schedule.steadyState.workload;
  const order = dataflowOrder(workload);
  const tiledNodes = new Map(group.nodes.map((n) => [n.name, n]));
  const operators: SteadyStateIR['operators'] = [];
  const loops: SteadyStateIR['loops'] = schedule.fusionSplits.map((s) => ({ dim: uniqueDimName(s.dim), size: s.splits, type: 'temporal', node: null }));
  const graphNodes: SteadyStateIR['tiled_graph']['nodes'] = [];
  for (const node of order) {
    if (node.kind === 'computation') {
      operators.push({ name: node.name, op: node.type, tensors: [...node.inputs, ...node.outputs].map((x) => ({ name: x.name, shape: [...x.shape] })) });
      graphNodes.push({ name: node.name, kind: 'compute', op: node.type });
      for (const u of schedule.computeUnrollings.get(node.name) ?? []) loops.push({ dim: uniqueDimName(u.dim), size: u.factor, type: 'spatial', node: node.name });
      const dims = schedule.dims.nodeDims.get(node.name) ?? [];
      const perCore = tiledNodes.get(node.name)?.perCoreDimSizes ?? [];
      dims.forEach((z, i) => {
        if (perCore[i] !== undefined && perCore[i] > 0) loops.push({ dim: uniqueDimName(z), size: perCore[i], type: 'kernel', node: node.name });
      });
    } else if (node.kind === 'transfer') {
      const moved = node.inputs[0];
      graphNodes.push({
        name: node.name,
        kind: 'transfer',
        transfer_type: node.transferType,
        tensor: moved?.name ?? '',
        elements: moved ? moved.shape.reduce((p, s) => p * s, 1) : 0,
      });
    }
  }
  const inGraph = new Set(graphNodes.map((n) => n.name));
  const seen = new Set<string>();
  const edges: SteadyStateIR['tiled_graph']['edges'] = [];
  for (const e of workload.edges) {
    const key = `${e.from}\u0000${e.to}`;
    if (!inGraph.has(e.from) || !inGraph.has(e.to) || seen.has(key)) continue;
    seen.add(key);
    edges.push({ source: e.from, target: e.to });
  }
  return { operators, loops, tiled_graph: { nodes: graphNodes, edges } };
}

function tilingIR(facts: AllocationGroupFacts, fused: FusedGroupIR): AllocationIR['tiling'] {
  return {
    fusion_splits: facts.schedule.fusionSplits.map((s) => ({ dim: uniqueDimName(s.dim), factor: s.splits })),
    inter_core: Object.fromEntries(
      [...facts.schedule.computeUnrollings].map(([node, unrollings]) => [node, unrollings.map((u) => ({ dim: uniqueDimName(u.dim), factor: u.factor }))]),
    ),
    intra_core: { [fused.name]: fused.intra_core_tiling.map(([dim, tile]) => ({ dim, tile })) },
  };
}

/** The AllocationIR of one solved group of a run. */
export function allocationIR(run: AllocationRunFacts, groupIndex: number, context: AllocationContext = {}): AllocationIR {
  const facts = run.groups.find((g) => g.index === groupIndex);
  if (!facts) throw new RangeError(`the run has no fusion group ${groupIndex} (groups: ${run.groups.map((g) => g.index).join(', ')})`);
  const fused = fusedGroupIR(facts, context);
  return {
    schema_version: ALLOCATION_IR_SCHEMA_VERSION,
    group_index: facts.index,
    latency: latencyIR(facts.solution),
    backend: facts.solution.solve.backend,
    solve: solveIR(facts.solution),
    constraint_selection: constraintSelectionIR(context.constraints),
    fusion_splits: Object.fromEntries(facts.schedule.fusionSplits.map((s) => [uniqueDimName(s.dim), s.splits])),
    cost_models: costModels(facts),
    mapping_nodes: mappingNodesIR(facts, run.accelerator),
    fused_groups: [fused],
    runtime_args: Object.fromEntries((context.mapping?.runtimeArgs ?? []).map((a) => [a.tensor, a.layout])),
    performance: performanceView(facts, run.accelerator),
    steady_state: steadyStateIR(facts),
    fusion: { n_groups: 1, groups: [fused] },
    tiling: tilingIR(facts, fused),
    overlays: [],
  };
}

/** The AllocationIR of every group of a run, in execution order. */
export function allocationIRs(run: AllocationRunFacts, context: AllocationContext = {}): AllocationIR[] {
  return [...run.groups].sort((a, b) => a.index - b.index).map((g) => allocationIR(run, g.index, context));
}

export function allocationAlgorithmicView(ir: AllocationIR): AllocationAlgorithmicView {
  const { latency, backend, solve, constraint_selection, fusion_splits } = ir;
  return { schema_version: ALLOCATION_ALGORITHMIC_VIEW_SCHEMA_VERSION, latency, backend, solve, constraint_selection, fusion_splits };
}

export function allocationHardwareView(ir: AllocationIR): AllocationHardwareView {
  return { schema_version: ALLOCATION_HARDWARE_VIEW_SCHEMA_VERSION, mapping_nodes: ir.mapping_nodes };
}

export function allocationCompilerView(ir: AllocationIR): AllocationCompilerView {
  const { mapping_nodes, fused_groups, runtime_args } = ir;
  return { schema_version: ALLOCATION_COMPILER_VIEW_SCHEMA_VERSION, mapping_nodes, fused_groups, runtime_args };
}

/** A persona view (Q44: selectable instead of only reachable as model methods); null when the IR has no performance view. */
export function allocationView(
  ir: AllocationIR,
  view: AllocationViewName,
): AllocationAlgorithmicView | AllocationHardwareView | AllocationCompilerView | PerformanceView | null {
  switch (view) {
    case 'algorithmic':
      return allocationAlgorithmicView(ir);
    case 'hardware':
      return allocationHardwareView(ir);
    case 'compiler':
      return allocationCompilerView(ir);
    case 'performance':
      return ir.performance;
  }
}
