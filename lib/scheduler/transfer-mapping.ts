/**
 * Mapping of transfers (reference-co-pipeline §9.2, Stream's `update_mapping_for_transfer`): where a
 * transfer's output may live (memory allocation candidates), how it is split over cores (inter-core
 * tiling, used by the SSIS) and which routes it may take (one plan per pair of source and destination
 * allocations). The MILP later picks one placement per tensor and one route per transfer.
 */
import { Accelerator, Core } from '../hardware/model';
import { TransferType, WorkloadNode } from '../workload/model';
import { SteadyStateDims } from './dims';
import { CoreGraph, MulticastPathPlan, RoutingOptions, DEFAULT_ROUTING_OPTIONS, coreGraphOf, transferPlan } from './routing';
import { Unrolling, reachableComputeNodes } from './ssis';
import { DEFAULT_TRANSFER_GRAPH_OPTIONS, SteadyStateWorkload, TransferGraphOptions, stagingMemoryCores } from './transfer-graph';

export interface TransferMapping {
  readonly transfer: string;
  readonly transferType: TransferType;
  /** Candidate core sets holding the transfer's input (the producer's placements). */
  readonly sourceAllocations: readonly (readonly number[])[];
  /** Candidate core sets for the transfer's outputs (Stream's `memory_allocation`). */
  readonly destinationAllocations: readonly (readonly number[])[];
  /** Inter-core tiling in steady-state unique dims, per destination allocation. */
  readonly unrollings: readonly (readonly Unrolling[])[];
  /** One plan per (source allocation, destination allocation) pair, source-major. */
  readonly routes: readonly MulticastPathPlan[];
}

export interface TransferMappingInput {
  readonly steadyState: SteadyStateWorkload;
  readonly accelerator: Accelerator;
  readonly dims: SteadyStateDims;
  /** Cores of every compute node, in mapping order. */
  readonly computeCores: ReadonlyMap<string, readonly number[]>;
  /** Inter-core tiling of every compute node in steady-state unique dims. */
  readonly computeUnrollings: ReadonlyMap<string, readonly Unrolling[]>;
  readonly graphOptions?: TransferGraphOptions;
  readonly routingOptions?: RoutingOptions;
}

/** All k-subsets of `items` in itertools.combinations order. */
export function combinations<T>(items: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  const pick = (start: number, chosen: T[]) => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let i = start; i <= items.length - (k - chosen.length); i++) pick(i + 1, [...chosen, items[i]]);
  };
  if (k >= 0 && k <= items.length) pick(0, []);
  return out;
}

const largestDivisorAtMost = (n: number, limit: number): number => {
  for (let d = Math.min(n, Math.max(1, limit)); d >= 1; d--) if (n % d === 0) return d;
  return 1;
};

/** The compute node with the most cores among `names` (first wins ties). */
function largestAllocation(names: readonly string[], computeCores: ReadonlyMap<string, readonly number[]>): string | undefined {
  let best: string | undefined;
  for (const n of names) {
    const size = computeCores.get(n)?.length ?? -1;
    if (size >= 0 && (best === undefined || size > (computeCores.get(best)?.length ?? 0))) best = n;
  }
  return best;
}

export function mapTransfers(input: TransferMappingInput): readonly TransferMapping[] {
  const { steadyState, accelerator, dims, computeCores, computeUnrollings } = input;
  const workload = steadyState.workload;
  const graphOptions = input.graphOptions ?? DEFAULT_TRANSFER_GRAPH_OPTIONS;
  const graph: CoreGraph = coreGraphOf(accelerator);
  const memoryCores = stagingMemoryCores(accelerator, graphOptions);
  const coreById = new Map<number, Core>(accelerator.cores.map((c) => [c.id, c]));
  const nodes = new Map<string, WorkloadNode>(workload.nodes.map((n) => [n.name, n]));
  const offchip = [accelerator.offchipCoreId];
  const mappings = new Map<string, TransferMapping>();

  /** How many memory cores should hold a staged tensor (see §9.2 "required"). */
  const requiredMemoryCores = (transfer: string, reference: string | undefined, perColumnFactor: number): number => {
    if (reference === undefined) return 1;
    const transferDims = new Set(dims.nodeDims.get(transfer) ?? []);
    const product = (computeUnrollings.get(reference) ?? []).filter((u) => transferDims.has(u.dim)).reduce((p, u) => p * u.factor, 1);
    const cores = (computeCores.get(reference) ?? []).map((id) => coreById.get(id));
    const columns = new Set(cores.map((c) => c?.col).filter((c): c is number => c !== undefined));
    const wanted = columns.size > 0 ? Math.min(columns.size, product) : Math.ceil(product / perColumnFactor);
    return largestDivisorAtMost(product, wanted);
  };
  const memoryCombinations = (count: number): number[][] => combinations(memoryCores.map((c) => c.id), Math.min(count, memoryCores.length));

  const placementsOf = (producer: string): readonly (readonly number[])[] => {
    const node = nodes.get(producer);
    if (!node || node.kind === 'in') return [offchip];
    if (node.kind === 'transfer') return mappings.get(producer)?.destinationAllocations ?? [offchip];
    return [computeCores.get(producer) ?? []];
  };

  for (const role of steadyState.transfers) {
    const node = nodes.get(role.transfer);
    if (!node || node.kind !== 'transfer') throw new Error(`Unknown transfer ${role.transfer}`);
    const type = node.transferType;
    const producerNode = nodes.get(role.producer);
    const consumers = role.consumers.map((c) => nodes.get(c)).filter((n): n is WorkloadNode => n !== undefined);
    const toOutEdge = consumers.some((c) => c.kind === 'out');
    const computeNeighbours = reachableComputeNodes(workload, role.transfer);

    let destinations: (readonly number[])[];
    if (role.staging === 'input') {
      const reference = largestAllocation(computeNeighbours, computeCores);
      destinations = memoryCombinations(requiredMemoryCores(role.transfer, reference, 1));
    } else if (toOutEdge && type === 'MEM_TO_MEM') {
      destinations = [offchip];
    } else if (type === 'COMPUTE_TO_MEM') {
      destinations =
        memoryCores.length > 0 && !toOutEdge
          ? memoryCombinations(requiredMemoryCores(role.transfer, producerNode?.kind === 'computation' ? producerNode.name : undefined, 4))
          : [offchip];
    } else {
      const union = new Set<number>();
      for (const c of consumers) for (const id of c.kind === 'out' ? offchip : computeCores.get(c.name) ?? []) union.add(id);
      destinations = [[...union].sort((a, b) => a - b)];
    }

    const unrollings = destinations.map((destination): readonly Unrolling[] => {
      if (destination.length <= 1) return [];
      const computeConsumers = consumers.filter((c) => c.kind === 'computation').map((c) => c.name);
      if (computeConsumers.length === consumers.length && computeConsumers.length > 0) {
        const largest = largestAllocation(computeConsumers, computeCores);
        return largest === undefined ? [] : computeUnrollings.get(largest) ?? [];
      }
      const largest = largestAllocation(computeNeighbours, computeCores);
      const loops = largest === undefined ? [] : computeUnrollings.get(largest) ?? [];
      const match = loops.find((u) => u.factor === destination.length) ?? loops.find((u) => destination.length % u.factor === 0);
      return match ? [match] : [];
    });

    const sources = placementsOf(role.producer);
    const routes: MulticastPathPlan[] = [];
    for (const source of sources) {
      for (const destination of destinations) {
        const plan = transferPlan(graph, source, destination, input.routingOptions ?? DEFAULT_ROUTING_OPTIONS);
        if (!plan) throw new Error(`${role.transfer}: no route from cores [${source}] to cores [${destination}]`);
        routes.push(plan);
      }
    }
    mappings.set(role.transfer, {
      transfer: role.transfer,
      transferType: type,
      sourceAllocations: sources,
      destinationAllocations: destinations,
      unrollings,
      routes,
    });
  }
  return steadyState.transfers.map((r) => mappings.get(r.transfer) as TransferMapping);
}

/** Re-expresses per-node `(local dim, factor)` tilings in the unique dims of a workload. */
export function unrollingsInUniqueDims(
  tilings: ReadonlyMap<string, readonly { readonly localDim: number; readonly factor: number }[]>,
  nodeDims: ReadonlyMap<string, readonly number[]>,
): Map<string, readonly Unrolling[]> {
  const out = new Map<string, readonly Unrolling[]>();
  for (const [node, tiling] of tilings) {
    const dims = nodeDims.get(node);
    if (!dims) throw new Error(`No unique dims for node ${node}`);
    out.set(node, tiling.map((t) => ({ dim: dims[t.localDim], factor: t.factor })));
  }
  return out;
}

/**
 * Carries dims of one workload over to another by (node, local position): the first node (in `order`)
 * having the dim at some position names it; the same position of the same node in the other workload is
 * its new name. This is how fusion splits and inter-core tilings survive transfer insertion, which
 * renumbers the unique dims.
 */
export function rekeyDim(dim: number, order: readonly string[], fromDims: ReadonlyMap<string, readonly number[]>, toDims: ReadonlyMap<string, readonly number[]>): number {
  for (const node of order) {
    const position = (fromDims.get(node) ?? []).indexOf(dim);
    if (position >= 0) {
      const target = toDims.get(node)?.[position];
      if (target === undefined) throw new Error(`Node ${node} has no dim at position ${position} after re-keying`);
      return target;
    }
  }
  throw new Error(`Dim z${dim} belongs to no node`);
}
