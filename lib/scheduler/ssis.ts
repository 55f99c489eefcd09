/**
 * Steady-state iteration spaces (reference-co-pipeline §9.3; Stream's
 * `generate_steady_state_iteration_spaces` and the tensor SSIS derived from it).
 *
 * An SSIS is the loop nest of one node or tensor within one steady-state iteration, stored innermost
 * first: KERNEL loops (the per-core extent of every unique dim), then SPATIAL / SPATIOTEMPORAL loops (the
 * inter-core unrollings), then TEMPORAL loops (the fusion splits, one per steady-state loop). The MILP
 * reads only the temporal part (fractions, reuse tables); the rest feeds memory estimates and reports.
 */
import { Workload, WorkloadNode, hasIterationSpace, nodeOutputs } from '../workload/model';
import { SteadyStateDims } from './dims';

export type LoopKind = 'KERNEL' | 'SPATIAL' | 'SPATIOTEMPORAL' | 'TEMPORAL';
/** How a loop relates to a node or tensor: it indexes it, it repeats it, or the node does not run it at all. */
export type LoopEffect = 'VARYING' | 'INVARIANT' | 'ABSENT';

export interface IterationVariable {
  /** Unique dim index. */
  readonly dim: number;
  readonly size: number;
  readonly kind: LoopKind;
  readonly effect: LoopEffect;
  /** Set after the MILP: whether the tensor stays resident across this loop. */
  readonly reuse?: boolean;
}

/** Innermost first. */
export type SteadyStateIterationSpace = readonly IterationVariable[];

/** One inter-core split `(unique dim, factor)`. */
export interface Unrolling {
  readonly dim: number;
  readonly factor: number;
}

/** One steady-state loop: `splits` tiles of `dim`. */
export interface FusionSplit {
  readonly dim: number;
  readonly splits: number;
}

export interface SsisInput {
  readonly workload: Workload;
  readonly dims: SteadyStateDims;
  /** Inter-core tiling of every iteration-space node (compute and transfer) in unique dims; absent = none. */
  readonly unrollings: ReadonlyMap<string, readonly Unrolling[]>;
  /** Fusion splits keyed by the steady-state workload's dims, in the reference's order. */
  readonly fusionSplits: readonly FusionSplit[];
  /** Iteration-space nodes in the order their unrollings are merged (dataflow order). */
  readonly nodeOrder: readonly WorkloadNode[];
}

export interface SteadyStateIterationSpaces {
  /** Merged unrollings: the largest factor per dim, in first-seen order. */
  readonly spatialUnrollings: readonly Unrolling[];
  /** Per iteration-space node, in node-list order. */
  readonly nodes: ReadonlyMap<string, SteadyStateIterationSpace>;
  /** Per tensor: InEdge outputs first, then the outputs of iteration-space nodes in node-list order. */
  readonly tensors: ReadonlyMap<string, SteadyStateIterationSpace>;
}

export function mergeSpatialUnrollings(nodeOrder: readonly WorkloadNode[], unrollings: ReadonlyMap<string, readonly Unrolling[]>): Unrolling[] {
  const merged: Unrolling[] = [];
  for (const node of nodeOrder) {
    for (const u of unrollings.get(node.name) ?? []) {
      const at = merged.findIndex((m) => m.dim === u.dim);
      if (at < 0) merged.push(u);
      else if (u.factor > merged[at].factor) merged[at] = u;
    }
  }
  return merged;
}

/**
 * Compute nodes a transfer serves: its neighbours, looking through chains of transfers (a staging
 * transfer reaches the compute nodes behind the next hop).
 */
export function reachableComputeNodes(workload: Workload, transfer: string): readonly string[] {
  const byName = new Map(workload.nodes.map((n) => [n.name, n]));
  const neighbours = new Map<string, string[]>();
  for (const e of workload.edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  const found: string[] = [];
  const seen = new Set([transfer]);
  const queue = [transfer];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const next of neighbours.get(current) ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      const node = byName.get(next);
      if (node?.kind === 'computation') found.push(next);
      else if (node?.kind === 'transfer') queue.push(next);
    }
  }
  return found;
}

function nodeSsis(node: WorkloadNode, input: SsisInput, spatial: readonly Unrolling[], reachableDims: ReadonlySet<number>): IterationVariable[] {
  const dims = new Set(input.dims.nodeDims.get(node.name) ?? []);
  const own = input.unrollings.get(node.name) ?? [];
  const relevance = (z: number): LoopEffect => (dims.has(z) ? 'VARYING' : 'INVARIANT');
  const vars: IterationVariable[] = [];

  input.dims.sizes.forEach((size, z) => {
    const unroll = spatial.find((u) => u.dim === z)?.factor ?? 1;
    vars.push({ dim: z, size: Math.floor(size / unroll), kind: 'KERNEL', effect: relevance(z) });
  });

  for (const u of spatial) {
    const mine = own.find((o) => o.dim === u.dim);
    if (mine && mine.factor === u.factor) {
      vars.push({ dim: u.dim, size: u.factor, kind: 'SPATIAL', effect: relevance(u.dim) });
    } else if (!dims.has(u.dim)) {
      vars.push({ dim: u.dim, size: u.factor, kind: 'SPATIOTEMPORAL', effect: 'ABSENT' });
    } else if (mine && mine.factor < u.factor) {
      vars.push({ dim: u.dim, size: u.factor / mine.factor, kind: 'SPATIOTEMPORAL', effect: 'VARYING' });
      vars.push({ dim: u.dim, size: mine.factor, kind: 'SPATIAL', effect: 'VARYING' });
    } else {
      vars.push({ dim: u.dim, size: u.factor, kind: 'SPATIOTEMPORAL', effect: 'VARYING' });
    }
  }

  for (const split of input.fusionSplits) {
    let effect: LoopEffect;
    if (dims.has(split.dim)) effect = 'VARYING';
    else if (node.kind === 'transfer' && reachableDims.has(split.dim)) effect = 'INVARIANT';
    else effect = 'ABSENT';
    vars.push({ dim: split.dim, size: split.splits, kind: 'TEMPORAL', effect });
  }
  return vars;
}

/** A tensor's SSIS: its producer's loops, re-judged against the dims that index the tensor. */
export function tensorSsisFrom(producer: SteadyStateIterationSpace, tensorDims: ReadonlySet<number>): IterationVariable[] {
  return producer.map((v) => ({
    ...v,
    effect: tensorDims.has(v.dim) ? 'VARYING' : v.effect === 'ABSENT' ? 'ABSENT' : 'INVARIANT',
  }));
}

export function generateSteadyStateIterationSpaces(input: SsisInput): SteadyStateIterationSpaces {
  const { workload, dims } = input;
  const spatialUnrollings = mergeSpatialUnrollings(input.nodeOrder, input.unrollings);
  const nodes = new Map<string, SteadyStateIterationSpace>();
  for (const node of workload.nodes) {
    if (!hasIterationSpace(node)) continue;
    const reachableDims = new Set<number>();
    if (node.kind === 'transfer') {
      for (const c of reachableComputeNodes(workload, node.name)) for (const z of dims.nodeDims.get(c) ?? []) reachableDims.add(z);
    }
    nodes.set(node.name, nodeSsis(node, input, spatialUnrollings, reachableDims));
  }

  const tensors = new Map<string, SteadyStateIterationSpace>();
  const dimsOf = (tensor: string): ReadonlySet<number> => dims.tensorDims.get(tensor) ?? new Set();
  for (const node of workload.nodes) {
    if (node.kind !== 'in') continue;
    const firstSuccessor = workload.edges.find((e) => e.from === node.name)?.to;
    const space = firstSuccessor === undefined ? undefined : nodes.get(firstSuccessor);
    if (space) tensors.set(node.output.name, tensorSsisFrom(space, dimsOf(node.output.name)));
  }
  for (const node of workload.nodes) {
    if (!hasIterationSpace(node)) continue;
    const space = nodes.get(node.name) as SteadyStateIterationSpace;
    for (const t of nodeOutputs(node)) tensors.set(t.name, tensorSsisFrom(space, dimsOf(t.name)));
  }
  return { spatialUnrollings, nodes, tensors };
}

/** Temporal loops, innermost first. */
export const temporalLoops = (space: SteadyStateIterationSpace): readonly IterationVariable[] => space.filter((v) => v.kind === 'TEMPORAL');

/** Temporal loops that are not ABSENT: the loops whose iterations the node or tensor actually takes part in. */
export const applicableTemporalLoops = (space: SteadyStateIterationSpace): readonly IterationVariable[] =>
  space.filter((v) => v.kind === 'TEMPORAL' && v.effect !== 'ABSENT');

/**
 * Steady-state iterations: the smallest product of temporal sizes over all SSIS (every SSIS carries every
 * fusion split, so in practice the product of the splits).
 */
export function iterationCount(spaces: SteadyStateIterationSpaces): number {
  let n = Infinity;
  for (const space of [...spaces.nodes.values(), ...spaces.tensors.values()]) {
    n = Math.min(n, temporalLoops(space).reduce((p, v) => p * v.size, 1));
  }
  return Number.isFinite(n) ? n : 1;
}

/** `[Π sizes of non-ABSENT temporal loops, Π sizes of all temporal loops]`: the share of iterations a node fires in. */
export function activeFraction(space: SteadyStateIterationSpace): readonly [number, number] {
  const all = temporalLoops(space);
  return [applicableTemporalLoops(space).reduce((p, v) => p * v.size, 1), all.reduce((p, v) => p * v.size, 1)];
}

const KIND_LETTER: Record<LoopKind, string> = { KERNEL: 'K', SPATIAL: 'S', SPATIOTEMPORAL: 'ST', TEMPORAL: 'T' };

/** The reference's printed loop nest, outermost first: `T(z10,1,V)`, `S(z6,4,I)`, … */
export function formatSsis(space: SteadyStateIterationSpace): readonly string[] {
  return [...space].reverse().map((v) => `${KIND_LETTER[v.kind]}(z${v.dim},${v.size},${v.effect[0]})`);
}
