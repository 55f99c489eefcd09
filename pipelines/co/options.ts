/**
 * Options of the CO pipelines, validated with io-ts when a pipeline is assembled (not when data
 * arrives), with the reference API's defaults.
 */
import * as t from 'io-ts';
import { decodeOptions } from '../decode-options';
import { InputError } from '../../lib/common/errors';
import { isSolverBackendRegistered, registeredSolverBackends } from '../../lib/solver';

const PositiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'PositiveInt');

const IntraCoreTile = t.type({ dim: t.string, tile: PositiveInt });

export const CoOptionsCodec = t.intersection([
  t.type({
    /** Accelerator YAML. */
    hardware: t.string,
    /** ONNX model. */
    workload: t.string,
  }),
  t.partial({
    /** Hand-written mapping YAML; absent = the generic (auto) mapping. */
    mapping: t.string,
    /** A mapping as data (what a mapping YAML parses to) instead of a file, e.g. a DSE variant; excludes `mapping`. */
    mappingData: t.unknown,
    /** `<Node>.D<n>` per-core tiles for the auto mapper (the reference API's `intra_core_tiling`). */
    intraCoreTiling: t.readonlyArray(IntraCoreTile),
    /** Node names after which a fusion group ends, or `per-layer`; default: derived cut points. */
    fusionCutPoints: t.union([t.readonlyArray(t.string), t.literal('per-layer')]),
    temporalMappingType: t.union([t.literal('uneven'), t.literal('even')]),
    /** Solver backend registered in lib/solver (default `highs`). */
    backend: t.string,
    /** The MILP's memory-capacity constraints (default on). */
    capacityConstraints: t.boolean,
    /** Fusion groups solved at once (results never depend on it). */
    groupConcurrency: PositiveInt,
    /** Directory playing the role of Stream's `stream/inputs/` for repository-relative core references. */
    inputsRoot: t.string,
    /** Extra directories searched for core files after the accelerator file's own directory. */
    coreSearchPaths: t.readonlyArray(t.string),
    /** Directory of the persistent cost table; absent = costs are kept for this run only. */
    costCacheDir: t.string,
  }),
]);

export type CoOptions = t.TypeOf<typeof CoOptionsCodec>;

export interface ResolvedCoOptions extends CoOptions {
  readonly temporalMappingType: 'uneven' | 'even';
  readonly backend: string;
  readonly capacityConstraints: boolean;
  readonly groupConcurrency: number;
}

export function resolveCoOptions(options: unknown): ResolvedCoOptions {
  const decoded = decodeOptions(CoOptionsCodec, options);
  if (decoded.mapping !== undefined && decoded.mappingData !== undefined) {
    throw new InputError([{ file: '<options>', path: 'mappingData', message: 'give either a mapping file (mapping) or mapping data (mappingData), not both' }]);
  }
  const backend = decoded.backend;
  if (backend !== undefined && !isSolverBackendRegistered(backend)) {
    const known = registeredSolverBackends().map((b) => b.name).join(', ');
    throw new InputError([{ file: '<options>', path: 'backend', message: `unknown solver backend '${backend}' (registered: ${known})` }]);
  }
  return {
    temporalMappingType: 'uneven',
    backend: 'highs',
    capacityConstraints: true,
    groupConcurrency: 1,
    ...decoded,
  };
}
