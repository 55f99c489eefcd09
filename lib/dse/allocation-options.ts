/**
 * Allocation options of one node: which cores (subsets of its eligible cores) and which inter-core
 * split of its loops over them. Every option is valid by construction: each split factor divides its
 * loop, and the product of the factors is the number of cores.
 */
import { InterCoreSplit } from '../mapping/model';
import { NodeAllocationChoice } from './model';

/** How core subsets of a given size are drawn from the eligible cores (in accelerator core order). */
export type CoreSetPolicy = 'windows' | 'all';

export interface AllocationOptionLimits {
  /**
   * `windows`: aligned, disjoint runs of the eligible list (for 4 cores and size 2: {0,1}, {2,3});
   * `all`: every subset (only for up to `ALL_SUBSETS_LIMIT` eligible cores, else windows).
   */
  readonly coreSets: CoreSetPolicy;
  /** At most this many core sets per core count (in the policy's order). */
  readonly maxCoreSetsPerCount: number;
  /** At most this many splits per core count (fewest split loops first). */
  readonly maxSplitsPerCount: number;
}

export const DEFAULT_ALLOCATION_LIMITS: AllocationOptionLimits = { coreSets: 'windows', maxCoreSetsPerCount: 4, maxSplitsPerCount: 6 };

/** Above this many eligible cores `all` falls back to windows (the subsets would not fit in memory). */
export const ALL_SUBSETS_LIMIT = 10;

/** A loop the node may split: its index and size. */
export interface SplittableLoop {
  readonly loop: number;
  readonly size: number;
}

const divisorsDescending = (n: number): number[] => {
  const out: number[] = [];
  for (let d = n; d >= 2; d--) if (n % d === 0) out.push(d);
  return out;
};

/** Every way to write `count` as a product of factors > 1 over distinct loops, each factor dividing its loop. */
export function splitFactorizations(count: number, loops: readonly SplittableLoop[]): InterCoreSplit[][] {
  const out: InterCoreSplit[][] = [];
  const walk = (remaining: number, from: number, prefix: InterCoreSplit[]) => {
    if (remaining === 1) {
      out.push(prefix);
      return;
    }
    for (let i = from; i < loops.length; i++) {
      for (const f of divisorsDescending(remaining)) {
        if (loops[i].size % f === 0) walk(remaining / f, i + 1, [...prefix, { dim: loops[i].loop, split: f }]);
      }
    }
  };
  walk(count, 0, []);
  // Fewest split loops first; the walk's order (loop order, larger factors first) breaks ties.
  return out.map((s, i) => ({ s, i })).sort((a, b) => a.s.length - b.s.length || a.i - b.i).map(({ s }) => s);
}

function coreSets(eligible: readonly number[], count: number, limits: AllocationOptionLimits): number[][] {
  const sets: number[][] = [];
  if (limits.coreSets === 'all' && eligible.length <= ALL_SUBSETS_LIMIT) {
    const pick = (from: number, chosen: number[]) => {
      if (sets.length >= limits.maxCoreSetsPerCount) return;
      if (chosen.length === count) {
        sets.push(chosen);
        return;
      }
      for (let i = from; i <= eligible.length - (count - chosen.length); i++) pick(i + 1, [...chosen, eligible[i]]);
    };
    pick(0, []);
    return sets;
  }
  for (let offset = 0; offset + count <= eligible.length && sets.length < limits.maxCoreSetsPerCount; offset += count) {
    sets.push(eligible.slice(offset, offset + count));
  }
  return sets;
}

export const allocationKey = (a: Pick<NodeAllocationChoice, 'coreIds' | 'interCoreTiling'>): string =>
  `${a.coreIds.join(',')}|${a.interCoreTiling.map((s) => `${s.dim}x${s.split}`).join(',')}`;

export function allocationLabel(a: Pick<NodeAllocationChoice, 'coreIds' | 'interCoreTiling'>): string {
  const splits = a.interCoreTiling.map((s) => `D${s.dim}×${s.split}`).join(' ');
  return `cores ${a.coreIds.join(',')}${splits ? ` ${splits}` : ''}`;
}

/**
 * The node's options: the auto mapper's allocation first, then by core count (most cores first), split
 * (fewest split loops first) and core set, without repeats.
 */
export function nodeAllocationOptions(
  node: string,
  eligible: readonly number[],
  loops: readonly SplittableLoop[],
  auto: NodeAllocationChoice,
  limits: AllocationOptionLimits = DEFAULT_ALLOCATION_LIMITS,
): NodeAllocationChoice[] {
  const options: NodeAllocationChoice[] = [auto];
  const seen = new Set([allocationKey(auto)]);
  for (let count = eligible.length; count >= 1; count--) {
    const splits = splitFactorizations(count, loops).slice(0, limits.maxSplitsPerCount);
    for (const split of splits) {
      for (const cores of coreSets(eligible, count, limits)) {
        const option = { node, coreIds: cores, interCoreTiling: split };
        const key = allocationKey(option);
        if (seen.has(key)) continue;
        seen.add(key);
        options.push(option);
      }
    }
  }
  return options;
}
