/**
 * The scheduler's MILP input against the golden records, and the MILP solved on it: from hand-built
 * tiled groups through `scheduleSteadyState` and `toSteadyStateProblem` to HiGHS. LUT latencies come
 * from the golden timeslots (the cost model is specified elsewhere).
 */
import { SteadyStateOutcome, solveSteadyState } from '../../lib/milp';
import { loadSolverBackend, SolverBackend } from '../../lib/solver';
import { toSteadyStateProblem } from '../../lib/scheduler/problem';
import { scheduleSteadyState } from '../../lib/scheduler/steady-state';
import { GoldenCase, goldenCases, goldenSchedulerInput } from '../fixtures/scheduler/golden';

let highs: SolverBackend;
beforeAll(async () => {
  highs = await loadSolverBackend('highs');
});

function goldenLutLatencies(c: GoldenCase): Map<string, number> {
  const out = new Map<string, number>();
  for (const slot of c.group.timeslots) for (const m of slot.members) if (m.kind === 'compute') out.set(m.name, m.lut_latency_max_over_cores ?? NaN);
  return out;
}

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const input = goldenSchedulerInput(c);
  const schedule = scheduleSteadyState(input);
  const problem = toSteadyStateProblem(schedule, input.accelerator, { label: `${c.id} group 0`, lutLatencies: goldenLutLatencies(c) });
  let outcome: SteadyStateOutcome | undefined;
  const solved = () => (outcome ??= solveSteadyState(problem, highs));

  it('gives every resident tensor its golden per-core bits (golden occupancy = on-chip tiles x per-core bits)', () => {
    const tiles = new Map(c.group.tensor_reuse.map((t) => [t.tensor, t.on_chip_tiles]));
    const ours = new Map<string, number>();
    for (const t of problem.tensors) {
      for (const core of t.placements[0].cores) ours.set(`${core}:${t.name}`, Math.ceil((tiles.get(t.name) ?? NaN) * t.placements[0].tileBits));
    }
    for (const core of c.group.performance_stats.memory_occupancy) {
      for (const t of core.tensors) {
        const key = `${core.core_id}:${t.tensor}`;
        expect({ key, bits: ours.get(key) }).toEqual({ key, bits: t.bits });
      }
    }
    expect(problem.cores.map((k) => k.id)).toEqual(c.group.performance_stats.memory_occupancy.map((o) => o.core_id));
    expect(problem.cores.map((k) => k.capacityBits)).toEqual(c.group.performance_stats.memory_occupancy.map((o) => o.capacity_bits));
  });

  it('solves to the golden latency, slot latencies and objective levels', () => {
    const r = solved();
    if (!r.feasible) throw new Error(r.summary);
    expect({
      latency: r.latencyTotal,
      latencyPerIteration: r.latencyPerIteration,
      iterations: r.iterations,
      slotLatencies: r.slotLatencies,
      objectives: r.objectives,
      dma: [r.maxCoreDmaIn, r.maxCoreDmaOut],
    }).toEqual({
      latency: c.group.latency,
      latencyPerIteration: c.group.latency_per_iteration,
      iterations: c.group.iterations,
      slotLatencies: c.group.timeslots.map((s) => s.slot_latency),
      objectives: {
        latency: c.group.lexicographic_objectives.latency_level,
        offchipTraffic: c.group.lexicographic_objectives.offchip_traffic_level,
        buffering: c.group.lexicographic_objectives.buffering_level,
      },
      dma: [c.group.max_core_dma_in, c.group.max_core_dma_out],
    });
  });
});
