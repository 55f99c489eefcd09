/**
 * LOMA, the temporal mapping search (reference-cost-model §5): temporal loop sizes after the spatial
 * unrolling, loop prime factors (LPFs) with the lpf limit, every distinct multiset permutation in
 * the reference's (Williams prefix-shift) order, and the greedy memory allocator with its UNEVEN
 * and EVEN (3.8.5 value-equality) variants.
 */
import type { CoreModel } from './core-model';
import type { Layer } from './layer';
import { prExtent, type Loop } from './loops';
import type { SpatialMapping } from './spatial';

export type TemporalMappingType = 'uneven' | 'even';

/** §5.1: per base dim (in layer order) the temporal size left after the fractional spatial unrolling. */
export function temporalLoopSizes(layer: Layer, fractional: SpatialMapping): Map<number, number> {
  const sizes = new Map<number, number>();
  for (let d = 0; d < layer.nbBaseDims; d++) sizes.set(d, layer.dimSizes[d]);
  for (const loops of fractional) {
    for (const l of loops) {
      const cur = sizes.get(l.dim);
      if (cur === undefined) continue; // already deleted: the reference ignores the KeyError
      const q = Math.ceil(cur / l.size);
      if (q === 1) sizes.delete(l.dim);
      else sizes.set(l.dim, q);
    }
  }
  for (const [d, s] of sizes) if (s === 1) sizes.delete(d);
  return sizes;
}

function primeFactors(n: number): Map<number, number> {
  const out = new Map<number, number>();
  let x = n;
  for (let p = 2; p * p <= x; p++) {
    while (x % p === 0) {
      out.set(p, (out.get(p) ?? 0) + 1);
      x /= p;
    }
  }
  if (x > 1) out.set(x, (out.get(x) ?? 0) + 1);
  return out;
}

/**
 * §5.2: loop prime factors, merged until there are at most max(lpfLimit, #dims) of them: the dim
 * with most factors (first on ties) merges two copies of its smallest factor, or its two smallest.
 */
export function loopPrimeFactors(temporal: ReadonlyMap<number, number>, lpfLimit: number): Loop[] {
  const dims = [...temporal.keys()];
  const limit = Math.max(lpfLimit, dims.length);
  // Per dim: ascending distinct factors with multiplicities.
  const factors = dims.map((d) => {
    const f = primeFactors(temporal.get(d) as number);
    return [...f.entries()].sort((a, b) => a[0] - b[0]);
  });
  const count = (fs: [number, number][]) => fs.reduce((s, [, c]) => s + c, 0);
  let total = factors.reduce((s, fs) => s + count(fs), 0);
  while (total > limit) {
    let pick = 0;
    for (let i = 1; i < factors.length; i++) if (count(factors[i]) > count(factors[pick])) pick = i;
    const fs = factors[pick];
    let product: number;
    if (fs[0][1] >= 2) {
      product = fs[0][0] * fs[0][0];
      fs[0][1] -= 2;
    } else {
      product = fs[0][0] * fs[1][0];
      fs[0][1] -= 1;
      fs[1][1] -= 1;
    }
    const existing = fs.find(([f]) => f === product);
    if (existing) existing[1] += 1;
    else {
      let at = 0;
      while (at < fs.length && fs[at][0] < product) at++;
      fs.splice(at, 0, [product, 1]);
    }
    factors[pick] = fs.filter(([, c]) => c > 0);
    total -= 1;
  }
  const lpfs: Loop[] = [];
  dims.forEach((d, i) => {
    for (const [f, c] of factors[i]) for (let k = 0; k < c; k++) lpfs.push({ dim: d, size: f });
  });
  return lpfs;
}

/**
 * §5.3: every distinct permutation of the LPF multiset, innermost loop first, in the order of the
 * loopless prefix-shift algorithm (Williams 2009) the reference uses. Elements are ranked by
 * (dim name as a string, factor). Calls `visit` with the ordering as indices into `lpfs`; the
 * array is reused between calls.
 */
export function forEachOrdering(layer: Layer, lpfs: readonly Loop[], visit: (ordering: Int32Array) => void): void {
  const n = lpfs.length;
  if (n === 0) {
    visit(new Int32Array(0));
    return;
  }
  const key = (l: Loop): [string, number] => [layer.dimNames[l.dim], l.size];
  const cmp = (a: Loop, b: Loop): number => {
    const [an, af] = key(a);
    const [bn, bf] = key(b);
    if (an !== bn) return an < bn ? -1 : 1;
    return af - bf;
  };
  // Ascending by value; equal values share a rank.
  const sorted = lpfs.map((l, i) => ({ l, i })).sort((a, b) => cmp(a.l, b.l) || a.i - b.i);
  const rank = new Int32Array(n);
  const repr: number[] = []; // rank -> an lpf index with that value
  for (let k = 0; k < n; k++) {
    if (k === 0 || cmp(sorted[k - 1].l, sorted[k].l) !== 0) repr.push(sorted[k].i);
    rank[k] = repr.length - 1;
  }
  // Linked list built by prepending the ascending values: head is the largest.
  const value = new Int32Array(n);
  const next = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    value[k] = rank[k];
    next[k] = k === 0 ? -1 : k - 1;
  }
  let h = n - 1;
  const nth = (start: number, steps: number): number => {
    let node = start;
    for (let s = 0; s < steps; s++) node = next[node];
    return node;
  };
  let i = n >= 2 ? nth(h, n - 2) : h;
  let j = n >= 2 ? nth(h, n - 1) : -1;
  const out = new Int32Array(n);
  const emit = (): void => {
    let node = h;
    for (let k = 0; k < n; k++) {
      out[k] = repr[value[node]];
      node = next[node];
    }
    visit(out);
  };
  emit();
  if (n < 2) return;
  while (next[j] !== -1 || value[j] < value[h]) {
    const s = next[j] !== -1 && value[i] >= value[next[j]] ? j : i;
    const t = next[s];
    next[s] = next[t];
    next[t] = h;
    if (value[t] < value[h]) i = t;
    j = next[i];
    h = t;
    emit();
  }
}


/**
 * A temporal mapping in index form: the ordering (innermost first) and, per layer operand, the end
 * index (exclusive) of each of its memory levels in that ordering. Every level of every operand is a
 * contiguous slice of the ordering, and so is each level after the stationary merge-down, so no
 * per-ordering loop lists are built in the search.
 */
export interface OrderingBuffers {
  readonly dims: Int32Array;
  readonly sizes: Float64Array;
  length: number;
}

interface AllocatorMemory {
  readonly name: string;
  readonly capacity: number;
  /** Layer operand indices held by the memory (YAML order), their level and top-ness. */
  readonly ops: Int32Array;
  readonly levels: Int32Array;
  readonly isTop: Uint8Array;
}

/**
 * §5.4: the greedy memory allocator (ZigZag `MemoryAllocator`), memory by memory in file order
 * (a topological order): each operand's candidate cuts are the prefixes of its unallocated loops
 * that fit; the combination with the smallest summed access proxy wins (`≤`: the later one on
 * ties), subject to the shared capacity and, in EVEN mode, the 3.8.5 value-equality check.
 * Preallocates all scratch space; `allocate` does not allocate memory.
 */
export class MemoryAllocator {
  private readonly memories: AllocatorMemory[];
  private readonly nbOps: number;
  private readonly nbDims: number;
  /** Per operand, per arch level: spatial loops (dims, sizes) of the fractional mapping. */
  private readonly spatialDims: Int32Array[][];
  private readonly spatialSizes: Float64Array[][];
  private readonly relevantDims: Int32Array[];
  private readonly irrelevantFlags: Uint8Array[];
  private readonly pos: Int32Array;
  private readonly counter: Int32Array;
  private readonly allocatedSizes: Float64Array[];
  private readonly scratch: Float64Array;
  private readonly suffix: Float64Array;
  private readonly sizeLists: Float64Array[];
  private readonly sizeCounts: Int32Array;
  private readonly digits: Int32Array;
  private readonly radix: Int32Array;
  private readonly offset: Int32Array;
  private readonly bestCuts: Int32Array;
  private readonly cuts: Int32Array;
  private readonly precisions: Float64Array;

  constructor(
    private readonly layer: Layer,
    core: CoreModel,
    spatialLevels: readonly (readonly (readonly Loop[])[])[],
    private readonly mappingType: TemporalMappingType,
    maxLoops: number,
  ) {
    const ops = layer.operands;
    this.nbOps = ops.length;
    this.nbDims = layer.nbBaseDims;
    const opOfMemOp = new Map<string, number>();
    ops.forEach((op, o) => opOfMemOp.set(op.memoryOperand, o));
    this.memories = [];
    let widest = 1;
    for (const mem of core.memories) {
      const held: number[] = [];
      for (const memOp of mem.operands) {
        const o = opOfMemOp.get(memOp);
        if (o !== undefined) held.push(o);
      }
      if (held.length === 0) continue;
      widest = Math.max(widest, held.length);
      this.memories.push({
        name: mem.name,
        capacity: mem.sizeBits,
        ops: Int32Array.from(held),
        levels: Int32Array.from(held.map((o) => mem.levelOf[ops[o].memoryOperand])),
        isTop: Uint8Array.from(held.map((o) => (mem.levelOf[ops[o].memoryOperand] === core.hierarchy[ops[o].memoryOperand].length - 1 ? 1 : 0))),
      });
    }
    const n = this.nbDims;
    this.spatialDims = spatialLevels.map((levels) => levels.map((ls) => Int32Array.from(ls.filter((l) => l.dim < n).map((l) => l.dim))));
    this.spatialSizes = spatialLevels.map((levels) => levels.map((ls) => Float64Array.from(ls.filter((l) => l.dim < n).map((l) => l.size))));
    this.relevantDims = ops.map((op) => Int32Array.from(op.relevant.slice(0, n).flatMap((r, d) => (r ? [d] : []))));
    this.irrelevantFlags = ops.map((op) => Uint8Array.from(op.irrelevant.slice(0, n).map((x) => (x ? 1 : 0))));
    this.pos = new Int32Array(this.nbOps);
    this.counter = new Int32Array(this.nbOps);
    this.allocatedSizes = ops.map(() => new Float64Array(n));
    this.scratch = new Float64Array(n);
    this.suffix = new Float64Array(maxLoops + 1);
    this.sizeLists = Array.from({ length: widest }, () => new Float64Array(maxLoops + 1));
    this.sizeCounts = new Int32Array(widest);
    this.digits = new Int32Array(widest);
    this.radix = new Int32Array(widest);
    this.offset = new Int32Array(widest);
    this.bestCuts = new Int32Array(widest);
    this.cuts = new Int32Array(widest);
    this.precisions = new Float64Array(widest);
  }

  /** The tensor footprint of operand `o` for the per-dim loop sizes in `sizes` (§3.3). */
  private footprint(o: number, sizes: Float64Array): number {
    const rel = this.relevantDims[o];
    let size = 1;
    for (let k = 0; k < rel.length; k++) size *= sizes[rel[k]];
    if (this.layer.operands[o].hasPr) {
      for (const r of this.layer.prRelations) size *= prExtent(r, sizes[r.dimU], sizes[r.dimV]);
    }
    return size;
  }

  /**
   * Allocates one ordering. Writes, per operand, the end index of each of its memory levels into
   * `bounds[o]`; returns false when the reference would skip the ordering (a memory too small, or a
   * top memory unable to take the remaining loops).
   */
  allocate(ordering: OrderingBuffers, bounds: readonly Int32Array[]): boolean {
    const { dims, sizes, length: total } = ordering;
    const suffix = this.suffix;
    suffix[total] = 1;
    for (let k = total - 1; k >= 0; k--) suffix[k] = suffix[k + 1] * sizes[k];
    for (let o = 0; o < this.nbOps; o++) {
      this.pos[o] = 0;
      this.counter[o] = 1;
      const alloc = this.allocatedSizes[o];
      alloc.fill(1);
      const sd = this.spatialDims[o][0];
      const ss = this.spatialSizes[o][0];
      for (let k = 0; k < sd.length; k++) alloc[sd[k]] *= ss[k];
    }
    const ops = this.layer.operands;
    for (const mem of this.memories) {
      const k = mem.ops.length;
      for (let q = 0; q < k; q++) {
        const o = mem.ops[q];
        const op = ops[o];
        let precision = op.precision;
        if (op.isOutput) {
          // Partial sums while an output-irrelevant loop is still above (spatially or temporally).
          let partial = false;
          const irr = this.irrelevantFlags[o];
          const sdl = this.spatialDims[o];
          for (let a = this.counter[o]; a < sdl.length && !partial; a++) for (let x = 0; x < sdl[a].length; x++) if (irr[sdl[a][x]]) partial = true;
          for (let x = this.pos[o]; x < total && !partial; x++) if (irr[dims[x]]) partial = true;
          precision = partial ? op.precision : op.finalPrecision;
        }
        this.precisions[q] = precision;
        const scratch = this.scratch;
        scratch.set(this.allocatedSizes[o]);
        const list = this.sizeLists[q];
        let count = 0;
        const start = this.pos[o];
        if (mem.isTop[q]) {
          // A top memory may only take everything that fits; footprints grow with every prefix, so
          // when the whole remainder fits that is the answer, without the intermediate sizes.
          for (let x = start; x < total; x++) scratch[dims[x]] *= sizes[x];
          const bits = this.footprint(o, scratch) * precision;
          // Otherwise the ordering is skipped either way (nothing fits, or the rest stays unallocated).
          if (bits > mem.capacity) return false;
          count = total - start + 1;
          list[count - 1] = bits;
        }
        if (count === 0) {
          for (let i = 0; start + i <= total; i++) {
            if (i > 0) scratch[dims[start + i - 1]] *= sizes[start + i - 1];
            const bits = this.footprint(o, scratch) * precision;
            if (bits > mem.capacity) break;
            list[count++] = bits;
          }
        }
        if (count === 0) return false;
        this.sizeCounts[q] = count;
      }
      if (!this.bestCombination(mem, ordering)) return false;
      for (let q = 0; q < k; q++) {
        const o = mem.ops[q];
        const cut = this.bestCuts[q];
        const alloc = this.allocatedSizes[o];
        const start = this.pos[o];
        for (let x = start; x < start + cut; x++) alloc[dims[x]] *= sizes[x];
        this.pos[o] = start + cut;
        bounds[o][mem.levels[q]] = this.pos[o];
        const a = this.counter[o];
        if (a < this.spatialDims[o].length) {
          const sd = this.spatialDims[o][a];
          const ss = this.spatialSizes[o][a];
          for (let x = 0; x < sd.length; x++) alloc[sd[x]] *= ss[x];
        }
        if (mem.isTop[q] && this.pos[o] < total) return false;
        this.counter[o] = a + 1;
      }
    }
    return true;
  }

  /** `find_best_loop_combination`; false when even the first combination does not fit. */
  private bestCombination(mem: AllocatorMemory, ordering: OrderingBuffers): boolean {
    const k = mem.ops.length;
    const { digits, radix, offset, bestCuts, cuts, sizeLists, sizeCounts, suffix, pos } = this;
    for (let q = 0; q < k; q++) {
      digits[q] = 0;
      radix[q] = mem.isTop[q] ? 1 : sizeCounts[q];
      offset[q] = mem.isTop[q] ? sizeCounts[q] - 1 : 0;
      bestCuts[q] = 0;
    }
    let bestAccess = Infinity;
    let first = true;
    for (;;) {
      let used = 0;
      let access = 0;
      for (let q = 0; q < k; q++) {
        const i = digits[q] + offset[q];
        used += sizeLists[q][i];
        if (!mem.isTop[q]) access += suffix[pos[mem.ops[q]] + i] * sizeLists[q][i];
      }
      if (used > mem.capacity) {
        if (first) return false;
      } else if (access <= bestAccess) {
        for (let q = 0; q < k; q++) cuts[q] = digits[q] + offset[q];
        if (this.mappingType === 'uneven' || this.evenCutsConsistent(mem, ordering)) {
          bestAccess = access;
          bestCuts.set(cuts.subarray(0, k));
        }
      }
      first = false;
      let q = k - 1;
      while (q >= 0) {
        digits[q]++;
        if (digits[q] < radix[q]) break;
        digits[q] = 0;
        q--;
      }
      if (q < 0) break;
    }
    // When nothing passed (EVEN only) every raw index is 0, without the top-level offset.
    return true;
  }

  /** EVEN in ZigZag 3.8.5 (quirk Q69): no loop taken by any operand may equal, by value, a loop left above any operand's cut. */
  private evenCutsConsistent(mem: AllocatorMemory, ordering: OrderingBuffers): boolean {
    const { dims, sizes, length: total } = ordering;
    const k = mem.ops.length;
    for (let a = 0; a < k; a++) {
      const pa = this.pos[mem.ops[a]];
      for (let x = pa; x < pa + this.cuts[a]; x++) {
        for (let b = 0; b < k; b++) {
          for (let y = this.pos[mem.ops[b]] + this.cuts[b]; y < total; y++) {
            if (dims[y] === dims[x] && sizes[y] === sizes[x]) return false;
          }
        }
      }
    }
    return true;
  }
}

/**
 * §5.5 stationary merge-down on level bounds: the innermost loops of a level that are irrelevant to
 * the operand move to the top of the level below, repeatedly, so a level boundary only ever moves
 * forward over irrelevant loops, up to the (final) next boundary. Writes the stationary bounds into
 * `out` and returns `mac_level_data_stationary_cycle` (the leading irrelevant loops of level 0).
 */
export function stationaryBounds(irrelevant: Uint8Array, ordering: OrderingBuffers, allocated: Int32Array, levels: number, out: Int32Array): number {
  const { dims, sizes } = ordering;
  out[levels - 1] = allocated[levels - 1];
  for (let j = levels - 2; j >= 0; j--) {
    let b = allocated[j];
    const limit = out[j + 1];
    while (b < limit && irrelevant[dims[b]]) b++;
    out[j] = b;
  }
  let stationary = 1;
  for (let x = 0; x < out[0] && irrelevant[dims[x]]; x++) stationary *= sizes[x];
  return stationary;
}

/** Derived temporal-mapping data of one operand (§5.5), as reported. */
export interface OperandTemporal {
  /** Stationary per-level loops (after the merge-down). */
  readonly levels: readonly (readonly Loop[])[];
  readonly macLevelStationaryCycle: number;
  /** cycle_cabl_level[ℓ]: product of the loops at levels 0..ℓ. */
  readonly cycleCablLevel: readonly number[];
}

/** Per layer operand, per memory level: the loops of an index-form mapping. */
export function levelLoops(ordering: OrderingBuffers, bounds: Int32Array): Loop[][] {
  const levels: Loop[][] = [];
  let start = 0;
  for (const end of bounds) {
    const loops: Loop[] = [];
    for (let x = start; x < end; x++) loops.push({ dim: ordering.dims[x], size: ordering.sizes[x] });
    levels.push(loops);
    start = end;
  }
  return levels;
}

export function describeOperandTemporal(ordering: OrderingBuffers, bounds: Int32Array, stationary: number): OperandTemporal {
  const levels = levelLoops(ordering, bounds);
  const cycleCablLevel: number[] = [];
  let acc = 1;
  for (const lv of levels) {
    for (const l of lv) acc *= l.size;
    cycleCablLevel.push(acc);
  }
  return { levels, macLevelStationaryCycle: stationary, cycleCablLevel };
}
