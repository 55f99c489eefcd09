/**
 * The steady-state workload: the tiled fusion group with a TransferNode between every producer and its
 * consumers (reference-co-pipeline §9.1, Stream's `build_transfer_graph`).
 *
 * Naming follows the reference because the names surface everywhere downstream (SSIS, MILP, reports):
 * `Transfer(t)` moves `t` and produces `t_1` (`t_1.0`, `t_1.1`, … when it multicasts to several
 * consumers, one tensor per consumer in successor order); a graph output is produced as `t_1` and moved
 * to the original name `t`. With memory cores constant tensors are staged in two hops (`t_1` on the
 * memory cores, then `t_2`).
 *
 * The steady-state workload keeps the original nodes in place and appends the transfers in tensor order,
 * as the reference adds them to its graph; the timeslot order breaks ties by that position.
 */
import { Accelerator, Core } from '../hardware/model';
import { dataflowOrder, edgesOf } from '../workload/analysis/graph';
import {
  AffineMap,
  Tensor,
  TransferNode,
  TransferType,
  Workload,
  WorkloadNode,
  hasIterationSpace,
  nodeInputs,
  nodeOutputs,
} from '../workload/model';

/** Where each compute node runs: its (first) core allocation, in mapping order. */
export type CoreAllocations = ReadonlyMap<string, readonly number[]>;

export interface TransferGraphOptions {
  /** Memory cores in columns at or beyond this index are not used for staging (Stream's `nb_cols_to_use`). */
  readonly nbColsToUse: number;
}

export const DEFAULT_TRANSFER_GRAPH_OPTIONS: TransferGraphOptions = { nbColsToUse: 4 };

/** What the transfer graph records about each transfer beyond the node itself. */
export interface TransferRole {
  readonly transfer: string;
  /** The node whose output the transfer reads (an InEdge, a compute node or a staging transfer). */
  readonly producer: string;
  /** The nodes that read the transfer's outputs, in output order. */
  readonly consumers: readonly string[];
  /** Staging hop through memory cores: from off-chip to memory (`input`) or from memory towards off-chip (`output`). */
  readonly staging?: 'input' | 'output';
}

export interface SteadyStateWorkload {
  readonly workload: Workload;
  readonly transfers: readonly TransferRole[];
}

export function identityMap(rank: number): AffineMap {
  return {
    numDims: rank,
    results: Array.from({ length: rank }, (_, d) => ({ terms: [{ dim: d, coef: 1 }], constant: 0 }) as const),
  };
}

export const transferName = (tensor: string): string => `Transfer(${tensor})`;

function makeTransfer(input: Tensor, outputs: readonly Tensor[], transferType: TransferType): TransferNode {
  const map = identityMap(input.shape.length);
  return {
    kind: 'transfer',
    name: transferName(input.name),
    transferType,
    inputs: [input],
    outputs,
    operandMaps: [map, ...outputs.map(() => map)],
  };
}

const renamed = (t: Tensor, name: string): Tensor => ({ ...t, name });

/** Core kinds that act as memory for transfer typing: everything but compute. */
const isMemoryKind = (core: Core): boolean => core.spec.kind !== 'compute';

/**
 * The transfer type from the kinds of the source and destination cores. In/OutEdges stand for the
 * off-chip core; a set with any compute core counts as compute.
 */
export function transferTypeBetween(sourceIsCompute: boolean, destinationIsCompute: boolean): TransferType {
  if (sourceIsCompute && destinationIsCompute) return 'COMPUTE_TO_COMPUTE';
  if (sourceIsCompute) return 'COMPUTE_TO_MEM';
  if (destinationIsCompute) return 'MEM_TO_COMPUTE';
  return 'MEM_TO_MEM';
}

/** Memory cores usable for staging constant tensors, in core order. */
export function stagingMemoryCores(accelerator: Accelerator, options: TransferGraphOptions): readonly Core[] {
  return accelerator.cores.filter(
    (c) => c.spec.kind === 'memory' && c.id !== accelerator.offchipCoreId && (c.col === undefined || c.col < options.nbColsToUse),
  );
}

/**
 * Distinct tensors of the iteration-space nodes: inputs then outputs, node by node in dataflow order
 * (Stream's `Workload.tensors`). The order decides the order in which transfers are appended.
 */
export function workloadTensors(workload: Workload): readonly Tensor[] {
  const seen = new Map<string, Tensor>();
  for (const node of dataflowOrder(workload)) {
    if (!hasIterationSpace(node)) continue;
    for (const t of [...node.inputs, ...node.outputs]) if (!seen.has(t.name)) seen.set(t.name, t);
  }
  return [...seen.values()];
}

/** A consumer re-reads a tensor on chip when one of its loops does not index the tensor. */
function rereadOnChip(consumer: WorkloadNode, tensor: string): boolean {
  if (consumer.kind !== 'computation') return false;
  const operand = consumer.inputs.findIndex((t) => t.name === tensor);
  if (operand < 0) return false;
  const map = consumer.operandMaps[operand];
  const spanned = new Set(map.results.flatMap((e) => e.terms.filter((t) => t.coef !== 0).map((t) => t.dim)));
  for (let d = 0; d < map.numDims; d++) if (!spanned.has(d)) return true;
  return false;
}

function replaceInputs(node: WorkloadNode, replacements: ReadonlyMap<string, Tensor>): WorkloadNode {
  const swap = (t: Tensor) => replacements.get(t.name) ?? t;
  switch (node.kind) {
    case 'computation':
    case 'transfer':
      return { ...node, inputs: node.inputs.map(swap) };
    case 'out':
    case 'fusion-edge':
      return { ...node, input: swap(node.input) };
    case 'in':
      return node;
  }
}

function replaceOutputs(node: WorkloadNode, replacements: ReadonlyMap<string, Tensor>): WorkloadNode {
  const swap = (t: Tensor) => replacements.get(t.name) ?? t;
  switch (node.kind) {
    case 'computation':
    case 'transfer':
    case 'fusion-edge':
      return { ...node, outputs: node.outputs.map(swap) };
    case 'in':
      return { ...node, output: swap(node.output) };
    case 'out':
      return node;
  }
}

/**
 * Inserts the transfers. `allocations` gives the cores of every compute node; In/OutEdges live on the
 * off-chip core. Throws when a compute node has no allocation, or when a graph output is also read
 * inside the group (the reference asserts a single consumer for constant outputs).
 */
export function buildTransferGraph(
  workload: Workload,
  allocations: CoreAllocations,
  accelerator: Accelerator,
  options: TransferGraphOptions = DEFAULT_TRANSFER_GRAPH_OPTIONS,
): SteadyStateWorkload {
  const coreById = new Map(accelerator.cores.map((c) => [c.id, c]));
  const onCompute = (node: WorkloadNode): boolean => {
    if (node.kind === 'in' || node.kind === 'out') return false;
    const cores = allocations.get(node.name);
    if (!cores || cores.length === 0) throw new Error(`No core allocation for node ${node.name}`);
    return cores.some((id) => {
      const core = coreById.get(id);
      return core !== undefined && !isMemoryKind(core);
    });
  };
  const memoryCores = stagingMemoryCores(accelerator, options);

  const nodes = new Map<string, WorkloadNode>(workload.nodes.map((n) => [n.name, n]));
  const producerOf = new Map<string, string>();
  for (const n of workload.nodes) for (const t of nodeOutputs(n)) producerOf.set(t.name, n.name);
  const consumersOf = new Map<string, string[]>();
  for (const n of workload.nodes) {
    for (const t of nodeInputs(n)) {
      const list = consumersOf.get(t.name) ?? [];
      if (!list.includes(n.name)) list.push(n.name);
      consumersOf.set(t.name, list);
    }
  }

  const transfers: TransferNode[] = [];
  const roles: TransferRole[] = [];
  const update = (name: string, f: (n: WorkloadNode) => WorkloadNode) => {
    const n = nodes.get(name);
    if (n) nodes.set(name, f(n));
  };
  /** One transfer from `input` to `consumers`; each consumer reads its own output tensor. */
  const fanOut = (input: Tensor, original: string, outputBase: string, consumers: readonly string[], type: TransferType, producer: string) => {
    const outputs =
      consumers.length === 1 ? [renamed(input, outputBase)] : consumers.map((_, i) => renamed(input, `${outputBase}.${i}`));
    consumers.forEach((c, i) => update(c, (n) => replaceInputs(n, new Map([[original, outputs[i]]]))));
    transfers.push(makeTransfer(input, outputs, type));
    roles.push({ transfer: transferName(input.name), producer, consumers: [...consumers] });
  };

  for (const tensor of workloadTensors(workload)) {
    const producerName = producerOf.get(tensor.name);
    const consumers = consumersOf.get(tensor.name) ?? [];
    if (producerName === undefined || consumers.length === 0) continue;
    const producer = nodes.get(producerName) as WorkloadNode;
    const consumerNodes = consumers.map((c) => nodes.get(c) as WorkloadNode);

    if (producer.kind === 'in') {
      const toCompute = consumerNodes.some(onCompute);
      const staged = memoryCores.length > 0 && consumerNodes.some((c) => rereadOnChip(c, tensor.name));
      if (staged) {
        const staging = renamed(tensor, `${tensor.name}_1`);
        transfers.push(makeTransfer(tensor, [staging], 'MEM_TO_MEM'));
        roles.push({ transfer: transferName(tensor.name), producer: producerName, consumers: [transferName(staging.name)], staging: 'input' });
        fanOut(staging, tensor.name, `${tensor.name}_2`, consumers, transferTypeBetween(false, toCompute), transferName(tensor.name));
      } else {
        fanOut(tensor, tensor.name, `${tensor.name}_1`, consumers, transferTypeBetween(false, toCompute), producerName);
      }
      continue;
    }

    const outEdges = consumerNodes.filter((c) => c.kind === 'out');
    if (outEdges.length > 0) {
      if (consumers.length !== 1) {
        throw new Error(`Graph output ${tensor.name} must have a single consumer, has ${consumers.length}`);
      }
      const produced = renamed(tensor, `${tensor.name}_1`);
      update(producerName, (n) => replaceOutputs(n, new Map([[tensor.name, produced]])));
      const fromCompute = onCompute(producer);
      if (memoryCores.length > 0) {
        const staged = renamed(tensor, `${tensor.name}_2`);
        transfers.push(makeTransfer(produced, [staged], transferTypeBetween(fromCompute, false)));
        roles.push({ transfer: transferName(produced.name), producer: producerName, consumers: [transferName(staged.name)], staging: 'output' });
        transfers.push(makeTransfer(staged, [tensor], 'MEM_TO_MEM'));
        roles.push({ transfer: transferName(staged.name), producer: transferName(produced.name), consumers });
      } else {
        transfers.push(makeTransfer(produced, [tensor], transferTypeBetween(fromCompute, false)));
        roles.push({ transfer: transferName(produced.name), producer: producerName, consumers });
      }
      continue;
    }

    fanOut(tensor, tensor.name, `${tensor.name}_1`, consumers, transferTypeBetween(onCompute(producer), consumerNodes.some(onCompute)), producerName);
  }

  const allNodes = [...workload.nodes.map((n) => nodes.get(n.name) as WorkloadNode), ...transfers];
  return { workload: { ...workload, nodes: allNodes, edges: edgesOf(allNodes) }, transfers: roles };
}
