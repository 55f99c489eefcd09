/**
 * Which variant is best, independently of the order results arrive in: a total order over results
 * (successful before failed; then latency, energy and variant index, all ascending), so the reducer's
 * winner is the same for any concurrency or timing. The Pareto front is over (latency, energy).
 */

/** How a variant's evaluation ended. */
export type VariantStatus = 'ok' | 'infeasible' | 'invalid' | 'failed' | 'cancelled';

export interface RankedOutcome {
  readonly index: number;
  readonly status: VariantStatus;
  /** Total latency in cycles (ok only). */
  readonly latency?: number;
  /** On-core energy (ok only; see lib/report/energy.ts). */
  readonly energy?: number;
}

const orNaNLast = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? Infinity : x);

/** Negative when `a` ranks before `b`; never 0 for different indices. */
export function compareOutcomes(a: RankedOutcome, b: RankedOutcome): number {
  const okA = a.status === 'ok' ? 0 : 1;
  const okB = b.status === 'ok' ? 0 : 1;
  return okA - okB || orNaNLast(a.latency) - orNaNLast(b.latency) || orNaNLast(a.energy) - orNaNLast(b.energy) || a.index - b.index;
}

/** Reducer step: the better of the best so far and a new outcome (only successful outcomes can win). */
export function better<T extends RankedOutcome>(best: T | undefined, candidate: T): T | undefined {
  if (candidate.status !== 'ok') return best;
  return best === undefined || compareOutcomes(candidate, best) < 0 ? candidate : best;
}

/**
 * Indices of the successful outcomes no other successful outcome dominates (≤ in latency and energy,
 * < in one). Outcomes at the same point are all on the front.
 */
export function paretoFront(outcomes: readonly RankedOutcome[]): ReadonlySet<number> {
  const points = outcomes
    .filter((o) => o.status === 'ok' && o.latency !== undefined)
    .map((o) => ({ index: o.index, latency: o.latency!, energy: orNaNLast(o.energy) }))
    .sort((a, b) => a.latency - b.latency || a.energy - b.energy || a.index - b.index);
  const front = new Set<number>();
  let bestEnergy = Infinity;
  points.forEach((p, i) => {
    const previous = points[i - 1];
    const tiesFrontPoint = previous !== undefined && front.has(previous.index) && previous.latency === p.latency && previous.energy === p.energy;
    if (p.energy < bestEnergy || tiesFrontPoint) front.add(p.index);
    bestEnergy = Math.min(bestEnergy, p.energy);
  });
  return front;
}
