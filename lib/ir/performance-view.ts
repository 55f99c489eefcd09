/**
 * The performance view of an allocation (reference-surface §5.4, version 1.1 as in the reference):
 * latency, the compute- vs transfer-bound split of the steady-state iteration, aggregate and per-node
 * MAC utilisation, the inter-iteration overlap with every resource's slack, tensor reuse and the
 * memory each core holds.
 */
import * as t from 'io-ts';
import { Accelerator } from '../hardware/model';
import { topLevelMemoryCapacity } from '../hardware/derived';
import { ResourceSlack, SteadyStateSolution } from '../milp/result';
import { PerformanceStats } from '../report/performance';
import { linkLabel } from '../scheduler/problem';
import { formatSsis } from '../scheduler/ssis';
import { SteadyStateSchedule } from '../scheduler/steady-state';
import { dataflowOrder } from '../workload/analysis/graph';
import { Tensor, WorkloadNode, nodeOutputs, tensorBits } from '../workload/model';
import { described, finiteNumber, integer, nonNegativeInteger, nonNegativeNumber, nullable, oneOfLiterals } from './codec-kit';

export const PERFORMANCE_VIEW_SCHEMA_VERSION = '1.1';

export const LatencyIRCodec = t.strict({
  total: described(nonNegativeInteger, 'Cycles of the whole group: N·T − (N−1)·O.'),
  per_iteration: described(nonNegativeInteger, 'T: cycles of one steady-state iteration (sum of the slot latencies).'),
  overlap_between_iterations: described(nonNegativeInteger, 'O: cycles by which consecutive iterations overlap.'),
});

const utilisation = nullable(finiteNumber);

export const NodePerformanceIRCodec = t.strict({
  kind: t.literal('compute'),
  n_cores: nonNegativeInteger,
  latency_cycles: described(nonNegativeNumber, 'Active cycles of the node in one steady-state iteration.'),
  ideal_compute_cycles: described(nonNegativeNumber, 'Cycles at full MAC-array use (first core of the allocation).'),
  mac_spatial_utilization: described(utilisation, 'Spatial MAC-array utilisation in [0, 1]; null when the cost model fell back to ideal cycles.'),
  compute_efficiency: described(utilisation, 'ideal_compute_cycles / latency_cycles; null for a node without active cycles.'),
  fallback: described(t.boolean, 'A MAC-family node whose cost fell back to the ideal-cycle estimate.'),
});

export const PerformanceViewCodec = t.strict({
  schema_version: described(t.literal(PERFORMANCE_VIEW_SCHEMA_VERSION), 'Performance view schema version.'),
  latency: LatencyIRCodec,
  bottleneck: described(
    t.strict({
      compute_bound_cycles: nonNegativeNumber,
      transfer_bound_cycles: nonNegativeNumber,
      compute_bound_pct: nonNegativeNumber,
      transfer_bound_pct: nonNegativeNumber,
    }),
    'Per-iteration cycles of the slots whose latency is set by compute (the longest compute node reaches ≥ 99.9 % of the slot) versus by transfers.',
  ),
  aggregate: t.strict({
    compute_cores_available: described(nonNegativeInteger, 'Cores that are not off-chip.'),
    compute_cores_used: nonNegativeInteger,
    latency_weighted_mac_spatial_utilization: utilisation,
    min_mac_spatial_utilization: utilisation,
    total_mac_ops: described(nonNegativeInteger, 'MACs of the conv/gemm/matmul-family nodes of the group, untiled.'),
    peak_macs_per_cycle: described(nonNegativeInteger, 'Sum of the MAC-array sizes of on-chip compute cores that accept MAC operators.'),
    mac_capable_cores: nonNegativeInteger,
    end_to_end_mac_utilization: described(utilisation, 'total_mac_ops / (peak_macs_per_cycle · total latency).'),
    degenerate: t.boolean,
    degenerate_nodes: t.array(t.string),
  }),
  nodes: described(t.record(t.string, NodePerformanceIRCodec), 'Compute node → its performance, in dataflow order.'),
  overlap: t.strict({
    overlap_cycles: nonNegativeInteger,
    binding_resources: described(t.array(t.string), 'Resources at the minimum slack (they bound the overlap).'),
    per_resource_slack: described(
      t.array(t.strict({ resource: t.string, kind: oneOfLiterals(['core', 'link']), slack_cycles: nonNegativeNumber })),
      'Idle cycles per iteration of every core and link, ascending.',
    ),
    recurrence_bound_cycles: described(nonNegativeNumber, 'RecMII bound on the overlap; 0 when no node carries state across iterations.'),
  }),
  tensor_reuse: described(
    t.array(
      t.strict({
        tensor: t.string,
        size_bits: nonNegativeInteger,
        reuse_factor: described(nonNegativeInteger, 'Iterations one fetched tile serves (1 = refetched every iteration).'),
        reuse_stop_level: described(integer, 'Reuse stop level; −1 = none.'),
        on_chip_tiles: nonNegativeInteger,
        loop_nest_out_to_in: described(t.array(t.string), "The tensor's steady-state iteration space, outermost first, e.g. 'T(z10,1,V)'."),
      }),
    ),
    'Per tensor, largest first.',
  ),
  memory_occupancy: described(
    t.array(
      t.strict({
        core_id: nonNegativeInteger,
        core_name: t.string,
        resident_bits: nonNegativeInteger,
        capacity_bits: nonNegativeNumber,
        utilization: described(utilisation, 'resident_bits / capacity_bits; null for a core without capacity.'),
        tensors: described(t.array(t.strict({ tensor: t.string, bits: nonNegativeInteger })), 'Largest first.'),
      }),
    ),
    'Per core holding tensors, ascending id.',
  ),
});

export type LatencyIR = t.TypeOf<typeof LatencyIRCodec>;
export type PerformanceView = t.TypeOf<typeof PerformanceViewCodec>;

/** What the performance view is built from: one solved group. */
export interface PerformanceFacts {
  readonly schedule: SteadyStateSchedule;
  readonly solution: SteadyStateSolution;
  readonly performance: PerformanceStats;
}

export function latencyIR(solution: SteadyStateSolution): LatencyIR {
  return { total: solution.latencyTotal, per_iteration: solution.latencyPerIteration, overlap_between_iterations: solution.overlap };
}

/**
 * Tensors largest first; ties by producer (graph inputs, then compute outputs, then transfer outputs),
 * then by the producer's dataflow position — the reference's order (every golden record follows it).
 */
function tensorOrder(schedule: SteadyStateSchedule): (a: { tensor: string; bits: number }, b: { tensor: string; bits: number }) => number {
  const rank = new Map<string, number>();
  const order = dataflowOrder(schedule.steadyState.workload);
  const kindRank = (kind: WorkloadNode['kind']) => (kind === 'in' ? 0 : kind === 'computation' ? 1 : 2);
  order.forEach((node, position) => {
    for (const tensor of nodeOutputs(node)) rank.set(tensor.name, kindRank(node.kind) * order.length + position);
  });
  return (a, b) => b.bits - a.bits || (rank.get(a.tensor) ?? Number.MAX_SAFE_INTEGER) - (rank.get(b.tensor) ?? Number.MAX_SAFE_INTEGER);
}

function tensorsOf(schedule: SteadyStateSchedule): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>();
  for (const node of schedule.steadyState.workload.nodes) for (const tensor of nodeOutputs(node)) tensors.set(tensor.name, tensor);
  return tensors;
}

function tensorReuse(facts: PerformanceFacts): PerformanceView['tensor_reuse'] {
  const tensors = tensorsOf(facts.schedule);
  const byOrder = tensorOrder(facts.schedule);
  const rows = facts.solution.tensors.map((decision) => {
    const tensor = tensors.get(decision.name);
    const loops = facts.schedule.ssis.tensors.get(decision.name);
    return {
      tensor: decision.name,
      size_bits: tensor ? tensorBits(tensor) : 0,
      reuse_factor: decision.reuseFactor,
      reuse_stop_level: decision.reuseStop,
      on_chip_tiles: decision.tiles,
      loop_nest_out_to_in: loops ? [...formatSsis(loops)] : [],
    };
  });
  return rows.sort((a, b) => byOrder({ tensor: a.tensor, bits: a.size_bits }, { tensor: b.tensor, bits: b.size_bits }));
}

function memoryOccupancy(facts: PerformanceFacts, accelerator: Accelerator): PerformanceView['memory_occupancy'] {
  const { solution } = facts;
  const byOrder = tensorOrder(facts.schedule);
  const perCore = new Map<number, { tensor: string; bits: number }[]>();
  for (const decision of solution.tensors) {
    // Graph inputs sit off-chip from the start and take no capacity (0 resident bits).
    if (decision.residentBitsPerCore <= 0) continue;
    for (const core of decision.cores) perCore.set(core, [...(perCore.get(core) ?? []), { tensor: decision.name, bits: decision.residentBitsPerCore }]);
  }
  return [...perCore.keys()]
    .sort((a, b) => a - b)
    .map((id) => {
      const core = accelerator.cores.find((c) => c.id === id);
      const tensors = [...(perCore.get(id) ?? [])].sort(byOrder);
      const resident = tensors.reduce((s, t) => s + t.bits, 0);
      const capacity = core ? topLevelMemoryCapacity(core) : 0;
      return {
        core_id: id,
        core_name: core?.spec.name ?? `core ${id}`,
        resident_bits: resident,
        capacity_bits: capacity,
        utilization: capacity > 0 ? resident / capacity : null,
        tensors,
      };
    });
}

/** The reference's resource names: `Core(0, zigzag.compute)`, `CL(Any, Any, bw=128)`. */
function resourceLabel(resource: ResourceSlack, accelerator: Accelerator): string {
  if (resource.kind === 'link') return linkLabel(accelerator, resource.id);
  const core = accelerator.cores.find((c) => c.id === resource.id);
  return core ? `Core(${core.id}, ${core.coreType})` : resource.label;
}

function overlapIR(solution: SteadyStateSolution, accelerator: Accelerator): PerformanceView['overlap'] {
  const slack = solution.resourceSlack.map((r) => ({ resource: resourceLabel(r, accelerator), kind: r.kind, slack_cycles: r.idleCycles }));
  const minimum = Math.min(...slack.map((r) => r.slack_cycles));
  return {
    overlap_cycles: solution.overlap,
    binding_resources: slack.filter((r) => r.slack_cycles === minimum).map((r) => r.resource),
    per_resource_slack: slack,
    // The CO allocation stage never bounds the overlap by a recurrence (no state-carrying node in its scope).
    recurrence_bound_cycles: 0,
  };
}

export function performanceView(facts: PerformanceFacts, accelerator: Accelerator): PerformanceView {
  const { solution, performance } = facts;
  const aggregate = performance.aggregate;
  return {
    schema_version: PERFORMANCE_VIEW_SCHEMA_VERSION,
    latency: latencyIR(solution),
    bottleneck: { ...performance.bottleneck },
    aggregate: {
      compute_cores_available: aggregate.compute_cores_available,
      compute_cores_used: aggregate.compute_cores_used,
      latency_weighted_mac_spatial_utilization: aggregate.latency_weighted_mac_spatial_utilization,
      min_mac_spatial_utilization: aggregate.min_mac_spatial_utilization,
      total_mac_ops: aggregate.total_mac_ops,
      peak_macs_per_cycle: aggregate.peak_macs_per_cycle,
      mac_capable_cores: aggregate.mac_capable_cores,
      end_to_end_mac_utilization: aggregate.end_to_end_mac_utilization,
      degenerate: aggregate.degenerate,
      degenerate_nodes: [...aggregate.degenerate_nodes],
    },
    nodes: Object.fromEntries(Object.entries(performance.per_node).map(([name, n]) => [name, { ...n }])),
    overlap: overlapIR(solution, accelerator),
    tensor_reuse: tensorReuse(facts),
    memory_occupancy: memoryOccupancy(facts, accelerator),
  };
}
