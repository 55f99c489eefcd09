/**
 * Precomputed per-tensor tables (reference-co-pipeline.md §10.2) and the exact integer arithmetic of
 * the slot-latency rules (§10.4.6, quirk Q59): activity fractions, Python's round-half-to-even, and
 * `ceil(bits / bandwidth)`.
 */
import type { SteadyStateIterationSpace } from './problem';

/** A TEMPORAL, non-ABSENT variable of a tensor's SSIS: one reuse level. */
export interface ApplicableTemporalLoop {
  readonly dim: number;
  readonly size: number;
  /** VARYING: a new tile per iteration of this loop (it multiplies tiles, not reuse). */
  readonly relevant: boolean;
  /** Position in the (innermost-first) SSIS it came from. */
  readonly position: number;
}

/**
 * Reuse table of one tensor. Stop levels run from −1 (no reuse) to |AT|−1; `reuse[s+1]`, `tiles[s+1]`
 * belong to stop s.
 */
export interface ReuseTable {
  /** AT(t), innermost first (§10.2). */
  readonly loops: readonly ApplicableTemporalLoop[];
  /** `[-1, 0, …, |AT|−1]`. */
  readonly stops: readonly number[];
  /** Iterations one fetched tile serves: Π of irrelevant sizes at indices ≤ s. */
  readonly reuse: readonly number[];
  /** Tiles to buffer: Π of relevant sizes at indices ≤ s; 2 at s = −1 when double buffering applies. */
  readonly tiles: readonly number[];
}

export function applicableTemporalLoops(loops: SteadyStateIterationSpace): ApplicableTemporalLoop[] {
  const result: ApplicableTemporalLoop[] = [];
  loops.forEach((v, position) => {
    if (v.kind !== 'TEMPORAL' || v.effect === 'ABSENT') return;
    result.push({ dim: v.dim, size: v.size, relevant: v.effect === 'VARYING', position });
  });
  return result;
}

export function reuseTable(loops: SteadyStateIterationSpace): ReuseTable {
  const at = applicableTemporalLoops(loops);
  const stops = [-1];
  const reuse = [1];
  const tiles = [1];
  let reuseProduct = 1;
  let tileProduct = 1;
  for (let i = 0; i < at.length; i++) {
    const loop = at[i]!;
    if (loop.relevant) tileProduct *= loop.size;
    else reuseProduct *= loop.size;
    stops.push(i);
    reuse.push(reuseProduct);
    tiles.push(tileProduct);
  }
  // Double buffering: while one tile is in use the next is fetched, unless only one tile ever exists.
  if (tileProduct > 1) tiles[0] = 2;
  return { loops: at, stops, reuse, tiles };
}

/** Index (innermost-first, within AT) of the outermost INVARIANT applicable temporal loop, or −1. */
export function outermostIrrelevantIndex(table: ReuseTable): number {
  for (let i = table.loops.length - 1; i >= 0; i--) if (!table.loops[i]!.relevant) return i;
  return -1;
}

/**
 * "Reuse covers spatial" (§10.4.7): the largest AT index among applicable temporal loops that sit
 * inside (innermost-first: before) the outermost spatial variable; −1 if none. With generated SSIS
 * (temporal variables always outside spatial ones) this is always −1.
 */
export function temporalInsideSpatialIndex(loops: SteadyStateIterationSpace, table: ReuseTable): number {
  let outermostSpatial = -1;
  loops.forEach((v, position) => {
    if (v.kind === 'SPATIAL' || v.kind === 'SPATIOTEMPORAL') outermostSpatial = position;
  });
  if (outermostSpatial < 0) return -1;
  let index = -1;
  table.loops.forEach((loop, i) => {
    if (loop.position < outermostSpatial) index = Math.max(index, i);
  });
  return index;
}

/** Exact rational p/q with q > 0. */
export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

/**
 * Activity fraction f (§10.4.6): Π sizes of TEMPORAL non-ABSENT variables / Π sizes of all TEMPORAL
 * variables — the share of global iterations in which the node fires.
 */
export function activeFraction(loops: SteadyStateIterationSpace): Fraction {
  let numerator = 1;
  let denominator = 1;
  for (const v of loops) {
    if (v.kind !== 'TEMPORAL') continue;
    denominator *= v.size;
    if (v.effect !== 'ABSENT') numerator *= v.size;
  }
  return { numerator, denominator };
}

/** Python's `round(p / q)` (half to even), computed exactly on integers. */
export function roundHalfEvenRational(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('roundHalfEvenRational: denominator must be positive');
  let quotient = numerator / denominator;
  let remainder = numerator % denominator;
  if (remainder < 0n) {
    quotient -= 1n;
    remainder += denominator;
  }
  const twice = 2n * remainder;
  if (twice > denominator) return quotient + 1n;
  if (twice < denominator) return quotient;
  return quotient % 2n === 0n ? quotient : quotient + 1n;
}

/**
 * `round(cycles · f)` with half-to-even (§10.4.6, Q59). `cycles` must be an integer (the ceiling of a
 * LUT latency, or a raw transfer time). Computed exactly rather than on a float product.
 */
export function activeCycles(cycles: number, fraction: Fraction): number {
  if (!Number.isInteger(cycles)) throw new Error(`activeCycles: ${cycles} is not an integer`);
  const rounded = roundHalfEvenRational(BigInt(cycles) * BigInt(fraction.numerator), BigInt(fraction.denominator));
  return Number(rounded);
}

/** `ceil(bits / bandwidth)` of §10.4.6; exact for integer inputs. */
export function transferCycles(bits: number, minBandwidth: number): number {
  if (Number.isInteger(bits) && Number.isInteger(minBandwidth)) {
    const b = BigInt(bits);
    const w = BigInt(minBandwidth);
    return Number((b + w - 1n) / w);
  }
  return Math.ceil(bits / minBandwidth);
}
