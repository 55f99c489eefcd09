import { memoryUpdatingWindowUnion } from '../../lib/cost/evaluate';
import { CostModelError } from '../../lib/cost/errors';

/** The reference's timeline form of the memory-updating-window union (§6.7.3). */
function timelineUnion(periods: number[], allowed: number[], counts: number[]): number {
  for (let i = 0; i < periods.length; i++) if (periods[i] === allowed[i]) return periods[i] * counts[i];
  let owner = 0;
  for (let i = 1; i < periods.length; i++) if (periods[i] > periods[owner]) owner = i;
  const pMax = periods[owner];
  const marked = new Uint8Array(pMax);
  periods.forEach((p, i) => {
    for (let k = 0; k < pMax / p; k++) for (let t = k * p; t < Math.min(k * p + allowed[i], (k + 1) * p); t++) marked[t] = 1;
  });
  return marked.reduce((s, x) => s + x, 0) * counts[owner];
}

describe('memory-updating-window union', () => {
  it('equals the timeline form on random nested periods', () => {
    let seed = 7;
    const rand = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % k;
    };
    for (let trial = 0; trial < 2000; trial++) {
      const n = 2 + rand(4);
      const chain = [1 + rand(4)];
      for (let i = 1; i < 5; i++) chain.push(chain[i - 1] * (1 + rand(4)));
      const periods = Array.from({ length: n }, () => chain[rand(chain.length)]);
      const allowed = periods.map((p) => 1 + rand(p));
      const counts = periods.map(() => 1 + rand(50));
      const got = memoryUpdatingWindowUnion(Float64Array.from(periods), Float64Array.from(allowed), Float64Array.from(counts), n, new Int32Array(n));
      expect(got).toBe(timelineUnion(periods, allowed, counts));
    }
  });

  it('handles periods that divide the largest without being nested', () => {
    const periods = [4, 6, 12];
    const allowed = [1, 2, 3];
    const counts = [3, 2, 5];
    expect(memoryUpdatingWindowUnion(Float64Array.from(periods), Float64Array.from(allowed), Float64Array.from(counts), 3, new Int32Array(3))).toBe(timelineUnion(periods, allowed, counts));
  });

  it('raises like numpy reshape when a period does not divide the largest', () => {
    expect(() => memoryUpdatingWindowUnion(Float64Array.from([4, 6]), Float64Array.from([1, 2]), Float64Array.from([3, 2]), 2, new Int32Array(2))).toThrow(CostModelError);
  });
});
