import { dataflowOrder } from '../../lib/workload/analysis/graph';
import { iteratorTypes } from '../../lib/workload/analysis/iterator-types';
import { uniqueDimensions } from '../../lib/workload/analysis/unique-dimensions';
import { dimensionView as viewOf } from '../fixtures/tiling/views';
import { haveGolden, matrixCells, quickstartCase } from '../fixtures/tiling/golden';
import { bare, elementwise, expr, gemm, inEdge, map, outEdge, swiglu, tensor, twoConv, workload } from '../fixtures/tiling/workloads';

describe('dataflow order', () => {
  it('breaks ties by node name, so swiglu runs Gemm_Left, Silu, Gemm_Right, Elt_Mul, Gemm_Down', () => {
    const names = dataflowOrder(swiglu())
      .filter((n) => n.kind === 'computation')
      .map((n) => n.name);
    expect(names).toEqual(['Gemm_Left', 'Silu', 'Gemm_Right', 'Elt_Mul', 'Gemm_Down']);
  });
});

describe('iterator types', () => {
  it('classifies conv dims: b, ox, oy, k parallel; fx, fy, c reduction', () => {
    const conv1 = twoConv().nodes.find((n) => n.name === 'Conv1')!;
    expect(conv1.kind).toBe('computation');
    if (conv1.kind !== 'computation') return;
    expect(iteratorTypes(conv1)).toEqual(['parallel', 'parallel', 'parallel', 'reduction', 'reduction', 'reduction', 'parallel']);
  });

  it('marks a dim read at an offset and written bare as sequential', () => {
    const h = tensor('h', [16, 8]);
    const x = tensor('x', [16, 8]);
    const out = tensor('out', [16, 8]);
    const node = {
      ...elementwise('Rec', 'Add', [x, h], out),
      operandMaps: [map(2, [bare(0), bare(1)]), map(2, [expr([{ dim: 0, coef: 1 }], -1), bare(1)]), map(2, [bare(0), bare(1)])],
    };
    expect(iteratorTypes(node)).toEqual(['sequential', 'parallel']);
  });
});

describe('unique dimensions', () => {
  it('merges b1=b2 and k1=c2 of the 2-conv chain and numbers z by ascending representative (§15.1)', () => {
    const ud = uniqueDimensions(twoConv());
    expect(ud.nodeDims.get('Conv1')).toEqual([5, 0, 1, 2, 3, 4, 10]);
    expect(ud.nodeDims.get('Conv2')).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(ud.sizes).toEqual([32, 32, 3, 3, 8, 1, 32, 32, 3, 3, 16, 32]);
  });

  it('does not merge two PARALLEL axes of a graph input read by two consumers', () => {
    // input[m, k] read by two Gemms: k (reduction) merges, m (parallel in both) stays separate.
    const a = tensor('a', [4, 8]);
    const w1 = tensor('w1', [8, 2]);
    const w2 = tensor('w2', [8, 2]);
    const o1 = tensor('o1', [4, 2]);
    const o2 = tensor('o2', [4, 2]);
    const ud = uniqueDimensions(
      workload('pair', [inEdge(a), inEdge(w1), inEdge(w2), gemm('G1', a, w1, o1), gemm('G2', a, w2, o2), outEdge(o1)]),
    );
    const [m1, k1] = ud.nodeDims.get('G1')!;
    const [m2, k2] = ud.nodeDims.get('G2')!;
    expect(k1).toBe(k2);
    expect(m1).not.toBe(m2);
  });

  it('keeps the offset of an identity relation with a constant', () => {
    const x = tensor('x', [10]);
    const y = tensor('y', [10]);
    const z = tensor('z', [9]);
    const producer = elementwise('P', 'Relu', [x], y);
    const shifted = { ...elementwise('S', 'Relu', [y], z), operandMaps: [map(1, [expr([{ dim: 0, coef: 1 }], 1)]), map(1, [bare(0)])] };
    const ud = uniqueDimensions(workload('shift', [inEdge(x), producer, shifted, outEdge(z)]));
    // P.d0 (slot 0) = S.d0 (slot 1) + 1; representative slot 1.
    expect(ud.slots).toEqual([
      { dim: 0, offset: 1 },
      { dim: 0, offset: 0 },
    ]);
  });

  it('solves pooling-window sizes from the tensor extent (§3.5 step 2)', () => {
    const x = tensor('x', [1, 4, 32, 32]);
    const y = tensor('y', [1, 4, 16, 16]);
    const pool = {
      kind: 'computation' as const,
      name: 'Pool',
      type: 'MaxPool',
      inputs: [x],
      outputs: [y],
      operandMaps: [
        map(6, [bare(0), bare(1), expr([{ dim: 2, coef: 2 }, { dim: 4, coef: 1 }]), expr([{ dim: 3, coef: 2 }, { dim: 5, coef: 1 }])]),
        map(6, [bare(0), bare(1), bare(2), bare(3)]),
      ],
    };
    const ud = uniqueDimensions(workload('pool', [inEdge(x), pool, outEdge(y)]));
    expect(ud.slotSizes).toEqual([1, 4, 16, 16, 2, 2]);
  });
});

(haveGolden ? describe : describe.skip)('unique dimensions vs golden (hand-built workloads)', () => {
  it('2-conv untiled group workload equals the quick start record', () => {
    const golden = quickstartCase().groups[0].unique_dimensions.untiled_group_workload;
    expect(viewOf(uniqueDimensions(twoConv()))).toEqual(golden);
  });

  it('swiglu untiled group workload equals the tpu_like_quad_core record', () => {
    const cell = matrixCells().find((c) => c.id === 'swiglu__tpu_like_quad_core')!;
    expect(viewOf(uniqueDimensions(swiglu()))).toEqual(cell.groups[0].unique_dimensions.untiled_group_workload);
  });
});

