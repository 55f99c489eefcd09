import {
  DEFAULT_SOLVER_BACKEND,
  LinearExpressionBuilder,
  SolverModel,
  linearExpression,
  loadSolverBackend,
  registerSolverBackend,
  registeredSolverBackends,
  roundIntegerColumns,
  solveLexicographic,
  valueOf,
  type SolverBackend,
} from '../../lib/solver';

let highs: SolverBackend;

beforeAll(async () => {
  highs = await loadSolverBackend(DEFAULT_SOLVER_BACKEND);
});

describe('SolverModel', () => {
  it('merges repeated terms and moves constants to the right-hand side', () => {
    const m = new SolverModel('t');
    const x = m.addInteger('x');
    const y = m.addBinary('y');
    const e = new LinearExpressionBuilder().add(x, 2).add(y, 1).add(x, 3).addConstant(4).build();
    expect(e).toEqual({ indices: [0, 1], coefficients: [5, 1], constant: 4 });
    m.addConstraint('c', e, '<=', 10);
    const p = m.toProgram();
    expect(p.constraints[0]).toMatchObject({ lower: -Infinity, upper: 6 });
    expect(p.variables[1]).toMatchObject({ kind: 'binary', lower: 0, upper: 1 });
    expect(m.size()).toMatchObject({ variables: 2, constraints: 1, binaries: 1, integers: 1, nonzeros: 2 });
  });

  it('rounds integer columns but not continuous ones', () => {
    const m = new SolverModel('t');
    m.addInteger('i');
    m.addContinuous('c');
    expect([...roundIntegerColumns(m.toProgram(), [2.9999999, 0.25])]).toEqual([3, 0.25]);
  });
});

describe('HiGHS backend', () => {
  it('solves the chairs-and-tables MILP (optimum 1100 at 20 chairs, 10 tables)', () => {
    const m = new SolverModel('workshop');
    const chairs = m.addInteger('chairs');
    const tables = m.addInteger('tables');
    m.addConstraint('carpentry', linearExpression([[chairs, 1], [tables, 2]]), '<=', 40);
    m.addConstraint('finishing', linearExpression([[chairs, 2], [tables, 1]]), '<=', 50);
    m.addObjective('profit', linearExpression([[chairs, -30], [tables, -50]]));
    const r = solveLexicographic(m.toProgram(), highs);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    expect(valueOf(r.values, chairs)).toBe(20);
    expect(valueOf(r.values, tables)).toBe(10);
    expect(r.stats.objectivesPerLevel).toEqual([-1100]);
    expect(r.stats.mipGap).toBe(0);
    expect(r.stats.backend).toBe('highs');
    expect(r.stats.modelSize).toMatchObject({ variables: 2, constraints: 2 });
  });

  it('solves a 0/1 knapsack exactly', () => {
    // weights 12 2 1 1 4, values 4 2 1 2 10, capacity 15 → items 1..4 → value 15
    const w = [12, 2, 1, 1, 4];
    const v = [4, 2, 1, 2, 10];
    const m = new SolverModel('knapsack');
    const x = w.map((_, i) => m.addBinary(`x${i}`));
    m.addConstraint('capacity', linearExpression(x.map((xi, i) => [xi, w[i]!] as const)), '<=', 15);
    m.addObjective('value', linearExpression(x.map((xi, i) => [xi, -v[i]!] as const)));
    const r = solveLexicographic(m.toProgram(), highs);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    expect(x.map((xi) => valueOf(r.values, xi))).toEqual([0, 1, 1, 1, 1]);
    expect(r.stats.objectivesPerLevel).toEqual([-15]);
  });

  it('reports infeasibility as a status, not an exception', () => {
    const m = new SolverModel('infeasible');
    const x = m.addInteger('x', 0, 10);
    m.addConstraint('low', linearExpression([[x, 1]]), '>=', 6);
    m.addConstraint('high', linearExpression([[x, 1]]), '<=', 5);
    m.addObjective('x', linearExpression([[x, 1]]));
    const r = solveLexicographic(m.toProgram(), highs);
    expect(r.status === 'infeasible' || r.status === 'infeasible_or_unbounded').toBe(true);
    if (r.status === 'optimal') return;
    expect(r.failedLevel).toBe(0);
    expect(r.stats.levels).toHaveLength(1);
  });

  it('solves a pure LP (no integer columns)', () => {
    const m = new SolverModel('lp');
    const a = m.addContinuous('a');
    const b = m.addContinuous('b');
    m.addConstraint('sum', linearExpression([[a, 1], [b, 1]]), '>=', 3);
    m.addConstraint('ratio', linearExpression([[a, 1], [b, -2]]), '==', 0);
    m.addObjective('cost', linearExpression([[a, 1], [b, 1]]));
    const r = solveLexicographic(m.toProgram(), highs);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    expect(valueOf(r.values, a)).toBeCloseTo(2, 9);
    expect(valueOf(r.values, b)).toBeCloseTo(1, 9);
  });
});

describe('lexicographic solve', () => {
  it('locks each level at its optimum (tol 0) before the next', () => {
    // Level 1 minimises a + b subject to a + b ≥ 4 (many optima); level 2 then maximises a·3 − b
    // among them (minimise −3a + b) with a ≤ 3 → a = 3, b = 1.
    const m = new SolverModel('lex');
    const a = m.addInteger('a', 0, 3);
    const b = m.addInteger('b', 0, 10);
    m.addConstraint('demand', linearExpression([[a, 1], [b, 1]]), '>=', 4);
    m.addObjective('total', linearExpression([[a, 1], [b, 1]]));
    m.addObjective('preference', linearExpression([[a, -3], [b, 1]]));
    const r = solveLexicographic(m.toProgram(), highs);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    expect([valueOf(r.values, a), valueOf(r.values, b)]).toEqual([3, 1]);
    expect(r.stats.objectivesPerLevel).toEqual([4, -8]);
    expect(r.stats.levels.map((l) => l.lockedAt)).toEqual([4, undefined]);
    // each finished level adds one lock row, as in the reference's milp_phases
    expect(r.stats.levels.map((l) => l.constraints)).toEqual([1, 2]);
    expect(r.stats.objective).toBeCloseTo(-8, 9);
  });

  it('locks an integral level at the rounded optimum even with large coefficients', () => {
    // total = N·T − (N−1)·O with N = 2^20: the shape of the TETRA latency level.
    const N = 1048576;
    const m = new SolverModel('big');
    const t = m.addInteger('T', 0, 1000);
    const o = m.addInteger('O', 0, 1000);
    m.addConstraint('T_min', linearExpression([[t, 1]]), '>=', 421);
    m.addConstraint('O_max', linearExpression([[o, 1], [t, -1]]), '<=', -328);
    const spare = m.addInteger('spare', 0, 5);
    m.addObjective('latency', linearExpression([[t, N], [o, -(N - 1)]]));
    m.addObjective('spare', linearExpression([[spare, -1]]));
    const r = solveLexicographic(m.toProgram(), highs);
    expect(r.status).toBe('optimal');
    if (r.status !== 'optimal') return;
    expect(valueOf(r.values, t)).toBe(421);
    expect(valueOf(r.values, o)).toBe(93);
    expect(r.stats.objectivesPerLevel[0]).toBe(421 * N - 93 * (N - 1));
    expect(r.stats.levels[0]!.lockedAt).toBe(343933021);
  });
});

describe('solver backend registry', () => {
  it('lists highs by default and rejects unknown names', async () => {
    expect(registeredSolverBackends().map((r) => r.name)).toContain('highs');
    await expect(loadSolverBackend('no-such-solver')).rejects.toThrow(/unknown solver backend 'no-such-solver'/);
  });

  it('loads each backend once and accepts new registrations', async () => {
    let loads = 0;
    registerSolverBackend({
      name: 'spec-fake',
      description: 'test double',
      load: async () => {
        loads++;
        return highs;
      },
    });
    const [a, b] = await Promise.all([loadSolverBackend('spec-fake'), loadSolverBackend('spec-fake')]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
  });
});
