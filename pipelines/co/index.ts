/**
 * The CO pipelines (the reference API's `optimize_allocation_co_generic` and
 * `optimize_allocation_co_with_mapping`): parse → mapping → tiling → per fusion group (core costs →
 * allocation → statistics) → totals. Groups fan out with bounded concurrency and are combined in group
 * order, so results never depend on the concurrency; groups run back to back in the schedule, so their
 * latencies add (reference quirk Q61).
 */
import { Observable, OperatorFunction, Subject, finalize, from, map, merge, mergeMap, of, pipe, reduce } from 'rxjs';
import { InputIssue } from '../../lib/common/errors';
import { Accelerator } from '../../lib/hardware';
import { groupEnergy, groupEnergyInput } from '../../lib/report/energy';
import { Summary, buildSummary } from '../../lib/report/summary';
import { TiledFusionGroup } from '../../lib/tiling/model';
import { Workload } from '../../lib/workload/model';
import { instrument } from '../../operators/instrument';
import { ProgressEvent, ProgressSink } from '../../operators/progress';
import { parseAcceleratorStage, parseMappingDataStage, parseMappingStage, parseWorkloadStage } from '../../operators/stages/front-end';
import {
  CostTable,
  GroupOutcome,
  GroupSnapshot,
  allocationStage,
  coreCostStage,
  groupStatisticsStage,
} from '../../operators/stages/group-stages';
import { generateMappingStage, tileGeneratedStage, tileHandMappingStage } from '../../operators/stages/mapping-and-tiling';
import { CoOptions, ResolvedCoOptions, resolveCoOptions } from './options';
import { SteadyStateSchedule } from '../../lib/scheduler/steady-state';
import { CostLut } from '../../lib/cost/lut';
import { FileCostStore } from '../../lib/cost/cost-store';
import { SteadyStateSolution } from '../../lib/milp';
import { loadSolverBackend } from '../../lib/solver';
import { GenericMappingResult } from '../../lib/mapping/generator/generic-generator';
import type { SolverThread } from '../../operators/solver-thread';

export type { CoOptions } from './options';

export interface GroupResult extends GroupOutcome {
  readonly index: number;
  readonly group: TiledFusionGroup;
  readonly costs: CostTable;
  readonly schedule: SteadyStateSchedule;
  readonly solution: SteadyStateSolution;
}

export interface CoResult {
  /** Σ of the group latencies (cycles). */
  readonly totalLatency: number;
  /** Latency of every fusion group, in execution order. */
  readonly groupLatencies: readonly number[];
  readonly groups: readonly GroupResult[];
  readonly accelerator: Accelerator;
  readonly workload: Workload;
  /** The auto mapper's output (absent with a hand-written mapping). */
  readonly generatedMapping?: GenericMappingResult;
  readonly warnings: readonly InputIssue[];
  readonly summary: Summary;
}

export type CoEvent = { readonly type: 'progress'; readonly event: ProgressEvent } | { readonly type: 'result'; readonly result: CoResult };

/** The run once it is tiled: its workload and fusion groups are what the result will hold. */
export interface TiledRun {
  readonly workload: Workload;
  readonly groups: readonly TiledFusionGroup[];
}

export interface CoHooks {
  /** Called once, before the groups are costed and scheduled (the `co` command draws the workload graph then). */
  readonly onTiled?: (run: TiledRun) => void;
  /** Solves the MILPs on this thread instead of the pipeline's own (operators/solver-thread.ts). */
  readonly solverThread?: Pick<SolverThread, 'solve'>;
}

interface RunState {
  readonly warnings: readonly InputIssue[];
  readonly accelerator: Accelerator;
  readonly workload: Workload;
  readonly groups: readonly TiledFusionGroup[];
  readonly generated?: GenericMappingResult;
}

/** One cost table per run, shared by its groups; backed by the disk cache when one is configured. */
function costLutOf(options: ResolvedCoOptions): CostLut {
  return new CostLut({ store: options.costCacheDir === undefined ? undefined : new FileCostStore(options.costCacheDir) });
}

function groupStages(options: ResolvedCoOptions, hooks: CoHooks, lut: CostLut, sink: ProgressSink): OperatorFunction<GroupSnapshot, GroupResult> {
  const group = (s: GroupSnapshot) => s.group.index;
  return pipe(
    instrument('core-costs', coreCostStage(lut, { temporalMappingType: options.temporalMappingType }, sink), sink, group),
    instrument(
      'allocation',
      allocationStage({ backend: options.backend, constraints: { memoryCapacity: options.capacityConstraints }, solverThread: hooks.solverThread }, sink),
      sink,
      group,
    ),
    instrument('statistics', groupStatisticsStage(), sink, group),
    map((s) => ({ ...s, index: s.group.index })),
  );
}

function fanOutGroups(options: ResolvedCoOptions, sink: ProgressSink, hooks: CoHooks): OperatorFunction<RunState, CoResult> {
  return mergeMap((run) => {
    hooks.onTiled?.({ workload: run.workload, groups: run.groups });
    const total = run.groups.length;
    const lut = costLutOf(options);
    sink.emit({ type: 'items', stage: 'groups', done: 0, total });
    return from(run.groups).pipe(
      mergeMap(
        (group) => of<GroupSnapshot>({ accelerator: run.accelerator, group, startedAt: performance.now() }).pipe(groupStages(options, hooks, lut, sink)),
        options.groupConcurrency,
      ),
      reduce((done, g) => {
        sink.emit({ type: 'items', stage: 'groups', done: done.length + 1, total });
        return [...done, g];
      }, [] as GroupResult[]),
      map((unordered) => coResult(run, unordered)),
    );
  });
}

/** A group's part of the summary. */
function groupSummaryInput(g: GroupResult) {
  return {
    latency: g.solution.latencyTotal,
    latencyPerIteration: g.solution.latencyPerIteration,
    iterations: g.solution.iterations,
    overlap: g.solution.overlap,
    wallTimeS: g.wallTimeS,
    objectives: g.solution.objectives,
    solve: {
      backend: g.solution.solve.backend,
      status: g.solution.solve.status,
      objective: g.solution.solve.objective ?? null,
      mipGap: g.solution.solve.mipGap ?? null,
      solveTimeS: g.solution.solve.solveTimeSeconds,
      variables: g.solution.modelSize.variables,
      constraints: g.solution.modelSize.constraints,
    },
    macSpatialUtilization: g.performance.aggregate.latency_weighted_mac_spatial_utilization,
    endToEndMacUtilization: g.performance.aggregate.end_to_end_mac_utilization,
    fallbackNodes: [...g.costs].flatMap(([node, perCore]) => [...perCore].filter(([, c]) => c.fallback).map(([core]) => `${node}@core${core}`)),
    energy: groupEnergy(groupEnergyInput(g.group.nodes, (node, core) => g.costs.get(node)?.get(core)?.energyTotal ?? 0, g.solution)),
  };
}

/** The run's result from its groups' (in any order). */
function coResult(run: RunState, unordered: readonly GroupResult[]): CoResult {
  const groups = [...unordered].sort((a, b) => a.index - b.index);
  const summary = buildSummary({ groups: groups.map(groupSummaryInput) });
  return {
    totalLatency: summary.total_latency,
    groupLatencies: groups.map((g) => g.solution.latencyTotal),
    groups,
    accelerator: run.accelerator,
    workload: run.workload,
    generatedMapping: run.generated,
    warnings: run.warnings,
    summary,
  };
}

/**
 * Runs `body` with a progress sink and merges its progress events with its result into one stream.
 * Without a solver thread the solver backend starts loading at once: its wasm compiles in the
 * background while the run parses and costs, instead of in front of the first solve (a failed load is
 * reported by the allocation stage).
 */
function withProgress(backend: string, hooks: CoHooks, body: (sink: ProgressSink) => Observable<CoResult>): Observable<CoEvent> {
  return new Observable<CoEvent>((subscriber) => {
    if (!hooks.solverThread) loadSolverBackend(backend).catch(() => undefined);
    const progress = new Subject<ProgressEvent>();
    const result = body({ emit: (e) => progress.next(e) }).pipe(
      map((r): CoEvent => ({ type: 'result', result: r })),
      finalize(() => progress.complete()),
    );
    const subscription = merge(progress.pipe(map((event): CoEvent => ({ type: 'progress', event }))), result).subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      progress.complete();
    };
  });
}

function acceleratorOptions(options: ResolvedCoOptions) {
  return { inputsRoot: options.inputsRoot, searchPaths: options.coreSearchPaths };
}

/** CO with the generic (auto) mapping; the reference's `optimize_allocation_co_generic`. */
export function coGeneric(rawOptions: CoOptions, hooks: CoHooks = {}): Observable<CoEvent> {
  const options = resolveCoOptions(rawOptions);
  return withProgress(options.backend, hooks, (sink) =>
    of({ warnings: [] as readonly InputIssue[] }).pipe(
      instrument('parse-accelerator', parseAcceleratorStage(options.hardware, acceleratorOptions(options)), sink),
      instrument('parse-workload', parseWorkloadStage(options.workload), sink),
      instrument(
        'generate-mapping',
        generateMappingStage({ intraCoreTiling: options.intraCoreTiling, fusionCutPoints: options.fusionCutPoints }),
        sink,
      ),
      instrument('tiling', tileGeneratedStage(), sink),
      fanOutGroups(options, sink, hooks),
    ),
  );
}

/**
 * CO with a hand-written mapping, from a file (`mapping`) or as data (`mappingData`); unlike the
 * reference it sets the total latency (Q32) and runs every declared fused group (Q27).
 */
export function coWithMapping(
  rawOptions: CoOptions & ({ readonly mapping: string } | { readonly mappingData: unknown }),
  hooks: CoHooks = {},
): Observable<CoEvent> {
  const options = resolveCoOptions(rawOptions);
  const mappingStage = options.mappingData !== undefined ? parseMappingDataStage(options.mappingData) : parseMappingStage(options.mapping ?? '');
  return withProgress(options.backend, hooks, (sink) =>
    of({ warnings: [] as readonly InputIssue[] }).pipe(
      instrument('parse-accelerator', parseAcceleratorStage(options.hardware, acceleratorOptions(options)), sink),
      instrument('parse-workload', parseWorkloadStage(options.workload), sink),
      instrument('parse-mapping', mappingStage, sink),
      instrument('tiling', tileHandMappingStage(), sink),
      fanOutGroups(options, sink, hooks),
    ),
  );
}

/** The pipeline for the options: with `mapping` or `mappingData`, the hand-written-mapping pipeline, else the generic one. */
export function co(options: CoOptions, hooks: CoHooks = {}): Observable<CoEvent> {
  if (options.mapping !== undefined) return coWithMapping({ ...options, mapping: options.mapping }, hooks);
  if (options.mappingData !== undefined) return coWithMapping({ ...options, mappingData: options.mappingData }, hooks);
  return coGeneric(options, hooks);
}

/** Promise helper: resolves with the result, rejects with the pipeline's typed error. */
export function runCo(options: CoOptions, onProgress?: (event: ProgressEvent) => void, hooks: CoHooks = {}): Promise<CoResult> {
  return new Promise((resolve, reject) => {
    let result: CoResult | undefined;
    co(options, hooks).subscribe({
      next: (e) => (e.type === 'result' ? (result = e.result) : onProgress?.(e.event)),
      error: reject,
      complete: () => (result ? resolve(result) : reject(new Error('the pipeline completed without a result'))),
    });
  });
}
