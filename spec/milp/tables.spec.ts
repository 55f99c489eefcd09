import {
  activeCycles,
  activeFraction,
  applicableTemporalLoops,
  formatIterationVariable,
  outermostIrrelevantIndex,
  parseIterationVariable,
  parseLoopNestOuterToInner,
  reuseTable,
  roundHalfEvenRational,
  temporalInsideSpatialIndex,
  transferCycles,
} from '../../lib/milp';

const nest = (...printed: string[]) => parseLoopNestOuterToInner(printed);

describe('iteration-variable notation', () => {
  it('parses and prints the reference notation', () => {
    expect(parseIterationVariable('ST(z6,4,A)')).toEqual({ kind: 'SPATIOTEMPORAL', dim: 6, size: 4, effect: 'ABSENT' });
    expect(formatIterationVariable(parseIterationVariable('T(z10,1,V)'))).toBe('T(z10,1,V)');
    expect(() => parseIterationVariable('X(z1,2,V)')).toThrow(/not an iteration variable/);
  });

  it('reads a printed nest (outermost first) into an SSIS stored innermost first', () => {
    const ssis = nest('T(z2,16,I)', 'T(z1,64,V)', 'K(z0,128,V)');
    expect(ssis.map((v) => v.dim)).toEqual([0, 1, 2]);
  });
});

describe('reuse tables (§10.2)', () => {
  // swiglu weights_1 (§15.6): T(z2,16,I) T(z1,64,V) T(z3,4,A) T(z0,16,V), outermost first
  const weights1 = nest('T(z2,16,I)', 'T(z1,64,V)', 'T(z3,4,A)', 'T(z0,16,V)', 'ST(z3,4,A)', 'S(z1,4,V)', 'K(z3,128,I)');

  it('keeps TEMPORAL, non-ABSENT loops innermost first', () => {
    expect(applicableTemporalLoops(weights1).map((l) => [l.dim, l.size, l.relevant])).toEqual([
      [0, 16, true],
      [1, 64, true],
      [2, 16, false],
    ]);
  });

  it('multiplies irrelevant sizes into reuse and relevant ones into tiles, with double buffering at −1', () => {
    const t = reuseTable(weights1);
    expect(t.stops).toEqual([-1, 0, 1, 2]);
    expect(t.reuse).toEqual([1, 1, 1, 16]);
    expect(t.tiles).toEqual([2, 16, 1024, 1024]);
    expect(outermostIrrelevantIndex(t)).toBe(2);
  });

  it('does not double-buffer when only one tile ever exists', () => {
    const t = reuseTable(nest('T(z10,1,V)', 'S(z13,4,V)', 'K(z13,8,V)'));
    expect(t.tiles).toEqual([1, 1]);
    expect(reuseTable(nest('K(z1,8,V)')).stops).toEqual([-1]);
  });

  it('finds the temporal loops inside the outermost spatial loop (never with generated SSIS)', () => {
    expect(temporalInsideSpatialIndex(weights1, reuseTable(weights1))).toBe(-1);
    const odd = nest('S(z1,4,V)', 'T(z2,8,V)', 'T(z3,2,I)');
    expect(temporalInsideSpatialIndex(odd, reuseTable(odd))).toBe(1);
  });
});

describe('slot-latency arithmetic (§10.4.6, Q59)', () => {
  it('takes the activity fraction over TEMPORAL loops only', () => {
    const gemmLeft = nest('T(z2,16,V)', 'T(z1,64,V)', 'T(z3,4,A)', 'T(z0,16,V)', 'ST(z3,4,A)', 'S(z1,4,V)');
    expect(activeFraction(gemmLeft)).toEqual({ numerator: 16384, denominator: 65536 });
  });

  it('rounds half to even exactly', () => {
    expect(roundHalfEvenRational(5n, 2n)).toBe(2n);
    expect(roundHalfEvenRational(7n, 2n)).toBe(4n);
    expect(roundHalfEvenRational(135n * 16384n, 65536n)).toBe(34n); // 33.75
    expect(roundHalfEvenRational(-3n, 2n)).toBe(-2n);
    expect(activeCycles(2, { numerator: 1, denominator: 4 })).toBe(0); // 0.5 → 0
    expect(activeCycles(6, { numerator: 1, denominator: 4 })).toBe(2); // 1.5 → 2
    expect(activeCycles(128, { numerator: 1024, denominator: 65536 })).toBe(2);
  });

  it('ceil-divides bits by the slowest link', () => {
    expect(transferCycles(131072, 128)).toBe(1024);
    expect(transferCycles(18433, 128)).toBe(145);
  });
});
