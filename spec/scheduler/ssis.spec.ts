import { reuseFactorAt, withReuseFlags } from '../../lib/scheduler/memory-accesses';
import { SsisInput, activeFraction, formatSsis, generateSteadyStateIterationSpaces, iterationCount, mergeSpatialUnrollings } from '../../lib/scheduler/ssis';
import { identityMap } from '../../lib/scheduler/transfer-graph';
import { rekeyDim } from '../../lib/scheduler/transfer-mapping';
import { parseLoopNestOuterToInner } from '../../lib/milp/problem';
import { edgesOf } from '../../lib/workload/analysis/graph';
import { Tensor, TransferNode, Workload, WorkloadNode } from '../../lib/workload/model';
import { elementwise, inEdge } from '../fixtures/scheduler/workloads';

const t = (name: string, shape: number[]): Tensor => ({ name, shape, elementType: 'bf16' });

describe('generateSteadyStateIterationSpaces', () => {
  // x (z0, z1) --Transfer(x)--> Relu A on 4 cores split z1 by 2, B split z1 by 4
  const x = t('x', [8, 8]);
  const transfer: TransferNode = {
    kind: 'transfer',
    name: 'Transfer(x)',
    transferType: 'MEM_TO_COMPUTE',
    inputs: [x],
    outputs: [t('x_1', [8, 8])],
    operandMaps: [identityMap(2), identityMap(2)],
  };
  const nodes: WorkloadNode[] = [inEdge(x), elementwise('A', 'Relu', [t('x_1', [8, 8])], t('y', [8, 8])), elementwise('B', 'Relu', [t('y', [8, 8])], t('w', [8, 8])), transfer];
  const workload: Workload = { name: 'w', nodes, edges: edgesOf(nodes) };
  const input: SsisInput = {
    workload,
    dims: {
      analysis: undefined as never,
      sizes: [8, 8, 8],
      nodeDims: new Map([
        ['Transfer(x)', [0, 1]],
        ['A', [0, 1]],
        ['B', [0, 2]],
      ]),
      tensorDims: new Map([
        ['x', new Set([0, 1])],
        ['x_1', new Set([0, 1])],
        ['y', new Set([0, 1])],
        ['w', new Set([0, 2])],
      ]),
    },
    unrollings: new Map([
      ['A', [{ dim: 1, factor: 2 }]],
      ['B', [{ dim: 1, factor: 4 }]],
    ]),
    fusionSplits: [
      { dim: 0, splits: 2 },
      { dim: 2, splits: 4 },
    ],
    nodeOrder: nodes,
  };
  const spaces = generateSteadyStateIterationSpaces(input);

  it('merges unrollings keeping the largest factor in first-seen order', () => {
    expect(spaces.spatialUnrollings).toEqual([{ dim: 1, factor: 4 }]);
    expect(mergeSpatialUnrollings(nodes, new Map([['B', [{ dim: 2, factor: 2 }]], ['A', [{ dim: 1, factor: 3 }]]]))).toEqual([
      { dim: 1, factor: 3 },
      { dim: 2, factor: 2 },
    ]);
  });

  it('splits a smaller own unrolling into a spatio-temporal and a spatial loop', () => {
    expect(formatSsis(spaces.nodes.get('A') ?? [])).toEqual(['T(z2,4,A)', 'T(z0,2,V)', 'S(z1,2,V)', 'ST(z1,2,V)', 'K(z2,8,I)', 'K(z1,2,V)', 'K(z0,8,V)']);
  });

  it('marks a temporal loop INVARIANT on a transfer when a compute node it serves iterates it, ABSENT otherwise', () => {
    // z2 belongs to B, which Transfer(x) does not reach (A is in between and is not a transfer).
    expect(formatSsis(spaces.nodes.get('Transfer(x)') ?? [])).toEqual(['T(z2,4,A)', 'T(z0,2,V)', 'ST(z1,4,V)', 'K(z2,8,I)', 'K(z1,2,V)', 'K(z0,8,V)']);
  });

  it('derives tensor SSIS from the producer (InEdge outputs from their first reader)', () => {
    expect([...spaces.tensors.keys()]).toEqual(['x', 'y', 'w', 'x_1']);
    expect(formatSsis(spaces.tensors.get('w') ?? [])).toEqual(['T(z2,4,V)', 'T(z0,2,V)', 'S(z1,4,I)', 'K(z2,8,V)', 'K(z1,2,I)', 'K(z0,8,V)']);
  });

  it('counts iterations and active fractions over the temporal loops', () => {
    expect(iterationCount(spaces)).toBe(8);
    expect(activeFraction(spaces.nodes.get('A') ?? [])).toEqual([2, 8]);
    expect(activeFraction(spaces.nodes.get('B') ?? [])).toEqual([8, 8]);
  });
});

describe('reuse factors and flags', () => {
  const space = parseLoopNestOuterToInner(['T(z3,4,V)', 'T(z2,16,I)', 'T(z1,8,A)', 'T(z0,2,I)', 'K(z0,8,V)']);

  it('multiplies the irrelevant applicable loops up to the stop', () => {
    expect([-1, 0, 1, 2].map((s) => reuseFactorAt(space, s))).toEqual([1, 2, 32, 32]);
  });

  it('flags applicable temporal loops up to the stop as reused', () => {
    expect(withReuseFlags(space, 1).map((v) => v.reuse)).toEqual([undefined, true, undefined, true, false]);
  });
});

describe('rekeyDim', () => {
  it('follows a dim through the first node holding it, by position', () => {
    const before = new Map([
      ['A', [5, 0]],
      ['B', [5, 3]],
    ]);
    const after = new Map([
      ['A', [9, 1]],
      ['B', [9, 2]],
    ]);
    expect(rekeyDim(5, ['A', 'B'], before, after)).toBe(9);
    expect(rekeyDim(3, ['A', 'B'], before, after)).toBe(2);
    expect(() => rekeyDim(7, ['A', 'B'], before, after)).toThrow(/belongs to no node/);
  });
});
