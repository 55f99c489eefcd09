/**
 * Golden parity of the TETRA MILP alone: each golden group record becomes a `SteadyStateProblem`
 * (spec/milp/support/golden.ts) and solving it must give the reference's unique optima — total
 * latency, latency per iteration, iterations, the three lexicographic objective levels and the max
 * per-core DMA counts. Reuse stops and, with a single iteration, the reported overlap are solver
 * choices (reference README "What is unique and what is solver choice") and are not asserted.
 */
import { solveSteadyState, type SteadyStateOutcome } from '../../lib/milp';
import { loadSolverBackend, type SolverBackend } from '../../lib/solver';
import { goldenCases, goldenProblem, type GoldenCase } from './support/golden';

let highs: SolverBackend;
const outcomes = new Map<string, SteadyStateOutcome>();

beforeAll(async () => {
  highs = await loadSolverBackend('highs');
});

function solved(c: GoldenCase): SteadyStateOutcome {
  let outcome = outcomes.get(c.id);
  if (!outcome) {
    outcome = solveSteadyState(goldenProblem(c), highs);
    outcomes.set(c.id, outcome);
  }
  return outcome;
}

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const golden = c.groups[0]!;

  it('is feasible and reproduces the latency, iterations and overlap split', () => {
    const r = solved(c);
    if (!r.feasible) throw new Error(r.summary);
    expect({
      latency: r.latencyTotal,
      latencyPerIteration: r.latencyPerIteration,
      iterations: r.iterations,
    }).toEqual({
      latency: golden.latency,
      latencyPerIteration: golden.latency_per_iteration,
      iterations: golden.iterations,
    });
    // With N > 1 the split between T and O is unique (N·δT = (N−1)·δO has no small solution).
    if (golden.iterations > 1) expect(r.overlap).toBe(golden.overlap);
  });

  it('reproduces the three lexicographic objective levels and the DMA maxima', () => {
    const r = solved(c);
    if (!r.feasible) throw new Error(r.summary);
    expect(r.objectives).toEqual({
      latency: golden.lexicographic_objectives.latency_level,
      offchipTraffic: golden.lexicographic_objectives.offchip_traffic_level,
      buffering: golden.lexicographic_objectives.buffering_level,
    });
    expect([r.maxCoreDmaIn, r.maxCoreDmaOut]).toEqual([golden.max_core_dma_in, golden.max_core_dma_out]);
    // The solver's own level objectives agree with the exact recomputation.
    r.solve.objectivesPerLevel.forEach((value, level) => {
      const expected = [r.objectives.latency, r.objectives.offchipTraffic, r.objectives.buffering][level]!;
      expect(Math.abs(value - expected)).toBeLessThan(1e-6 * Math.max(1, expected));
    });
  });

  it('reproduces every slot latency', () => {
    const r = solved(c);
    if (!r.feasible) throw new Error(r.summary);
    expect(r.slotLatencies).toEqual(golden.timeslots.map((s) => s.slot_latency));
  });

  it('proves every level optimal with a zero MIP gap', () => {
    const r = solved(c);
    if (!r.feasible) throw new Error(r.summary);
    expect(r.solve.status).toBe('optimal');
    expect(r.solve.levels).toHaveLength(3);
    for (const level of r.solve.levels) expect(level.mipGap ?? 0).toBe(0);
  });

  it('builds a model no larger than the reference (constants are folded, not fixed variables)', () => {
    const r = solved(c);
    if (!r.feasible) throw new Error(r.summary);
    const reference = golden.milp_phases[0]!;
    expect(r.modelSize.variables).toBeLessThanOrEqual(reference.n_vars);
    expect(r.modelSize.constraints).toBeLessThanOrEqual(reference.n_linear_constraints);
  });
});
