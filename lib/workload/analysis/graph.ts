/**
 * Graph helpers the analysis passes share: dataflow order, producer/consumer look-ups and rebuilding a
 * workload's edge list after nodes were replaced.
 */
import {
  ComputationNode,
  IterationSpaceNode,
  Tensor,
  Workload,
  WorkloadEdge,
  WorkloadNode,
  hasIterationSpace,
  nodeInputs,
  nodeOutputs,
} from '../model';

/** Python's default string order (code points), which is what the reference's sort keys compare. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Dataflow order: a lexicographic topological sort in which, among the nodes whose producers are all
 * placed, the one with the smallest *name* goes first (ties by position in the node list).
 *
 * Why the name and not the list position: the swiglu golden gives the global slots to Gemm_Left, Silu,
 * Gemm_Right, Elt_Mul, Gemm_Down although the ONNX file lists Gemm_Left, Gemm_Right, Silu, ...; only a
 * name key reproduces that (and every other golden graph, including the steady-state graphs with their
 * `Transfer(...)` nodes). The reference sorts its node objects, whose order is their name.
 */
export function dataflowOrder(workload: Workload): readonly WorkloadNode[] {
  const position = new Map<string, number>();
  workload.nodes.forEach((n, i) => position.set(n.name, i));
  const indegree = new Map<string, number>(workload.nodes.map((n) => [n.name, 0]));
  const successors = new Map<string, string[]>(workload.nodes.map((n) => [n.name, []]));
  const seenPairs = new Set<string>();
  for (const e of workload.edges) {
    const key = `${e.from}\u0000${e.to}`;
    if (seenPairs.has(key) || !indegree.has(e.from) || !indegree.has(e.to)) continue;
    seenPairs.add(key);
    successors.get(e.from)!.push(e.to);
    indegree.set(e.to, indegree.get(e.to)! + 1);
  }
  const byName = new Map(workload.nodes.map((n) => [n.name, n]));
  const before = (a: string, b: string) => compareCodePoints(a, b) || position.get(a)! - position.get(b)!;
  const ready = workload.nodes.filter((n) => indegree.get(n.name) === 0).map((n) => n.name);
  const order: WorkloadNode[] = [];
  while (ready.length > 0) {
    // Graphs are small (tens of nodes); a linear scan keeps this obviously correct.
    let best = 0;
    for (let i = 1; i < ready.length; i++) if (before(ready[i], ready[best]) < 0) best = i;
    const name = ready.splice(best, 1)[0];
    order.push(byName.get(name)!);
    for (const next of successors.get(name)!) {
      const d = indegree.get(next)! - 1;
      indegree.set(next, d);
      if (d === 0) ready.push(next);
    }
  }
  if (order.length !== workload.nodes.length) {
    throw new Error(`Workload ${workload.name} has a cycle; no dataflow order exists.`);
  }
  return order;
}

export function iterationSpaceNodesInDataflowOrder(workload: Workload): readonly IterationSpaceNode[] {
  return dataflowOrder(workload).filter(hasIterationSpace);
}

export function computationNodesInDataflowOrder(workload: Workload): readonly ComputationNode[] {
  return dataflowOrder(workload).filter((n): n is ComputationNode => n.kind === 'computation');
}

/** Producer of every tensor name (the node whose outputs contain it). */
export function producerByTensor(nodes: readonly WorkloadNode[]): ReadonlyMap<string, WorkloadNode> {
  const producers = new Map<string, WorkloadNode>();
  for (const n of nodes) for (const t of nodeOutputs(n)) if (!producers.has(t.name)) producers.set(t.name, n);
  return producers;
}

/** Consumers of every tensor name, in node-list order (a node reading a tensor twice is listed once). */
export function consumersByTensor(nodes: readonly WorkloadNode[]): ReadonlyMap<string, readonly WorkloadNode[]> {
  const consumers = new Map<string, WorkloadNode[]>();
  for (const n of nodes) {
    const names = new Set(nodeInputs(n).map((t) => t.name));
    for (const name of names) {
      const list = consumers.get(name) ?? [];
      list.push(n);
      consumers.set(name, list);
    }
  }
  return consumers;
}

/** Edges as the front end builds them: one per consumer input tensor, from its unique producer, in consumer order. */
export function edgesOf(nodes: readonly WorkloadNode[]): readonly WorkloadEdge[] {
  const producers = producerByTensor(nodes);
  const edges: WorkloadEdge[] = [];
  for (const n of nodes) {
    for (const t of nodeInputs(n)) {
      const p = producers.get(t.name);
      if (p && p.name !== n.name) edges.push({ from: p.name, to: n.name, tensor: t.name });
    }
  }
  return edges;
}

/** A workload over `nodes` with freshly derived edges. */
export function workloadOf(name: string, nodes: readonly WorkloadNode[], sourceFile?: string): Workload {
  return sourceFile === undefined
    ? { name, nodes, edges: edgesOf(nodes) }
    : { name, nodes, edges: edgesOf(nodes), sourceFile };
}

/** The operand maps of `node` that access `tensorName` (a node may read a tensor more than once). */
export function mapsOfTensor(node: IterationSpaceNode, tensorName: string) {
  const maps = [];
  const operands: readonly Tensor[] = [...node.inputs, ...node.outputs];
  for (let i = 0; i < operands.length; i++) if (operands[i].name === tensorName) maps.push(node.operandMaps[i]);
  return maps;
}

/** The map of `node`'s output `tensorName` (outputs follow inputs in `operandMaps`). */
export function outputMapOf(node: IterationSpaceNode, tensorName: string) {
  const k = node.outputs.findIndex((t) => t.name === tensorName);
  return k < 0 ? undefined : node.operandMaps[node.inputs.length + k];
}

/** The maps with which `node` reads `tensorName` as an input. */
export function inputMapsOf(node: IterationSpaceNode, tensorName: string) {
  return node.inputs.flatMap((t, i) => (t.name === tensorName ? [node.operandMaps[i]] : []));
}
