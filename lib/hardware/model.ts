/**
 * Immutable hardware model: what the accelerator and core YAML files say, after validation and
 * normalisation, plus the core graph the reference builds from `core_connectivity`.
 *
 * The cost model (lib/cost) derives ZigZag's memory hierarchy from `ZigzagCoreSpec`; the scheduler
 * and MILP use `Accelerator` (core order, links, capacities).
 */

export type CoreNamespace = 'zigzag' | 'aie2';
export type CoreKind = 'compute' | 'memory' | 'shim' | 'offchip';

/** ZigZag memory operands: I1 = first input (activations), I2 = second input (weights), O = output. */
export type MemoryOperand = 'I1' | 'I2' | 'O';
/** Port allocation direction: fh = write from higher level, tl = read to lower, fl = write from lower, th = read to higher. */
export type PortDirection = 'fh' | 'tl' | 'fl' | 'th';
export type PortType = 'read' | 'write' | 'read_write';

export interface PortAllocation {
  readonly operand: MemoryOperand;
  readonly direction: PortDirection;
}

export interface MemoryPort {
  readonly name: string;
  readonly type: PortType;
  /** Bits per cycle. */
  readonly bandwidthMin: number;
  readonly bandwidthMax: number;
  readonly allocation: readonly PortAllocation[];
}

export interface MemorySpec {
  /** Key of the `memories` map; file order matters (it defines ZigZag's level numbering). */
  readonly name: string;
  /** Capacity in bits. */
  readonly size: number;
  /** Energy per read / write access of one port word (pJ in the shipped examples). */
  readonly rCost: number;
  readonly wCost: number;
  readonly area: number;
  /** Required by the schema, unused by the cost model (reference quirk Q12). */
  readonly latency: number;
  readonly memType: string;
  readonly autoCostExtraction: boolean;
  readonly operands: readonly MemoryOperand[];
  readonly ports: readonly MemoryPort[];
  /** Operational-array dimension names (`D1`, ...) this memory spans. */
  readonly servedDimensions: readonly string[];
  readonly forceDoubleBuffering: boolean;
}

export interface OperationalArraySpec {
  /** Dimension names in YAML order, e.g. `['D1', 'D2']`. */
  readonly dimensions: readonly string[];
  readonly sizes: readonly number[];
  /** pJ per MAC. */
  readonly unitEnergy: number;
  readonly unitArea: number;
  readonly isImc: boolean;
  readonly inputPrecision?: readonly [number, number];
}

interface CoreSpecBase {
  readonly name: string;
  readonly kind: CoreKind;
  /** Stream extension: operator types the core accepts; undefined = accepts anything. */
  readonly operatorTypes?: readonly string[];
  /** Stream extension: declared formats, e.g. `{input: 'bf16', accumulator: 'fp32'}`; informational only. */
  readonly operandPrecision?: Readonly<Record<string, string>>;
}

export interface ZigzagCoreSpec extends CoreSpecBase {
  readonly namespace: 'zigzag';
  /** In file order. */
  readonly memories: readonly MemorySpec[];
  readonly operationalArray: OperationalArraySpec;
  /** Legacy named-loop dataflows, e.g. `{D1: ['K, 16']}`; undefined when absent. */
  readonly dataflows?: Readonly<Record<string, readonly string[]>>;
}

export interface Aie2CoreSpec extends CoreSpecBase {
  readonly namespace: 'aie2';
  readonly maxObjectFifoDepth: number;
  readonly memory: { readonly capacity: number; readonly bandwidthMin: number; readonly bandwidthMax: number };
  /** Percent; carried into the IR, not used for latency (reference quirk Q7). */
  readonly utilization: number;
}

export type CoreSpec = ZigzagCoreSpec | Aie2CoreSpec;

export interface Core {
  readonly id: number;
  readonly spec: CoreSpec;
  /** `<namespace>.<kind>`, e.g. `zigzag.compute`. */
  readonly coreType: string;
  readonly col?: number;
  readonly row?: number;
  /** First core id of this core's `core_memory_sharing` group, else its own id. */
  readonly sharedMemoryGroupId: number;
  /** Absolute path of the core file, or undefined for an inline core. */
  readonly sourceFile?: string;
}

/**
 * One physical communication resource. A `link` yields two of these (one per direction, independent
 * bandwidth); a `bus` is one shared object carried by every ordered pair of its members.
 */
export interface CommunicationLink {
  /** Index into `Accelerator.links`; stable identity for the scheduler and the MILP. */
  readonly index: number;
  readonly kind: 'link' | 'bus';
  /** Sender and receiver for a link direction; undefined for a bus. */
  readonly sender?: number;
  readonly receiver?: number;
  /** Member core ids for a bus (YAML order); `[sender, receiver]` for a link. */
  readonly cores: readonly number[];
  /** Bits per cycle. */
  readonly bandwidth: number;
  readonly unitEnergyCost: number;
  readonly bidirectional: boolean;
  /** Index of the `core_connectivity` entry that created it. */
  readonly connectivityIndex: number;
}

/** A directed edge of the core graph after the "last definition of a (u, v) edge wins" rule. */
export interface CoreEdge {
  readonly from: number;
  readonly to: number;
  /** Index into `Accelerator.links`. */
  readonly link: number;
}

export interface Accelerator {
  readonly name: string;
  /** Absolute path of the accelerator file, if read from disk. */
  readonly sourceFile?: string;
  /**
   * Cores in graph order: the order in which core ids first appear in the directed edge list built from
   * `core_connectivity` (reference quirk Q54). Cores in no connection are absent (Q3).
   */
  readonly cores: readonly Core[];
  /** Ids declared in `cores` but in no connection; dropped with a warning. */
  readonly droppedCoreIds: readonly number[];
  readonly offchipCoreId: number;
  readonly unitEnergyCost: number;
  readonly links: readonly CommunicationLink[];
  /** Directed edges in insertion order of first definition; `link` reflects the last definition (Q53). */
  readonly edges: readonly CoreEdge[];
  /** Groups of core ids sharing one memory. */
  readonly coreMemorySharing: readonly (readonly number[])[];
  readonly nbSharedMemGroups: number;
  readonly technologyNode?: string;
  readonly memoryAliases: readonly (readonly string[])[];
}
