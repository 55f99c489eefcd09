/**
 * Reuse stops against the reference, asserted only where they are unique.
 *
 * Two checks per golden case:
 *  1. The reference's own reuse stops (`tensor_reuse[].reuse_stop_level`) are feasible and optimal in
 *     our model: fixing every z at the reference's stop reproduces all three objective levels.
 *  2. A stop is unique when forbidding it makes the lexicographic optimum worse (or infeasible); for
 *     those tensors our solution must agree with the reference. The rest are solver choice.
 */
import { buildTetraModel, extractSolution, type TetraFormulation } from '../../lib/milp';
import { loadSolverBackend, solveLexicographic, type LinearConstraint, type LinearProgram, type SolverBackend } from '../../lib/solver';
import { goldenCases, goldenProblem } from './support/golden';

let highs: SolverBackend;
beforeAll(async () => {
  highs = await loadSolverBackend('highs');
});

function withRows(program: LinearProgram, rows: readonly LinearConstraint[]): LinearProgram {
  return { ...program, constraints: [...program.constraints, ...rows] };
}

/** −1 if a is lexicographically better, 1 if worse, 0 if equal (relative tolerance 1e-9). */
function compareLevels(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const tolerance = 1e-9 * Math.max(1, Math.abs(a[i]!), Math.abs(b[i]!));
    if (a[i]! < b[i]! - tolerance) return -1;
    if (a[i]! > b[i]! + tolerance) return 1;
  }
  return 0;
}

function stopVariableIndex(f: TetraFormulation, tensor: string, stop: number): number | undefined {
  const t = f.tensors.get(tensor)!;
  const k = t.table.stops.indexOf(stop);
  if (k < 0) throw new Error(`${tensor}: no reuse level ${stop}`);
  return t.stop.variable(k)?.index;
}

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const golden = c.groups[0]!;

  it('the reference’s reuse stops are optimal in our model', () => {
    const f = buildTetraModel(goldenProblem(c));
    const base = solveLexicographic(f.program, highs);
    expect(base.status).toBe('optimal');
    const pins: LinearConstraint[] = [];
    for (const entry of golden.tensor_reuse) {
      const index = stopVariableIndex(f, entry.tensor, entry.reuse_stop_level);
      if (index !== undefined) pins.push({ name: `pin[${entry.tensor}]`, indices: [index], coefficients: [1], lower: 1, upper: 1 });
    }
    const pinned = solveLexicographic(withRows(f.program, pins), highs);
    expect(pinned.status).toBe('optimal');
    expect(compareLevels(pinned.stats.objectivesPerLevel, base.stats.objectivesPerLevel)).toBe(0);
  });

  it('agrees with the reference on every reuse stop that is unique', () => {
    const f = buildTetraModel(goldenProblem(c));
    const base = solveLexicographic(f.program, highs);
    if (base.status !== 'optimal') throw new Error(`base solve ${base.status}`);
    const ours = extractSolution(f, base.values, base.stats);
    const oursByName = new Map(ours.tensors.map((t) => [t.name, t]));
    const mismatches: string[] = [];
    for (const entry of golden.tensor_reuse) {
      const index = stopVariableIndex(f, entry.tensor, entry.reuse_stop_level);
      let unique = true;
      if (index !== undefined) {
        const forbid: LinearConstraint = { name: `forbid[${entry.tensor}]`, indices: [index], coefficients: [1], lower: 0, upper: 0 };
        const other = solveLexicographic(withRows(f.program, [forbid]), highs);
        unique = other.status !== 'optimal' || compareLevels(other.stats.objectivesPerLevel, base.stats.objectivesPerLevel) > 0;
      }
      const mine = oursByName.get(entry.tensor)!;
      if (unique && (mine.reuseStop !== entry.reuse_stop_level || mine.reuseFactor !== entry.reuse_factor || mine.tiles !== entry.on_chip_tiles)) {
        mismatches.push(`${entry.tensor}: ours stop ${mine.reuseStop} (×${mine.reuseFactor}, ${mine.tiles} tiles), reference ${entry.reuse_stop_level} (×${entry.reuse_factor}, ${entry.on_chip_tiles} tiles)`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
