/**
 * Spatial mapping on the operational array (reference-cost-model §4): maximum unrolling per
 * (OA dim, layer dim) with the bandwidth limit, candidate generation and ranking with the
 * reference's tie-breaks, the capacity limit, the fractional/integer conversion, and the
 * per-operand, per-memory-level bookkeeping (unit counts, distinct data, bandwidth boost).
 */
import { roundHalfEven } from '../common/numeric';
import type { CoreModel } from './core-model';
import { RD_OUT_TO_LOW, WR_IN_BY_LOW } from './core-model';
import { CostModelError } from './errors';
import type { Layer, LayerOperand } from './layer';
import { operandForMemoryOperand } from './layer';
import { decoupleLevels, type Loop } from './loops';
import { pythonSetOrder } from './python-set-order';

/** One entry per OA dim (core YAML order): the (layer dim id, unrolling) pairs on it. */
export type SpatialMapping = readonly (readonly Loop[])[];

export interface SpatialCandidate {
  readonly mapping: SpatialMapping;
  /** Undefined for a mapping taken as given (core `dataflows`). */
  readonly indicator?: number;
}

export interface SpatialGeneration {
  /** max[oaIndex][base dim id] after the bandwidth limit. */
  readonly maxUnrolling: readonly (readonly number[])[];
  /** Number of valid candidates and of candidates tied at the top; only when ranked (`topCount` > 0). */
  readonly candidateCount?: number;
  readonly tiedAtTop?: number;
  /** Best first, at most `topCount` (when asked for). */
  readonly top: readonly SpatialCandidate[];
  /** The winner after the capacity limit. */
  readonly selected: SpatialMapping;
  /** True when the core's `dataflows` fixed the mapping (no generation happened). */
  readonly provided: boolean;
}

function divisorsDescending(n: number): number[] {
  const out: number[] = [];
  for (let f = n; f >= 1; f--) if (n % f === 0) out.push(f);
  return out;
}

/** §4.1: the largest unrolling of every base dim on every OA dim, with the inner-memory bandwidth cap. */
export function maxUnrolling(layer: Layer, core: CoreModel): number[][] {
  const n = layer.nbBaseDims;
  const max = core.oaSizes.map((oaSize) => layer.dimSizes.slice(0, n).map((s) => Math.trunc(Math.min(s, oaSize))));
  for (const mem of core.memories) {
    if (!mem.isInner) continue;
    for (const memOp of mem.operands) {
      const op = operandForMemoryOperand(layer, memOp);
      if (!op) throw new CostModelError('memory-operand-mismatch', `core memory ${mem.name} holds ${memOp}, which the layer does not use`, `KeyError: ${memOp}`);
      for (const oa of mem.servedDimensions) {
        const oaIndex = core.oaDims.indexOf(oa);
        if (oaIndex < 0) continue;
        const port = mem.portFor[memOp][op.isOutput ? WR_IN_BY_LOW : RD_OUT_TO_LOW];
        if (!port) throw new CostModelError('missing-port', `${mem.name} has no port for ${memOp} ${op.isOutput ? 'fl' : 'tl'}`, 'TypeError');
        const cap = Math.floor(port.bandwidthMax / op.precision);
        for (let d = 0; d < n; d++) {
          if (!op.irrelevant[d]) max[oaIndex][d] = Math.min(max[oaIndex][d], cap);
        }
      }
    }
  }
  return max;
}

/** Parses a legacy dataflow entry `'K, 16'` into (name, factor). */
function parseDataflowEntry(entry: string): [string, number] | undefined {
  const m = /^\s*([A-Za-z0-9_]+)\s*,\s*(\d+)\s*$/.exec(entry);
  return m ? [m[1].toUpperCase(), Number(m[2])] : undefined;
}

export interface SpatialGenerationOptions {
  /**
   * How many ranked candidates to keep for reporting. With 0 (the default) only the winner is
   * searched for, and subtrees that cannot beat the best so far are skipped; with more, every
   * candidate is visited and counted.
   */
  readonly topCount?: number;
}

/**
 * §4.2–4.3: generate every single-dim-per-OA-dim candidate in the reference's order (OA dims in YAML
 * order, last varying fastest; layer dims in Python set order; divisors descending), keep the first
 * candidate with the highest indicator (what a stable descending sort followed by taking the head
 * gives), then apply the capacity limit.
 */
export function generateSpatialMapping(layer: Layer, core: CoreModel, options: SpatialGenerationOptions = {}): SpatialGeneration {
  const n = layer.nbBaseDims;
  const max = maxUnrolling(layer, core);
  const nbOa = core.oaDims.length;
  const hintOrder = pythonSetOrder(layer.dimNames.slice(0, n)).map((name) => layer.dimNames.indexOf(name));
  // Per OA dim: the candidate (dim, factor) entries, or a fixed list from `dataflows`.
  const perOa: Loop[][][] = [];
  let provided = core.dataflows !== undefined;
  for (let oa = 0; oa < nbOa; oa++) {
    const fixed = core.dataflows?.[core.oaDims[oa]];
    if (fixed !== undefined) {
      // Letter dims (`K, 16`) never name Stream's D-dims: ZigZag drops them and keeps the OA dim empty.
      const loops: Loop[] = [];
      for (const entry of fixed) {
        const parsed = parseDataflowEntry(entry);
        if (!parsed) continue;
        const d = layer.dimNames.indexOf(parsed[0]);
        if (d >= 0 && d < n) loops.push({ dim: d, size: parsed[1] });
      }
      perOa.push([loops]);
      continue;
    }
    provided = false;
    const options: Loop[][] = [];
    for (const d of hintOrder) {
      for (const f of divisorsDescending(max[oa][d])) options.push([{ dim: d, size: f }]);
    }
    perOa.push(options);
  }
  if (provided) {
    const mapping = perOa.map((o) => o[0]);
    const selected = applyCapacityLimit(layer, core, mapping);
    return { maxUnrolling: max, candidateCount: 1, tiedAtTop: 1, top: [{ mapping }], selected, provided: true };
  }
  for (const o of perOa) {
    if (o.length === 0) throw new CostModelError('no-spatial-mapping', 'No valid SpatialMappings found', 'AssertionError: No valid SpatialMappings found');
  }

  const topCount = options.topCount ?? 0;
  const sizes = layer.dimSizes;
  const unroll = new Float64Array(n).fill(1);
  const choice = new Int32Array(nbOa);
  let best = -Infinity;
  let bestChoice: Int32Array | undefined;
  let count = 0;
  let tied = 0;
  const top: { indicator: number; order: number; choice: Int32Array }[] = [];

  // Flattened options per OA dim; an option is one (dim, factor) entry or none (an empty fixed list).
  const optDim: Int32Array[] = perOa.map((options) => Int32Array.from(options, (loops) => (loops.length === 1 ? loops[0].dim : -1)));
  const optSize: Float64Array[] = perOa.map((options) => Float64Array.from(options, (loops) => (loops.length === 1 ? loops[0].size : 1)));
  const general = perOa.some((options) => options.some((loops) => loops.length > 1));
  // Bound for pruning: the product of the largest option on every OA dim from `oa` on.
  const restMax = new Float64Array(nbOa + 1).fill(1);
  for (let oa = nbOa - 1; oa >= 0; oa--) {
    let m = 1;
    for (const loops of perOa[oa]) m = Math.max(m, loops.reduce((p, l) => p * l.size, 1));
    restMax[oa] = restMax[oa + 1] * m;
  }
  const prune = topCount === 0;
  // Unrollings only grow deeper in the product, so an invalid prefix stays invalid and the running
  // maximum of the per-dim totals is the maximum at the leaf: every leaf is O(1).
  const visit = (oa: number, hw: number, maxU: number): void => {
    if (oa === nbOa) {
      const indicator = hw + (hw / maxU - 1);
      const order = count++;
      if (indicator > best) {
        best = indicator;
        bestChoice = choice.slice();
        tied = 1;
      } else if (indicator === best) tied++;
      if (topCount > 0 && (top.length < topCount || indicator > top[top.length - 1].indicator)) {
        top.push({ indicator, order, choice: choice.slice() });
        top.sort((x, y) => y.indicator - x.indicator || x.order - y.order);
        if (top.length > topCount) top.pop();
      }
      return;
    }
    // hw and max_d u_d only grow deeper, so hw + hw/maxU − 1 is at most this; a subtree that cannot
    // reach the best so far cannot hold the first maximal candidate either.
    if (prune) {
      const hwBound = hw * restMax[oa];
      if (hwBound + (hwBound / maxU - 1) < best) return;
    }
    const dimsOf = optDim[oa];
    const sizesOf = optSize[oa];
    for (let k = 0; k < dimsOf.length; k++) {
      choice[oa] = k;
      if (general && perOa[oa][k].length > 1) {
        const loops = perOa[oa][k];
        let h = hw;
        let m = maxU;
        let valid = true;
        for (const l of loops) {
          unroll[l.dim] *= l.size;
          h *= l.size;
          if (unroll[l.dim] > sizes[l.dim]) valid = false;
          if (unroll[l.dim] > m) m = unroll[l.dim];
        }
        if (valid) visit(oa + 1, h, m);
        for (const l of loops) unroll[l.dim] /= l.size;
        continue;
      }
      const d = dimsOf[k];
      if (d < 0) {
        visit(oa + 1, hw, maxU);
        continue;
      }
      const f = sizesOf[k];
      const before = unroll[d];
      const after = before * f;
      if (after > sizes[d]) continue;
      unroll[d] = after;
      visit(oa + 1, hw * f, after > maxU ? after : maxU);
      unroll[d] = before;
    }
  };
  visit(0, 1, 1);
  if (!bestChoice) throw new CostModelError('no-spatial-mapping', 'No valid SpatialMappings found', 'AssertionError: No valid SpatialMappings found');
  const toMapping = (c: Int32Array): SpatialMapping => perOa.map((options, oa) => options[c[oa]]);
  const winner = toMapping(bestChoice);
  const selected = applyCapacityLimit(layer, core, winner);
  return {
    maxUnrolling: max,
    candidateCount: prune ? undefined : count,
    tiedAtTop: prune ? undefined : tied,
    top: top.map((t) => ({ mapping: toMapping(t.choice), indicator: t.indicator })),
    selected,
    provided: false,
  };
}

/**
 * §4.3: for every inner memory and operand, shrink the unrollings of the operand's non-irrelevant
 * dims on the OA dims that memory serves until one memory instance can hold them.
 */
export function applyCapacityLimit(layer: Layer, core: CoreModel, mapping: SpatialMapping): SpatialMapping {
  const result = mapping.map((loops) => loops.map((l) => ({ ...l })));
  const setOrder = pythonSetOrder(layer.dimNames.slice(0, layer.nbBaseDims)).map((name) => layer.dimNames.indexOf(name));
  for (const mem of core.memories) {
    if (!mem.isInner) continue;
    for (const memOp of mem.operands) {
      const op = operandForMemoryOperand(layer, memOp);
      if (!op) throw new CostModelError('memory-operand-mismatch', `core memory ${mem.name} holds ${memOp}, which the layer does not use`, `KeyError: ${memOp}`);
      const capacity = mem.sizeBits / op.precision;
      const servedOa = mem.servedDimensions.map((d) => core.oaDims.indexOf(d)).filter((i) => i >= 0);
      const entries: { oa: number; loop: { dim: number; size: number } }[] = [];
      for (const oa of servedOa) for (const loop of result[oa]) if (!op.irrelevant[loop.dim]) entries.push({ oa, loop });
      let total = 1;
      for (const e of entries) total *= e.loop.size;
      if (capacity >= total) continue;
      // The factors are gathered per dim in set order; the first maximum is decremented first.
      const oldFactors: number[] = [];
      for (const d of setOrder) for (const e of entries) if (e.loop.dim === d) oldFactors.push(e.loop.size);
      const factors = oldFactors.slice();
      const prod = () => factors.reduce((p, f) => p * f, 1);
      while (prod() > capacity) {
        if (factors.length === 0) {
          throw new CostModelError('register-too-small', `${mem.name} cannot hold one element of ${op.name}`, 'ValueError: max() arg is an empty sequence');
        }
        let k = 0;
        for (let i = 1; i < factors.length; i++) if (factors[i] > factors[k]) k = i;
        factors[k] -= 1;
      }
      // Written back through an old → new value map: equal old values collide (reference quirk Q68).
      const remap = new Map<number, number>();
      oldFactors.forEach((f, i) => remap.set(f, factors[i]));
      for (const e of entries) e.loop.size = remap.get(e.loop.size) ?? e.loop.size;
    }
  }
  return result;
}

export interface ConvertedSpatialMapping {
  readonly fractional: SpatialMapping;
  readonly integer: SpatialMapping;
}

/** §4.4: fractional (even spread of a non-dividing unroll) and integer versions. */
export function convertSpatialMapping(layer: Layer, core: CoreModel, mapping: SpatialMapping): ConvertedSpatialMapping {
  const n = layer.nbBaseDims;
  const fractional: Loop[][] = [];
  const integer: Loop[][] = [];
  // First OA dim carrying the largest unrolling of each dim.
  const largestAt = new Map<number, { oa: number; size: number }>();
  mapping.forEach((loops, oa) => {
    for (const l of loops) {
      const cur = largestAt.get(l.dim);
      if (!cur || l.size > cur.size) largestAt.set(l.dim, { oa, size: l.size });
    }
  });
  mapping.forEach((loops, oa) => {
    const frac: Loop[] = [];
    const int: Loop[] = [];
    for (const l of loops) {
      if (l.dim >= n) continue;
      const f = Math.min(l.size, core.oaSizes[oa]);
      if (largestAt.get(l.dim)?.oa === oa) {
        let e = 1;
        for (let prev = 0; prev < oa; prev++) for (const p of fractional[prev]) if (p.dim === l.dim) e *= p.size;
        const size = layer.dimSizes[l.dim];
        const t = Math.ceil(size / (f * e));
        const converted = size / t / e;
        frac.push({ dim: l.dim, size: converted });
        int.push({ dim: l.dim, size: Math.trunc(converted) });
      } else {
        frac.push({ dim: l.dim, size: f });
        int.push({ dim: l.dim, size: f });
      }
    }
    fractional.push(frac);
    integer.push(int);
  });
  return { fractional, integer };
}

/** Per operand (layer-operand order), per arch level 0..L: the spatial loops of that level. */
export interface OperandSpatial {
  /** S[a], a = 0..L (§4.5), raw (not decoupled). */
  readonly levels: readonly (readonly Loop[])[];
  /** unit_count[a], a = 0..L. */
  readonly unitCount: readonly number[];
  /** unit_unique[a], a = 0..L. */
  readonly unitUnique: readonly number[];
  /** mem_bw_boost[a], a = 0..L−1. */
  readonly memBwBoost: readonly number[];
}

/** §4.5: attach each OA dim's loops to the lowest memory of the operand that serves it. */
export function operandSpatialLevels(core: CoreModel, op: LayerOperand, mapping: SpatialMapping): Loop[][] {
  const hierarchy = core.hierarchy[op.memoryOperand];
  const remaining = new Map<string, readonly Loop[]>();
  core.oaDims.forEach((d, i) => remaining.set(d, mapping[i]));
  const collect = (oaNames: Iterable<string>): Loop[] => {
    const loops: Loop[] = [];
    for (const oa of oaNames) {
      const entries = remaining.get(oa);
      if (entries === undefined) continue;
      remaining.delete(oa);
      for (const l of entries) {
        const same = loops.find((x) => x.dim === l.dim);
        if (same) same.size *= l.size;
        else loops.push({ dim: l.dim, size: l.size });
      }
    }
    return loops;
  };
  const levels: Loop[][] = hierarchy.map((mem) => collect(mem.servedDimensions));
  levels.push(collect([...remaining.keys()]));
  return levels;
}

export function operandSpatial(layer: Layer, core: CoreModel, op: LayerOperand, mapping: SpatialMapping): OperandSpatial {
  const levels = operandSpatialLevels(core, op, mapping);
  const decoupled = op.hasPr ? decoupleLevels(layer, levels) : levels;
  const nbArch = levels.length;
  const total = new Float64Array(nbArch);
  const rel = new Float64Array(nbArch);
  for (let a = 0; a < nbArch; a++) {
    let t = 1;
    let r = 1;
    for (const l of decoupled[a]) {
      t *= l.size;
      if (op.relevantDecoupled[l.dim]) r *= l.size;
    }
    total[a] = t;
    rel[a] = r;
  }
  const unitCount = new Array<number>(nbArch);
  const unitUnique = new Array<number>(nbArch);
  let accTotal = 1;
  let accRel = 1;
  for (let a = nbArch - 1; a >= 0; a--) {
    accTotal *= total[a];
    accRel *= rel[a];
    unitCount[a] = roundHalfEven(roundTo3(accTotal));
    unitUnique[a] = accRel;
  }
  const memBwBoost: number[] = [];
  for (let a = 0; a < nbArch - 1; a++) memBwBoost.push(roundHalfEven(unitUnique[a] / unitUnique[a + 1]));
  return { levels, unitCount, unitUnique, memBwBoost };
}

/**
 * Python's `round(x, 3)`: the decimal nearest to the exact binary value, ties (possible only for
 * exactly representable x.xxx5 values) to even.
 */
export function roundTo3(x: number): number {
  if (Number.isInteger(x)) return x;
  const twice = x * 2000;
  if (Number.isInteger(x * 16) && Number.isInteger(twice) && Math.abs(twice % 2) === 1) {
    const lower = Math.floor(x * 1000);
    return (lower % 2 === 0 ? lower : lower + 1) / 1000;
  }
  return Number(x.toFixed(3));
}
