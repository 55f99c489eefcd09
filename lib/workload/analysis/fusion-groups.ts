/**
 * Fusion groups and cut points (reference-co-pipeline §3.7).
 *
 * A fusion group is a sub-workload that is scheduled as one layer-fused steady state; groups run back to
 * back. The graph is cut at every FusionEdge (layout-only op) and after every cut-point node (the cut
 * node stays in the earlier group).
 */
import {
  ComputationNode,
  InEdgeNode,
  OutEdgeNode,
  Tensor,
  Workload,
  WorkloadNode,
  hasIterationSpace,
  nodeInputs,
  nodeOutputs,
} from '../model';
import { consumersByTensor, dataflowOrder, producerByTensor, workloadOf } from './graph';

/** Caller choice for `fusion_cut_points`: explicit node names, or a cut after every layer. */
export type FusionCutPointsOption = readonly string[] | 'per-layer';

/** Op types whose reads are data-dependent (affine barriers): their producers end a group. */
const DATA_DEPENDENT_READ_TYPES: ReadonlySet<string> = new Set(['Gather', 'Slice']);

/**
 * `determine_fusion_cut_points`: the union of (a) producers of data-dependent reads, (b) every MaxPool,
 * (c) a Relu that is the sole compute successor of an Add (a residual block end); in dataflow order,
 * without a cut on the last compute node (nothing follows it).
 */
export function determineFusionCutPoints(workload: Workload): readonly string[] {
  const order = dataflowOrder(workload);
  const compute = order.filter((n): n is ComputationNode => n.kind === 'computation');
  const producers = producerByTensor(workload.nodes);
  const consumers = consumersByTensor(workload.nodes);
  const cuts = new Set<string>();
  for (const node of compute) {
    if (DATA_DEPENDENT_READ_TYPES.has(node.type)) {
      for (const t of node.inputs) {
        const p = producers.get(t.name);
        if (p?.kind === 'computation') cuts.add(p.name);
      }
    }
    if (node.type === 'MaxPool') cuts.add(node.name);
    if (node.type === 'Relu') {
      for (const t of node.inputs) {
        const p = producers.get(t.name);
        if (p?.kind !== 'computation' || p.type !== 'Add') continue;
        const computeSuccessors = new Set(
          p.outputs.flatMap((o) => (consumers.get(o.name) ?? []).filter((c) => c.kind === 'computation').map((c) => c.name)),
        );
        if (computeSuccessors.size === 1 && computeSuccessors.has(node.name)) cuts.add(node.name);
      }
    }
  }
  const last = compute[compute.length - 1]?.name;
  return compute.map((n) => n.name).filter((name) => cuts.has(name) && name !== last);
}

/** The cut points a generic run uses: the caller's list, one per layer, or the automatic ones. */
export function resolveFusionCutPoints(workload: Workload, option: FusionCutPointsOption | undefined): readonly string[] {
  if (option === undefined) return determineFusionCutPoints(workload);
  if (option === 'per-layer') {
    const compute = dataflowOrder(workload).filter((n) => n.kind === 'computation');
    return compute.slice(0, -1).map((n) => n.name);
  }
  return option;
}

/**
 * `split_fusion_groups`: walk the dataflow order; a FusionEdge starts a new group and a cut-point node
 * ends its group. Boundaries become edge nodes:
 *
 * * FusionEdge `fe`: `OutEdge <fe>_out` (reads the FusionEdge's input) in the producer's group and
 *   `InEdge <fe>_in` (produces its output) in every consuming group;
 * * cut point `n`: `<n>_cut_out` / `<n>_cut_in` for the tensors it hands to later groups;
 * * any other tensor crossing groups: `<tensor>_bridge_out` / `<tensor>_bridge_in`.
 *
 * Graph inputs are copied into every group that reads them; the original graph output stays with its
 * producer. Each group's InEdges are ordered by first read (dataflow order, operand order), then come the
 * iteration-space nodes in dataflow order, then the OutEdges. Groups without an iteration-space node are
 * dropped. Without a FusionEdge or cut, the original workload object is the single group.
 */
export function splitFusionGroups(workload: Workload, cutPoints: readonly string[]): readonly Workload[] {
  const cutSet = new Set(cutPoints);
  const order = dataflowOrder(workload);
  const hasFusionEdge = order.some((n) => n.kind === 'fusion-edge');
  const hasCut = order.some((n) => n.kind === 'computation' && cutSet.has(n.name));
  if (!hasFusionEdge && !hasCut) return [workload];

  // Assign every iteration-space node to a group index; FusionEdges to none.
  const groupOf = new Map<string, number>();
  let current = 0;
  let currentHasNodes = false;
  for (const n of order) {
    if (n.kind === 'fusion-edge') {
      if (currentHasNodes) current++;
      currentHasNodes = false;
      continue;
    }
    if (!hasIterationSpace(n)) continue;
    groupOf.set(n.name, current);
    currentHasNodes = true;
    if (cutSet.has(n.name)) {
      current++;
      currentHasNodes = false;
    }
  }
  const groupCount = Math.max(...[...groupOf.values()], -1) + 1;
  const producers = producerByTensor(workload.nodes);

  const members: WorkloadNode[][] = Array.from({ length: groupCount }, () => []);
  for (const n of order) {
    const g = groupOf.get(n.name);
    if (g !== undefined) members[g].push(n);
  }

  const groups: Workload[] = [];
  for (let g = 0; g < groupCount; g++) {
    const computeNodes = members[g];
    if (computeNodes.length === 0) continue;
    const inEdges: InEdgeNode[] = [];
    const inEdgeTensors = new Set<string>();
    const addInEdge = (name: string, tensor: Tensor, isInitializer: boolean) => {
      if (inEdgeTensors.has(tensor.name)) return;
      inEdgeTensors.add(tensor.name);
      inEdges.push({ kind: 'in', name, output: tensor, isInitializer });
    };
    for (const n of computeNodes) {
      for (const t of nodeInputs(n)) {
        const p = producers.get(t.name);
        if (!p) continue;
        if (p.kind === 'in') addInEdge(p.name, t, p.isInitializer);
        else if (p.kind === 'fusion-edge') addInEdge(`${p.name}_in`, t, false);
        else if (groupOf.get(p.name) !== g) {
          const name = cutSet.has(p.name) ? `${p.name}_cut_in` : `${t.name}_bridge_in`;
          addInEdge(name, t, false);
        }
      }
    }

    const outEdges: OutEdgeNode[] = [];
    const outEdgeTensors = new Set<string>();
    const addOutEdge = (name: string, tensor: Tensor) => {
      if (outEdgeTensors.has(`${name}\u0000${tensor.name}`)) return;
      outEdgeTensors.add(`${name}\u0000${tensor.name}`);
      outEdges.push({ kind: 'out', name, input: tensor });
    };
    for (const n of computeNodes) {
      for (const t of nodeOutputs(n)) {
        for (const c of workload.nodes) {
          if (!nodeInputs(c).some((i) => i.name === t.name)) continue;
          if (c.kind === 'out') addOutEdge(c.name, t);
          else if (c.kind === 'fusion-edge') addOutEdge(`${c.name}_out`, t);
          else if (hasIterationSpace(c) && groupOf.get(c.name) !== g) {
            addOutEdge(cutSet.has(n.name) ? `${n.name}_cut_out` : `${t.name}_bridge_out`, t);
          }
        }
      }
    }
    groups.push(workloadOf(`${workload.name}_group${groups.length}`, [...inEdges, ...computeNodes, ...outEdges], workload.sourceFile));
  }
  return groups;
}
