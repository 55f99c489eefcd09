/**
 * The unique dims of the steady-state workload, as the scheduler consumes them. The scheduler does not
 * solve unique dims itself: the workload analysis does (reference-co-pipeline §3.4-§3.6), and
 * `steadyStateDims` only collects what the SSIS, tiling re-keying and timeslots read.
 *
 * Dims are identified by their unique-dim index `z`.
 */
import { AffineMap, IterationSpaceNode, Workload, hasIterationSpace } from '../workload/model';

export interface SteadyStateDims {
  /** Unique dims in index order; `sizes[z]` is the steady-state tile size of `z`. */
  readonly sizes: readonly number[];
  /** Per iteration-space node, the unique dim of each of its local dims (`get_dims(node)`). */
  readonly nodeDims: ReadonlyMap<string, readonly number[]>;
  /** Per tensor, the unique dims that index it (non-zero stride). */
  readonly tensorDims: ReadonlyMap<string, ReadonlySet<number>>;
}

/** Unique dims of every local dim of a node, ordered by local dim. */
export type NodeDimsLookup = (node: IterationSpaceNode) => readonly number[];

const mapDims = (map: AffineMap, localToUnique: readonly number[]): Set<number> =>
  new Set(map.results.flatMap((e) => e.terms.filter((t) => t.coef !== 0).map((t) => localToUnique[t.dim])));

/**
 * The unique dims indexing each tensor, read off one accessor: the iteration-space node that consumes
 * the tensor if there is one, else its producer. In the steady-state workload every tensor has at most
 * one consumer, and the golden SSIS show the consumer's view winning (a conv input tile is indexed by the
 * conv's output and kernel dims, not by the transfer that delivers it).
 */
export function tensorDimsByAccessor(workload: Workload, nodeDims: ReadonlyMap<string, readonly number[]>): Map<string, ReadonlySet<number>> {
  const out = new Map<string, ReadonlySet<number>>();
  const fromProducer = new Map<string, ReadonlySet<number>>();
  for (const node of workload.nodes) {
    if (!hasIterationSpace(node)) continue;
    const dims = nodeDims.get(node.name);
    if (!dims) throw new Error(`No unique dims for node ${node.name}`);
    node.inputs.forEach((t, i) => {
      if (!out.has(t.name)) out.set(t.name, mapDims(node.operandMaps[i], dims));
    });
    node.outputs.forEach((t, i) => fromProducer.set(t.name, mapDims(node.operandMaps[node.inputs.length + i], dims)));
  }
  for (const [name, dims] of fromProducer) if (!out.has(name)) out.set(name, dims);
  return out;
}
