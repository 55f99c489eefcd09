/**
 * The mapping DSE (the reference's `optimize_mapping`, for any workload and accelerator): parse →
 * variant space → variants fanned out with `mergeMap` under a concurrency bound onto a worker-thread
 * pool, each running the whole CO pipeline on its mapping → a reducer keeping the best schedule under a
 * total order (latency, energy, variant index), so the winner and the sweep table never depend on the
 * concurrency or on timing → the winner's full run files. Failing or infeasible variants are results
 * with their reason; they never stop the sweep. Unsubscribing cancels the outstanding worker tasks.
 */
import { Observable, OperatorFunction, Subject, connect, defer, finalize, from, last, map, merge, mergeMap, of, scan } from 'rxjs';
import { InputError, InputIssue } from '../../lib/common/errors';
import { Accelerator } from '../../lib/hardware';
import { parseMapping } from '../../lib/mapping';
import { MappingGenerationError } from '../../lib/mapping/generator/errors';
import { Workload } from '../../lib/workload/model';
import {
  SkippedChoice,
  SweepTable,
  Variant,
  VariantResult,
  VariantSpace,
  better,
  buildVariantSpace,
  enumerateVariants,
  sweepTable,
  toMappingData,
  variantMappingOf,
} from '../../lib/dse';
import { instrument } from '../../operators/instrument';
import { ProgressEvent, ProgressSink } from '../../operators/progress';
import { RunSnapshot, parseAcceleratorStage, parseWorkloadStage } from '../../operators/stages/front-end';
import { CoOptions, CoResult, co } from '../co';
import { DseOptions, ResolvedDseOptions, resolveDseOptions } from './options';
import { VariantPool } from './pool';
import { VariantOutcome, VariantTask } from './variant-worker';

export type { DseOptions } from './options';
export { VariantPool, defaultVariantWorkerFile } from './pool';

/** What the space looked like (for reports). */
export interface SpaceDescription {
  /** Number of choice vectors (decimal; may exceed 2^53). */
  readonly size: string;
  readonly axes: readonly { readonly kind: string; readonly name: string; readonly options: number }[];
  readonly granularity: 'node' | 'operator-type';
  readonly notes: readonly string[];
}

export interface DseResult {
  /** Every evaluated variant, in variant order. */
  readonly results: readonly VariantResult[];
  /** The winner under the total order; absent when no variant has a schedule. */
  readonly best?: VariantResult;
  readonly table: SweepTable;
  /** Choice vectors the enumeration passed over (invalid tilings, repeats), with the reason. */
  readonly skipped: readonly SkippedChoice[];
  /** Absent for explicit variant lists. */
  readonly space?: SpaceDescription;
  /** The winner's full CO result (write it with pipelines/co/outputs, as the `co` command does) ... */
  readonly bestRun?: CoResult;
  /** ... and the CO options that reproduce it (`runCo(bestOptions)`). */
  readonly bestOptions?: CoOptions;
  readonly warnings: readonly InputIssue[];
}

export type DseEvent =
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  /** A variant finished (in completion order). */
  | { readonly type: 'variant'; readonly result: VariantResult }
  /** The best so far changed. */
  | { readonly type: 'best'; readonly result: VariantResult }
  | { readonly type: 'result'; readonly result: DseResult };

/** A variant and the mapping data its worker gets (explicit variants pass the caller's data as is). */
interface SweepItem {
  readonly variant: Variant;
  readonly mappingData: unknown;
}

interface SweepPlan {
  readonly items: readonly SweepItem[];
  readonly skipped: readonly SkippedChoice[];
  readonly space?: SpaceDescription;
}

interface SweepState {
  readonly done: number;
  readonly results: VariantResult[];
  readonly best?: VariantResult;
  readonly latest?: VariantResult;
  readonly improved: boolean;
}

const STAGE = 'dse';

function coOptionsOf(options: ResolvedDseOptions): VariantTask['co'] {
  return {
    hardware: options.hardware,
    workload: options.workload,
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
    ...(options.capacityConstraints !== undefined ? { capacityConstraints: options.capacityConstraints } : {}),
    ...(options.temporalMappingType !== undefined ? { temporalMappingType: options.temporalMappingType } : {}),
    ...(options.inputsRoot !== undefined ? { inputsRoot: options.inputsRoot } : {}),
    ...(options.coreSearchPaths !== undefined ? { coreSearchPaths: options.coreSearchPaths } : {}),
    ...(options.costCacheDir !== undefined ? { costCacheDir: options.costCacheDir } : {}),
  };
}

/** An explicit variant: its mapping as far as it parses (the worker reports what does not). */
function explicitItem(index: number, data: unknown): SweepItem {
  const parsed = parseMapping(data, `<variant ${index}>`);
  const mapping = parsed._tag === 'Right' ? variantMappingOf(parsed.right.mapping) : { layers: [], fusedGroups: [] };
  return { variant: { index, choice: [], mapping, changes: [`explicit variant ${index}`] }, mappingData: data };
}

function spaceOf(options: ResolvedDseOptions, workload: Workload, accelerator: Accelerator): VariantSpace {
  try {
    return buildVariantSpace(workload, accelerator, {
      intraCoreTiling: options.intraCoreTiling,
      granularity: options.granularity,
      explore: options.explore,
      tileScales: options.tileScales,
      allocationLimits: {
        ...(options.coreSets !== undefined ? { coreSets: options.coreSets } : {}),
        ...(options.maxCoreSetsPerCount !== undefined ? { maxCoreSetsPerCount: options.maxCoreSetsPerCount } : {}),
        ...(options.maxSplitsPerCount !== undefined ? { maxSplitsPerCount: options.maxSplitsPerCount } : {}),
      },
    });
  } catch (err) {
    // The auto mapper cannot map the workload (e.g. no core runs some operator): an input problem.
    if (err instanceof MappingGenerationError) throw new InputError([{ file: '<auto mapping>', path: '', message: err.message }]);
    throw err;
  }
}

function planSweep(options: ResolvedDseOptions, workload: Workload, accelerator: Accelerator): SweepPlan {
  if (options.variants !== undefined) {
    return { items: options.variants.slice(0, options.maxVariants).map((data, i) => explicitItem(i, data)), skipped: [] };
  }
  const space = spaceOf(options, workload, accelerator);
  const items: SweepItem[] = [];
  const skipped: SkippedChoice[] = [];
  for (const item of enumerateVariants(space, { order: options.order, seed: options.seed, maxVariants: options.maxVariants })) {
    if (item.kind === 'variant') items.push({ variant: item.variant, mappingData: toMappingData(item.variant.mapping) });
    else skipped.push({ choice: item.choice, reason: item.reason });
  }
  return {
    items,
    skipped,
    space: {
      size: space.size.toString(),
      axes: space.axes.map((a) => ({ kind: a.kind, name: a.name, options: a.options.length })),
      granularity: space.granularity,
      notes: space.notes,
    },
  };
}

function planStage<S extends RunSnapshot & { readonly accelerator: Accelerator; readonly workload: Workload }>(
  options: ResolvedDseOptions,
): OperatorFunction<S, S & { readonly plan: SweepPlan }> {
  return map((s) => ({ ...s, plan: planSweep(options, s.workload, s.accelerator) }));
}

function resultOf(variant: Variant, outcome: VariantOutcome): VariantResult {
  if (outcome.status === 'ok') {
    return { index: variant.index, variant, status: 'ok', latency: outcome.latency, energy: outcome.energy, groupLatencies: outcome.groupLatencies };
  }
  return { index: variant.index, variant, status: outcome.status, reason: outcome.reason };
}

function advance(state: SweepState, result: VariantResult): SweepState {
  state.results.push(result);
  const best = better(state.best, result);
  return { done: state.done + 1, results: state.results, best, latest: result, improved: best !== state.best };
}

function progressOf(state: SweepState, total: number): ProgressEvent {
  const best = state.best ? `best #${state.best.index}: latency ${state.best.latency}` : 'no schedule yet';
  return { type: 'items', stage: STAGE, done: state.done, total, status: best };
}

function eventsOf(state: SweepState, total: number): DseEvent[] {
  const events: DseEvent[] = [];
  if (state.latest) events.push({ type: 'variant', result: state.latest });
  if (state.improved && state.best) events.push({ type: 'best', result: state.best });
  events.push({ type: 'progress', event: progressOf(state, total) });
  return events;
}

/**
 * The winner's full CO run, repeated in this thread so that the caller holds the whole result (the
 * workers return only numbers), then the sweep's result. Evaluations are deterministic, so the repeat
 * gives the winner's latency again; a warning says so if it ever does not.
 */
function finish(state: SweepState, plan: SweepPlan, options: ResolvedDseOptions, warnings: readonly InputIssue[], sink: ProgressSink): Observable<DseEvent> {
  const results = [...state.results].sort((a, b) => a.index - b.index);
  const table = sweepTable(results, state.best?.index);
  const base: DseResult = { results, best: state.best, table, skipped: plan.skipped, space: plan.space, warnings };
  const best = state.best;
  if (!best) return of<DseEvent>({ type: 'result', result: base });
  const item = plan.items.find((i) => i.variant.index === best.index)!;
  const bestOptions: CoOptions = { ...coOptionsOf(options), mappingData: item.mappingData };
  return of(best).pipe(
    instrument(
      'best-run',
      mergeMap(() => co(bestOptions)),
      sink,
    ),
    mergeMap((event) => (event.type === 'result' ? [event.result] : [])),
    map((bestRun): DseEvent => {
      if (bestRun.totalLatency !== best.latency) {
        sink.emit({ type: 'warning', stage: 'best-run', message: `re-running the best variant #${best.index} gave latency ${bestRun.totalLatency}, not ${best.latency}` });
      }
      return { type: 'result', result: { ...base, bestRun, bestOptions } };
    }),
  );
}

function sweep(plan: SweepPlan, pool: VariantPool, options: ResolvedDseOptions, warnings: readonly InputIssue[], sink: ProgressSink): Observable<DseEvent> {
  const total = plan.items.length;
  const co = coOptionsOf(options);
  return defer(() => {
    const initial: SweepState = { done: 0, results: [], improved: false };
    return from(plan.items).pipe(
      mergeMap((item) => pool.evaluate$({ co, mappingData: item.mappingData }).pipe(map((outcome) => resultOf(item.variant, outcome))), options.concurrency),
      scan(advance, initial),
      connect((states) =>
        merge(
          states.pipe(mergeMap((s) => from(eventsOf(s, total)))),
          states.pipe(
            last(undefined, initial),
            mergeMap((s) => finish(s, plan, options, warnings, sink)),
          ),
        ),
      ),
    );
  });
}

/** Runs `body` with a progress sink and merges the sink's events into its stream. */
function withProgress(body: (sink: ProgressSink) => Observable<DseEvent>): Observable<DseEvent> {
  return new Observable<DseEvent>((subscriber) => {
    const progress = new Subject<ProgressEvent>();
    const events = body({ emit: (e) => progress.next(e) }).pipe(finalize(() => progress.complete()));
    const subscription = merge(progress.pipe(map((event): DseEvent => ({ type: 'progress', event }))), events).subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      progress.complete();
    };
  });
}

/** What a sweep may borrow instead of creating: a caller's pool stays open (and warm) after the sweep. */
export interface DseResources {
  readonly pool?: VariantPool;
}

/**
 * The mapping DSE as an event stream: progress (stages, variants done of total with the best so far),
 * every variant's result, best-so-far changes, and finally the result. Unsubscribing cancels it: the
 * outstanding worker tasks are aborted (a running one ends its thread) and an own pool is closed.
 */
export function optimizeMapping(rawOptions: DseOptions, resources: DseResources = {}): Observable<DseEvent> {
  const options = resolveDseOptions(rawOptions);
  const acceleratorOptions = { inputsRoot: options.inputsRoot, searchPaths: options.coreSearchPaths };
  return withProgress((sink) =>
    defer(() => {
      const pool = resources.pool ?? new VariantPool({ threads: options.threads, workerFile: options.workerFile });
      const ownPool = resources.pool === undefined;
      return of({ warnings: [] as readonly InputIssue[] }).pipe(
        instrument('parse-accelerator', parseAcceleratorStage(options.hardware, acceleratorOptions), sink),
        instrument('parse-workload', parseWorkloadStage(options.workload), sink),
        instrument('variant-space', planStage(options), sink),
        mergeMap((s) => {
          for (const note of s.plan.space?.notes ?? []) sink.emit({ type: 'warning', stage: 'variant-space', message: note });
          return sweep(s.plan, pool, options, s.warnings, sink);
        }),
        finalize(() => {
          if (ownPool) void pool.close();
        }),
      );
    }),
  );
}

/** Promise helper: resolves with the result (progress and per-variant events go to `onEvent`). */
export function runOptimizeMapping(
  options: DseOptions,
  onEvent?: (event: Exclude<DseEvent, { type: 'result' }>) => void,
  resources: DseResources = {},
): Promise<DseResult> {
  return new Promise((resolve, reject) => {
    let result: DseResult | undefined;
    optimizeMapping(options, resources).subscribe({
      next: (e) => (e.type === 'result' ? (result = e.result) : onEvent?.(e)),
      error: reject,
      complete: () => (result ? resolve(result) : reject(new Error('the DSE completed without a result'))),
    });
  });
}
