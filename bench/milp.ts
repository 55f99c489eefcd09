/**
 * TETRA MILP benchmark on the golden cases: model build and three-level lexicographic solve with the
 * HiGHS backend, against the reference's recorded solver times and model sizes
 * (reference-co-pipeline.md §18.3, golden `milp_phases`).
 *
 * Run (no npm script on purpose; compiles only this file and its imports):
 *   npx tsc --outDir /tmp/bench-milp --module commonjs --target es2022 --esModuleInterop \
 *     --skipLibCheck --resolveJsonModule bench/milp.ts && node /tmp/bench-milp/bench/milp.js [repeats]
 */
import { performance } from 'perf_hooks';
import { buildTetraModel, modelSizeOf, solveSteadyState } from '../lib/milp';
import { loadSolverBackend } from '../lib/solver';
import { goldenCases, goldenProblem } from '../spec/milp/support/golden';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

async function main(): Promise<void> {
  const repeats = Number(process.argv[2] ?? 20);
  const t0 = performance.now();
  const highs = await loadSolverBackend('highs');
  const loadMs = performance.now() - t0;
  console.log(`HiGHS backend: ${highs.solverDescription}; wasm load ${loadMs.toFixed(1)} ms; ${repeats} repeats per case`);
  console.log('solve = build + 3 lexicographic levels + extraction (wall); highs = HiGHS run time summed over the levels (median)');
  console.log('ref 3 lvls = the reference GSCIP solver time of the golden run (milp_phases); on a shared machine prefer the min column');
  console.log(
    [
      'case'.padEnd(48),
      pad('ours vars×cons', 15),
      pad('ref vars×cons', 14),
      pad('build ms', 9),
      pad('solve min', 9),
      pad('solve p50', 9),
      pad('highs ms', 9),
      pad('ref 3 lvls ms', 13),
      pad('nodes', 6),
      pad('latency', 11),
    ].join(' '),
  );
  let totalOurs = 0;
  let totalReference = 0;
  for (const c of goldenCases()) {
    const problem = goldenProblem(c);
    const golden = c.groups[0]!;
    const buildTimes: number[] = [];
    const solveTimes: number[] = [];
    const solverTimes: number[] = [];
    let latency = NaN;
    let nodes = 0;
    let size = { variables: 0, constraints: 0 };
    for (let r = 0; r < repeats; r++) {
      const b0 = performance.now();
      const formulation = buildTetraModel(problem);
      buildTimes.push(performance.now() - b0);
      size = modelSizeOf(formulation);
      const s0 = performance.now();
      const outcome = solveSteadyState(problem, highs);
      solveTimes.push(performance.now() - s0);
      if (!outcome.feasible) throw new Error(`${c.id}: ${outcome.summary}`);
      latency = outcome.latencyTotal;
      nodes = outcome.solve.nodeCount;
      solverTimes.push(outcome.solve.solveTimeSeconds * 1000);
    }
    if (latency !== golden.latency) throw new Error(`${c.id}: latency ${latency} ≠ golden ${golden.latency}`);
    const reference = golden.milp_phases[0]!;
    const referenceMs = golden.milp_phases.reduce((s, p) => s + p.solver_time_s, 0) * 1000;
    const solveMs = median(solveTimes);
    totalOurs += solveMs;
    totalReference += referenceMs;
    console.log(
      [
        c.id.padEnd(48),
        pad(`${size.variables}×${size.constraints}`, 15),
        pad(`${reference.n_vars}×${reference.n_linear_constraints}`, 14),
        pad(median(buildTimes).toFixed(2), 9),
        pad(Math.min(...solveTimes).toFixed(2), 9),
        pad(solveMs.toFixed(2), 9),
        pad(median(solverTimes).toFixed(2), 9),
        pad(referenceMs.toFixed(2), 13),
        pad(nodes, 6),
        pad(latency, 11),
      ].join(' '),
    );
  }
  console.log(
    `total (median per case): ours ${totalOurs.toFixed(1)} ms (build + 3 levels + extraction) vs reference solver-only ${totalReference.toFixed(1)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
