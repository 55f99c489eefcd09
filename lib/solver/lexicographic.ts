/**
 * Lexicographic minimisation the way the reference's OR-Tools backend does it
 * (reference-co-pipeline.md §10.7): solve level 1; lock `expr ≤ opt + tol` with tol = 0; solve level
 * 2 under that lock; and so on. The run stops at the first level that is not proven optimal.
 *
 * Float noise: an integral level (integer coefficients over integer variables) has an exact integer
 * optimum, but HiGHS reports it with feasibility-tolerance noise multiplied by large coefficients
 * (N·ΣL with N up to 2^20). Locking at the noisy float could cut off the true optimum, so such a level
 * is locked at the rounded optimum — still tol 0 at the exact value. Integer and binary variable values
 * are rounded to the nearest integer before anyone reads them, as the reference's HiGHS cross-check did.
 */
import type { SessionSolveOutcome, SolveOptions, SolveStatus, SolverBackend } from './backend';
import {
  evaluateExpression,
  isIntegralExpression,
  programSize,
  type LinearProgram,
  type ModelSize,
  type Variable,
} from './model';

export interface LexicographicOptions extends SolveOptions {
  /** Added to each level's optimum in its lock row. The reference uses 0. */
  readonly lockTolerance?: number;
  /** Called before each level is solved (progress reporting). */
  readonly onLevel?: (level: number, levels: number, name: string) => void;
}

export interface LevelStats {
  readonly name: string;
  readonly status: SolveStatus;
  /** The solver's objective value for this level (undefined without a solution). */
  readonly objective?: number;
  /** Right-hand side of the lock row added after this level (undefined for the last level or on failure). */
  readonly lockedAt?: number;
  readonly bestBound?: number;
  readonly mipGap?: number;
  readonly solveTimeSeconds: number;
  readonly nodeCount?: number;
  readonly simplexIterations?: number;
  /** Model size this level was solved on (each finished level adds one lock row). */
  readonly variables: number;
  readonly constraints: number;
  readonly detail?: string;
}

export interface SolveStats {
  readonly backend: string;
  readonly solver: string;
  /** `optimal` only when every level was proven optimal; otherwise the first failing level's status. */
  readonly status: SolveStatus;
  /** Objective of the last level solved, as the reference reports it ("objective"). */
  readonly objective?: number;
  /** Exact objective per level, re-evaluated on the rounded solution. */
  readonly objectivesPerLevel: readonly number[];
  readonly mipGap?: number;
  readonly solveTimeSeconds: number;
  readonly nodeCount: number;
  readonly modelSize: ModelSize;
  readonly levels: readonly LevelStats[];
}

export type LexicographicSolveResult =
  | {
      readonly status: 'optimal';
      /** Column values; integer and binary columns rounded to the nearest integer. */
      readonly values: Float64Array;
      readonly stats: SolveStats;
    }
  | {
      readonly status: Exclude<SolveStatus, 'optimal'>;
      /** Index of the level that failed. */
      readonly failedLevel: number;
      readonly stats: SolveStats;
    };

/** Rounds integer/binary columns to the nearest integer; continuous columns pass through. */
export function roundIntegerColumns(program: LinearProgram, values: ArrayLike<number>): Float64Array {
  const rounded = Float64Array.from(values);
  for (let c = 0; c < program.variables.length; c++) {
    if (program.variables[c]!.kind !== 'continuous') rounded[c] = Math.round(rounded[c]!) + 0;
  }
  return rounded;
}

export function valueOf(values: ArrayLike<number>, variable: Variable): number {
  return values[variable.index]!;
}

export function solveLexicographic(
  program: LinearProgram,
  backend: SolverBackend,
  options: LexicographicOptions = {},
): LexicographicSolveResult {
  const tolerance = options.lockTolerance ?? 0;
  const session = backend.openSession(program, options);
  const levels: LevelStats[] = [];
  let lastValues: Float64Array | undefined;
  let totalTime = 0;
  let totalNodes = 0;
  let worstGap: number | undefined;
  try {
    for (let level = 0; level < program.objectives.length; level++) {
      const objective = program.objectives[level]!;
      options.onLevel?.(level, program.objectives.length, objective.name);
      const variables = session.variableCount;
      const constraints = session.constraintCount;
      const outcome: SessionSolveOutcome = session.solve(objective.expression);
      totalTime += outcome.solveTimeSeconds;
      totalNodes += outcome.nodeCount ?? 0;
      if (outcome.mipGap !== undefined) worstGap = Math.max(worstGap ?? 0, outcome.mipGap);
      const base = {
        name: objective.name,
        status: outcome.status,
        solveTimeSeconds: outcome.solveTimeSeconds,
        variables,
        constraints,
        ...(outcome.objective !== undefined ? { objective: outcome.objective } : {}),
        ...(outcome.bestBound !== undefined ? { bestBound: outcome.bestBound } : {}),
        ...(outcome.mipGap !== undefined ? { mipGap: outcome.mipGap } : {}),
        ...(outcome.nodeCount !== undefined ? { nodeCount: outcome.nodeCount } : {}),
        ...(outcome.simplexIterations !== undefined ? { simplexIterations: outcome.simplexIterations } : {}),
        ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
      };
      if (outcome.status !== 'optimal' || outcome.values === undefined || outcome.objective === undefined) {
        levels.push(base);
        const status: Exclude<SolveStatus, 'optimal'> = outcome.status === 'optimal' ? 'unknown' : outcome.status;
        return {
          status,
          failedLevel: level,
          stats: statsOf(program, backend, status, levels, lastValues, totalTime, totalNodes, worstGap),
        };
      }
      lastValues = roundIntegerColumns(program, outcome.values);
      if (level < program.objectives.length - 1) {
        const optimum = isIntegralExpression(objective.expression, program.variables)
          ? Math.round(outcome.objective)
          : outcome.objective;
        const lockedAt = optimum + tolerance;
        session.addConstraint({
          name: `lock_${objective.name}`,
          indices: objective.expression.indices,
          coefficients: objective.expression.coefficients,
          lower: -Infinity,
          upper: lockedAt - objective.expression.constant,
        });
        levels.push({ ...base, lockedAt });
      } else {
        levels.push(base);
      }
    }
  } finally {
    session.dispose();
  }
  const values = lastValues ?? new Float64Array(program.variables.length);
  return {
    status: 'optimal',
    values,
    stats: statsOf(program, backend, 'optimal', levels, values, totalTime, totalNodes, worstGap),
  };
}

function statsOf(
  program: LinearProgram,
  backend: SolverBackend,
  status: SolveStatus,
  levels: readonly LevelStats[],
  values: Float64Array | undefined,
  solveTimeSeconds: number,
  nodeCount: number,
  mipGap: number | undefined,
): SolveStats {
  const last = levels[levels.length - 1];
  return {
    backend: backend.name,
    solver: backend.solverDescription,
    status,
    ...(last?.objective !== undefined ? { objective: last.objective } : {}),
    objectivesPerLevel: values ? program.objectives.map((o) => evaluateExpression(o.expression, values)) : [],
    ...(mipGap !== undefined ? { mipGap } : {}),
    solveTimeSeconds,
    nodeCount,
    modelSize: programSize(program),
    levels,
  };
}
