/**
 * The contract every MILP backend implements. A backend opens a *session* over one program; the
 * session solves it with a given objective, accepts extra rows (the lexicographic locks) and solves
 * again. Backends that cannot keep a model in memory (a CBC subprocess reading an LP file) re-send the
 * whole program per solve; the contract stays the same.
 *
 * Solves are synchronous. Loading a backend (compiling a wasm module, locating a binary) may be
 * asynchronous and happens once, through the registry (`registry.ts`).
 */
import type { LinearConstraint, LinearExpression, LinearProgram } from './model';

export type SolveStatus =
  | 'optimal'
  | 'infeasible'
  | 'unbounded'
  | 'infeasible_or_unbounded'
  | 'time_limit'
  | 'iteration_limit'
  | 'interrupted'
  | 'error'
  | 'unknown';

export interface SolveOptions {
  /** Seconds per solve call; undefined = no limit. */
  readonly timeLimitSeconds?: number;
  /** Relative MIP gap at which a solve counts as optimal. The reference proves optimality: 0. */
  readonly relativeMipGap?: number;
  /** Absolute MIP gap; 0 by default for the same reason. */
  readonly absoluteMipGap?: number;
  /** Solver log on stderr (off by default: lib stays quiet). */
  readonly verbose?: boolean;
}

export interface SessionSolveOutcome {
  readonly status: SolveStatus;
  /** Objective value as the solver reports it (undefined without a primal solution). */
  readonly objective?: number;
  /** Best proven bound, when the backend reports one. */
  readonly bestBound?: number;
  /** Column values straight from the solver (not rounded). */
  readonly values?: Float64Array;
  readonly mipGap?: number;
  readonly solveTimeSeconds: number;
  readonly nodeCount?: number;
  readonly simplexIterations?: number;
  /** Backend-specific status text, for logs. */
  readonly detail?: string;
}

export interface SolverSession {
  readonly variableCount: number;
  readonly constraintCount: number;
  /** Solves the current program minimising `objective`. */
  solve(objective: LinearExpression): SessionSolveOutcome;
  /** Appends a row (e.g. a lexicographic lock) to the session's program. */
  addConstraint(constraint: LinearConstraint): void;
  /** Releases native resources; idempotent. */
  dispose(): void;
}

export interface SolverBackend {
  /** Registry name, e.g. `highs`. */
  readonly name: string;
  /** Underlying solver and version, e.g. `HiGHS 1.15.1 (wasm)`. */
  readonly solverDescription: string;
  openSession(program: LinearProgram, options?: SolveOptions): SolverSession;
}
