import { determineFusionCutPoints, resolveFusionCutPoints, splitFusionGroups } from '../../lib/workload/analysis/fusion-groups';
import { ComputationNode, FusionEdgeNode, Workload } from '../../lib/workload/model';
import { elementwise, gemm, inEdge, outEdge, tensor, twoConv, workload } from '../fixtures/tiling/workloads';

const names = (w: Workload) => w.nodes.map((n) => `${n.kind}:${n.name}`);

/** x → A(Relu) → [Flatten] → G(Gemm with w) → out */
function withFusionEdge(): Workload {
  const x = tensor('x', [4, 8]);
  const a = tensor('a', [4, 8]);
  const flat = tensor('flat', [4, 8]);
  const w = tensor('w', [8, 2]);
  const o = tensor('o', [4, 2]);
  const fe: FusionEdgeNode = { kind: 'fusion-edge', name: 'Flatten', opType: 'Flatten', input: a, outputs: [flat] };
  return workload('fe', [inEdge(x), inEdge(w, true), elementwise('A', 'Relu', [x], a), fe, gemm('G', flat, w, o), outEdge(o)]);
}

/** Residual block: x → C1 → Add(C1, x) → R(Relu) → M(Mul with x) → out; x read by C1, Add and M. */
function residual(): Workload {
  const x = tensor('x', [4, 8]);
  const c = tensor('c', [4, 8]);
  const s = tensor('s', [4, 8]);
  const r = tensor('r', [4, 8]);
  const m = tensor('m', [4, 8]);
  return workload('res', [
    inEdge(x),
    elementwise('C1', 'Sigmoid', [x], c),
    elementwise('Add', 'Add', [c, x], s),
    elementwise('R', 'Relu', [s], r),
    elementwise('M', 'Mul', [r, x], m),
    outEdge(m),
  ]);
}

describe('fusion cut points', () => {
  it('cuts after a Relu that is the sole compute successor of an Add', () => {
    expect(determineFusionCutPoints(residual())).toEqual(['R']);
  });

  it('has no cut in a Conv chain', () => {
    expect(determineFusionCutPoints(twoConv())).toEqual([]);
  });

  it('cuts every MaxPool but never the last compute node', () => {
    const x = tensor('x', [4, 8]);
    const p = tensor('p', [4, 8]);
    const q = tensor('q', [4, 8]);
    const pool1: ComputationNode = { ...elementwise('P1', 'MaxPool', [x], p) };
    const pool2: ComputationNode = { ...elementwise('P2', 'MaxPool', [p], q) };
    expect(determineFusionCutPoints(workload('pools', [inEdge(x), pool1, pool2, outEdge(q)]))).toEqual(['P1']);
  });

  it('cuts the producers of a data-dependent read', () => {
    const x = tensor('x', [4, 8]);
    const a = tensor('a', [4, 8]);
    const g = tensor('g', [4, 8]);
    const o = tensor('o', [4, 8]);
    const w = workload('gather', [inEdge(x), elementwise('A', 'Relu', [x], a), elementwise('Ga', 'Gather', [a], g), elementwise('B', 'Relu', [g], o), outEdge(o)]);
    expect(determineFusionCutPoints(w)).toEqual(['A']);
  });

  it('per-layer cuts after every layer but the last', () => {
    expect(resolveFusionCutPoints(residual(), 'per-layer')).toEqual(['C1', 'Add', 'R']);
    expect(resolveFusionCutPoints(residual(), ['Add'])).toEqual(['Add']);
  });
});

describe('split_fusion_groups', () => {
  it('returns the original workload object when there is nothing to split', () => {
    const w = twoConv();
    expect(splitFusionGroups(w, [])[0]).toBe(w);
  });

  it('turns a FusionEdge into <fe>_out / <fe>_in boundary nodes and copies graph inputs', () => {
    const groups = splitFusionGroups(withFusionEdge(), []);
    expect(groups.map(names)).toEqual([
      ['in:x', 'computation:A', 'out:Flatten_out'],
      ['in:Flatten_in', 'in:w', 'computation:G', 'out:o'],
    ]);
    const fin = groups[1].nodes[0];
    expect(fin.kind === 'in' && fin.output.name).toBe('flat');
  });

  it('names cut boundaries <node>_cut_*; InEdges ordered by first read', () => {
    const groups = splitFusionGroups(residual(), ['Add']);
    expect(groups.map(names)).toEqual([
      ['in:x', 'computation:C1', 'computation:Add', 'out:Add_cut_out'],
      ['in:Add_cut_in', 'in:x', 'computation:R', 'computation:M', 'out:m'],
    ]);
    const bridged = splitFusionGroups(residual(), ['C1', 'R']);
    expect(bridged.map(names)).toEqual([
      ['in:x', 'computation:C1', 'out:C1_cut_out'],
      ['in:C1_cut_in', 'in:x', 'computation:Add', 'computation:R', 'out:R_cut_out'],
      ['in:R_cut_in', 'in:x', 'computation:M', 'out:m'],
    ]);
  });

  it('bridges a tensor produced by a non-cut node and read in a later group', () => {
    // C1's output is read by Add (group 0) and by M (group 1, after the cut at Add).
    const x = tensor('x', [4, 8]);
    const c = tensor('c', [4, 8]);
    const s = tensor('s', [4, 8]);
    const m = tensor('m', [4, 8]);
    const w = workload('skip', [inEdge(x), elementwise('C1', 'Relu', [x], c), elementwise('Add', 'Add', [c, x], s), elementwise('M', 'Mul', [s, c], m), outEdge(m)]);
    expect(splitFusionGroups(w, ['Add']).map(names)).toEqual([
      // OutEdges follow their producers in dataflow order.
      ['in:x', 'computation:C1', 'computation:Add', 'out:c_bridge_out', 'out:Add_cut_out'],
      ['in:Add_cut_in', 'in:c_bridge_in', 'computation:M', 'out:m'],
    ]);
  });
});
