/**
 * HiGHS backend over the `highs` npm package (HiGHS compiled to wasm; ecosystem-notes.md §1).
 *
 * The program is passed as sparse CSR arrays through the persistent-model API, so no LP text is
 * written or parsed. One native model lives per session: each lexicographic level only replaces the
 * objective and appends its lock row before the next `run()`.
 *
 * The wasm runtime is loaded once per process (`loadHighsBackend`); solves are synchronous. Every
 * session must be disposed (native memory is not garbage collected); `solveLexicographic` does so.
 */
import * as fs from 'fs';
import type { Highs, InitOptions, Model, ModelStatusCode, VariableType } from 'highs';
import type { SessionSolveOutcome, SolveOptions, SolveStatus, SolverBackend, SolverSession } from './backend';
import type { LinearConstraint, LinearExpression, LinearProgram } from './model';
import { raiseWasmTieringBudget } from '../common/v8-flags';

let runtime: Promise<Highs> | undefined;

/** The part of the WebAssembly API used here (the project's `lib` setting has no DOM types). */
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ readonly instance: object }>;
};

/** Emscripten's hook for instantiating the module itself (not in highs' typings). */
interface InstantiateWasmOption {
  instantiateWasm(imports: object, receiveInstance: (instance: object) => void): object;
}

/**
 * Starts the wasm compile at once, on V8's background threads. Left to itself the loader reads the
 * file in an async step and compiles only after the caller's synchronous work is done, and a CO run
 * parses and costs synchronously from the moment it starts the load: the whole load then sat in front
 * of the first solve instead of under the parsing and costing.
 */
function loadHighsCompilingAtOnce(): Promise<Highs> {
  // Required on first use: a CO run that solves on its solver thread never loads HiGHS in its main thread.
  const loadHighs = (require('highs') as typeof import('highs')).default;
  return new Promise<Highs>((resolve, reject) => {
    const options: InitOptions & InstantiateWasmOption = {
      instantiateWasm(imports, receiveInstance) {
        const bytes = fs.readFileSync(require.resolve('highs/runtime'));
        WebAssembly.instantiate(bytes, imports).then(({ instance }) => receiveInstance(instance), reject);
        return {};
      },
    };
    loadHighs(options).then(resolve, reject);
  });
}

/** Loads the wasm runtime once; later calls share it. */
export function loadHighsRuntime(): Promise<Highs> {
  if (!runtime) {
    raiseWasmTieringBudget();
    runtime = loadHighsCompilingAtOnce();
    runtime.catch(() => {
      runtime = undefined;
    });
  }
  return runtime;
}

export async function loadHighsBackend(): Promise<SolverBackend> {
  return createHighsBackend(await loadHighsRuntime());
}

export function createHighsBackend(highs: Highs): SolverBackend {
  return {
    name: 'highs',
    solverDescription: `HiGHS ${highs.version.string} (wasm, highs-js)`,
    openSession: (program, options) => new HighsSession(highs, program, options ?? {}),
  };
}

function finite(value: number, infinity: number): number {
  if (value === Infinity) return infinity;
  if (value === -Infinity) return -infinity;
  return value;
}

function statusFromCode(highs: Highs, code: ModelStatusCode): SolveStatus {
  const s = highs.constants.modelStatus;
  switch (code) {
    case s.optimal:
      return 'optimal';
    case s.infeasible:
      return 'infeasible';
    case s.unbounded:
      return 'unbounded';
    case s.unboundedOrInfeasible:
      return 'infeasible_or_unbounded';
    case s.timeLimit:
      return 'time_limit';
    case s.iterationLimit:
      return 'iteration_limit';
    case s.interrupted:
      return 'interrupted';
    case s.loadError:
    case s.modelError:
    case s.presolveError:
    case s.solveError:
    case s.postsolveError:
      return 'error';
    default:
      return 'unknown';
  }
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'notSet',
  1: 'loadError',
  2: 'modelError',
  3: 'presolveError',
  4: 'solveError',
  5: 'postsolveError',
  6: 'empty',
  7: 'optimal',
  8: 'infeasible',
  9: 'unboundedOrInfeasible',
  10: 'unbounded',
  11: 'objectiveBound',
  12: 'objectiveTarget',
  13: 'timeLimit',
  14: 'iterationLimit',
  15: 'unknown',
  16: 'solutionLimit',
  17: 'interrupted',
};

class HighsSession implements SolverSession {
  private readonly model: Model;
  private readonly isMip: boolean;
  private columns: number;
  private rows: number;
  private disposed = false;

  constructor(
    private readonly highs: Highs,
    program: LinearProgram,
    options: SolveOptions,
  ) {
    const inf = highs.infinity;
    const numCols = program.variables.length;
    const numRows = program.constraints.length;
    const starts = new Int32Array(numRows + 1);
    let nonzeros = 0;
    for (let r = 0; r < numRows; r++) {
      starts[r] = nonzeros;
      nonzeros += program.constraints[r]!.indices.length;
    }
    starts[numRows] = nonzeros;
    const indices = new Int32Array(nonzeros);
    const values = new Float64Array(nonzeros);
    const rowLower = new Float64Array(numRows);
    const rowUpper = new Float64Array(numRows);
    let k = 0;
    for (let r = 0; r < numRows; r++) {
      const row = program.constraints[r]!;
      for (let j = 0; j < row.indices.length; j++) {
        indices[k] = row.indices[j]!;
        values[k] = row.coefficients[j]!;
        k++;
      }
      rowLower[r] = finite(row.lower, inf);
      rowUpper[r] = finite(row.upper, inf);
    }
    const colLower = new Float64Array(numCols);
    const colUpper = new Float64Array(numCols);
    const integrality = new Int32Array(numCols);
    const integer: VariableType = highs.constants.variableType.integer;
    let anyInteger = false;
    for (let c = 0; c < numCols; c++) {
      const v = program.variables[c]!;
      colLower[c] = finite(v.lower, inf);
      colUpper[c] = finite(v.upper, inf);
      if (v.kind !== 'continuous') {
        integrality[c] = integer;
        anyInteger = true;
      }
    }
    this.isMip = anyInteger;
    this.columns = numCols;
    this.rows = numRows;
    this.model = highs.createModel({
      numCols,
      numRows,
      colCost: new Float64Array(numCols),
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows, numCols, starts, indices, values },
      ...(anyInteger ? { integrality } : {}),
    });
    try {
      this.model.options.set({
        output_flag: options.verbose ?? false,
        mip_rel_gap: options.relativeMipGap ?? 0,
        mip_abs_gap: options.absoluteMipGap ?? 0,
        ...(options.timeLimitSeconds !== undefined ? { time_limit: options.timeLimitSeconds } : {}),
      });
    } catch (error) {
      this.model.dispose();
      throw error;
    }
  }

  get variableCount(): number {
    return this.columns;
  }

  get constraintCount(): number {
    return this.rows;
  }

  solve(objective: LinearExpression): SessionSolveOutcome {
    this.assertOpen();
    const costs = new Float64Array(this.columns);
    for (let j = 0; j < objective.indices.length; j++) costs[objective.indices[j]!] += objective.coefficients[j]!;
    if (this.columns > 0) this.model.changeColsCost({ kind: 'range', from: 0, to: this.columns - 1 }, costs);
    this.model.changeObjectiveOffset(objective.constant);
    this.model.zeroAllClocks();
    const run = this.model.run();
    const solveTimeSeconds = this.model.getRunTime();
    const status = statusFromCode(this.highs, run.modelStatus);
    const detail = STATUS_NAMES[run.modelStatus] ?? String(run.modelStatus);
    const primalStatus = this.model.info.get('primal_solution_status');
    const hasPrimal = primalStatus === this.highs.constants.solutionStatus.feasible;
    const mipGap = this.isMip ? this.readNumber('mip_gap') : 0;
    const nodeCount = this.isMip ? this.readNumber('mip_node_count') : 0;
    const bestBound = this.isMip ? this.readNumber('mip_dual_bound') : undefined;
    const simplexIterations = this.readNumber('simplex_iteration_count');
    return {
      status,
      detail,
      solveTimeSeconds,
      ...(hasPrimal ? { objective: this.model.getObjectiveValue(), values: this.model.getSolution().colValue } : {}),
      ...(mipGap !== undefined ? { mipGap } : {}),
      ...(nodeCount !== undefined ? { nodeCount } : {}),
      ...(bestBound !== undefined ? { bestBound } : {}),
      ...(simplexIterations !== undefined ? { simplexIterations } : {}),
    };
  }

  addConstraint(constraint: LinearConstraint): void {
    this.assertOpen();
    const inf = this.highs.infinity;
    this.model.addRow(finite(constraint.lower, inf), finite(constraint.upper, inf), {
      indices: Int32Array.from(constraint.indices),
      values: Float64Array.from(constraint.coefficients),
    });
    this.rows++;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  private readNumber(name: string): number | undefined {
    try {
      const value = this.model.info.get(name);
      if (typeof value === 'bigint') return Number(value);
      return typeof value === 'number' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('HiGHS session used after dispose()');
  }
}
