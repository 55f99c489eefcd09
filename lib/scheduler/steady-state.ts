/**
 * The steady-state scheduler (reference-co-pipeline §9): from a tiled fusion group to everything the
 * MILP consumes — the workload with transfers, re-derived unique dims, transfer placements and routes,
 * the SSIS of every node and tensor, the iteration count and the timeslots.
 */
import { Accelerator } from '../hardware/model';
import { TiledFusionGroup } from '../tiling/model';
import { Workload } from '../workload/model';
import { dataflowOrder } from '../workload/analysis/graph';
import { SteadyStateDims, steadyStateDims } from './dims';
import { RoutingOptions } from './routing';
import { FusionSplit, SteadyStateIterationSpaces, Unrolling, generateSteadyStateIterationSpaces, iterationCount } from './ssis';
import { Timeslots, assignTimeslots } from './timeslots';
import {
  DEFAULT_TRANSFER_GRAPH_OPTIONS,
  SteadyStateWorkload,
  TransferGraphOptions,
  buildTransferGraph,
} from './transfer-graph';
import { TransferMapping, mapTransfers, rekeyDim } from './transfer-mapping';

export interface SteadyStateSchedulerInput {
  /** The tiled fusion group (steady-state tile sizes). */
  readonly tiledWorkload: Workload;
  /** Unique dims of every iteration-space node of the tiled workload, per local dim. */
  readonly tiledNodeDims: ReadonlyMap<string, readonly number[]>;
  /** Fusion splits in the tiled workload's unique dims, in the reference's order. */
  readonly fusionSplits: readonly FusionSplit[];
  /** Cores of every compute node, in mapping order (the first resource allocation). */
  readonly computeCores: ReadonlyMap<string, readonly number[]>;
  /** Inter-core tiling of every compute node in the tiled workload's unique dims. */
  readonly computeTilings: ReadonlyMap<string, readonly Unrolling[]>;
  readonly accelerator: Accelerator;
  /**
   * Unique dims of a workload; defaults to the workload analysis. Transfer insertion changes the graph,
   * so the dims are derived again on the steady-state workload and their numbering changes.
   */
  readonly deriveDims?: (workload: Workload) => SteadyStateDims;
  readonly graphOptions?: TransferGraphOptions;
  readonly routingOptions?: RoutingOptions;
}

export interface SteadyStateSchedule {
  readonly steadyState: SteadyStateWorkload;
  readonly dims: SteadyStateDims;
  /** Fusion splits re-keyed to the steady-state workload's dims. */
  readonly fusionSplits: readonly FusionSplit[];
  /** Compute-node inter-core tilings in the steady-state workload's dims. */
  readonly computeUnrollings: ReadonlyMap<string, readonly Unrolling[]>;
  readonly computeCores: ReadonlyMap<string, readonly number[]>;
  /** In transfer-creation order. */
  readonly transfers: readonly TransferMapping[];
  readonly ssis: SteadyStateIterationSpaces;
  readonly iterations: number;
  readonly timeslots: Timeslots;
}

export function scheduleSteadyState(input: SteadyStateSchedulerInput): SteadyStateSchedule {
  const graphOptions = input.graphOptions ?? DEFAULT_TRANSFER_GRAPH_OPTIONS;
  const steadyState = buildTransferGraph(input.tiledWorkload, input.computeCores, input.accelerator, graphOptions);
  const dims = (input.deriveDims ?? steadyStateDims)(steadyState.workload);

  const tiledOrder = dataflowOrder(input.tiledWorkload).map((n) => n.name);
  const rekey = (z: number) => rekeyDim(z, tiledOrder, input.tiledNodeDims, dims.nodeDims);
  const fusionSplits = input.fusionSplits.map((s) => ({ dim: rekey(s.dim), splits: s.splits }));
  const computeUnrollings = new Map<string, readonly Unrolling[]>();
  for (const [node, tiling] of input.computeTilings) {
    const before = input.tiledNodeDims.get(node) ?? [];
    const after = dims.nodeDims.get(node) ?? [];
    // A compute node keeps its local dims, so its own tiling is carried over position by position.
    computeUnrollings.set(node, tiling.map((u) => ({ dim: after[before.indexOf(u.dim)], factor: u.factor })));
  }

  const transfers = mapTransfers({
    steadyState,
    accelerator: input.accelerator,
    dims,
    computeCores: input.computeCores,
    computeUnrollings,
    graphOptions,
    routingOptions: input.routingOptions,
  });

  const unrollings = new Map<string, readonly Unrolling[]>(computeUnrollings);
  for (const t of transfers) unrollings.set(t.transfer, t.unrollings[0] ?? []);
  const ssis = generateSteadyStateIterationSpaces({
    workload: steadyState.workload,
    dims,
    unrollings,
    fusionSplits,
    nodeOrder: dataflowOrder(steadyState.workload),
  });

  const resourceOptions = new Map<string, readonly (readonly number[])[]>();
  for (const [node, cores] of input.computeCores) resourceOptions.set(node, [cores]);
  for (const t of transfers) resourceOptions.set(t.transfer, t.routes.map((r) => r.linksUsed));
  const timeslots = assignTimeslots({ workload: steadyState.workload, resourceOptions });

  return {
    steadyState,
    dims,
    fusionSplits,
    computeUnrollings,
    computeCores: input.computeCores,
    transfers,
    ssis,
    iterations: iterationCount(ssis),
    timeslots,
  };
}

/** The scheduler's input from the tiling stage's output: everything comes straight off the tiled group. */
export function schedulerInputOf(
  group: TiledFusionGroup,
  accelerator: Accelerator,
  options: Pick<SteadyStateSchedulerInput, 'graphOptions' | 'routingOptions'> = {},
): SteadyStateSchedulerInput {
  return {
    tiledWorkload: group.workload,
    tiledNodeDims: group.dimensions.nodeDims,
    fusionSplits: group.fusionSplits,
    computeCores: new Map(group.nodes.map((n) => [n.name, n.coreIds])),
    computeTilings: new Map(group.nodes.map((n) => [n.name, n.interCoreTilingInUniqueDims])),
    accelerator,
    ...options,
  };
}
