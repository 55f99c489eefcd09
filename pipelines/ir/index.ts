/**
 * Typed IR from input files: WorkloadIR from an ONNX model, AcceleratorIR from a hardware YAML, and
 * AllocationIR per fusion group from a CO run (or the infeasibility IR when the run has no schedule).
 * The codecs, builders, views and JSON Schemas themselves are in lib/ir and re-exported here.
 */
import { Either, isLeft, left, right } from 'fp-ts/Either';
import { InputIssue } from '../../lib/common/errors';
import { AcceleratorOptions, loadAccelerator } from '../../lib/hardware';
import {
  AcceleratorIR,
  AllocationContext,
  AllocationIR,
  InfeasibilityIR,
  WorkloadIR,
  acceleratorIR,
  allocationIRs,
  infeasibilityIR,
  workloadIR,
} from '../../lib/ir';
import { loadMappingDetailed } from '../../lib/mapping';
import { DEFAULT_CONSTRAINT_SELECTION } from '../../lib/milp/problem';
import { loadWorkload } from '../../lib/workload/onnx';
import { InfeasibleScheduleError } from '../../operators/errors';
import { ProgressEvent } from '../../operators/progress';
import { CoOptions, CoResult, runCo } from '../co';

export * from '../../lib/ir';

export interface LoadedIR<D> {
  readonly document: D;
  readonly warnings: readonly InputIssue[];
}

export function loadWorkloadIR(file: string): Either<InputIssue[], LoadedIR<WorkloadIR>> {
  const loaded = loadWorkload(file);
  if (isLeft(loaded)) return loaded;
  try {
    return right({ document: workloadIR(loaded.right.workload), warnings: loaded.right.warnings });
  } catch (err) {
    // The analysis rejects graphs it cannot give unique dims (cycles, inconsistent index relations).
    return left([{ file, path: '', message: `cannot analyse the workload: ${err instanceof Error ? err.message : String(err)}` }]);
  }
}

export function loadAcceleratorIR(file: string, options: AcceleratorOptions = {}): Either<InputIssue[], LoadedIR<AcceleratorIR>> {
  const loaded = loadAccelerator(file, options);
  if (isLeft(loaded)) return loaded;
  return right({ document: acceleratorIR(loaded.right.accelerator), warnings: loaded.right.warnings });
}

/**
 * What the AllocationIR needs beyond the run's result: the constraint groups the pipeline built the
 * MILP with and, for a hand-written mapping, its fused-group names and runtime arguments.
 */
export function allocationContextOf(options: CoOptions): AllocationContext {
  const constraints = { ...DEFAULT_CONSTRAINT_SELECTION, memoryCapacity: options.capacityConstraints ?? DEFAULT_CONSTRAINT_SELECTION.memoryCapacity };
  if (options.mapping === undefined) return { constraints };
  const loaded = loadMappingDetailed(options.mapping);
  // The pipeline has already read this file, so a failure here is only possible if it changed since.
  if (isLeft(loaded)) return { constraints };
  const spec = loaded.right.mapping;
  return {
    constraints,
    mapping: {
      fusedGroups: spec.fusedGroups,
      runtimeArgs: Object.entries(spec.runtimeArgs).flatMap(([tensor, arg]) => (arg.layout !== undefined ? [{ tensor, layout: arg.layout }] : [])),
    },
  };
}

export type AllocationIROutcome =
  | { readonly feasible: true; readonly documents: readonly AllocationIR[]; readonly result: CoResult }
  | { readonly feasible: false; readonly group: number; readonly infeasibility: InfeasibilityIR };

/**
 * Runs the CO pipeline and builds the AllocationIR of every fusion group; an infeasible group yields
 * its infeasibility IR instead. Input problems reject with the pipeline's `InputError`.
 */
export async function runAllocationIR(options: CoOptions, onProgress?: (event: ProgressEvent) => void): Promise<AllocationIROutcome> {
  let result: CoResult;
  try {
    result = await runCo(options, onProgress);
  } catch (err) {
    if (err instanceof InfeasibleScheduleError) return { feasible: false, group: err.group, infeasibility: infeasibilityIR(err.report) };
    throw err;
  }
  return { feasible: true, documents: allocationIRs(result, allocationContextOf(options)), result };
}
