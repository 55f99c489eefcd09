/**
 * A computation node of a fusion group with the core allocation and inter-core split the generic mapper
 * chose for it; the unit the tiling decisions (automatic fusion tiling, capacity tiler) reason about.
 */
import { Core } from '../../hardware/model';
import { UniqueDimSplit, interCoreTilingInUniqueDims, spatialUnrollings } from '../../tiling/fusion-splits';
import { InterCoreSplit } from '../model';
import { ComputationNode } from '../../workload/model';

export interface PlannedNode {
  readonly node: ComputationNode;
  /** Unique dim of each local loop (`get_dims(node)`). */
  readonly dims: readonly number[];
  /** Cores that may run the node, in accelerator core order. */
  readonly eligibleCores: readonly Core[];
  /** The chosen core allocation (one group). */
  readonly coreIds: readonly number[];
  /** Splits of local loops over `coreIds`, in emission order. */
  readonly interCoreTiling: readonly InterCoreSplit[];
}

/** The node's inter-core splits in unique dims. */
export function plannedUniqueSplits(p: PlannedNode): readonly UniqueDimSplit[] {
  return interCoreTilingInUniqueDims(p.dims, p.interCoreTiling);
}

/** U(z) over the group: the largest split any node applies to each unique dim. */
export function plannedUnrollings(nodes: readonly PlannedNode[]): readonly UniqueDimSplit[] {
  return spatialUnrollings(nodes.map(plannedUniqueSplits));
}

/** `<Node>.D<i>` naming a unique dim: the first node (group order) that has it, at its first loop. */
export function intraCoreEntryName(nodes: readonly PlannedNode[], dim: number): string {
  for (const p of nodes) {
    const pos = p.dims.indexOf(dim);
    if (pos >= 0) return `${p.node.name}.D${pos}`;
  }
  throw new Error(`No node of the group has unique dim z${dim}.`);
}
