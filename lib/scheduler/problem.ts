/**
 * From a steady-state schedule to the MILP's input (`SteadyStateProblem` of `lib/milp`,
 * reference-co-pipeline §10.1-§10.2): slot members with their SSIS, LUT latencies and candidate
 * routes; every tensor with its SSIS and candidate placements; the cores and links they touch.
 */
import { Accelerator, Core } from '../hardware/model';
import { topLevelMemoryCapacity } from '../hardware/derived';
import {
  ConstraintSelection,
  CoreResource,
  LinkResource,
  SlotComputeMember,
  SlotTransferMember,
  SteadyStateProblem,
  SteadyStateTensor,
  TensorPlacement,
} from '../milp/problem';
import { ELEMENT_BITS, Tensor, WorkloadNode, hasIterationSpace, nodeOutputs, tensorBits } from '../workload/model';
import { perCoreShape } from './dims';
import { SteadyStateIterationSpace, Unrolling } from './ssis';
import { SteadyStateSchedule } from './steady-state';

export interface ProblemOptions {
  /** Report label, e.g. `group 0`. */
  readonly label: string;
  /** Max over its cores of the cost LUT's `latency_total`, per compute node. */
  readonly lutLatencies: ReadonlyMap<string, number>;
  readonly constraints?: Partial<ConstraintSelection>;
  /** RecMII (§10.4.8); omit when no node carries state. */
  readonly recurrenceBoundCycles?: number;
}

/** The reference's printed form of a link: `CL(Any, Any, bw=128)` for a bus, `CL(Core(0, zigzag.compute), Core(1, zigzag.compute), bw=256)` for a link. */
export function linkLabel(accelerator: Accelerator, linkIndex: number): string {
  const link = accelerator.links[linkIndex];
  if (link.kind === 'bus') return `CL(Any, Any, bw=${link.bandwidth})`;
  const core = (id: number | undefined) => `Core(${id}, ${accelerator.cores.find((c) => c.id === id)?.coreType ?? '?'})`;
  return `CL(${core(link.sender)}, ${core(link.receiver)}, bw=${link.bandwidth})`;
}

/** Bits of one core's piece of `tensor` under `tiling` (Stream's `get_tensor_single_core`). */
export function perCoreBits(schedule: SteadyStateSchedule, tensor: Tensor, tiling: readonly Unrolling[]): number {
  return perCoreShape(schedule.dims, tensor, tiling).reduce((p, s) => p * s, 1) * ELEMENT_BITS[tensor.elementType];
}

/** Every tensor with an SSIS, with its producer node. */
function scheduledTensors(schedule: SteadyStateSchedule): { tensor: Tensor; producer: WorkloadNode }[] {
  const producers = new Map<string, { tensor: Tensor; producer: WorkloadNode }>();
  for (const node of schedule.steadyState.workload.nodes) {
    if (node.kind !== 'in' && !hasIterationSpace(node)) continue;
    for (const t of nodeOutputs(node)) producers.set(t.name, { tensor: t, producer: node });
  }
  return [...schedule.ssis.tensors.keys()].map((name) => {
    const entry = producers.get(name);
    if (!entry) throw new Error(`Tensor ${name} has an SSIS but no producer`);
    return entry;
  });
}

/** Candidate placements of a tensor: one per allocation its producer may have (§10.1). */
export function tensorPlacements(schedule: SteadyStateSchedule, tensor: Tensor, producer: WorkloadNode, offchipCoreId: number): readonly TensorPlacement[] {
  switch (producer.kind) {
    case 'in':
      return [{ cores: [offchipCoreId], tileBits: tensorBits(tensor) }];
    case 'computation': {
      const tiling = schedule.computeUnrollings.get(producer.name) ?? [];
      return [{ cores: schedule.computeCores.get(producer.name) ?? [], tileBits: perCoreBits(schedule, tensor, tiling) }];
    }
    case 'transfer': {
      const mapping = schedule.transfers.find((t) => t.transfer === producer.name);
      if (!mapping) throw new Error(`No mapping for ${producer.name}`);
      return mapping.destinationAllocations.map((cores, i) => ({ cores, tileBits: perCoreBits(schedule, tensor, mapping.unrollings[i] ?? []) }));
    }
    default:
      throw new Error(`Tensor ${tensor.name} is produced by ${producer.kind} node ${producer.name}`);
  }
}

export function toSteadyStateProblem(schedule: SteadyStateSchedule, accelerator: Accelerator, options: ProblemOptions): SteadyStateProblem {
  const { timeslots, ssis } = schedule;
  const nodes = new Map(schedule.steadyState.workload.nodes.map((n) => [n.name, n]));
  const loopsOf = (name: string): SteadyStateIterationSpace => {
    const loops = ssis.nodes.get(name);
    if (!loops) throw new Error(`No SSIS for node ${name}`);
    return loops;
  };
  const slotOf = (name: string): number => {
    const slot = timeslots.slotOf.get(name);
    if (slot === undefined) throw new Error(`Node ${name} has no timeslot`);
    return slot;
  };

  const computeNodes: SlotComputeMember[] = [];
  const transfers: SlotTransferMember[] = [];
  for (const name of timeslots.slots.flat()) {
    const node = nodes.get(name);
    if (node?.kind === 'computation') {
      const lutLatency = options.lutLatencies.get(name);
      if (lutLatency === undefined) throw new Error(`No cost-LUT latency for ${name}`);
      computeNodes.push({ name, slot: slotOf(name), cores: schedule.computeCores.get(name) ?? [], lutLatency, loops: loopsOf(name) });
    } else if (node?.kind === 'transfer') {
      const mapping = schedule.transfers.find((t) => t.transfer === name);
      if (!mapping) throw new Error(`No mapping for ${name}`);
      transfers.push({
        name,
        slot: slotOf(name),
        transferType: node.transferType,
        inputs: node.inputs.map((t) => t.name),
        outputs: node.outputs.map((t) => t.name),
        loops: loopsOf(name),
        routes: mapping.routes,
      });
    }
  }

  const tensors: SteadyStateTensor[] = scheduledTensors(schedule).map(({ tensor, producer }) => ({
    name: tensor.name,
    bits: tensorBits(tensor),
    producer: producer.kind === 'in' ? 'in_edge' : producer.kind === 'computation' ? 'compute' : 'transfer',
    loops: ssis.tensors.get(tensor.name) as SteadyStateIterationSpace,
    placements: tensorPlacements(schedule, tensor, producer, accelerator.offchipCoreId),
  }));

  const used = new Set<number>();
  for (const t of tensors) for (const p of t.placements) p.cores.forEach((c) => used.add(c));
  for (const c of computeNodes) c.cores.forEach((id) => used.add(id));
  const coreById = new Map<number, Core>(accelerator.cores.map((c) => [c.id, c]));
  const cores: CoreResource[] = [...used]
    .sort((a, b) => a - b)
    .map((id) => {
      const core = coreById.get(id);
      if (!core) throw new Error(`Core ${id} is not part of accelerator ${accelerator.name}`);
      return { id, kind: core.spec.kind, capacityBits: topLevelMemoryCapacity(core), label: `Core ${id}` };
    });
  const links: LinkResource[] = accelerator.links.map((l) => ({ index: l.index, bandwidth: l.bandwidth, label: linkLabel(accelerator, l.index) }));

  return {
    label: options.label,
    iterations: schedule.iterations,
    slotCount: timeslots.maxSlot + 1,
    cores,
    links,
    tensors,
    computeNodes,
    transfers,
    ...(options.constraints ? { constraints: options.constraints } : {}),
    ...(options.recurrenceBoundCycles ? { recurrenceBoundCycles: options.recurrenceBoundCycles } : {}),
  };
}
