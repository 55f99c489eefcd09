/**
 * Lazy, deterministic enumeration of a variant space.
 *
 * Orders of choice vectors (option 0 of every axis = the base):
 *  - `neighbourhood`: by the number of axes that depart from the base (0, then 1, then 2, …); within a
 *    distance, axes combinations in lexicographic order, and the departing axes' options in mixed-radix
 *    order (the first axis slowest). The first variants are the base's nearest neighbours, so a small
 *    `maxVariants` explores one change at a time.
 *  - `random`: the base first, then uniformly random vectors without repetition (a sparse Fisher-Yates
 *    shuffle of the index range, so it works for spaces far beyond 2^53), from a seeded generator.
 *
 * `enumerateVariants` turns vectors into mappings, skips those the tiling would reject and repeats of a
 * mapping seen before (reported as skipped, with the reason), and stops after `maxVariants` variants or
 * `maxAttempts` vectors.
 */
import { SkippedChoice, Variant, VariantSpace } from './model';
import { seededRandom } from './prng';
import { mappingKey, realizeChoice, toVariant } from './realize';

export type EnumerationOrder = 'neighbourhood' | 'random';

/** Mixed-radix digits of `index`, the first axis most significant. */
export function choiceAt(radices: readonly number[], index: bigint): number[] {
  const digits = new Array<number>(radices.length).fill(0);
  let rest = index;
  for (let i = radices.length - 1; i >= 0; i--) {
    const r = BigInt(radices[i]);
    digits[i] = Number(rest % r);
    rest /= r;
  }
  return digits;
}

/** k-combinations of [0, n) in lexicographic order. */
function* combinations(n: number, k: number): Generator<number[]> {
  const pick = Array.from({ length: k }, (_, i) => i);
  if (k > n) return;
  for (;;) {
    yield [...pick];
    let i = k - 1;
    while (i >= 0 && pick[i] === n - k + i) i--;
    if (i < 0) return;
    pick[i]++;
    for (let j = i + 1; j < k; j++) pick[j] = pick[j - 1] + 1;
  }
}

export function* neighbourhoodOrder(radices: readonly number[]): Generator<number[]> {
  const free = radices.map((r, i) => ({ r, i })).filter((a) => a.r > 1);
  yield radices.map(() => 0);
  for (let distance = 1; distance <= free.length; distance++) {
    for (const axes of combinations(free.length, distance)) {
      // Options 1..r-1 of each chosen axis, mixed radix, last chosen axis fastest.
      const digits = axes.map(() => 1);
      for (;;) {
        const choice = radices.map(() => 0);
        axes.forEach((a, j) => (choice[free[a].i] = digits[j]));
        yield choice;
        let j = axes.length - 1;
        while (j >= 0 && digits[j] === free[axes[j]].r - 1) digits[j--] = 1;
        if (j < 0) break;
        digits[j]++;
      }
    }
  }
}

export function* randomOrder(radices: readonly number[], seed: number): Generator<number[]> {
  const size = radices.reduce((p, r) => p * BigInt(r), 1n);
  const random = seededRandom(seed);
  yield radices.map(() => 0);
  // Sparse Fisher-Yates over the indices 1..size-1: `moved` holds only the swapped positions.
  const moved = new Map<bigint, bigint>();
  const at = (i: bigint) => moved.get(i) ?? i;
  for (let next = 1n; next < size; next++) {
    const j = next + random.nextBelow(size - next);
    const picked = at(j);
    moved.set(j, at(next));
    moved.delete(next);
    yield choiceAt(radices, picked);
  }
}

export interface EnumerationOptions {
  readonly order?: EnumerationOrder;
  /** Seed of the `random` order (default 0). */
  readonly seed?: number;
  /** Variants to produce at most. */
  readonly maxVariants: number;
  /** Choice vectors to try at most (valid or not); default 50 per variant wanted, at least 10 000. */
  readonly maxAttempts?: number;
}

export type EnumeratedItem = { readonly kind: 'variant'; readonly variant: Variant } | ({ readonly kind: 'skipped' } & SkippedChoice);

export function* enumerateVariants(space: VariantSpace, options: EnumerationOptions): Generator<EnumeratedItem> {
  const vectors = options.order === 'random' ? randomOrder(space.radices, options.seed ?? 0) : neighbourhoodOrder(space.radices);
  const maxAttempts = options.maxAttempts ?? Math.max(10_000, 50 * options.maxVariants);
  const seen = new Map<string, number>();
  let produced = 0;
  let attempts = 0;
  for (const choice of vectors) {
    if (produced >= options.maxVariants || attempts >= maxAttempts) return;
    attempts++;
    const realized = realizeChoice(space, choice);
    if (!realized.ok) {
      yield { kind: 'skipped', choice, reason: realized.reason };
      continue;
    }
    const key = mappingKey(realized.mapping);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      yield { kind: 'skipped', choice, reason: `same mapping as variant ${earlier}` };
      continue;
    }
    seen.set(key, produced);
    yield { kind: 'variant', variant: toVariant(produced++, choice, realized) };
  }
}
