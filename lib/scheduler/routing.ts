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
const edgeKey = (from: number, to: number): number => from * 1_048_576 + to;

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
 * networkx's bidirectional BFS (`_bidirectional_pred_succ` + path assembly). Returns undefined when no
 * path exists. Which of several equally short paths comes out depends on the expansion order, which is
 * why this is not a plain BFS.
 */
export function shortestPath(
  graph: CoreGraph,
  source: number,
  target: number,
  restrictions: SearchRestrictions = {},
): CorePath | undefined {
  const { ignoreNodes, ignoreEdges } = restrictions;
  if (ignoreNodes && (ignoreNodes.has(source) || ignoreNodes.has(target))) return undefined;
  if (source === target) return [source];
  const allowed = (from: number, to: number, next: number): boolean =>
    !(ignoreNodes?.has(next) ?? false) && !(ignoreEdges?.has(edgeKey(from, to)) ?? false);

  const pred = new Map<number, number | undefined>([[source, undefined]]);
  const succ = new Map<number, number | undefined>([[target, undefined]]);
  let forwardFringe = [source];
  let reverseFringe = [target];
  let meeting: number | undefined;
  search: while (forwardFringe.length > 0 && reverseFringe.length > 0) {
    if (forwardFringe.length <= reverseFringe.length) {
      const level = forwardFringe;
      forwardFringe = [];
      for (const v of level) {
        for (const w of graph.successors.get(v) ?? []) {
          if (!allowed(v, w, w)) continue;
          if (!pred.has(w)) {
            forwardFringe.push(w);
            pred.set(w, v);
          }
          if (succ.has(w)) {
            meeting = w;
            break search;
          }
        }
      }
    } else {
      const level = reverseFringe;
      reverseFringe = [];
      for (const v of level) {
        for (const w of graph.predecessors.get(v) ?? []) {
          if (!allowed(w, v, w)) continue;
          if (!succ.has(w)) {
            succ.set(w, v);
            reverseFringe.push(w);
          }
          if (pred.has(w)) {
            meeting = w;
            break search;
          }
        }
      }
    }
  }
  if (meeting === undefined) return undefined;
  const path: number[] = [];
  for (let w: number | undefined = meeting; w !== undefined; w = succ.get(w)) path.push(w);
  const head: number[] = [];
  for (let w = pred.get(meeting); w !== undefined; w = pred.get(w)) head.push(w);
  return [...head.reverse(), ...path];
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

const startsWith = (path: CorePath, prefix: CorePath): boolean =>
  path.length >= prefix.length && prefix.every((node, i) => path[i] === node);

/**
 * Simple paths from `source` to `target`, shortest first: networkx `shortest_simple_paths` with unit
 * weights (Yen's algorithm over the bidirectional BFS). Costs are counted in nodes as networkx does
 * (root length + spur length), which only matters for tie order.
 */
export function* shortestSimplePaths(graph: CoreGraph, source: number, target: number): Generator<CorePath> {
  const accepted: CorePath[] = [];
  const candidates = new PathBuffer();
  let previous: CorePath | undefined;
  for (;;) {
    if (previous === undefined) {
      const first = shortestPath(graph, source, target);
      if (first) candidates.push(first.length, first);
    } else {
      const ignoreNodes = new Set<number>();
      const ignoreEdges = new Set<number>();
      for (let i = 1; i < previous.length; i++) {
        const root = previous.slice(0, i);
        for (const path of accepted) {
          if (startsWith(path, root)) ignoreEdges.add(edgeKey(path[i - 1], path[i]));
        }
        const spur = shortestPath(graph, root[root.length - 1], target, { ignoreNodes, ignoreEdges });
        if (spur) candidates.push(root.length + spur.length, [...root.slice(0, -1), ...spur]);
        ignoreNodes.add(root[root.length - 1]);
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

/** One partial route of the beam search; paths are kept as a parent chain so expanding a state is cheap. */
interface BeamState {
  /** Distinct directed edges in first-use order. */
  readonly edges: readonly (readonly [number, number])[];
  readonly edgeKeys: ReadonlySet<number>;
  readonly path?: CorePath;
  readonly previous?: BeamState;
}

/** Edges of `path` that `state` does not use yet, in path order. */
function newEdges(state: BeamState, path: CorePath): (readonly [number, number])[] {
  const fresh: (readonly [number, number])[] = [];
  for (let i = 1; i < path.length; i++) if (!state.edgeKeys.has(edgeKey(path[i - 1], path[i]))) fresh.push([path[i - 1], path[i]]);
  return fresh;
}

function extend(state: BeamState, path: CorePath, fresh: readonly (readonly [number, number])[]): BeamState {
  const edgeKeys = new Set(state.edgeKeys);
  for (const [u, v] of fresh) edgeKeys.add(edgeKey(u, v));
  return { edges: [...state.edges, ...fresh], edgeKeys, path, previous: state };
}

function pathsOf(state: BeamState): CorePath[] {
  const paths: CorePath[] = [];
  for (let s: BeamState | undefined = state; s?.path !== undefined; s = s.previous) paths.push(s.path);
  return paths.reverse();
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

  let beam: BeamState[] = [{ edges: [], edgeKeys: new Set() }];
  for (const [s, t] of pairs) {
    const paths = cachedCandidatePaths(graph, s, t, options.pathsPerPair);
    if (paths.length === 0) return undefined;
    // Score every expansion first and copy only the states that survive.
    const expansions: { state: BeamState; path: CorePath; fresh: (readonly [number, number])[]; score: number }[] = [];
    for (const state of beam) {
      for (const path of paths) {
        const fresh = newEdges(state, path);
        expansions.push({ state, path, fresh, score: state.edges.length + fresh.length });
      }
    }
    // Stable: equal scores keep expansion order, as Python's sort does.
    expansions.sort((a, b) => a.score - b.score);
    beam = expansions.slice(0, options.beamWidth).map((e) => extend(e.state, e.path, e.fresh));
  }
  const best = beam[0];
  const linksUsed: number[] = [];
  for (const [from, to] of best.edges) {
    const link = graph.linkOf(from, to);
    if (link !== undefined && !linksUsed.includes(link)) linksUsed.push(link);
  }
  return { sources: [...sources], targets: [...targets], score: best.edges.length, linksUsed, paths: pathsOf(best) };
}
