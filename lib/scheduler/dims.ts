/**
 * The unique dims of the steady-state workload, as the scheduler consumes them. The scheduler does not
 * solve unique dims itself: the workload analysis does (reference-co-pipeline §3.4-§3.6); this module
 * only collects what the SSIS, the re-keying of tilings and the per-core tensor sizes read.
 *
 * Dims are identified by their unique-dim index `z`.
 */
import { DimTiling, tensorDimensions, tensorShapeWithTiling } from '../workload/analysis/tensor-shape';
import { UniqueDimensions, uniqueDimensions } from '../workload/analysis/unique-dimensions';
import { Tensor, Workload, hasIterationSpace, nodeInputs, nodeOutputs } from '../workload/model';

export interface SteadyStateDims {
  /** The analysis of the steady-state workload the dims come from. */
  readonly analysis: UniqueDimensions;
  /** `sizes[z]` is the steady-state tile size of unique dim `z`. */
  readonly sizes: readonly number[];
  /** Per iteration-space node, the unique dim of each of its local dims (`get_dims(node)`). */
  readonly nodeDims: ReadonlyMap<string, readonly number[]>;
  /** Per tensor accessed by an iteration-space node, the unique dims that index it (`get_tensor_dimensions`). */
  readonly tensorDims: ReadonlyMap<string, ReadonlySet<number>>;
}

export function steadyStateDims(workload: Workload): SteadyStateDims {
  const analysis = uniqueDimensions(workload);
  const tensorDims = new Map<string, ReadonlySet<number>>();
  for (const node of workload.nodes) {
    if (!hasIterationSpace(node)) continue;
    for (const t of [...nodeInputs(node), ...nodeOutputs(node)]) {
      if (!tensorDims.has(t.name)) tensorDims.set(t.name, new Set(tensorDimensions(analysis, t.name)));
    }
  }
  return { analysis, sizes: analysis.sizes, nodeDims: analysis.nodeDims, tensorDims };
}

/** `get_tensor_shape_with_tiling`: the shape of one core's piece of `tensor` under an inter-core tiling. */
export function perCoreShape(dims: SteadyStateDims, tensor: Tensor, tiling: readonly DimTiling[]): readonly number[] {
  return tiling.length === 0 ? tensor.shape : tensorShapeWithTiling(dims.analysis, tensor, tiling);
}
