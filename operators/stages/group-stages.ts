/**
 * Per-fusion-group stages: core costs → allocation (steady-state scheduler + TETRA MILP) → memory
 * accesses and performance statistics. Each group snapshot carries the run's accelerator.
 */
import { Observable, OperatorFunction, defer, from, map, mergeMap } from 'rxjs';
import { Accelerator, ZigzagCoreSpec } from '../../lib/hardware';
import { buildCoreModel } from '../../lib/cost/core-model';
import { CostOptions, idealCycleFallback } from '../../lib/cost/estimate';
import { CostEntry, CostLut, entryFromResult } from '../../lib/cost/lut';
import { ConstraintSelection, SteadyStateOutcome, SteadyStateProblem, SteadyStateSolution, solveSteadyState } from '../../lib/milp';
import { NodeCostFacts, PerformanceStats, performanceStats } from '../../lib/report/performance';
import { MemoryAccesses, estimateMemoryAccesses } from '../../lib/scheduler/memory-accesses';
import { toSteadyStateProblem } from '../../lib/scheduler/problem';
import { solvedTransfersOf } from '../../lib/scheduler/results';
import { SteadyStateSchedule, scheduleSteadyState, schedulerInputOf } from '../../lib/scheduler/steady-state';
import { loadSolverBackend } from '../../lib/solver';
import { CoreCostRequest, TiledFusionGroup } from '../../lib/tiling/model';
import { InfeasibleScheduleError, InputError } from '../errors';
import { ProgressSink, silentProgress } from '../progress';
import type { LevelListener, SolverThread } from '../solver-thread';

export interface GroupSnapshot {
  readonly accelerator: Accelerator;
  readonly group: TiledFusionGroup;
  readonly startedAt: number;
}

/** node → core id → cost of the node's per-core tile on that core. */
export type CostTable = ReadonlyMap<string, ReadonlyMap<number, CostEntry>>;

/** Where the reference cannot build the layer (broadcast inputs) it crashes; we fall back, flagged. */
function layerFailureEntry(request: CoreCostRequest, core: ZigzagCoreSpec): CostEntry {
  const failure = {
    kind: 'unsupported-index-expression' as const,
    message: request.layerError ?? 'layer construction failed',
    deliberateDifference: true,
  };
  return entryFromResult('', idealCycleFallback(request.perCoreDimSizes, request.nodeType, buildCoreModel(core), failure));
}

/**
 * Costs every (node, core) of the group through the cost LUT: identical (layer, core) pairs — the same
 * tile on identical cores, repeated blocks — are computed once per run, and once ever with a disk store.
 */
export function coreCostStage<S extends GroupSnapshot>(
  lut: CostLut,
  options: CostOptions,
  progress: ProgressSink = silentProgress,
): OperatorFunction<S, S & { readonly costs: CostTable }> {
  return map((s) => {
    const cores = new Map(s.accelerator.cores.map((c) => [c.id, c]));
    const costs = new Map<string, Map<number, CostEntry>>();
    const total = s.group.costRequests.length;
    const group = s.group.index;
    progress.emit({ type: 'items', stage: 'core-costs', group, done: 0, total, status: 'cost evaluations' });
    for (const [i, request] of s.group.costRequests.entries()) {
      const core = cores.get(request.coreId);
      if (!core) throw new Error(`node ${request.node} is mapped to core ${request.coreId}, which is not in the accelerator graph`);
      if (core.spec.namespace !== 'zigzag') {
        throw new InputError([
          { file: s.accelerator.sourceFile ?? '<accelerator>', path: `cores[${core.id}]`, message: `node ${request.node} is mapped to ${core.coreType} core ${core.id}, which has no cost model yet (only zigzag cores are costed)` },
        ]);
      }
      const entry = request.layer ? lut.get({ layer: request.layer, core: core.spec, options }) : layerFailureEntry(request, core.spec);
      const perCore = costs.get(request.node) ?? new Map<number, CostEntry>();
      perCore.set(request.coreId, entry);
      costs.set(request.node, perCore);
      progress.emit({ type: 'items', stage: 'core-costs', group, done: i + 1, total, status: `${request.node} on core ${request.coreId}` });
    }
    return { ...s, costs };
  });
}

/** MAC spatial utilisation of a ZigZag evaluation (absent for the ideal-cycle fallback). */
export function macSpatialUtilizationOf(entry: CostEntry): number | null {
  const value = entry.record.result?.mac_spatial_utilization;
  return typeof value === 'number' ? value : null;
}

/** The cost-LUT latency the scheduler charges a node: the maximum over its cores. */
export function lutLatencies(costs: CostTable): Map<string, number> {
  return new Map([...costs].map(([node, perCore]) => [node, Math.max(...[...perCore.values()].map((c) => c.latencyTotal))]));
}

export interface AllocationOptions {
  readonly backend: string;
  readonly constraints: Partial<ConstraintSelection>;
  /** Where the MILPs are solved; absent: in this thread. */
  readonly solverThread?: Pick<SolverThread, 'solve'>;
}

/** Solves in this thread, loading the backend first. */
function solveHere(problem: SteadyStateProblem, backendName: string, onLevel: LevelListener): Observable<SteadyStateOutcome> {
  return from(loadSolverBackend(backendName)).pipe(map((backend) => solveSteadyState(problem, backend, { onLevel })));
}

/**
 * Solves on the solver thread. If the thread itself fails (it could not start, it stopped), the
 * problem is solved here instead: a solve's outcome does not depend on where it runs.
 */
function solveOnThread(thread: Pick<SolverThread, 'solve'>, problem: SteadyStateProblem, backendName: string, onLevel: LevelListener): Observable<SteadyStateOutcome> {
  return new Observable<SteadyStateOutcome>((subscriber) => {
    let here: { unsubscribe(): void } | undefined;
    thread.solve(problem, backendName, onLevel).then(
      (outcome) => {
        subscriber.next(outcome);
        subscriber.complete();
      },
      () => {
        if (!subscriber.closed) here = solveHere(problem, backendName, onLevel).subscribe(subscriber);
      },
    );
    return () => here?.unsubscribe();
  });
}

export function allocationStage<S extends GroupSnapshot & { readonly costs: CostTable }>(
  options: AllocationOptions,
  progress: ProgressSink = silentProgress,
): OperatorFunction<S, S & { readonly schedule: SteadyStateSchedule; readonly solution: SteadyStateSolution }> {
  return mergeMap((s) =>
    defer(() => {
      const schedule = scheduleSteadyState(schedulerInputOf(s.group, s.accelerator));
      const problem = toSteadyStateProblem(schedule, s.accelerator, {
        label: `group ${s.group.index}`,
        lutLatencies: lutLatencies(s.costs),
        constraints: options.constraints,
      });
      const group = s.group.index;
      const onLevel = (level: number, levels: number, name: string) =>
        progress.emit({ type: 'items', stage: 'allocation', group, done: level, total: levels, status: `MILP level ${level + 1}/${levels}: ${name}` });
      const solved = options.solverThread ? solveOnThread(options.solverThread, problem, options.backend, onLevel) : solveHere(problem, options.backend, onLevel);
      return solved.pipe(
        map((outcome) => {
          if (!outcome.feasible) throw new InfeasibleScheduleError(s.group.index, outcome);
          return { ...s, schedule, solution: outcome };
        }),
      );
    }),
  );
}

function nodeCostFacts(group: TiledFusionGroup, costs: CostTable): NodeCostFacts[] {
  return group.nodes.map((n) => {
    const perCore = costs.get(n.name) ?? new Map<number, CostEntry>();
    const first = perCore.get(n.coreIds[0]);
    return {
      name: n.name,
      type: n.type,
      cores: n.coreIds,
      idealCycle: first?.idealCycle ?? 0,
      macSpatialUtilization: first ? macSpatialUtilizationOf(first) : null,
      fallbackCores: [...perCore].filter(([, c]) => c.fallback).map(([core]) => core),
    };
  });
}

export interface GroupOutcome {
  readonly memoryAccesses: MemoryAccesses;
  readonly performance: PerformanceStats;
  readonly wallTimeS: number;
}

export function groupStatisticsStage<
  S extends GroupSnapshot & { readonly costs: CostTable; readonly schedule: SteadyStateSchedule; readonly solution: SteadyStateSolution },
>(): OperatorFunction<S, S & GroupOutcome> {
  return map((s) => ({
    ...s,
    memoryAccesses: estimateMemoryAccesses(s.schedule, s.accelerator, solvedTransfersOf(s.solution)),
    performance: performanceStats(nodeCostFacts(s.group, s.costs), s.solution, s.accelerator, s.group.totalMacOps),
    wallTimeS: (performance.now() - s.startedAt) / 1000,
  }));
}
