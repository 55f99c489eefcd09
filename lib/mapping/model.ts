/**
 * Mapping model: what a mapping YAML says (reference-surface §1.3) after validation, and the same
 * mapping resolved against a workload and an accelerator.
 *
 * Loop dimensions stay node-local (`D<n>` = the node's own iteration dim n); converting them to unique
 * dims is the pipeline's job.
 */

/** Where something was written, so that resolution errors can point back into the file. */
export interface SourceLocation {
  /** Field path, e.g. `layers[2]`. */
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
}

/** `{dim: D<n>, split: k}`: split loop n of the node over k cores. */
export interface InterCoreSplit {
  readonly dim: number;
  readonly split: number;
}

/** AIE kernel selection; only present when the mapping names one explicitly (Q30). */
export interface KernelSpec {
  readonly name: string;
  readonly kwargs: Readonly<Record<string, unknown>>;
}

export interface LayerEntry {
  /** Node name or operator type to match. */
  readonly name: string;
  /** The single candidate core group (only one group per layer is supported, Q26). */
  readonly coreAllocation: readonly number[];
  /** Empty = no inter-core split. */
  readonly interCoreTiling: readonly InterCoreSplit[];
  readonly kernel?: KernelSpec;
  readonly origin?: SourceLocation;
}

/** `{dim: <Node>.D<n>, tile: T}` of a fused group. */
export interface IntraCoreTile {
  readonly node: string;
  readonly dim: number;
  /** Per-core block extent of that loop per steady-state iteration. */
  readonly tile: number;
  readonly origin?: SourceLocation;
}

export interface FusedGroupSpec {
  readonly name: string;
  /** Layer-entry names (node names or operator types). */
  readonly layers: readonly string[];
  readonly intraCoreTiling: readonly IntraCoreTile[];
  readonly origin?: SourceLocation;
}

export interface RuntimeArg {
  /** Affine map in MLIR syntax without the wrapper, e.g. `(d0, d1) -> (d1, d0)`. */
  readonly layout?: string;
  readonly origin?: SourceLocation;
}

export interface MappingSpec {
  /** File name used in issues (the path for files). */
  readonly file: string;
  /** Absolute path of the mapping file, if read from disk. */
  readonly sourceFile?: string;
  /** In file order: entry selection is first match in this order (Q24). */
  readonly layers: readonly LayerEntry[];
  readonly fusedGroups: readonly FusedGroupSpec[];
  /** Tensor name → arguments, in file order. */
  readonly runtimeArgs: Readonly<Record<string, RuntimeArg>>;
  /** Free-form `meta` block written by the DSE generator; kept for reporting. */
  readonly meta?: unknown;
}

/** The mapping of one computation node after resolution. */
export interface NodeMapping {
  readonly node: string;
  readonly nodeType: string;
  /** Index of the layer entry that matched (first in file order). */
  readonly entryIndex: number;
  /** Core ids, all present in the accelerator's core graph. */
  readonly coreAllocation: readonly number[];
  readonly interCoreTiling: readonly InterCoreSplit[];
  readonly kernel?: KernelSpec;
}

export interface ResolvedRuntimeArg {
  readonly tensor: string;
  /** The given layout, or the identity layout of the tensor's rank. */
  readonly layout: string;
}

export interface ResolvedMapping {
  readonly spec: MappingSpec;
  /** One per computation node, in workload order. */
  readonly nodes: readonly NodeMapping[];
  readonly fusedGroups: readonly FusedGroupSpec[];
  readonly runtimeArgs: readonly ResolvedRuntimeArg[];
}

export function nodeMappingOf(mapping: ResolvedMapping, node: string): NodeMapping | undefined {
  return mapping.nodes.find((m) => m.node === node);
}
