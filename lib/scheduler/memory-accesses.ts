/**
 * Memory-access estimation (reference-co-pipeline §11, Stream's MemoryAccessesEstimationStage):
 * bandwidth-wide reads and writes per core and tensor that the transfers of one steady-state schedule
 * cause over all iterations. Observational only — it never feeds latency.
 *
 * A transfer fires once per applicable temporal iteration, except where its output stays resident:
 * `fires = Π applicable temporal sizes / reuse factor`, the reuse factor being the product of the loops
 * the output tensor does not vary with and is kept across (its solved reuse stop). Each firing reads one
 * core's piece of the input on every source core and writes one core's piece of each output on every
 * core of the consumer reading it.
 */
import { Accelerator, Core } from '../hardware/model';
import { maxMemoryBandwidth } from '../hardware/derived';
import { Tensor, WorkloadNode } from '../workload/model';
import { perCoreBits } from './problem';
import { SteadyStateIterationSpace, applicableTemporalLoops } from './ssis';
import { SteadyStateSchedule } from './steady-state';

/** What the MILP decided, as far as memory accesses care. */
export interface SolvedTransfers {
  /** Reuse stop per tensor (−1 = refetched every iteration). */
  readonly reuseStops: ReadonlyMap<string, number>;
  /** Chosen route index per transfer (into its `routes`); defaults to 0. */
  readonly routeIndex?: ReadonlyMap<string, number>;
}

export interface TensorAccesses {
  readonly tensor: string;
  readonly read: number;
  readonly write: number;
  /** Bits of the per-core piece moved per firing. */
  readonly sizeBits: number;
}

export interface CoreAccesses {
  readonly coreId: number;
  readonly coreName: string;
  readonly kind: string;
  readonly isOffchip: boolean;
  readonly readBandwidth: number;
  readonly writeBandwidth: number;
  readonly read: number;
  readonly write: number;
  readonly total: number;
  /** Busiest first. */
  readonly tensors: readonly TensorAccesses[];
}

export interface MemoryAccesses {
  /** By core id. */
  readonly cores: readonly CoreAccesses[];
}

/** Reuse factor of a tensor at a stop: the product of its applicable temporal loops up to the stop that it does not vary with. */
export function reuseFactorAt(space: SteadyStateIterationSpace, stop: number): number {
  return applicableTemporalLoops(space)
    .slice(0, stop + 1)
    .filter((v) => v.effect !== 'VARYING')
    .reduce((p, v) => p * v.size, 1);
}

/** The loop nest with the solved reuse flags: applicable temporal loops up to the stop are kept resident. */
export function withReuseFlags(space: SteadyStateIterationSpace, stop: number): SteadyStateIterationSpace {
  let applicable = -1;
  return space.map((v) => {
    if (v.kind !== 'TEMPORAL' || v.effect === 'ABSENT') return v;
    applicable++;
    return { ...v, reuse: applicable <= stop };
  });
}

export function estimateMemoryAccesses(schedule: SteadyStateSchedule, accelerator: Accelerator, solved: SolvedTransfers): MemoryAccesses {
  const workload = schedule.steadyState.workload;
  const nodes = new Map<string, WorkloadNode>(workload.nodes.map((n) => [n.name, n]));
  const coreById = new Map<number, Core>(accelerator.cores.map((c) => [c.id, c]));
  const offchip = accelerator.offchipCoreId;
  const perCore = new Map<number, Map<string, { read: number; write: number; sizeBits: number }>>();
  const record = (coreId: number, tensor: string, sizeBits: number, read: number, write: number) => {
    const tensors = perCore.get(coreId) ?? new Map();
    perCore.set(coreId, tensors);
    const entry = tensors.get(tensor) ?? { read: 0, write: 0, sizeBits };
    tensors.set(tensor, { read: entry.read + read, write: entry.write + write, sizeBits });
  };
  const bandwidth = (coreId: number, direction: 'read' | 'write') => {
    const core = coreById.get(coreId);
    if (!core) throw new Error(`Core ${coreId} is not part of accelerator ${accelerator.name}`);
    return maxMemoryBandwidth(core, direction);
  };
  /** One core's piece of `tensor` as the node holding it on that side splits it. */
  const pieceBits = (tensor: Tensor, holder: WorkloadNode | undefined): number => {
    if (!holder || holder.kind === 'in' || holder.kind === 'out') return perCoreBits(schedule, tensor, []);
    if (holder.kind === 'computation') return perCoreBits(schedule, tensor, schedule.computeUnrollings.get(holder.name) ?? []);
    const mapping = schedule.transfers.find((t) => t.transfer === holder.name);
    return perCoreBits(schedule, tensor, mapping?.unrollings[0] ?? []);
  };
  const coresOf = (holder: WorkloadNode | undefined, fallback: readonly number[]): readonly number[] => {
    if (!holder || holder.kind === 'in' || holder.kind === 'out') return [offchip];
    if (holder.kind === 'computation') return schedule.computeCores.get(holder.name) ?? fallback;
    return fallback;
  };

  for (const role of schedule.steadyState.transfers) {
    const transfer = nodes.get(role.transfer);
    const mapping = schedule.transfers.find((t) => t.transfer === role.transfer);
    const space = schedule.ssis.nodes.get(role.transfer);
    if (!transfer || transfer.kind !== 'transfer' || !mapping || !space) throw new Error(`Unknown transfer ${role.transfer}`);
    const route = mapping.routes[solved.routeIndex?.get(role.transfer) ?? 0];
    const output = transfer.outputs[0];
    const outputSpace = schedule.ssis.tensors.get(output.name) ?? space;
    const reuse = reuseFactorAt(outputSpace, solved.reuseStops.get(output.name) ?? -1);
    const fires = Math.floor(applicableTemporalLoops(space).reduce((p, v) => p * v.size, 1) / reuse);

    const input = transfer.inputs[0];
    const producer = nodes.get(role.producer);
    const inputBits = pieceBits(input, producer);
    for (const core of route.sources) record(core, input.name, inputBits, Math.ceil(inputBits / bandwidth(core, 'read')) * fires, 0);

    transfer.outputs.forEach((out, i) => {
      const consumer = nodes.get(role.consumers[i] ?? role.consumers[0]);
      const bits = pieceBits(out, consumer);
      for (const core of coresOf(consumer, route.targets)) record(core, out.name, bits, 0, Math.ceil(bits / bandwidth(core, 'write')) * fires);
    });
  }

  const cores = [...perCore.keys()]
    .sort((a, b) => a - b)
    .map((id): CoreAccesses => {
      const core = coreById.get(id) as Core;
      const tensors = [...(perCore.get(id) as Map<string, { read: number; write: number; sizeBits: number }>)]
        .map(([tensor, a]) => ({ tensor, read: a.read, write: a.write, sizeBits: a.sizeBits }))
        .sort((a, b) => b.read + b.write - (a.read + a.write));
      const read = tensors.reduce((s, t) => s + t.read, 0);
      const write = tensors.reduce((s, t) => s + t.write, 0);
      return {
        coreId: id,
        coreName: core.spec.name,
        kind: core.spec.kind,
        isOffchip: id === offchip,
        readBandwidth: bandwidth(id, 'read'),
        writeBandwidth: bandwidth(id, 'write'),
        read,
        write,
        total: read + write,
        tensors,
      };
    });
  return { cores };
}
