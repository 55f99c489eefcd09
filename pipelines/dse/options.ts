/**
 * Options of the mapping DSE, validated with io-ts when the pipeline is assembled.
 */
import * as os from 'node:os';
import * as t from 'io-ts';
import { decodeOptions } from '../decode-options';

const PositiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'PositiveInt');
const NonNegativeInt = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0, 'NonNegativeInt');
const PositiveNumber = t.refinement(t.number, (n) => Number.isFinite(n) && n > 0, 'PositiveNumber');

export const DseOptionsCodec = t.intersection([
  t.type({
    /** Accelerator YAML. */
    hardware: t.string,
    /** ONNX model. */
    workload: t.string,
  }),
  t.partial({
    /** Caller intra-core tiling of the base (auto) mapping, `<Node>.D<i>` per-core tiles. */
    intraCoreTiling: t.readonlyArray(t.type({ dim: t.string, tile: PositiveInt })),
    /** Variants to evaluate at most (variant 0, the auto mapping, included). Default 64, or every explicit variant. */
    maxVariants: PositiveInt,
    /** Variants in flight at once (results never depend on it). Default: the number of threads. */
    concurrency: PositiveInt,
    /** Worker threads. Default: the machine's available parallelism. */
    threads: PositiveInt,
    /** Enumeration order; default `neighbourhood`, or `random` when a seed is given. */
    order: t.union([t.literal('neighbourhood'), t.literal('random')]),
    /** Seed of the random sample. */
    seed: NonNegativeInt,
    /** Allocation axes per node or per operator type (default: per node for small graphs). */
    granularity: t.union([t.literal('node'), t.literal('operator-type')]),
    /** Which kinds of axes vary (default all). */
    explore: t.partial({ allocations: t.boolean, tiles: t.boolean, cuts: t.boolean }),
    /** Factors applied to base tiles (default ½, 2, ¼, 4). */
    tileScales: t.readonlyArray(PositiveNumber),
    /** Core subsets per count: aligned windows of the eligible cores, or all subsets (small core counts). */
    coreSets: t.union([t.literal('windows'), t.literal('all')]),
    maxCoreSetsPerCount: PositiveInt,
    maxSplitsPerCount: PositiveInt,
    /** Explicit variants (mapping YAML data each) instead of the generated space. */
    variants: t.readonlyArray(t.unknown),
    /** Solver backend (default `highs`). */
    backend: t.string,
    /** The MILP's memory-capacity constraints (default on). */
    capacityConstraints: t.boolean,
    temporalMappingType: t.union([t.literal('uneven'), t.literal('even')]),
    inputsRoot: t.string,
    coreSearchPaths: t.readonlyArray(t.string),
    /** Persistent cost table shared by every variant and worker (see the CO option); absent = per variant run. */
    costCacheDir: t.string,
    /** Worker entry file (default: next to pipelines/dse/pool). */
    workerFile: t.string,
  }),
]);

export type DseOptions = t.TypeOf<typeof DseOptionsCodec>;

export interface ResolvedDseOptions extends DseOptions {
  readonly maxVariants: number;
  readonly threads: number;
  readonly concurrency: number;
  readonly order: 'neighbourhood' | 'random';
  readonly seed: number;
}

export const DEFAULT_MAX_VARIANTS = 64;

export function resolveDseOptions(options: unknown): ResolvedDseOptions {
  const o = decodeOptions(DseOptionsCodec, options);
  const threads = o.threads ?? os.availableParallelism();
  return {
    ...o,
    maxVariants: o.maxVariants ?? o.variants?.length ?? DEFAULT_MAX_VARIANTS,
    threads,
    concurrency: o.concurrency ?? threads,
    order: o.order ?? (o.seed !== undefined ? 'random' : 'neighbourhood'),
    seed: o.seed ?? 0,
  };
}
