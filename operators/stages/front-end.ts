/**
 * Front-end stages: each reads one input file into the snapshot. Problems with the file end the run
 * with an `InputError` that lists every issue; warnings accumulate in the snapshot.
 */
import { OperatorFunction, map } from 'rxjs';
import { InputIssue } from '../../lib/common/errors';
import { Accelerator, AcceleratorOptions, loadAccelerator } from '../../lib/hardware';
import { ResolvedMapping, loadMappingDetailed, parseMapping, resolveMapping } from '../../lib/mapping';
import { Workload } from '../../lib/workload/model';
import { loadWorkload } from '../../lib/workload/onnx';
import { unwrapOrThrow } from '../errors';

export interface RunSnapshot {
  readonly warnings: readonly InputIssue[];
}

export function parseAcceleratorStage<S extends RunSnapshot>(
  hardware: string,
  options: AcceleratorOptions = {},
): OperatorFunction<S, S & { readonly accelerator: Accelerator }> {
  return map((s) => {
    const { accelerator, warnings } = unwrapOrThrow(loadAccelerator(hardware, options));
    return { ...s, accelerator, warnings: [...s.warnings, ...warnings] };
  });
}

export function parseWorkloadStage<S extends RunSnapshot>(workloadFile: string): OperatorFunction<S, S & { readonly workload: Workload }> {
  return map((s) => {
    const { workload, warnings } = unwrapOrThrow(loadWorkload(workloadFile));
    return { ...s, workload, warnings: [...s.warnings, ...warnings] };
  });
}

export function parseMappingStage<S extends RunSnapshot & { readonly accelerator: Accelerator; readonly workload: Workload }>(
  mappingFile: string,
): OperatorFunction<S, S & { readonly mapping: ResolvedMapping }> {
  return map((s) => {
    const loaded = unwrapOrThrow(loadMappingDetailed(mappingFile));
    const resolved = unwrapOrThrow(resolveMapping(loaded.mapping, s.workload, s.accelerator));
    return { ...s, mapping: resolved.mapping, warnings: [...s.warnings, ...loaded.warnings, ...resolved.warnings] };
  });
}

/** Where issues of an in-memory mapping point (there is no file). */
export const IN_MEMORY_MAPPING = '<mapping data>';

/** Like `parseMappingStage`, for a mapping given as data (the parsed YAML of a mapping file), e.g. a DSE variant. */
export function parseMappingDataStage<S extends RunSnapshot & { readonly accelerator: Accelerator; readonly workload: Workload }>(
  data: unknown,
): OperatorFunction<S, S & { readonly mapping: ResolvedMapping }> {
  return map((s) => {
    const loaded = unwrapOrThrow(parseMapping(data, IN_MEMORY_MAPPING));
    const resolved = unwrapOrThrow(resolveMapping(loaded.mapping, s.workload, s.accelerator));
    return { ...s, mapping: resolved.mapping, warnings: [...s.warnings, ...loaded.warnings, ...resolved.warnings] };
  });
}
