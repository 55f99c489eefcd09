/**
 * Sanity of the golden adapter and of the formulation's precomputed quantities on real data: every
 * per-member number the reference recorded in `timeslots` (activity fractions, active and raw cycles,
 * contributions) and the per-core resident bits of `memory_occupancy` follow from the problem the
 * adapter builds.
 */
import { buildTetraModel, reuseTable } from '../../lib/milp';
import { goldenCases, goldenProblem } from './support/golden';

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const golden = c.groups[0]!;
  const problem = goldenProblem(c);
  const f = buildTetraModel(problem);

  it('has one slot per reference timeslot and the reference’s iteration count', () => {
    expect(problem.slotCount).toBe(golden.timeslots.length);
    expect(problem.iterations).toBe(golden.iterations);
    expect(problem.tensors.map((t) => t.name).sort()).toEqual(golden.tensor_reuse.map((t) => t.tensor).sort());
  });

  it('reproduces the recorded fraction and active cycles of every compute member', () => {
    const byName = new Map(f.computeNodes.map((n) => [n.node.name, n]));
    for (const slot of golden.timeslots) {
      for (const m of slot.members) {
        if (m.kind !== 'compute') continue;
        const mine = byName.get(m.name)!;
        expect([mine.fraction.numerator, mine.fraction.denominator]).toEqual(m.active_fraction);
        expect(mine.activeCycles).toBe(m.contribution);
      }
    }
  });

  it('reproduces the raw and active cycles of every transfer member and its contribution at the reference’s stop', () => {
    const byName = new Map(f.transfers.map((t) => [t.transfer.name, t]));
    for (const slot of golden.timeslots) {
      for (const m of slot.members) {
        if (m.kind !== 'transfer') continue;
        const mine = byName.get(m.name)!;
        expect([mine.fraction.numerator, mine.fraction.denominator]).toEqual(m.active_fraction);
        expect(mine.rawCycles[0]).toBe(m.raw_cycles);
        expect(mine.activeCycles[0]).toBe(m.active_cycles);
        const out = f.tensors.get(mine.transfer.outputs[0]!)!;
        const k = out.table.stops.indexOf(m.output_reuse_stop!);
        expect(out.table.reuse[k]).toBe(m.output_reuse_factor);
        expect(mine.activeCycles[0]! / out.table.reuse[k]!).toBeCloseTo(m.contribution, 9);
      }
    }
  });

  it('reproduces the reference’s reuse factor and tiles at its chosen stop for every tensor', () => {
    for (const entry of golden.tensor_reuse) {
      const t = problem.tensors.find((x) => x.name === entry.tensor)!;
      const table = reuseTable(t.loops);
      const k = table.stops.indexOf(entry.reuse_stop_level);
      expect([table.reuse[k], table.tiles[k]]).toEqual([entry.reuse_factor, entry.on_chip_tiles]);
    }
  });

  it('derives per-core tile bits that match the resident bits of memory_occupancy', () => {
    const stopOf = new Map(golden.tensor_reuse.map((t) => [t.tensor, t]));
    for (const core of golden.performance_stats.memory_occupancy) {
      let resident = 0;
      for (const t of problem.tensors) {
        if (t.producer === 'in_edge' || !t.placements[0]!.cores.includes(core.core_id)) continue;
        const tiles = stopOf.get(t.name)!.on_chip_tiles;
        resident += Math.ceil(tiles * t.placements[0]!.tileBits);
      }
      expect({ core: core.core_id, resident }).toEqual({ core: core.core_id, resident: core.resident_bits });
      for (const listed of core.tensors) {
        const t = problem.tensors.find((x) => x.name === listed.tensor)!;
        expect(Math.ceil(stopOf.get(t.name)!.on_chip_tiles * t.placements[0]!.tileBits)).toBe(listed.bits);
      }
    }
  });
});
