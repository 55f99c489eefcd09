/**
 * `SteadyStateProblem`: everything the TETRA MILP (reference-co-pipeline.md §10) sees for one fusion
 * group, in solver-independent form.
 *
 * The steady-state scheduler builds it from the tiled workload (§9): timeslots (§9.4), the steady-state
 * iteration spaces of nodes and tensors (§9.3), transfer types and candidate routes (§9.1–§9.2), the
 * cost LUT (§8) and the hardware (§4). Everything here is fixed before the MILP (§10.1); the MILP only
 * decides tensor placement among the given choices, the route per transfer, the reuse stop of every
 * tensor, the slot latencies and the overlap between iterations.
 *
 * Units: sizes in bits, bandwidths in bits/cycle, latencies in cycles.
 */
import type { CoreKind } from '../hardware/model';
import type { TransferType } from '../workload/model';

export type { TransferType } from '../workload/model';

/** Iteration-variable type (§1, §9.3); printed `K` / `S` / `ST` / `T` by the reference. */
export type IterationVariableKind = 'KERNEL' | 'SPATIAL' | 'SPATIOTEMPORAL' | 'TEMPORAL';

/** Effect of a variable on a node or tensor (§9.3); printed `V` / `I` / `A`. */
export type IterationEffect = 'VARYING' | 'INVARIANT' | 'ABSENT';

/**
 * One variable of a steady-state iteration space (SSIS, §9.3). Same shape as the scheduler's
 * `IterationVariable` (`lib/scheduler/ssis.ts`), so its spaces pass straight in.
 */
export interface IterationVariable {
  /** Unique dim index (`z<dim>`). */
  readonly dim: number;
  readonly size: number;
  readonly kind: IterationVariableKind;
  readonly effect: IterationEffect;
}

/**
 * An SSIS, **innermost first** as the reference stores it (KERNEL, then SPATIAL/SPATIOTEMPORAL, then
 * TEMPORAL variables). The reference prints it outermost first (`loop_nest_out_to_in`);
 * `parseLoopNestOuterToInner` reads that notation.
 */
export type SteadyStateIterationSpace = readonly IterationVariable[];

/** A core the MILP can place tensors on or that runs compute nodes (§10.4.4, §10.4.8, §10.5). */
export interface CoreResource {
  readonly id: number;
  /** Off-chip cores take part in the capacity constraint but not in DMA accounting (§10.5). */
  readonly kind: CoreKind;
  /**
   * Memory capacity in bits (§10.4.4): the top-level memory holding I1 for ZigZag cores
   * (`topLevelMemoryCapacity` in `lib/hardware/derived.ts`), the tile memory for AIE cores, the
   * off-chip core's declared size (10¹⁰ bits in the shipped examples).
   */
  readonly capacityBits: number;
  /** Label for reports; defaults to `Core <id>`. */
  readonly label?: string;
}

/** A communication link (or shared bus), §4 / §9.2. */
export interface LinkResource {
  /** Index into `Accelerator.links`; routes refer to links by this index. */
  readonly index: number;
  /** Bits per cycle. */
  readonly bandwidth: number;
  /** Label for reports, e.g. `CL(Any, Any, bw=128)`. */
  readonly label: string;
}

/** One candidate placement of a tensor (§10.1, `x[t, choice]` of §10.3). */
export interface TensorPlacement {
  /** Cores that each hold the tensor's per-core piece under this choice. */
  readonly cores: readonly number[];
  /**
   * Bits of the per-core piece `b_t` (§10.4.4, `get_tensor_single_core`): the tensor resized by the
   * producing node's first inter-core tiling under this choice; the full tensor if there is none.
   * Only axes that *are* a split unique dim shrink: a conv input read through a window (halo) keeps
   * its full extent (golden 2-conv: `input_1`, `conv1_out_1` unsplit; `weights_1_1` split by fx·fy
   * on simba). A transfer's tiling is the one §9.2 gives it (its largest destination's), and the piece
   * counts on every destination core (reference quirk Q58).
   */
  readonly tileBits: number;
}

/** Who produces a tensor; only outputs of iteration-space nodes occupy memory in the MILP (§10.4.4). */
export type TensorProducerKind = 'in_edge' | 'compute' | 'transfer';

/** A tensor of the steady-state workload (every InEdge output and every node output, §9.3). */
export interface SteadyStateTensor {
  readonly name: string;
  /** Bits of the whole tiled tensor: the off-chip traffic objective (§10.7) and transfer size (§10.4.6). */
  readonly bits: number;
  readonly producer: TensorProducerKind;
  /** The tensor's SSIS (§9.3); its TEMPORAL, non-ABSENT variables are the reuse levels (§10.2). */
  readonly loops: SteadyStateIterationSpace;
  /**
   * Candidate placements (§10.1): one per possible allocation of the producer. InEdge outputs sit on
   * the off-chip core; compute outputs on the node's cores; transfer outputs on the transfer's
   * destination allocation (memory-core combinations with memory tiles, §9.2). One entry = fixed.
   */
  readonly placements: readonly TensorPlacement[];
}

/** A compute node in its timeslot (§9.4, §10.4.6). */
export interface SlotComputeMember {
  readonly name: string;
  readonly slot: number;
  /** Allocated cores; they are "active" in this slot for the overlap model (§10.4.8). */
  readonly cores: readonly number[];
  /**
   * Max over `cores` of the cost LUT's `latency_total` (§8, §15.7: heterogeneous allocations use the
   * maximum). May be fractional; the MILP uses its ceiling.
   */
  readonly lutLatency: number;
  /** The node's SSIS (§9.3); its TEMPORAL variables give the activity fraction f_n. */
  readonly loops: SteadyStateIterationSpace;
}

/** One routing choice of a transfer (§9.2 MulticastPathPlan; `y[tr, plan]` of §10.3). */
export interface TransferRoute {
  readonly sources: readonly number[];
  readonly targets: readonly number[];
  /**
   * Distinct links used (indices into `Accelerator.links`); empty = source and target coincide. Same
   * field as the scheduler's `MulticastPathPlan`, so its plans pass straight in.
   */
  readonly linksUsed: readonly number[];
}

/** A transfer node in its timeslot (§9.1, §10.4.2, §10.4.3, §10.4.6, §10.4.7). */
export interface SlotTransferMember {
  readonly name: string;
  readonly slot: number;
  readonly transferType: TransferType;
  /** Input tensor names; `inputs[0]` is what moves (its full `bits`, §10.4.6). */
  readonly inputs: readonly string[];
  /** Output tensor names; `outputs[0]` sets the amortisation reuse factor (§10.4.6). */
  readonly outputs: readonly string[];
  /** The transfer's SSIS (§9.3): activity fraction and the COMPUTE_TO_COMPUTE reuse rule. */
  readonly loops: SteadyStateIterationSpace;
  /** One candidate route per (source allocation, destination allocation) pair (§9.2). */
  readonly routes: readonly TransferRoute[];
}

/** Inter-iteration overlap model (§10.4.8). */
export type OverlapModel = 'occupancy' | 'span';

/**
 * Constraint groups (Stream's `ConstraintSelection`). All on by default, as in the reference.
 * `objectFifoDepth` and `bufferDescriptors` only exist through namespace plug-ins (aie2, §10.4.5);
 * for ZigZag cores they add nothing and are accepted for interface parity.
 */
export interface ConstraintSelection {
  readonly memoryCapacity: boolean;
  readonly objectFifoDepth: boolean;
  readonly bufferDescriptors: boolean;
  /** DMA accounting of §10.5 and its terms in the latency level (§10.7). */
  readonly dmaChannels: boolean;
  readonly overlapModel: OverlapModel;
}

export const DEFAULT_CONSTRAINT_SELECTION: ConstraintSelection = {
  memoryCapacity: true,
  objectFifoDepth: true,
  bufferDescriptors: true,
  dmaChannels: true,
  overlapModel: 'occupancy',
};

export interface SteadyStateProblem {
  /** Report label, e.g. `group 0`. */
  readonly label: string;
  /** Iteration count N (§9.4): the minimum over all SSIS of the product of temporal sizes. */
  readonly iterations: number;
  /**
   * Number of timeslots, `max_slot + 1` (§9.4). Slots holding only In/OutEdges still get a latency
   * variable (it settles at 0) and count in the idle sums of the overlap model.
   */
  readonly slotCount: number;
  readonly cores: readonly CoreResource[];
  readonly links: readonly LinkResource[];
  readonly tensors: readonly SteadyStateTensor[];
  readonly computeNodes: readonly SlotComputeMember[];
  readonly transfers: readonly SlotTransferMember[];
  /** Defaults to `DEFAULT_CONSTRAINT_SELECTION`. */
  readonly constraints?: Partial<ConstraintSelection>;
  /**
   * RecMII of §10.4.8: the longest chain of node latencies between state carriers (SEQUENTIAL nodes).
   * When positive, `overlap ≤ Σ L_s − RecMII`. Omit (or 0) when no node carries state.
   */
  readonly recurrenceBoundCycles?: number;
}

const KIND_CODES: Readonly<Record<string, IterationVariableKind>> = {
  T: 'TEMPORAL',
  ST: 'SPATIOTEMPORAL',
  S: 'SPATIAL',
  K: 'KERNEL',
};
const EFFECT_CODES: Readonly<Record<string, IterationEffect>> = { V: 'VARYING', I: 'INVARIANT', A: 'ABSENT' };

/** Parses the reference's compact notation, e.g. `T(z10,1,V)` or `ST(z6,4,A)`. */
export function parseIterationVariable(text: string): IterationVariable {
  const match = /^\s*(T|ST|S|K)\(\s*z(\d+)\s*,\s*(\d+)\s*,\s*([VIA])\s*\)\s*$/.exec(text);
  if (!match) throw new Error(`not an iteration variable: '${text}' (expected e.g. T(z10,1,V))`);
  return { kind: KIND_CODES[match[1]!]!, dim: Number(match[2]), size: Number(match[3]), effect: EFFECT_CODES[match[4]!]! };
}

/** Reads a printed loop nest (outermost first) into an SSIS (innermost first). */
export function parseLoopNestOuterToInner(printed: readonly string[]): SteadyStateIterationSpace {
  return printed.map(parseIterationVariable).reverse();
}

export function formatIterationVariable(v: IterationVariable): string {
  const kind = Object.keys(KIND_CODES).find((k) => KIND_CODES[k] === v.kind)!;
  const effect = Object.keys(EFFECT_CODES).find((k) => EFFECT_CODES[k] === v.effect)!;
  return `${kind}(z${v.dim},${v.size},${effect})`;
}

export function coreLabel(core: CoreResource): string {
  return core.label ?? `Core ${core.id}`;
}
