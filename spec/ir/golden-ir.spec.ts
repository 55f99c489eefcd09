/**
 * The IR documents of every golden case (the 16 hardware × workload matrix cells, the README quick start
 * and the hand-written mapping): each document and view decodes with its own codec, re-encodes to itself
 * and validates against its generated JSON Schema; and every fact the reference recorded for that run
 * (final allocations, performance statistics, overlap, tensor reuse, memory occupancy, steady-state
 * graph, unique dims, cost backends) is what the IR says. Each case runs the pipeline once.
 *
 * Solver ties the reference's GSCIP and our HiGHS may break differently are not compared: the reuse stop
 * of a tensor and the overlap when there is a single steady-state iteration (any value is optimal then).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isRight } from 'fp-ts/Either';
import { CoResult, CoOptions, runCo } from '../../pipelines/co';
import {
  ACCELERATOR_VIEWS,
  ALLOCATION_VIEWS,
  AcceleratorIR,
  AllocationIR,
  IR_DOCUMENT_TYPES,
  IrKind,
  LoadedIR,
  WORKLOAD_VIEWS,
  WorkloadIR,
  acceleratorIR,
  acceleratorView,
  allocationContextOf,
  allocationIRs,
  allocationView,
  loadWorkloadIR,
  workloadIR,
  workloadView,
} from '../../pipelines/ir';
import { GOLDEN_DIR, STREAM_INPUTS } from '../support/reference';
import { documentProblems, documentType } from './support';

interface GoldenTensorRef {
  readonly name: string;
  readonly shape: readonly number[];
}
interface GoldenRoute {
  readonly sources: readonly number[];
  readonly targets: readonly number[];
  readonly links_used: readonly { readonly link: string; readonly bandwidth: number }[];
}
type GoldenFinalAllocation =
  | { readonly name: string; readonly kind: 'compute'; readonly core_allocation: readonly (readonly number[])[]; readonly inter_core_tiling: unknown }
  | { readonly name: string; readonly kind: 'transfer'; readonly route: readonly GoldenRoute[]; readonly memory_allocation: readonly number[] };
interface GoldenUniqueDims {
  readonly unique_dims: readonly { readonly dim: string; readonly size: number }[];
  readonly global_slot_expressions: readonly string[];
}
interface GoldenGroup {
  readonly iterations: number;
  readonly fusion_splits_after_transfer_insertion: Readonly<Record<string, number>>;
  readonly final_allocations: readonly GoldenFinalAllocation[];
  readonly performance_stats: {
    readonly per_node: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    readonly bottleneck: Readonly<Record<string, number>>;
    readonly aggregate: Readonly<Record<string, unknown>>;
    readonly memory_occupancy: readonly {
      readonly core_id: number;
      readonly resident_bits: number;
      readonly capacity_bits: number;
      readonly utilization: number;
      readonly tensors: readonly { readonly tensor: string; readonly bits: number }[];
    }[];
  };
  readonly overlap_section: {
    readonly overlap_cycles: number;
    readonly binding_resources: readonly string[];
    readonly per_resource_slack: readonly { readonly resource: string; readonly kind: string; readonly slack_cycles: number }[];
    readonly recurrence_bound_cycles: number;
  };
  readonly tensor_reuse: readonly {
    readonly tensor: string;
    readonly size_bits: number;
    readonly reuse_factor: number;
    readonly reuse_stop_level: number;
    readonly on_chip_tiles: number;
    readonly loop_nest_out_to_in: readonly string[];
  }[];
  readonly unique_dimensions: {
    readonly untiled_group_workload: GoldenUniqueDims;
    readonly steady_state_workload_with_transfers: GoldenUniqueDims;
  };
  readonly steady_state_graph: readonly {
    readonly name: string;
    readonly kind: 'in_edge' | 'out_edge' | 'compute' | 'transfer';
    readonly op_type?: string;
    readonly transfer_type?: string;
    readonly inputs?: readonly GoldenTensorRef[];
    readonly outputs?: readonly GoldenTensorRef[];
    readonly successors: readonly string[];
  }[];
  readonly cost_table: readonly { readonly backend: string }[];
}
interface GoldenCase {
  readonly id: string;
  readonly hardware: string;
  readonly workload: string;
  readonly mapping: string | null;
  readonly arguments: { readonly intra_core_tiling?: readonly { dim: string; tile: number }[] };
  readonly groups: readonly GoldenGroup[];
}

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8'));
const CASES: readonly GoldenCase[] = [
  ...(read('matrix.json').cells as GoldenCase[]),
  { ...(read('quickstart.json').case as GoldenCase), id: 'quickstart' },
  { ...(read('hand_mapping_two_conv.json').case as GoldenCase), id: 'hand_mapping_two_conv' },
];

const close = (actual: unknown, expected: unknown) =>
  typeof expected === 'number' && typeof actual === 'number' ? Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)) : actual === expected;

/** `actual` with every number that is within 1e-9 of `expected`'s replaced by the expected one. */
function snapNumbers(actual: Readonly<Record<string, unknown>>, expected: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, close(v, expected[k]) ? expected[k] : v]));
}

/** The reference's printed name of a connection, as golden routes list them. */
function connectionLabels(ir: AcceleratorIR): Set<string> {
  const coreType = new Map(ir.cores.map((c) => [c.id, c.core_type]));
  return new Set(
    ir.core_connectivity.map((c) =>
      c.type === 'bus'
        ? `CL(Any, Any, bw=${c.bandwidth})`
        : `CL(Core(${c.from_core}, ${coreType.get(c.from_core)}), Core(${c.to_core}, ${coreType.get(c.to_core)}), bw=${c.bandwidth})`,
    ),
  );
}

describe.each(CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const golden = c.groups[0];
  let result: CoResult;
  let allocation: AllocationIR;
  let accelerator: AcceleratorIR;
  let onnx: LoadedIR<WorkloadIR>;
  beforeAll(async () => {
    const options: CoOptions = {
      hardware: path.join(STREAM_INPUTS, c.hardware),
      workload: path.join(STREAM_INPUTS, c.workload),
      mapping: c.mapping ? path.join(STREAM_INPUTS, c.mapping) : undefined,
      intraCoreTiling: c.arguments.intra_core_tiling,
      inputsRoot: STREAM_INPUTS,
    };
    result = await runCo(options);
    allocation = allocationIRs(result, allocationContextOf(options))[0];
    accelerator = acceleratorIR(result.accelerator);
    const loaded = loadWorkloadIR(options.workload);
    if (!isRight(loaded)) throw new Error(`cannot load ${options.workload}`);
    onnx = loaded.right;
  });

  it('every document and view decodes with its own codec, re-encodes to itself and validates against its JSON Schema', () => {
    const group = result.groups[0];
    const documents: [IrKind, string | null, unknown][] = [
      ['workload', null, onnx.document],
      ['workload', null, workloadIR(group.group.untiledWorkload)],
      ['workload', null, workloadIR(group.schedule.steadyState.workload)],
      ['accelerator', null, accelerator],
      ['allocation', null, allocation],
      ...WORKLOAD_VIEWS.map((v): [IrKind, string, unknown] => ['workload', v, workloadView(onnx.document, v)]),
      ...ACCELERATOR_VIEWS.map((v): [IrKind, string, unknown] => ['accelerator', v, acceleratorView(accelerator, v)]),
      ...ALLOCATION_VIEWS.map((v): [IrKind, string, unknown] => ['allocation', v, allocationView(allocation, v)]),
    ];
    const covered = new Set(documents.map(([kind, view]) => `${kind}/${view}`));
    expect(IR_DOCUMENT_TYPES.filter((t) => t.kind !== 'infeasibility' && !covered.has(`${t.kind}/${t.view}`))).toEqual([]);
    for (const [kind, view, document] of documents) {
      expect({ kind, view, problems: documentProblems(documentType(kind, view), document) }).toEqual({ kind, view, problems: [] });
    }
  });

  it('WorkloadIR: global slot expressions and unique-dim sizes of the group and steady-state workloads are the golden ones', () => {
    const group = result.groups[0];
    const check = (ir: WorkloadIR, expected: GoldenUniqueDims) => {
      expect(ir.dimension_expressions).toEqual(expected.global_slot_expressions);
      expect(ir.num_unique_dimensions).toBe(expected.unique_dims.length);
      expect(Object.fromEntries(Object.entries(ir.unique_dimensions).map(([z, d]) => [z, d.size]))).toEqual(
        Object.fromEntries(expected.unique_dims.map((d) => [d.dim, d.size])),
      );
    };
    check(workloadIR(group.group.untiledWorkload), golden.unique_dimensions.untiled_group_workload);
    check(workloadIR(group.schedule.steadyState.workload), golden.unique_dimensions.steady_state_workload_with_transfers);
  });

  it('AcceleratorIR: on-chip core count, capacities of the cores holding tensors, and every link the golden routes use', () => {
    expect(accelerator.cores.filter((core) => core.type !== 'offchip').length).toBe(golden.performance_stats.aggregate.compute_cores_available);
    const topI1Bits = (id: number) => {
      const extra = accelerator.cores.find((core) => core.id === id)?.extra_fields;
      const levels = extra && 'memory_hierarchy' in extra ? extra.memory_hierarchy.filter((m) => m.operands.includes('I1')) : [];
      return levels[levels.length - 1]?.size_bits;
    };
    for (const core of golden.performance_stats.memory_occupancy) expect({ core: core.core_id, bits: topI1Bits(core.core_id) }).toEqual({ core: core.core_id, bits: core.capacity_bits });
    const labels = connectionLabels(accelerator);
    for (const a of golden.final_allocations) {
      if (a.kind === 'transfer') for (const link of a.route[0].links_used) expect({ transfer: a.name, link: link.link, known: labels.has(link.link) }).toEqual({ transfer: a.name, link: link.link, known: true });
    }
  });

  it('AllocationIR mapping nodes are the golden final allocations (cores, inter-core tiling, routes, memory allocation)', () => {
    expect(Object.keys(allocation.mapping_nodes)).toEqual(golden.final_allocations.map((a) => a.name));
    for (const a of golden.final_allocations) {
      const node = allocation.mapping_nodes[a.name];
      if (a.kind === 'compute') {
        expect({ name: a.name, cores: node.resource_allocation.map((r) => r.map((x) => (x.type === 'core' ? x.id : -1))), tiling: node.inter_core_tiling }).toEqual({
          name: a.name,
          cores: a.core_allocation,
          tiling: a.inter_core_tiling,
        });
      } else {
        const route = a.route[0];
        expect({ name: a.name, route: node.resource_allocation, memory: node.memory_allocation }).toEqual({
          name: a.name,
          route: [[{ type: 'path', sources: route.sources, targets: route.targets, hops: route.links_used }]],
          memory: a.memory_allocation.length > 0 ? [a.memory_allocation] : [],
        });
      }
    }
    expect(allocation.fusion_splits).toEqual(golden.fusion_splits_after_transfer_insertion);
    expect(allocation.tiling.fusion_splits.map((s) => [s.dim, s.factor])).toEqual(Object.entries(golden.fusion_splits_after_transfer_insertion));
  });

  it('performance view: bottleneck, aggregate and per-node statistics are the golden performance_stats', () => {
    const view = allocation.performance!;
    const stats = golden.performance_stats;
    expect(view.latency.total).toBe(result.groupLatencies[0]);
    expect(view.bottleneck).toEqual(stats.bottleneck);
    expect(snapNumbers(view.aggregate, stats.aggregate)).toEqual(stats.aggregate);
    expect(Object.keys(view.nodes)).toEqual(Object.keys(stats.per_node));
    for (const [name, expected] of Object.entries(stats.per_node)) expect({ name, ...snapNumbers(view.nodes[name], expected) }).toEqual({ name, ...expected });
  });

  it('performance view: overlap and per-resource slack are the golden overlap_section', () => {
    const overlap = allocation.performance!.overlap;
    const section = golden.overlap_section;
    const bySlack = (rows: readonly { resource: string; slack_cycles: number }[]) => [...rows].sort((a, b) => a.slack_cycles - b.slack_cycles || (a.resource < b.resource ? -1 : 1));
    expect(bySlack(overlap.per_resource_slack)).toEqual(bySlack(section.per_resource_slack));
    expect([...overlap.binding_resources].sort()).toEqual([...section.binding_resources].sort());
    expect(overlap.recurrence_bound_cycles).toBe(section.recurrence_bound_cycles);
    if (golden.iterations > 1) expect(overlap.overlap_cycles).toBe(section.overlap_cycles);
  });

  it('performance view: tensor reuse (order, sizes, loop nests, reuse factors, tiles) is the golden tensor_reuse', () => {
    const ours = allocation.performance!.tensor_reuse;
    const stopsComparable = golden.iterations > 1;
    const comparable = <R extends { readonly reuse_stop_level: number }>(rows: readonly R[]) =>
      rows.map(({ reuse_stop_level, ...rest }) => (stopsComparable ? { ...rest, reuse_stop_level } : rest));
    expect(comparable(ours)).toEqual(comparable(golden.tensor_reuse));
  });

  it('performance view: memory occupancy per core (resident bits, capacity, utilisation, tensors largest first)', () => {
    const ours = allocation.performance!.memory_occupancy;
    expect(ours.map((m) => m.core_id)).toEqual(golden.performance_stats.memory_occupancy.map((m) => m.core_id));
    for (const expected of golden.performance_stats.memory_occupancy) {
      const core = ours.find((m) => m.core_id === expected.core_id)!;
      expect({ id: core.core_id, resident: core.resident_bits, capacity: core.capacity_bits, utilization: core.utilization }).toEqual({
        id: expected.core_id,
        resident: expected.resident_bits,
        capacity: expected.capacity_bits,
        utilization: expected.utilization,
      });
      // The reference lists only the largest few tensors of a core; we list all of them.
      expect(core.tensors.slice(0, expected.tensors.length)).toEqual(expected.tensors);
    }
  });

  it('steady state: tiled graph nodes and edges, operators with their tensors are the golden steady_state_graph', () => {
    const steady = allocation.steady_state!;
    const graph = golden.steady_state_graph.filter((n) => n.kind === 'compute' || n.kind === 'transfer');
    expect(steady.tiled_graph.nodes).toEqual(
      graph.map((n) =>
        n.kind === 'compute'
          ? { name: n.name, kind: 'compute', op: n.op_type }
          : { name: n.name, kind: 'transfer', transfer_type: n.transfer_type, tensor: n.inputs![0].name, elements: n.inputs![0].shape.reduce((p, s) => p * s, 1) },
      ),
    );
    const inGraph = new Set(graph.map((n) => n.name));
    const edge = (e: { source: string; target: string }) => `${e.source} -> ${e.target}`;
    expect(steady.tiled_graph.edges.map(edge).sort()).toEqual(
      graph.flatMap((n) => n.successors.filter((s) => inGraph.has(s)).map((s) => edge({ source: n.name, target: s }))).sort(),
    );
    expect(steady.operators).toEqual(
      graph.filter((n) => n.kind === 'compute').map((n) => ({ name: n.name, op: n.op_type, tensors: [...n.inputs!, ...n.outputs!].map((x) => ({ name: x.name, shape: x.shape })) })),
    );
  });

  it('cost models: the backends named are the ones of the golden cost table (Q46)', () => {
    expect([...allocation.cost_models.intra_core_backends].sort()).toEqual([...new Set(golden.cost_table.map((r) => r.backend))].sort());
  });
});
