/**
 * Routes for transfers over the core graph (reference-co-pipeline §9.2; Stream's CommunicationManager).
 *
 * For a (sources, targets) pair of core sets the reference enumerates, per (source, target) core
 * pair, up to k simple paths (the cached shortest path first, then networkx's Yen-style
 * `shortest_simple_paths`), runs a beam search over the pairs in (source id, target id) order that
 * minimises the number of distinct directed edges used, and turns the best state into one
 * `MulticastPathPlan`. Route choice decides link contention and transfer latency, so every tie-break
 * below reproduces networkx's traversal order exactly: neighbours are visited in edge-insertion order
 * (`Accelerator.edges`), the bidirectional BFS expands the smaller fringe, and Yen's candidate heap
 * breaks cost ties by push order.
 */
import { Accelerator } from '../hardware/model';

/** A simple path as a list of core ids, source first. A single-core path means source = target. */
export type CorePath = readonly number[];

export interface MulticastPathPlan {
  /** Source cores in the order the source allocation lists them. */
  readonly sources: readonly number[];
  /** Target cores in the order the destination allocation lists them. */
  readonly targets: readonly number[];
  /** Number of distinct directed edges the chosen paths use. */
  readonly score: number;
  /** Distinct links (indices into `Accelerator.links`) in the order the chosen paths first traverse them. */
  readonly linksUsed: readonly number[];
  /** The chosen path of every (source, target) pair, in (source id, target id) order. */
  readonly paths: readonly CorePath[];
}

/** Adjacency of the directed core graph in networkx order (first insertion of each edge). */
export interface CoreGraph {
  readonly successors: ReadonlyMap<number, readonly number[]>;
  readonly predecessors: ReadonlyMap<number, readonly number[]>;
  /** Link index carried by the directed edge `from -> to` (last definition wins, reference quirk Q53). */
  linkOf(from: number, to: number): number | undefined;
}

/** Numeric key of a directed edge (core ids are small non-negative integers). */
const EDGE_KEY_BASE = 1_048_576;
const edgeKey = (from: number, to: number): number => from * EDGE_KEY_BASE + to;

function appendTo(adjacency: Map<number, number[]>, node: number, neighbour: number): void {
  const list = adjacency.get(node);
  if (list) list.push(neighbour);
  else adjacency.set(node, [neighbour]);
}

const coreGraphs = new WeakMap<Accelerator, CoreGraph>();

export function coreGraphOf(accelerator: Accelerator): CoreGraph {
  const cached = coreGraphs.get(accelerator);
  if (cached) return cached;
  const successors = new Map<number, number[]>();
  const predecessors = new Map<number, number[]>();
  const links = new Map<number, number>();
  for (const core of accelerator.cores) {
    successors.set(core.id, []);
    predecessors.set(core.id, []);
  }
  for (const edge of accelerator.edges) {
    const key = edgeKey(edge.from, edge.to);
    if (!links.has(key)) {
      appendTo(successors, edge.from, edge.to);
      appendTo(predecessors, edge.to, edge.from);
    }
    links.set(key, edge.link);
  }
  const graph: CoreGraph = {
    successors,
    predecessors,
    linkOf: (from, to) => links.get(edgeKey(from, to)),
  };
  coreGraphs.set(accelerator, graph);
  return graph;
}

interface SearchRestrictions {
  readonly ignoreNodes?: ReadonlySet<number>;
  readonly ignoreEdges?: ReadonlySet<number>;
}

/**
 * The core graph as the searches use it: cores numbered by id (ids are small: the accelerator
 * validation wants them dense), every directed edge numbered, neighbour lists in networkx order.
 * Searches run tens of thousands of times on a large mesh (a 36 × 36 multicast is 1296 core pairs),
 * so they mark visited cores and ignored edges in reused typed arrays instead of sets and maps.
 */
interface DenseGraph {
  readonly size: number;
  readonly successors: readonly Int32Array[];
  readonly predecessors: readonly Int32Array[];
  /** Number of the edge `from -> to` at `from * size + to`, or −1. */
  readonly edgeNumber: Int32Array;
  readonly edgeCount: number;
  /** Scratch of `search`: visit marks of the current search and the BFS trees. */
  readonly forwardMark: Uint32Array;
  readonly reverseMark: Uint32Array;
  readonly forwardParent: Int32Array;
  readonly reverseParent: Int32Array;
  stamp: number;
}

const denseGraphs = new WeakMap<CoreGraph, DenseGraph>();

function denseGraphOf(graph: CoreGraph): DenseGraph {
  const cached = denseGraphs.get(graph);
  if (cached) return cached;
  let size = 0;
  for (const [node, next] of graph.successors) size = Math.max(size, node + 1, ...next.map((n) => n + 1));
  for (const [node, previous] of graph.predecessors) size = Math.max(size, node + 1, ...previous.map((n) => n + 1));
  const successors: Int32Array[] = [];
  const predecessors: Int32Array[] = [];
  const edgeNumber = new Int32Array(size * size).fill(-1);
  let edgeCount = 0;
  for (let node = 0; node < size; node++) {
    const next = graph.successors.get(node) ?? [];
    successors.push(Int32Array.from(next));
    predecessors.push(Int32Array.from(graph.predecessors.get(node) ?? []));
    for (const to of next) if (edgeNumber[node * size + to] < 0) edgeNumber[node * size + to] = edgeCount++;
  }
  const dense: DenseGraph = {
    size,
    successors,
    predecessors,
    edgeNumber,
    edgeCount,
    forwardMark: new Uint32Array(size),
    reverseMark: new Uint32Array(size),
    forwardParent: new Int32Array(size),
    reverseParent: new Int32Array(size),
    stamp: 0,
  };
  denseGraphs.set(graph, dense);
  return dense;
}

/** Cores and edges a search must avoid: `ignoredNodes[core]`, `ignoredEdges[edge number]` non-zero. */
interface DenseRestrictions {
  readonly ignoredNodes: Uint8Array;
  readonly ignoredEdges: Uint8Array;
}

const NO_PARENT = -1;

/**
 * networkx's bidirectional BFS (`_bidirectional_pred_succ` + path assembly). Returns undefined when no
 * path exists. Which of several equally short paths comes out depends on the expansion order, which is
 * why this is not a plain BFS.
 */
function search(graph: DenseGraph, source: number, target: number, restrictions: DenseRestrictions): CorePath | undefined {
  const { ignoredNodes, ignoredEdges } = restrictions;
  if (ignoredNodes[source] || ignoredNodes[target]) return undefined;
  if (source === target) return [source];
  const { size, edgeNumber, forwardMark, reverseMark, forwardParent, reverseParent } = graph;
  // A fresh stamp marks this search's visits; the marks of earlier searches read as unvisited.
  if (graph.stamp === 0xffffffff) {
    forwardMark.fill(0);
    reverseMark.fill(0);
    graph.stamp = 0;
  }
  const stamp = ++graph.stamp;
  forwardMark[source] = stamp;
  forwardParent[source] = NO_PARENT;
  reverseMark[target] = stamp;
  reverseParent[target] = NO_PARENT;
  let forwardFringe = [source];
  let reverseFringe = [target];
  let meeting = -1;
  expansion: while (forwardFringe.length > 0 && reverseFringe.length > 0) {
    if (forwardFringe.length <= reverseFringe.length) {
      const level = forwardFringe;
      forwardFringe = [];
      for (const v of level) {
        const next = graph.successors[v];
        for (let i = 0; i < next.length; i++) {
          const w = next[i];
          if (ignoredNodes[w] || ignoredEdges[edgeNumber[v * size + w]]) continue;
          if (forwardMark[w] !== stamp) {
            forwardFringe.push(w);
            forwardMark[w] = stamp;
            forwardParent[w] = v;
          }
          if (reverseMark[w] === stamp) {
            meeting = w;
            break expansion;
          }
        }
      }
    } else {
      const level = reverseFringe;
      reverseFringe = [];
      for (const v of level) {
        const previous = graph.predecessors[v];
        for (let i = 0; i < previous.length; i++) {
          const w = previous[i];
          if (ignoredNodes[w] || ignoredEdges[edgeNumber[w * size + v]]) continue;
          if (reverseMark[w] !== stamp) {
            reverseMark[w] = stamp;
            reverseParent[w] = v;
            reverseFringe.push(w);
          }
          if (forwardMark[w] === stamp) {
            meeting = w;
            break expansion;
          }
        }
      }
    }
  }
  if (meeting < 0) return undefined;
  const head: number[] = [];
  for (let w = forwardParent[meeting]; w !== NO_PARENT; w = forwardParent[w]) head.push(w);
  head.reverse();
  for (let w = meeting; w !== NO_PARENT; w = reverseParent[w]) head.push(w);
  return head;
}

function denseRestrictions(graph: DenseGraph): DenseRestrictions {
  return { ignoredNodes: new Uint8Array(graph.size), ignoredEdges: new Uint8Array(graph.edgeCount) };
}

export function shortestPath(
  graph: CoreGraph,
  source: number,
  target: number,
  restrictions: SearchRestrictions = {},
): CorePath | undefined {
  const dense = denseGraphOf(graph);
  if (!(source >= 0 && source < dense.size && target >= 0 && target < dense.size)) return source === target ? [source] : undefined;
  const masks = denseRestrictions(dense);
  for (const node of restrictions.ignoreNodes ?? []) if (node >= 0 && node < dense.size) masks.ignoredNodes[node] = 1;
  for (const key of restrictions.ignoreEdges ?? []) {
    const from = Math.floor(key / EDGE_KEY_BASE);
    const to = key - from * EDGE_KEY_BASE;
    const edge = from < dense.size && to < dense.size ? dense.edgeNumber[from * dense.size + to] : -1;
    if (edge >= 0) masks.ignoredEdges[edge] = 1;
  }
  return search(dense, source, target, masks);
}

/** Min-heap entry of Yen's candidate buffer: cost first, then push order (networkx `PathBuffer`). */
interface BufferedPath {
  readonly cost: number;
  readonly order: number;
  readonly path: CorePath;
}

const before = (a: BufferedPath, b: BufferedPath): boolean => a.cost < b.cost || (a.cost === b.cost && a.order < b.order);

class PathBuffer {
  private readonly heap: BufferedPath[] = [];
  private readonly members = new Set<string>();
  private pushed = 0;

  get size(): number {
    return this.heap.length;
  }

  push(cost: number, path: CorePath): void {
    const key = path.join(',');
    if (this.members.has(key)) return;
    this.members.add(key);
    const heap = this.heap;
    heap.push({ cost, order: this.pushed++, path });
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  pop(): CorePath {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as BufferedPath;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    this.members.delete(top.path.join(','));
    return top.path;
  }
}

const startsWith = (path: CorePath, prefix: CorePath, prefixLength: number): boolean => {
  if (path.length < prefixLength) return false;
  for (let i = 0; i < prefixLength; i++) if (path[i] !== prefix[i]) return false;
  return true;
};

/**
 * Simple paths from `source` to `target`, shortest first: networkx `shortest_simple_paths` with unit
 * weights (Yen's algorithm over the bidirectional BFS). Costs are counted in nodes as networkx does
 * (root length + spur length), which only matters for tie order.
 */
export function* shortestSimplePaths(graph: CoreGraph, source: number, target: number): Generator<CorePath> {
  const dense = denseGraphOf(graph);
  const inGraph = (node: number) => node >= 0 && node < dense.size;
  const accepted: CorePath[] = [];
  const candidates = new PathBuffer();
  const masks = denseRestrictions(dense);
  let previous: CorePath | undefined;
  for (;;) {
    if (previous === undefined) {
      const first = inGraph(source) && inGraph(target) ? search(dense, source, target, masks) : source === target ? [source] : undefined;
      if (first) candidates.push(first.length, first);
    } else {
      masks.ignoredNodes.fill(0);
      masks.ignoredEdges.fill(0);
      for (let i = 1; i < previous.length; i++) {
        // root = previous[0..i)
        for (const path of accepted) {
          if (path.length > i && startsWith(path, previous, i)) masks.ignoredEdges[dense.edgeNumber[path[i - 1] * dense.size + path[i]]] = 1;
        }
        const spurNode = previous[i - 1];
        const spur = search(dense, spurNode, target, masks);
        if (spur) candidates.push(i + spur.length, [...previous.slice(0, i - 1), ...spur]);
        masks.ignoredNodes[spurNode] = 1;
      }
    }
    if (candidates.size === 0) return;
    previous = candidates.pop();
    accepted.push(previous);
    yield previous;
  }
}

/**
 * Up to `k` candidate paths for one core pair. The reference takes its cached `shortest_path` first and
 * then `shortest_simple_paths` minus that path; both searches are the same bidirectional BFS, so this
 * is simply the first `k` simple paths in Yen order.
 */
export function candidatePaths(graph: CoreGraph, source: number, target: number, k: number): readonly CorePath[] {
  if (source === target) return [[source]];
  const out: CorePath[] = [];
  if (k <= 0) return out;
  for (const path of shortestSimplePaths(graph, source, target)) {
    out.push(path);
    if (out.length >= k) break;
  }
  return out;
}

export interface RoutingOptions {
  /** Simple paths considered per core pair. */
  readonly pathsPerPair: number;
  /** States kept after each pair of the beam search. */
  readonly beamWidth: number;
}

export const DEFAULT_ROUTING_OPTIONS: RoutingOptions = { pathsPerPair: 4, beamWidth: 8 };

/**
 * One partial route of the beam search. Its edges are a chain (each state adds the edges its path
 * uses first) and a bitmap by edge number, so keeping a state copies a few hundred bytes rather than
 * its edge list and set.
 */
interface BeamState {
  /** Distinct directed edges used so far. */
  readonly edgeCount: number;
  /** `used[edge number]` is 1 for an edge some path of the route uses. */
  readonly used: Uint8Array;
  /** Edges this state's path uses first, as edge numbers in path order. */
  readonly fresh: readonly number[];
  readonly path?: CorePath;
  readonly previous?: BeamState;
}

/** Numbers of the edges of `path` that `state` does not use yet, in path order. */
function newEdges(graph: DenseGraph, state: BeamState, path: CorePath): number[] {
  const fresh: number[] = [];
  for (let i = 1; i < path.length; i++) {
    const edge = graph.edgeNumber[path[i - 1] * graph.size + path[i]];
    if (!state.used[edge]) fresh.push(edge);
  }
  return fresh;
}

function extend(state: BeamState, path: CorePath, fresh: readonly number[]): BeamState {
  const used = state.used.slice();
  for (const edge of fresh) used[edge] = 1;
  return { edgeCount: state.edgeCount + fresh.length, used, fresh, path, previous: state };
}

/** The route's paths, first pair first. */
function pathsOf(state: BeamState): CorePath[] {
  const paths: CorePath[] = [];
  for (let s: BeamState | undefined = state; s?.path !== undefined; s = s.previous) paths.push(s.path);
  return paths.reverse();
}

/** The route's edges (as edge numbers) in first-use order. */
function edgesOf(state: BeamState): number[] {
  const chain: BeamState[] = [];
  for (let s: BeamState | undefined = state; s !== undefined; s = s.previous) chain.push(s);
  return chain.reverse().flatMap((s) => s.fresh);
}

const candidateCache = new WeakMap<CoreGraph, Map<string, readonly CorePath[]>>();

/** `candidatePaths`, memoised per graph as the reference's CommunicationManager caches its paths. */
function cachedCandidatePaths(graph: CoreGraph, source: number, target: number, k: number): readonly CorePath[] {
  let cache = candidateCache.get(graph);
  if (!cache) candidateCache.set(graph, (cache = new Map()));
  const key = `${source}>${target}/${k}`;
  let paths = cache.get(key);
  if (!paths) cache.set(key, (paths = candidatePaths(graph, source, target, k)));
  return paths;
}

/**
 * The route of a transfer between two core sets (`CommunicationManager.get_possible_transfer_plan` with
 * one allocation kept). Returns undefined when some target is unreachable from some source.
 */
export function transferPlan(
  graph: CoreGraph,
  sources: readonly number[],
  targets: readonly number[],
  options: RoutingOptions = DEFAULT_ROUTING_OPTIONS,
): MulticastPathPlan | undefined {
  const pairs: [number, number][] = [];
  for (const s of sources) for (const t of targets) pairs.push([s, t]);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  const dense = denseGraphOf(graph);
  let beam: BeamState[] = [{ edgeCount: 0, used: new Uint8Array(dense.edgeCount), fresh: [] }];
  for (const [s, t] of pairs) {
    const paths = cachedCandidatePaths(graph, s, t, options.pathsPerPair);
    if (paths.length === 0) return undefined;
    // Score every expansion first and copy only the states that survive.
    const expansions: { state: BeamState; path: CorePath; fresh: number[]; score: number }[] = [];
    for (const state of beam) {
      for (const path of paths) {
        const fresh = newEdges(dense, state, path);
        expansions.push({ state, path, fresh, score: state.edgeCount + fresh.length });
      }
    }
    // Stable: equal scores keep expansion order, as Python's sort does.
    expansions.sort((a, b) => a.score - b.score);
    beam = expansions.slice(0, options.beamWidth).map((e) => extend(e.state, e.path, e.fresh));
  }
  const best = beam[0];
  const edgeEnds = new Map<number, readonly [number, number]>();
  for (let from = 0; from < dense.size; from++) {
    for (const to of dense.successors[from]) edgeEnds.set(dense.edgeNumber[from * dense.size + to], [from, to]);
  }
  const linksUsed: number[] = [];
  for (const edge of edgesOf(best)) {
    const [from, to] = edgeEnds.get(edge) as readonly [number, number];
    const link = graph.linkOf(from, to);
    if (link !== undefined && !linksUsed.includes(link)) linksUsed.push(link);
  }
  return { sources: [...sources], targets: [...targets], score: best.edgeCount, linksUsed, paths: pathsOf(best) };
}
