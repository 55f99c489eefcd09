/**
 * Timeslots of the steady-state schedule (reference-co-pipeline §9.4, Stream's `Workload.get_timeslots`).
 *
 * Nodes are visited in lexicographic topological order with the key (class, node-list position), classes
 * compute 0, transfer 1, fusion edge 2, InEdge 3, OutEdge 4; so compute nodes are placed as soon as they
 * become ready. A node starts one slot after its latest predecessor and is bumped to later slots until
 * the nodes of its resource class in that slot can all be given pairwise-disjoint resources: core sets
 * for compute nodes, route link sets for transfers. Each node may have several candidate resource sets;
 * the check searches for a disjoint choice with backtracking. A node without any candidate is exclusive.
 * In/OutEdges never conflict.
 */
import { Workload, WorkloadNode } from '../workload/model';

const CLASS_ORDER: Record<WorkloadNode['kind'], number> = { computation: 0, transfer: 1, 'fusion-edge': 2, in: 3, out: 4 };

export interface TimeslotInput {
  readonly workload: Workload;
  /** Candidate resource sets per compute node (its core allocations) and per transfer (the links of each route). */
  readonly resourceOptions: ReadonlyMap<string, readonly (readonly number[])[]>;
}

export interface Timeslots {
  readonly slotOf: ReadonlyMap<string, number>;
  /** Node names per slot, in the order they were placed. */
  readonly slots: readonly (readonly string[])[];
  readonly maxSlot: number;
}

/** Whether each option list can contribute one set so that all chosen sets are pairwise disjoint. */
export function admitsDisjointChoice(optionLists: readonly (readonly (readonly number[])[])[]): boolean {
  // A node alone in its class always fits; among several, one without options excludes the rest.
  if (optionLists.length <= 1) return true;
  if (optionLists.some((o) => o.length === 0)) return false;
  const used = new Set<number>();
  const choose = (i: number): boolean => {
    if (i === optionLists.length) return true;
    for (const option of optionLists[i]) {
      if (option.some((r) => used.has(r))) continue;
      option.forEach((r) => used.add(r));
      if (choose(i + 1)) return true;
      option.forEach((r) => used.delete(r));
    }
    return false;
  };
  return choose(0);
}

export function assignTimeslots(input: TimeslotInput): Timeslots {
  const { workload, resourceOptions } = input;
  const position = new Map(workload.nodes.map((n, i) => [n.name, i]));
  const predecessors = new Map<string, string[]>();
  const successors = new Map<string, string[]>();
  const indegree = new Map<string, number>(workload.nodes.map((n) => [n.name, 0]));
  const seen = new Set<string>();
  for (const e of workload.edges) {
    const key = `${e.from}>${e.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    predecessors.set(e.to, [...(predecessors.get(e.to) ?? []), e.from]);
    successors.set(e.from, [...(successors.get(e.from) ?? []), e.to]);
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  }
  const order = lexicographicTopologicalOrder(
    workload.nodes,
    (n): readonly [number, number] => [CLASS_ORDER[n.kind], position.get(n.name) ?? 0],
    indegree,
    successors,
    (a, b) => a[0] - b[0] || a[1] - b[1],
  );

  const slotOf = new Map<string, number>();
  const members: string[][] = [];
  const kindOf = new Map(workload.nodes.map((n) => [n.name, n.kind]));
  for (const node of order) {
    let slot = Math.max(-1, ...(predecessors.get(node.name) ?? []).map((p) => slotOf.get(p) ?? -1)) + 1;
    if (node.kind === 'computation' || node.kind === 'transfer') {
      const mine = resourceOptions.get(node.name) ?? [];
      for (;;) {
        const rivals = (members[slot] ?? []).filter((m) => kindOf.get(m) === node.kind);
        if (rivals.length === 0) break;
        if (admitsDisjointChoice([mine, ...rivals.map((r) => resourceOptions.get(r) ?? [])])) break;
        slot++;
      }
    }
    slotOf.set(node.name, slot);
    while (members.length <= slot) members.push([]);
    members[slot].push(node.name);
  }
  return { slotOf, slots: members, maxSlot: members.length - 1 };
}

/** Kahn's algorithm always taking the ready node with the smallest key (networkx `lexicographical_topological_sort`). */
export function lexicographicTopologicalOrder<K>(
  nodes: readonly WorkloadNode[],
  key: (n: WorkloadNode) => K,
  indegree: ReadonlyMap<string, number>,
  successors: ReadonlyMap<string, readonly string[]>,
  compare: (a: K, b: K) => number = (a, b) => (a < b ? -1 : a > b ? 1 : 0),
): readonly WorkloadNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const remaining = new Map(indegree);
  const ready = nodes.filter((n) => (remaining.get(n.name) ?? 0) === 0);
  const order: WorkloadNode[] = [];
  while (ready.length > 0) {
    let best = 0;
    for (let i = 1; i < ready.length; i++) if (compare(key(ready[i]), key(ready[best])) < 0) best = i;
    const [node] = ready.splice(best, 1);
    order.push(node);
    for (const s of successors.get(node.name) ?? []) {
      const left = (remaining.get(s) ?? 0) - 1;
      remaining.set(s, left);
      if (left === 0) ready.push(byName.get(s) as WorkloadNode);
    }
  }
  if (order.length !== nodes.length) throw new Error('Workload graph has a cycle');
  return order;
}

