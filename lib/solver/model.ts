/**
 * Solver-independent linear model: the TypeScript counterpart of the reference's `SolverModel` facade
 * (Stream: `stream/opt/solver/solver.py`).
 *
 * `SolverModel` is a builder: formulations add variables, linear constraints and an ordered list of
 * lexicographic objective levels, then freeze it into a `LinearProgram`, plain immutable data that
 * every backend (HiGHS, a CBC subprocess, ...) can consume. All objectives are minimised; the first
 * objective has the highest priority.
 */

export type VariableKind = 'continuous' | 'integer' | 'binary';

/** Handle of a variable inside one `SolverModel`; `index` is its column number. */
export interface Variable {
  readonly index: number;
  readonly name: string;
  readonly kind: VariableKind;
}

export interface VariableSpec {
  readonly name: string;
  readonly kind: VariableKind;
  readonly lower: number;
  readonly upper: number;
}

/** A sparse linear form `Σ coefficients[k]·x[indices[k]] + constant`; indices are unique. */
export interface LinearExpression {
  readonly indices: readonly number[];
  readonly coefficients: readonly number[];
  readonly constant: number;
}

/** `lower ≤ Σ a·x ≤ upper`; a side at ±Infinity is absent. */
export interface LinearConstraint {
  readonly name: string;
  readonly indices: readonly number[];
  readonly coefficients: readonly number[];
  readonly lower: number;
  readonly upper: number;
}

/** One lexicographic level; always minimised. */
export interface LinearObjective {
  readonly name: string;
  readonly expression: LinearExpression;
}

export interface LinearProgram {
  readonly name: string;
  readonly variables: readonly VariableSpec[];
  readonly constraints: readonly LinearConstraint[];
  /** Lexicographic levels, highest priority first. */
  readonly objectives: readonly LinearObjective[];
}

export interface ModelSize {
  readonly variables: number;
  readonly constraints: number;
  readonly binaries: number;
  readonly integers: number;
  readonly nonzeros: number;
}

export type Term = readonly [variable: Variable, coefficient: number];

/** Accumulates `Σ c·x + k`, merging repeated variables, and freezes into a `LinearExpression`. */
export class LinearExpressionBuilder {
  private readonly coefficientByIndex = new Map<number, number>();
  private constantPart = 0;

  add(variable: Variable, coefficient = 1): this {
    if (coefficient === 0) return this;
    const previous = this.coefficientByIndex.get(variable.index) ?? 0;
    this.coefficientByIndex.set(variable.index, previous + coefficient);
    return this;
  }

  addConstant(value: number): this {
    this.constantPart += value;
    return this;
  }

  addExpression(expression: LinearExpression, scale = 1): this {
    for (let k = 0; k < expression.indices.length; k++) {
      const index = expression.indices[k]!;
      const previous = this.coefficientByIndex.get(index) ?? 0;
      this.coefficientByIndex.set(index, previous + scale * expression.coefficients[k]!);
    }
    this.constantPart += scale * expression.constant;
    return this;
  }

  get isConstant(): boolean {
    for (const c of this.coefficientByIndex.values()) if (c !== 0) return false;
    return true;
  }

  get constant(): number {
    return this.constantPart;
  }

  build(): LinearExpression {
    const indices: number[] = [];
    const coefficients: number[] = [];
    for (const [index, coefficient] of [...this.coefficientByIndex.entries()].sort((a, b) => a[0] - b[0])) {
      if (coefficient === 0) continue;
      indices.push(index);
      coefficients.push(coefficient);
    }
    return { indices, coefficients, constant: this.constantPart };
  }
}

export function linearExpression(terms: readonly Term[], constant = 0): LinearExpression {
  const builder = new LinearExpressionBuilder();
  for (const [variable, coefficient] of terms) builder.add(variable, coefficient);
  return builder.addConstant(constant).build();
}

export function evaluateExpression(expression: LinearExpression, values: ArrayLike<number>): number {
  let sum = expression.constant;
  for (let k = 0; k < expression.indices.length; k++) sum += expression.coefficients[k]! * values[expression.indices[k]!]!;
  return sum;
}

export type ConstraintSense = '<=' | '>=' | '==';

export class SolverModel {
  private readonly variableSpecs: VariableSpec[] = [];
  private readonly variableHandles: Variable[] = [];
  private readonly constraintList: LinearConstraint[] = [];
  private readonly objectiveList: LinearObjective[] = [];

  constructor(readonly name: string) {}

  addVariable(spec: { name: string; kind: VariableKind; lower?: number; upper?: number }): Variable {
    const lower = spec.lower ?? 0;
    const upper = spec.kind === 'binary' ? Math.min(spec.upper ?? 1, 1) : (spec.upper ?? Infinity);
    if (Number.isNaN(lower) || Number.isNaN(upper)) throw new Error(`variable ${spec.name}: NaN bound`);
    const handle: Variable = { index: this.variableSpecs.length, name: spec.name, kind: spec.kind };
    this.variableSpecs.push({ name: spec.name, kind: spec.kind, lower: Math.max(lower, spec.kind === 'binary' ? 0 : -Infinity), upper });
    this.variableHandles.push(handle);
    return handle;
  }

  addBinary(name: string): Variable {
    return this.addVariable({ name, kind: 'binary' });
  }

  addInteger(name: string, lower = 0, upper = Infinity): Variable {
    return this.addVariable({ name, kind: 'integer', lower, upper });
  }

  addContinuous(name: string, lower = 0, upper = Infinity): Variable {
    return this.addVariable({ name, kind: 'continuous', lower, upper });
  }

  /** Raises a variable's lower bound (never lowers it); used to fold constant right-hand sides. */
  tightenLowerBound(variable: Variable, lower: number): void {
    const spec = this.variableSpecs[variable.index]!;
    if (lower > spec.lower) this.variableSpecs[variable.index] = { ...spec, lower };
  }

  /** Lowers a variable's upper bound (never raises it). */
  tightenUpperBound(variable: Variable, upper: number): void {
    const spec = this.variableSpecs[variable.index]!;
    if (upper < spec.upper) this.variableSpecs[variable.index] = { ...spec, upper };
  }

  bounds(variable: Variable): { readonly lower: number; readonly upper: number } {
    const spec = this.variableSpecs[variable.index]!;
    return { lower: spec.lower, upper: spec.upper };
  }

  /** Adds `expression (sense) rhs`; the expression's constant moves to the right-hand side. */
  addConstraint(name: string, expression: LinearExpression, sense: ConstraintSense, rhs: number): void {
    const bound = rhs - expression.constant;
    this.constraintList.push({
      name,
      indices: expression.indices,
      coefficients: expression.coefficients,
      lower: sense === '<=' ? -Infinity : bound,
      upper: sense === '>=' ? Infinity : bound,
    });
  }

  addRange(name: string, expression: LinearExpression, lower: number, upper: number): void {
    this.constraintList.push({
      name,
      indices: expression.indices,
      coefficients: expression.coefficients,
      lower: lower - expression.constant,
      upper: upper - expression.constant,
    });
  }

  /** Appends a lexicographic level (lower priority than every level added before). */
  addObjective(name: string, expression: LinearExpression): void {
    this.objectiveList.push({ name, expression });
  }

  get variables(): readonly Variable[] {
    return this.variableHandles;
  }

  size(): ModelSize {
    return programSize(this.toProgram());
  }

  toProgram(): LinearProgram {
    return {
      name: this.name,
      variables: [...this.variableSpecs],
      constraints: [...this.constraintList],
      objectives: [...this.objectiveList],
    };
  }
}

export function programSize(program: LinearProgram): ModelSize {
  let binaries = 0;
  let integers = 0;
  for (const v of program.variables) {
    if (v.kind === 'binary') binaries++;
    else if (v.kind === 'integer') integers++;
  }
  let nonzeros = 0;
  for (const c of program.constraints) nonzeros += c.indices.length;
  return { variables: program.variables.length, constraints: program.constraints.length, binaries, integers, nonzeros };
}

/**
 * True when the expression can only take integer values: integer coefficients and constant over
 * integer/binary variables. Such a level's optimum is an exact integer, whatever float noise the
 * solver reports.
 */
export function isIntegralExpression(expression: LinearExpression, variables: readonly VariableSpec[]): boolean {
  if (!Number.isInteger(expression.constant)) return false;
  for (let k = 0; k < expression.indices.length; k++) {
    if (!Number.isInteger(expression.coefficients[k]!)) return false;
    if (variables[expression.indices[k]!]!.kind === 'continuous') return false;
  }
  return true;
}
