import { nonlinearReductionDims } from '../../lib/workload/analysis/iterator-types';
import { expandNormalizations } from '../../lib/workload/analysis/normalization-expansion';
import { uniqueDimensions } from '../../lib/workload/analysis/unique-dimensions';
import { ComputationNode, formatAffineMap } from '../../lib/workload/model';
import { elementwise, inEdge, outEdge, tensor, twoConv, workload } from '../fixtures/tiling/workloads';

function normalization(type: string) {
  const x = tensor('x', [4, 64]);
  const y = tensor('y', [4, 64]);
  const node: ComputationNode = { ...elementwise('N', type, [x], y), reductionAxes: [1] };
  return workload('norm', [inEdge(x), node, outEdge(y)]);
}

const computeNodes = (w: ReturnType<typeof workload>) => w.nodes.filter((n): n is ComputationNode => n.kind === 'computation');

describe('normalisation expansion', () => {
  it('leaves graphs without normalisations untouched (same object)', () => {
    const w = twoConv();
    expect(expandNormalizations(w)).toBe(w);
  });

  it('expands Softmax into ReduceMax, Exp, ReduceSum, Div tagged with the fused kernel', () => {
    const nodes = computeNodes(expandNormalizations(normalization('Softmax')));
    expect(nodes.map((n) => [n.type, n.inputs.map((t) => t.name), n.outputs[0].name, n.fusedKernel])).toEqual([
      ['ReduceMax', ['x'], 'N/max', 'Softmax:N'],
      ['Exp', ['x', 'N/max'], 'N/exp', 'Softmax:N'],
      ['ReduceSum', ['N/exp'], 'N/sum', 'Softmax:N'],
      ['Div', ['N/exp', 'N/sum'], 'y', 'Softmax:N'],
    ]);
    expect(nodes[1].operandMaps.map(formatAffineMap)).toEqual(['(d0, d1) -> (d0, d1)', '(d0, d1) -> (d0, 0)', '(d0, d1) -> (d0, d1)']);
    expect(nodes[0].outputs[0].shape).toEqual([4, 1]);
    // The reductions are nonlinear; the elementwise sub-ops have none.
    expect(nodes.map((n) => nonlinearReductionDims(n))).toEqual([[1], [], [1], []]);
  });

  it('expands LpNormalization into ReduceSumSquare, Sqrt, Div', () => {
    const nodes = computeNodes(expandNormalizations(normalization('LpNormalization')));
    expect(nodes.map((n) => n.type)).toEqual(['ReduceSumSquare', 'Sqrt', 'Div']);
    expect(nodes[2].inputs.map((t) => t.name)).toEqual(['x', 'N/norm']);
  });

  it('keeps LayerNormalization whole', () => {
    const w = normalization('LayerNormalization');
    expect(expandNormalizations(w)).toBe(w);
  });

  it('merges the row and column dims of the sub-ops into one unique dim each', () => {
    const ud = uniqueDimensions(expandNormalizations(normalization('Softmax')));
    expect(ud.count).toBe(2);
    expect([...ud.nodeDims.values()].every((dims) => dims.length === 2 && dims[0] !== dims[1])).toBe(true);
  });
});
