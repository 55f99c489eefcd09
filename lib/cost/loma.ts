/**
 * LOMA, the temporal mapping search (reference-cost-model §5): temporal loop sizes after the spatial
 * unrolling, loop prime factors (LPFs) with the lpf limit, every distinct multiset permutation in
 * the reference's (Williams prefix-shift) order, and the greedy memory allocator with its UNEVEN
 * and EVEN (3.8.5 value-equality) variants.
 */
import type { CoreModel } from './core-model';
import type { Layer } from './layer';
import { tensorSize, type Loop } from './loops';
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

/** Thrown for an ordering the allocator cannot place; the ordering is skipped. */
export class OrderingRejected extends Error {}

export interface AllocatorContext {
  readonly layer: Layer;
  readonly core: CoreModel;
  /** Spatial levels S[op][a] of the fractional mapping, per layer operand (layer-operand order). */
  readonly spatialLevels: readonly (readonly (readonly Loop[])[])[];
  readonly mappingType: TemporalMappingType;
}

/**
 * Per layer operand (layer-operand order), per memory level of its memory operand: the temporal
 * loops allocated there, innermost first.
 */
export type TemporalMapping = readonly (readonly (readonly Loop[])[])[];

/**
 * §5.4: greedy allocation of one ordering, memory by memory (file order is topological).
 * Throws `OrderingRejected` when a memory is too small or a top memory cannot take the rest.
 */
export function allocateOrdering(ctx: AllocatorContext, ordering: readonly Loop[]): TemporalMapping {
  const { layer, core } = ctx;
  const n = layer.nbBaseDims;
  const nbOps = layer.operands.length;
  const total = ordering.length;
  // Product of the sizes of ordering[k..].
  const suffixProduct = new Float64Array(total + 1);
  suffixProduct[total] = 1;
  for (let k = total - 1; k >= 0; k--) suffixProduct[k] = suffixProduct[k + 1] * ordering[k].size;

  const pos = new Int32Array(nbOps);
  const counter = new Int32Array(nbOps).fill(1);
  const allocatedSizes: Float64Array[] = [];
  const result: Loop[][][] = [];
  for (let o = 0; o < nbOps; o++) {
    const sizes = new Float64Array(n).fill(1);
    for (const l of ctx.spatialLevels[o][0]) if (l.dim < n) sizes[l.dim] *= l.size;
    allocatedSizes.push(sizes);
    result.push(core.hierarchy[layer.operands[o].memoryOperand].map(() => []));
  }
  const opIndexOfMemOp = new Map<string, number>();
  layer.operands.forEach((op, o) => opIndexOfMemOp.set(op.memoryOperand, o));
  const scratch = new Float64Array(n);

  for (const mem of core.memories) {
    const ops: number[] = [];
    for (const memOp of mem.operands) {
      const o = opIndexOfMemOp.get(memOp);
      if (o !== undefined) ops.push(o);
    }
    if (ops.length === 0) continue;
    const capacity = mem.sizeBits;
    const sizeLists: number[][] = [];
    const isTop: boolean[] = [];
    for (const o of ops) {
      const op = layer.operands[o];
      const level = mem.levelOf[op.memoryOperand];
      const top = level === core.hierarchy[op.memoryOperand].length - 1;
      isTop.push(top);
      let precision = op.precision;
      if (op.isOutput) {
        // Partial sums while an output-irrelevant loop is still above (spatially or temporally).
        let partial = false;
        const levels = ctx.spatialLevels[o];
        for (let a = counter[o]; a < levels.length && !partial; a++) for (const l of levels[a]) if (l.dim < n && op.irrelevant[l.dim]) partial = true;
        for (let k = pos[o]; k < total && !partial; k++) if (op.irrelevant[ordering[k].dim]) partial = true;
        precision = partial ? op.precision : op.finalPrecision;
      }
      scratch.set(allocatedSizes[o]);
      const sizes: number[] = [];
      for (let i = 0; pos[o] + i <= total; i++) {
        if (i > 0) {
          const l = ordering[pos[o] + i - 1];
          scratch[l.dim] *= l.size;
        }
        const bits = tensorSize(layer, op, scratch) * precision;
        if (bits > capacity) break;
        sizes.push(bits);
      }
      if (sizes.length === 0) throw new OrderingRejected(`${mem.name} too small for ${op.name}`);
      sizeLists.push(sizes);
    }
    const cuts = bestLoopCombination(ctx, ordering, ops, pos, sizeLists, isTop, capacity, suffixProduct);
    ops.forEach((o, k) => {
      const cut = cuts[k];
      const level = mem.levelOf[layer.operands[o].memoryOperand];
      const target = result[o][level];
      const sizes = allocatedSizes[o];
      for (let c = 0; c < cut; c++) {
        const l = ordering[pos[o] + c];
        target.push({ dim: l.dim, size: l.size });
        sizes[l.dim] *= l.size;
      }
      pos[o] += cut;
      const above = ctx.spatialLevels[o][counter[o]];
      if (above) for (const l of above) if (l.dim < n) sizes[l.dim] *= l.size;
      if (isTop[k] && pos[o] < total) throw new OrderingRejected(`${mem.name} cannot hold the rest of ${layer.operands[o].name}`);
      counter[o] += 1;
    });
  }
  return result;
}

function bestLoopCombination(
  ctx: AllocatorContext,
  ordering: readonly Loop[],
  ops: readonly number[],
  pos: Int32Array,
  sizeLists: readonly number[][],
  isTop: readonly boolean[],
  capacity: number,
  suffixProduct: Float64Array,
): number[] {
  const k = ops.length;
  const radix = ops.map((_, q) => (isTop[q] ? 1 : sizeLists[q].length));
  const offset = ops.map((_, q) => (isTop[q] ? sizeLists[q].length - 1 : 0));
  const digits = new Array<number>(k).fill(0);
  let best: number[] | undefined;
  let bestAccess = Infinity;
  let first = true;
  for (;;) {
    let used = 0;
    let access = 0;
    for (let q = 0; q < k; q++) {
      const i = digits[q] + offset[q];
      used += sizeLists[q][i];
      if (!isTop[q]) access += suffixProduct[pos[ops[q]] + i] * sizeLists[q][i];
    }
    if (used > capacity) {
      if (first) throw new OrderingRejected('operands do not fit together');
    } else if (access <= bestAccess) {
      const cuts = digits.map((d, q) => d + offset[q]);
      if (ctx.mappingType === 'uneven' || evenCutsConsistent(ordering, ops, pos, cuts)) {
        bestAccess = access;
        best = cuts;
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
  return best ?? new Array<number>(k).fill(0);
}

/**
 * EVEN mode as in ZigZag 3.8.5 (reference quirk Q69): no loop taken by any operand may equal, by
 * value, a loop left above the cut by any operand.
 */
function evenCutsConsistent(ordering: readonly Loop[], ops: readonly number[], pos: Int32Array, cuts: readonly number[]): boolean {
  for (let a = 0; a < ops.length; a++) {
    for (let x = pos[ops[a]]; x < pos[ops[a]] + cuts[a]; x++) {
      const taken = ordering[x];
      for (let b = 0; b < ops.length; b++) {
        for (let y = pos[ops[b]] + cuts[b]; y < ordering.length; y++) {
          const left = ordering[y];
          if (left.dim === taken.dim && left.size === taken.size) return false;
        }
      }
    }
  }
  return true;
}

/** Derived temporal-mapping data of one operand (§5.5). */
export interface OperandTemporal {
  /** Stationary per-level loops (after the merge-down). */
  readonly levels: readonly (readonly Loop[])[];
  readonly macLevelStationaryCycle: number;
  /** cycle_cabl_level[ℓ]: product of the loops at levels 0..ℓ. */
  readonly cycleCablLevel: readonly number[];
  /** Indexed by arch level 0..L (index 0 is 1). */
  readonly topRLoopSize: readonly number[];
  readonly topIrLoopSize: readonly number[];
}

/** §5.5: stationary merge-down, cycle counts and top r/ir loop sizes for one operand. */
export function deriveOperandTemporal(irrelevant: readonly boolean[], relevant: readonly boolean[], allocated: readonly (readonly Loop[])[]): OperandTemporal {
  const levels: Loop[][] = allocated.map((lv) => lv.slice());
  let macStationary = 1;
  for (let changed = true; changed; ) {
    changed = false;
    macStationary = 1;
    for (let l = 0; l < levels.length; l++) {
      const lv = levels[l];
      let k = 0;
      while (k < lv.length && irrelevant[lv[k].dim]) k++;
      if (l === 0) {
        for (let x = 0; x < k; x++) macStationary *= lv[x].size;
      } else if (k > 0) {
        levels[l - 1].push(...lv.splice(0, k));
        changed = true;
      }
    }
  }
  const cycleCablLevel: number[] = [];
  let acc = 1;
  for (const lv of levels) {
    for (const loop of lv) acc *= loop.size;
    cycleCablLevel.push(acc);
  }
  const topR = [1];
  const topIr = [1];
  for (const lv of levels) {
    let r = 1;
    for (let x = lv.length - 1; x >= 0 && relevant[lv[x].dim]; x--) r *= lv[x].size;
    let ir = 1;
    for (let x = lv.length - 1; x >= 0 && irrelevant[lv[x].dim]; x--) ir *= lv[x].size;
    topR.push(r);
    topIr.push(ir);
  }
  return { levels, macLevelStationaryCycle: macStationary, cycleCablLevel, topRLoopSize: topR, topIrLoopSize: topIr };
}
