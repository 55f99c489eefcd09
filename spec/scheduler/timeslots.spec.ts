import { admitsDisjointChoice, assignTimeslots } from '../../lib/scheduler/timeslots';
import { identityMap } from '../../lib/scheduler/transfer-graph';
import { edgesOf } from '../../lib/workload/analysis/graph';
import { Tensor, TransferNode, Workload, WorkloadNode } from '../../lib/workload/model';
import { elementwise, inEdge, outEdge } from '../fixtures/scheduler/workloads';

const t = (name: string): Tensor => ({ name, shape: [4], elementType: 'bf16' });
const transfer = (name: string, input: string, output: string): TransferNode => ({
  kind: 'transfer',
  name,
  transferType: 'MEM_TO_COMPUTE',
  inputs: [t(input)],
  outputs: [t(output)],
  operandMaps: [identityMap(1), identityMap(1)],
});
const workload = (nodes: WorkloadNode[]): Workload => ({ name: 'w', nodes, edges: edgesOf(nodes) });

describe('admitsDisjointChoice', () => {
  it('finds a disjoint choice by backtracking over the options', () => {
    // The first list must give up its first option for the second list to fit.
    expect(admitsDisjointChoice([[[1], [2]], [[1]]])).toBe(true);
    expect(admitsDisjointChoice([[[1], [2]], [[1], [2]], [[2], [1]]])).toBe(false);
    expect(admitsDisjointChoice([[[1, 2], [3]], [[2, 4], [1]], [[5]]])).toBe(true);
    expect(admitsDisjointChoice([[[1, 2], [3]], [[2, 4], [1]], [[3]]])).toBe(false);
  });

  it('treats an empty resource set as conflicting with nothing', () => {
    expect(admitsDisjointChoice([[[]], [[1]], [[]]])).toBe(true);
  });

  it('makes a node without options exclusive, but lets it sit alone', () => {
    expect(admitsDisjointChoice([[], [[1]]])).toBe(false);
    expect(admitsDisjointChoice([[]])).toBe(true);
  });
});

describe('assignTimeslots', () => {
  // Two independent input transfers feeding one compute node each.
  const nodes: WorkloadNode[] = [
    inEdge(t('a')),
    inEdge(t('b')),
    elementwise('A', 'Relu', [t('a_1')], t('x')),
    elementwise('B', 'Relu', [t('b_1')], t('y')),
    outEdge(t('x')),
    outEdge(t('y')),
    transfer('Transfer(a)', 'a', 'a_1'),
    transfer('Transfer(b)', 'b', 'b_1'),
  ];

  it('bumps a transfer past slots whose links it cannot share', () => {
    const slots = assignTimeslots({
      workload: workload(nodes),
      resourceOptions: new Map([
        ['Transfer(a)', [[0]]],
        ['Transfer(b)', [[0]]],
        ['A', [[1]]],
        ['B', [[2]]],
      ]),
    });
    expect(slots.slots).toEqual([['a', 'b'], ['Transfer(a)'], ['A', 'Transfer(b)'], ['B', 'x'], ['y']]);
    expect(slots.maxSlot).toBe(4);
  });

  it('shares a slot when some choice of routes is disjoint', () => {
    const slots = assignTimeslots({
      workload: workload(nodes),
      resourceOptions: new Map([
        ['Transfer(a)', [[0], [1]]],
        ['Transfer(b)', [[0]]],
        ['A', [[1]]],
        ['B', [[1]]],
      ]),
    });
    expect(slots.slotOf.get('Transfer(b)')).toBe(1);
    // Compute nodes on the same core never share a slot.
    expect([slots.slotOf.get('A'), slots.slotOf.get('B')]).toEqual([2, 3]);
  });
});
