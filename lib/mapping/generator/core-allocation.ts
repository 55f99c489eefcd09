/**
 * Core choice and the inter-core split of the generic mapper (reference-co-pipeline §6 steps 1-2).
 */
import { gcd } from '../../common/numeric';
import { Accelerator, Core } from '../../hardware/model';
import { InterCoreSplit } from '../model';
import { ComputationNode, IteratorType } from '../../workload/model';

const NEVER_COMPUTES: ReadonlySet<string> = new Set(['offchip', 'shim', 'memory']);

export interface EligibleCores {
  /** In accelerator core order (the core graph's order, reference quirk Q54). */
  readonly cores: readonly Core[];
  readonly reason: 'specialized' | 'generic' | 'any-compute';
  readonly warning?: string;
}

/**
 * `_select_cores_for_node`: among the cores that can compute, those whose `operator_types` lists the
 * node's type; else those without an `operator_types` whitelist; else (with a warning) all compute cores.
 */
export function eligibleCores(node: ComputationNode, accelerator: Accelerator): EligibleCores {
  const candidates = accelerator.cores.filter((c) => !NEVER_COMPUTES.has(c.spec.kind));
  const specialized = candidates.filter((c) => c.spec.operatorTypes?.includes(node.type));
  if (specialized.length > 0) return { cores: specialized, reason: 'specialized' };
  const generic = candidates.filter((c) => c.spec.operatorTypes === undefined);
  if (generic.length > 0) return { cores: generic, reason: 'generic' };
  const compute = candidates.filter((c) => c.spec.kind === 'compute');
  return {
    cores: compute,
    reason: 'any-compute',
    warning: `No core lists operator type ${node.type} and every core restricts its operator types; node ${node.name} may use any compute core.`,
  };
}

export interface SplitCandidate {
  readonly dim: number;
  readonly iteratorType: IteratorType;
  /** Size of the loop's unique dim in the (untiled) group. */
  readonly size: number;
}

/**
 * The gcd split: candidates sorted by (is PARALLEL, size) descending with a *stable* sort (ties keep
 * loop order, so ox goes before oy — reference quirk Q55); each takes gcd(remaining cores, size).
 * The product of the factors may fall short of `coreCount`.
 */
export function gcdInterCoreSplit(candidates: readonly SplitCandidate[], coreCount: number): readonly InterCoreSplit[] {
  if (coreCount <= 1) return [];
  const key = (c: SplitCandidate): [number, number] => [c.iteratorType === 'parallel' ? 1 : 0, c.size];
  const sorted = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => {
      const [pa, sa] = key(a.c);
      const [pb, sb] = key(b.c);
      return pb - pa || sb - sa || a.i - b.i;
    })
    .map(({ c }) => c);
  const splits: InterCoreSplit[] = [];
  let remaining = coreCount;
  for (const c of sorted) {
    if (remaining === 1) break;
    const factor = gcd(remaining, c.size);
    if (factor > 1) {
      splits.push({ dim: c.dim, split: factor });
      remaining /= factor;
    }
  }
  return splits;
}

/**
 * The shrink rule: when the split uses fewer cores than are eligible, take the first `count` eligible
 * cores not yet used by earlier layers of the group, or the first `count` eligible cores when there are
 * not enough unused ones.
 */
export function shrinkAllocation(eligible: readonly number[], count: number, used: ReadonlySet<number>): readonly number[] {
  if (count >= eligible.length) return eligible;
  const unused = eligible.filter((id) => !used.has(id));
  return unused.length >= count ? unused.slice(0, count) : eligible.slice(0, count);
}
