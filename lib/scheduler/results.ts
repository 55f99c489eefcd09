/**
 * After the MILP (reference-co-pipeline §10.8 post-processing): the chosen route and placement of every
 * transfer, the reuse flags on the SSIS, and the final allocation of every node.
 */
import { SteadyStateSolution } from '../milp/result';
import { dataflowOrder } from '../workload/analysis/graph';
import { SolvedTransfers, withReuseFlags } from './memory-accesses';
import { MulticastPathPlan } from './routing';
import { SteadyStateIterationSpace, Unrolling } from './ssis';
import { SteadyStateSchedule } from './steady-state';

export interface ComputeAllocation {
  readonly name: string;
  readonly kind: 'compute';
  readonly cores: readonly number[];
  /** In the steady-state workload's unique dims. */
  readonly interCoreTiling: readonly Unrolling[];
}

export interface TransferAllocation {
  readonly name: string;
  readonly kind: 'transfer';
  readonly route: MulticastPathPlan;
  /**
   * The on-chip cores of a constant transfer: where a graph input lands, or where a graph output is read
   * from; empty for transfers between compute nodes.
   */
  readonly memoryAllocation: readonly number[];
}

export type FinalAllocation = ComputeAllocation | TransferAllocation;

/** The decisions memory-access estimation and the final allocations need, read off a MILP solution. */
export function solvedTransfersOf(solution: SteadyStateSolution): SolvedTransfers {
  return {
    reuseStops: new Map(solution.tensors.map((t) => [t.name, t.reuseStop])),
    routeIndex: new Map(solution.transfers.map((t) => [t.name, t.routeIndex])),
  };
}

/** Tensor SSIS with the solved reuse flags (loops up to each tensor's stop are kept resident). */
export function tensorSsisWithReuse(schedule: SteadyStateSchedule, solved: SolvedTransfers): ReadonlyMap<string, SteadyStateIterationSpace> {
  return new Map([...schedule.ssis.tensors].map(([name, space]) => [name, withReuseFlags(space, solved.reuseStops.get(name) ?? -1)]));
}

/** Every iteration-space node's final allocation, in dataflow order. */
export function finalAllocations(schedule: SteadyStateSchedule, solved: SolvedTransfers): readonly FinalAllocation[] {
  const workload = schedule.steadyState.workload;
  const kindOf = new Map(workload.nodes.map((n) => [n.name, n.kind]));
  const roles = new Map(schedule.steadyState.transfers.map((r) => [r.transfer, r]));
  const out: FinalAllocation[] = [];
  for (const node of dataflowOrder(workload)) {
    if (node.kind === 'computation') {
      out.push({
        name: node.name,
        kind: 'compute',
        cores: schedule.computeCores.get(node.name) ?? [],
        interCoreTiling: schedule.computeUnrollings.get(node.name) ?? [],
      });
    } else if (node.kind === 'transfer') {
      const mapping = schedule.transfers.find((t) => t.transfer === node.name);
      const role = roles.get(node.name);
      if (!mapping || !role) throw new Error(`No mapping for ${node.name}`);
      const route = mapping.routes[solved.routeIndex?.get(node.name) ?? 0];
      const fromGraphInput = kindOf.get(role.producer) === 'in';
      const toGraphOutput = role.consumers.some((c) => kindOf.get(c) === 'out');
      out.push({
        name: node.name,
        kind: 'transfer',
        route,
        memoryAllocation: fromGraphInput ? route.targets : toGraphOutput ? route.sources : [],
      });
    }
  }
  return out;
}
