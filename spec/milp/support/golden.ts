/**
 * Golden group records of the reference (`../shared/reference/golden` beside the repository, format in its README) and the
 * adapter that turns one into a `SteadyStateProblem`.
 *
 * In production the steady-state scheduler builds the problem from the tiled workload; here every
 * field comes from what the reference recorded for the MILP's inputs: `timeslots` (slots, members,
 * cores, LUT latencies, routes with links and bandwidths), `ssis` (node and tensor SSIS),
 * `steady_state_graph` (transfer types, inputs, outputs, tensor bits), the per-core tensor sizes of
 * `memory_accesses` and the core capacities of `performance_stats.memory_occupancy` (cross-checked
 * against the hardware YAML in `capacities.spec.ts`). The answers (`latency`, objectives, reuse
 * stops, ...) are never read by the adapter.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { CoreKind } from '../../../lib/hardware/model';
import {
  parseLoopNestOuterToInner,
  type CoreResource,
  type LinkResource,
  type SlotComputeMember,
  type SlotTransferMember,
  type SteadyStateIterationSpace,
  type SteadyStateProblem,
  type SteadyStateTensor,
  type TensorProducerKind,
  type TransferType,
} from '../../../lib/milp/problem';
import { GOLDEN_DIR } from '../../support/reference';

export { GOLDEN_DIR };

interface GoldenTensorRef {
  readonly name: string;
  readonly shape: readonly number[];
  readonly bits: number;
}

interface GoldenGraphNode {
  readonly name: string;
  readonly kind: 'in_edge' | 'out_edge' | 'compute' | 'transfer';
  readonly transfer_type?: TransferType;
  readonly inputs?: readonly GoldenTensorRef[];
  readonly outputs?: readonly GoldenTensorRef[];
}

interface GoldenRoute {
  readonly sources: readonly number[];
  readonly targets: readonly number[];
  readonly links_used: readonly { readonly link: string; readonly bandwidth: number }[];
}

interface GoldenSlotMember {
  readonly name: string;
  readonly kind: 'in_edge' | 'out_edge' | 'compute' | 'transfer';
  readonly contribution: number;
  readonly cores?: readonly number[];
  readonly lut_latency_max_over_cores?: number;
  readonly active_fraction?: readonly [number, number];
  readonly transfer_type?: TransferType;
  readonly route?: GoldenRoute;
  readonly n_route_choices?: number;
  readonly raw_cycles?: number;
  readonly active_cycles?: number;
  readonly output_reuse_stop?: number;
  readonly output_reuse_factor?: number;
}

interface GoldenSlot {
  readonly slot: number;
  readonly slot_latency: number;
  readonly members: readonly GoldenSlotMember[];
}

export interface GoldenTensorReuse {
  readonly tensor: string;
  readonly size_bits: number;
  readonly reuse_factor: number;
  readonly reuse_stop_level: number;
  readonly on_chip_tiles: number;
  readonly loop_nest_out_to_in: readonly string[];
}

interface GoldenMemoryOccupancy {
  readonly core_id: number;
  readonly core_name: string;
  readonly resident_bits: number;
  readonly capacity_bits: number;
  readonly tensors: readonly { readonly tensor: string; readonly bits: number }[];
}

interface GoldenMemoryAccessCore {
  readonly core_id: number;
  readonly tensors: readonly { readonly tensor: string; readonly size_bits: number }[];
}

export interface GoldenMilpPhase {
  readonly name: string;
  readonly objective: number;
  readonly n_vars: number;
  readonly n_linear_constraints: number;
  readonly solver_time_s: number;
}

export interface GoldenGroup {
  readonly group_index: number;
  readonly latency: number;
  readonly latency_per_iteration: number;
  readonly iterations: number;
  readonly overlap: number;
  readonly lexicographic_objectives: {
    readonly latency_level: number;
    readonly offchip_traffic_level: number;
    readonly buffering_level: number;
  };
  readonly max_core_dma_in: number;
  readonly max_core_dma_out: number;
  readonly milp_phases: readonly GoldenMilpPhase[];
  readonly steady_state_graph: readonly GoldenGraphNode[];
  readonly timeslots: readonly GoldenSlot[];
  readonly max_slot: number;
  readonly tensor_reuse: readonly GoldenTensorReuse[];
  readonly overlap_section: {
    readonly overlap_cycles: number;
    readonly binding_resources: readonly string[];
    readonly per_resource_slack: readonly { readonly resource: string; readonly kind: string; readonly slack_cycles: number }[];
  };
  readonly ssis: {
    readonly nodes_outer_to_inner: Readonly<Record<string, readonly string[]>>;
    readonly tensors_outer_to_inner: Readonly<Record<string, readonly string[]>>;
  };
  readonly performance_stats: { readonly memory_occupancy: readonly GoldenMemoryOccupancy[] };
  readonly memory_accesses: { readonly cores: readonly GoldenMemoryAccessCore[] };
}

export interface GoldenCase {
  /** e.g. `swiglu__tpu_like_quad_core`, `readme_quick_start`. */
  readonly id: string;
  /** Hardware YAML, relative to `stream-inputs/`. */
  readonly hardware: string;
  readonly groups: readonly GoldenGroup[];
}

interface GoldenFile {
  readonly cells?: readonly GoldenCase[];
  readonly case?: GoldenCase;
}

function readGolden(file: string): GoldenFile {
  return JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8')) as GoldenFile;
}

let cache: readonly GoldenCase[] | undefined;

/** The 16 matrix cells, then the README quick start and the hand-mapping case. */
export function goldenCases(): readonly GoldenCase[] {
  if (!cache) {
    cache = [
      ...(readGolden('matrix.json').cells ?? []),
      readGolden('quickstart.json').case!,
      readGolden('hand_mapping_two_conv.json').case!,
    ];
  }
  return cache;
}

/** Hardware label of a case, e.g. `tpu_like_quad_core`. */
export function hardwareName(c: GoldenCase): string {
  return path.basename(c.hardware, '.yaml');
}

const CORE_KINDS: readonly CoreKind[] = ['compute', 'memory', 'shim', 'offchip'];

/**
 * Fallback estimate of a tensor's per-core piece: divided by every SPATIAL unrolling the tensor varies
 * with. It over-splits tensors read through a window (a conv input with halo keeps its full extent in
 * the reference), so the adapter prefers the per-core sizes the reference recorded.
 */
export function perCoreTileBits(bits: number, loops: SteadyStateIterationSpace): number {
  let parts = 1;
  for (const v of loops) if (v.kind === 'SPATIAL' && v.effect === 'VARYING') parts *= v.size;
  return bits / parts;
}

export function steadyStateProblemFromGolden(label: string, group: GoldenGroup): SteadyStateProblem {
  const graph = new Map(group.steady_state_graph.map((n) => [n.name, n]));
  const producerOf = new Map<string, GoldenGraphNode>();
  const bitsOf = new Map<string, number>();
  for (const node of group.steady_state_graph) {
    for (const t of node.outputs ?? []) {
      producerOf.set(t.name, node);
      bitsOf.set(t.name, t.bits);
    }
    for (const t of node.inputs ?? []) bitsOf.set(t.name, t.bits);
  }

  const computeMembers: { slot: number; member: GoldenSlotMember }[] = [];
  const transferMembers: { slot: number; member: GoldenSlotMember }[] = [];
  for (const slot of group.timeslots) {
    for (const member of slot.members) {
      if (member.kind === 'compute') computeMembers.push({ slot: slot.slot, member });
      if (member.kind === 'transfer') transferMembers.push({ slot: slot.slot, member });
    }
  }

  const links: LinkResource[] = [];
  const linkIndex = new Map<string, number>();
  const linkOf = (label: string, bandwidth: number): number => {
    let index = linkIndex.get(label);
    if (index === undefined) {
      index = links.length;
      linkIndex.set(label, index);
      links.push({ index, bandwidth, label });
    }
    return index;
  };

  const nodeLoops = (name: string): SteadyStateIterationSpace => {
    const printed = group.ssis.nodes_outer_to_inner[name];
    if (!printed) throw new Error(`${label}: no SSIS for node ${name}`);
    return parseLoopNestOuterToInner(printed);
  };

  const computeNodes: SlotComputeMember[] = computeMembers.map(({ slot, member }) => ({
    name: member.name,
    slot,
    cores: member.cores!,
    lutLatency: member.lut_latency_max_over_cores!,
    loops: nodeLoops(member.name),
  }));

  const transfers: SlotTransferMember[] = transferMembers.map(({ slot, member }) => {
    const node = graph.get(member.name)!;
    const route = member.route!;
    return {
      name: member.name,
      slot,
      transferType: node.transfer_type!,
      inputs: (node.inputs ?? []).map((t) => t.name),
      outputs: (node.outputs ?? []).map((t) => t.name),
      loops: nodeLoops(member.name),
      routes: [
        {
          sources: route.sources,
          targets: route.targets,
          linksUsed: route.links_used.map((l) => linkOf(l.link, l.bandwidth)),
        },
      ],
    };
  });

  // The reference's per-core tensor sizes (`get_tensor_single_core`), as its memory-access estimate lists them.
  const recordedTileBits = new Map<string, number>();
  for (const core of group.memory_accesses.cores) {
    for (const t of core.tensors) if (!recordedTileBits.has(t.tensor)) recordedTileBits.set(t.tensor, t.size_bits);
  }

  const transferByName = new Map(transfers.map((t) => [t.name, t]));
  const computeByName = new Map(computeNodes.map((c) => [c.name, c]));
  const tensors: SteadyStateTensor[] = Object.entries(group.ssis.tensors_outer_to_inner).map(([name, printed]) => {
    const loops = parseLoopNestOuterToInner(printed);
    const producer = producerOf.get(name);
    const bits = bitsOf.get(name);
    if (!producer || bits === undefined) throw new Error(`${label}: tensor ${name} has no producer in the graph`);
    let kind: TensorProducerKind;
    let cores: readonly number[];
    if (producer.kind === 'in_edge') {
      // A graph input sits where the transfer reading it starts: the off-chip core.
      const reader = transfers.find((t) => t.inputs.includes(name));
      if (!reader) throw new Error(`${label}: no transfer reads ${name}`);
      kind = 'in_edge';
      cores = reader.routes[0]!.sources;
    } else if (producer.kind === 'compute') {
      kind = 'compute';
      cores = computeByName.get(producer.name)!.cores;
    } else {
      kind = 'transfer';
      cores = transferByName.get(producer.name)!.routes[0]!.targets;
    }
    const tileBits = recordedTileBits.get(name) ?? perCoreTileBits(bits, loops);
    return { name, bits, producer: kind, loops, placements: [{ cores, tileBits }] };
  });

  const cores: CoreResource[] = group.performance_stats.memory_occupancy.map((o) => {
    const kind = CORE_KINDS.find((k) => k === o.core_name);
    if (!kind) throw new Error(`${label}: unknown core kind '${o.core_name}' for core ${o.core_id}`);
    return { id: o.core_id, kind, capacityBits: o.capacity_bits };
  });

  return {
    label,
    iterations: group.iterations,
    slotCount: group.max_slot + 1,
    cores,
    links,
    tensors,
    computeNodes,
    transfers,
  };
}

/** The problem of a case's only group (every golden case has exactly one). */
export function goldenProblem(c: GoldenCase): SteadyStateProblem {
  if (c.groups.length !== 1) throw new Error(`${c.id}: expected one fusion group, found ${c.groups.length}`);
  return steadyStateProblemFromGolden(`${c.id} group 0`, c.groups[0]!);
}
