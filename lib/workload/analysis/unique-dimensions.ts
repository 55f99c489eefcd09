/**
 * Global and unique dims of a workload (reference-co-pipeline §3.3-§3.5).
 *
 * Every iteration-space node gets a contiguous block of *global* slots in dataflow order. Producer/consumer
 * index relations that are pure identities (`d_p − d_q + c = 0`) merge slots into *unique dims*
 * `z0, z1, …`; all tiling, fusion splits and steady-state iteration spaces are keyed by them.
 *
 * The reference solves the relation system by exact RREF. With identity relations only, that solution is
 * reproduced by a union-find whose class representative is the *largest* global slot (RREF pivots the
 * smaller columns, so the last column of a class stays free), with z numbered by ascending representative.
 * Because only ±1 identities survive, every slot is `z + offset`; offsets are 0 for every shipped graph but
 * are carried so that recurrence/slice reads stay exact.
 */
import { AffineExpr, AffineMap, IterationSpaceNode, Workload, hasIterationSpace } from '../model';
import { consumersByTensor, inputMapsOf, iterationSpaceNodesInDataflowOrder, outputMapOf, producerByTensor } from './graph';
import { iteratorTypes } from './iterator-types';

/** A global slot expressed in unique dims: `z<dim> + offset`. */
export interface UniqueDimSlot {
  readonly dim: number;
  readonly offset: number;
}

export interface UniqueDimensions {
  /** Iteration-space nodes in dataflow order (the order in which they received their global slots). */
  readonly nodes: readonly IterationSpaceNode[];
  /** First global slot of each node, by node name; its local dim i is slot `first + i`. */
  readonly firstSlot: ReadonlyMap<string, number>;
  /** One entry per global slot. */
  readonly slots: readonly UniqueDimSlot[];
  /** Size of every global slot, read off the tensors (§3.5). */
  readonly slotSizes: readonly number[];
  /** Number of unique dims. */
  readonly count: number;
  /** Size of every unique dim: the size of the first slot that equals it. */
  readonly sizes: readonly number[];
  /** First global slot equal to each unique dim (offset 0). */
  readonly firstSlotOfDim: readonly number[];
  /** Unique dim of every local dim, by node name (`get_dims(node)`). */
  readonly nodeDims: ReadonlyMap<string, readonly number[]>;
}

/** `z3`: the printed name the reference (and every golden record) uses. */
export function uniqueDimName(dim: number): string {
  return `z${dim}`;
}

/** A sparse linear form over global slots. */
interface SlotForm {
  readonly coefs: ReadonlyMap<number, number>;
  readonly constant: number;
}

function globalForm(expr: AffineExpr, first: number): SlotForm {
  const coefs = new Map<number, number>();
  for (const t of expr.terms) coefs.set(first + t.dim, (coefs.get(first + t.dim) ?? 0) + t.coef);
  return { coefs, constant: expr.constant };
}

function difference(a: SlotForm, b: SlotForm): SlotForm {
  const coefs = new Map(a.coefs);
  for (const [slot, c] of b.coefs) coefs.set(slot, (coefs.get(slot) ?? 0) - c);
  for (const [slot, c] of [...coefs]) if (c === 0) coefs.delete(slot);
  return { coefs, constant: a.constant - b.constant };
}

/** Union-find over global slots with offsets: `x_i = x_parent(i) + offset(i)`. */
class OffsetUnionFind {
  private readonly parent: number[];
  private readonly offset: number[];

  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
    this.offset = new Array<number>(size).fill(0);
  }

  find(i: number): { root: number; offset: number } {
    let root = i;
    let total = 0;
    while (this.parent[root] !== root) {
      total += this.offset[root];
      root = this.parent[root];
    }
    // Path compression keeps offsets relative to the root.
    let node = i;
    let remaining = total;
    while (this.parent[node] !== node) {
      const next = this.parent[node];
      const step = this.offset[node];
      this.parent[node] = root;
      this.offset[node] = remaining;
      remaining -= step;
      node = next;
    }
    return { root, offset: total };
  }

  /** Records `x_p = x_q + d`; the larger root becomes the representative. */
  union(p: number, q: number, d: number): void {
    const a = this.find(p);
    const b = this.find(q);
    if (a.root === b.root) {
      if (a.offset !== b.offset + d) {
        throw new Error(`Inconsistent index relations between global dims d${p} and d${q}.`);
      }
      return;
    }
    if (a.root < b.root) {
      // x_ra = x_p − a.offset = x_q + d − a.offset = x_rb + b.offset + d − a.offset
      this.parent[a.root] = b.root;
      this.offset[a.root] = b.offset + d - a.offset;
    } else {
      this.parent[b.root] = a.root;
      this.offset[b.root] = a.offset - d - b.offset;
    }
  }
}

/**
 * Identity relations (§3.4 step 1-2): producer output map vs consumer input map for every edge between
 * iteration-space nodes, and every pair of consumers of a graph input except on axes that both index
 * with a PARALLEL dim. Only relations `x_p − x_q + c` survive.
 */
function collectIdentityRelations(
  workload: Workload,
  nodes: readonly IterationSpaceNode[],
  firstSlot: ReadonlyMap<string, number>,
): { plus: number; minus: number; constant: number }[] {
  const relations: { plus: number; minus: number; constant: number }[] = [];
  const relate = (a: AffineExpr, firstA: number, b: AffineExpr, firstB: number) => {
    const diff = difference(globalForm(a, firstA), globalForm(b, firstB));
    if (diff.coefs.size !== 2) return;
    const entries = [...diff.coefs];
    const plus = entries.find(([, c]) => c === 1);
    const minus = entries.find(([, c]) => c === -1);
    if (!plus || !minus) return;
    relations.push({ plus: plus[0], minus: minus[0], constant: diff.constant });
  };
  const relateMaps = (a: AffineMap, firstA: number, b: AffineMap, firstB: number, skipAxis?: (axis: number) => boolean) => {
    const n = Math.min(a.results.length, b.results.length);
    for (let axis = 0; axis < n; axis++) {
      if (skipAxis?.(axis)) continue;
      relate(a.results[axis], firstA, b.results[axis], firstB);
    }
  };

  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const edge of workload.edges) {
    const producer = byName.get(edge.from);
    const consumer = byName.get(edge.to);
    if (!producer || !consumer) continue;
    const out = outputMapOf(producer, edge.tensor);
    if (!out) continue;
    for (const inMap of inputMapsOf(consumer, edge.tensor)) {
      relateMaps(out, firstSlot.get(producer.name)!, inMap, firstSlot.get(consumer.name)!);
    }
  }

  const producers = producerByTensor(workload.nodes);
  const consumers = consumersByTensor(workload.nodes);
  const types = new Map(nodes.map((n) => [n.name, iteratorTypes(n)]));
  const allParallel = (node: IterationSpaceNode, e: AffineExpr) =>
    e.terms.length > 0 && e.terms.every((t) => types.get(node.name)![t.dim] === 'parallel');
  for (const [tensor, readers] of consumers) {
    if (producers.get(tensor)?.kind !== 'in') continue;
    const iterationReaders = readers.filter(hasIterationSpace).filter((n) => byName.has(n.name));
    for (let i = 0; i < iterationReaders.length; i++) {
      for (let j = i + 1; j < iterationReaders.length; j++) {
        const a = iterationReaders[i];
        const b = iterationReaders[j];
        for (const mapA of inputMapsOf(a, tensor)) {
          for (const mapB of inputMapsOf(b, tensor)) {
            relateMaps(mapA, firstSlot.get(a.name)!, mapB, firstSlot.get(b.name)!, (axis) =>
              allParallel(a, mapA.results[axis]) && allParallel(b, mapB.results[axis]),
            );
          }
        }
      }
    }
  }
  return relations;
}

/**
 * Slot sizes (§3.5): a slot indexed bare by some operand takes that axis size (first hit in node-list
 * order, inputs then outputs); a slot that only appears inside sums (pooling windows) is solved from the
 * axis extent once the other dims of the sum are known.
 */
function slotSizesOf(workload: Workload, firstSlot: ReadonlyMap<string, number>, slotCount: number): number[] {
  const sizes: (number | undefined)[] = new Array(slotCount).fill(undefined);
  const accesses: { first: number; expr: AffineExpr; axisSize: number }[] = [];
  for (const node of workload.nodes) {
    if (!hasIterationSpace(node)) continue;
    const first = firstSlot.get(node.name);
    if (first === undefined) continue;
    const operands = [...node.inputs, ...node.outputs];
    operands.forEach((tensor, k) => {
      node.operandMaps[k].results.forEach((expr, axis) => {
        accesses.push({ first, expr, axisSize: tensor.shape[axis] });
      });
    });
  }
  for (const a of accesses) {
    const e = a.expr;
    if (e.terms.length === 1 && e.terms[0].coef === 1 && e.constant === 0) {
      const slot = a.first + e.terms[0].dim;
      if (sizes[slot] === undefined) sizes[slot] = a.axisSize;
    }
  }
  let progress = true;
  while (progress && sizes.some((s) => s === undefined)) {
    progress = false;
    for (const a of accesses) {
      const unknown = a.expr.terms.filter((t) => sizes[a.first + t.dim] === undefined);
      if (unknown.length !== 1 || unknown[0].coef <= 0) continue;
      const otherMax = a.expr.terms
        .filter((t) => t !== unknown[0])
        .reduce((s, t) => s + Math.max(0, t.coef * (sizes[a.first + t.dim]! - 1)), 0);
      const slot = a.first + unknown[0].dim;
      sizes[slot] = Math.floor((a.axisSize - 1 - a.expr.constant - otherMax) / unknown[0].coef) + 1;
      progress = true;
    }
  }
  const missing = sizes.findIndex((s) => s === undefined);
  if (missing >= 0) throw new Error(`Workload ${workload.name}: cannot derive the size of global dim d${missing}.`);
  return sizes as number[];
}

/** `Workload.unique_dimensions` plus `get_dimension_sizes`, computed once. */
export function uniqueDimensions(workload: Workload): UniqueDimensions {
  const nodes = iterationSpaceNodesInDataflowOrder(workload);
  const firstSlot = new Map<string, number>();
  let slotCount = 0;
  for (const n of nodes) {
    firstSlot.set(n.name, slotCount);
    slotCount += n.operandMaps[0]?.numDims ?? 0;
  }

  const uf = new OffsetUnionFind(slotCount);
  for (const r of collectIdentityRelations(workload, nodes, firstSlot)) {
    // x_plus − x_minus + c = 0  ⇒  x_plus = x_minus − c
    uf.union(r.plus, r.minus, -r.constant);
  }

  const roots = [...new Set(Array.from({ length: slotCount }, (_, i) => uf.find(i).root))].sort((a, b) => a - b);
  const dimOfRoot = new Map(roots.map((root, z) => [root, z]));
  const slots: UniqueDimSlot[] = Array.from({ length: slotCount }, (_, i) => {
    const { root, offset } = uf.find(i);
    return { dim: dimOfRoot.get(root)!, offset };
  });

  const slotSizes = slotSizesOf(workload, firstSlot, slotCount);
  const firstSlotOfDim = roots.map((_, z) => slots.findIndex((s) => s.dim === z && s.offset === 0));
  const sizes = firstSlotOfDim.map((s) => slotSizes[s]);
  const nodeDims = new Map<string, readonly number[]>();
  for (const n of nodes) {
    const first = firstSlot.get(n.name)!;
    const numDims = n.operandMaps[0]?.numDims ?? 0;
    nodeDims.set(n.name, Array.from({ length: numDims }, (_, i) => slots[first + i].dim));
  }
  return { nodes, firstSlot, slots, slotSizes, count: roots.length, sizes, firstSlotOfDim, nodeDims };
}

/** `get_dims(node)`: the unique dim of each local dim of `node`. */
export function dimsOf(dimensions: UniqueDimensions, nodeName: string): readonly number[] {
  const dims = dimensions.nodeDims.get(nodeName);
  if (!dims) throw new Error(`Node ${nodeName} has no iteration space in this workload.`);
  return dims;
}

/** A local dim `d<i>` of `node` expressed in unique dims. */
export function slotOf(dimensions: UniqueDimensions, nodeName: string, localDim: number): UniqueDimSlot {
  const first = dimensions.firstSlot.get(nodeName);
  if (first === undefined) throw new Error(`Node ${nodeName} has no iteration space in this workload.`);
  return dimensions.slots[first + localDim];
}
