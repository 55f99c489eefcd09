import { TilingError } from '../../lib/tiling/errors';
import { determineFusionSplits } from '../../lib/tiling/fusion-splits';
import { MappingFileData, tileWithMapping } from '../../lib/tiling/mapping-resolution';
import { tileFusionGroup } from '../../lib/tiling/tiling';
import { expandNormalizations } from '../../lib/workload/analysis/normalization-expansion';
import { ComputationNode } from '../../lib/workload/model';
import { elementwise, inEdge, outEdge, swiglu, tensor, twoConv, workload } from '../fixtures/tiling/workloads';

const convLayers = (split: string, cores: number[]): MappingFileData['layers'] => [
  { name: 'Conv1', core_allocation: [cores], inter_core_tiling: [[{ dim: split, split: cores.length }]] },
  { name: 'Conv2', core_allocation: [cores], inter_core_tiling: [[{ dim: split, split: cores.length }]] },
];

describe('tiling stage', () => {
  it('keeps intra-core entry order for the fusion splits and lets a later entry on the same dim win (dict semantics)', () => {
    expect(
      determineFusionSplits(
        [
          { dim: 2, tile: 4, entry: 'a' },
          { dim: 0, tile: 1, entry: 'b' },
          { dim: 2, tile: 2, entry: 'c' },
        ],
        { sizes: [8, 1, 16] },
        [],
        new Set(),
      ),
    ).toEqual([
      { dim: 2, splits: 8 },
      { dim: 0, splits: 8 },
    ]);
  });

  it('multiplies the inter-core unroll back into the number of splits (swiglu, §15.6)', () => {
    const group = tileFusionGroup(swiglu(), {
      nodes: ['Gemm_Left', 'Gemm_Right', 'Gemm_Down'].map((node) => ({ node, coreIds: [0, 1, 2, 3], interCoreTiling: [{ dim: 2, split: 4 }] }))
        .concat(['Silu', 'Elt_Mul'].map((node) => ({ node, coreIds: [5], interCoreTiling: [] }))),
      intraCoreTiling: [
        { node: 'Gemm_Left', dim: 1, tile: 128 },
        { node: 'Gemm_Down', dim: 2, tile: 128 },
        { node: 'Gemm_Left', dim: 2, tile: 32 },
        { node: 'Gemm_Left', dim: 0, tile: 16 },
      ],
    });
    expect(group.fusionSplits.map((s) => s.splits)).toEqual([16, 4, 64, 16]);
    expect(group.iterations).toBe(65536);
    const left = group.nodes.find((n) => n.name === 'Gemm_Left')!;
    expect(left.tiledDimSizes).toEqual([16, 128, 128]);
    expect(left.perCoreDimSizes).toEqual([16, 128, 32]);
    expect(group.spatialUnrollings).toEqual([
      { dim: 2, factor: 4 },
      { dim: 3, factor: 4 },
    ]);
    // The tiled workload keeps node order and resizes every tensor to its steady-state tile.
    expect(group.workload.nodes.map((n) => n.name)).toEqual(swiglu().nodes.map((n) => n.name));
    const w1 = group.workload.nodes.find((n) => n.name === 'weights_1')!;
    expect(w1.kind === 'in' && w1.output.shape).toEqual([128, 128]);
  });

  it('does not divide a per-core loop by a split that does not divide it', () => {
    const group = tileFusionGroup(twoConv(), {
      nodes: [
        { node: 'Conv1', coreIds: [0, 1, 2], interCoreTiling: [{ dim: 6, split: 3 }] },
        { node: 'Conv2', coreIds: [0], interCoreTiling: [] },
      ],
      intraCoreTiling: [{ node: 'Conv1', dim: 0, tile: 1 }],
    });
    expect(group.nodes[0].perCoreDimSizes[6]).toBe(16);
    expect(group.costRequests.map((r) => `${r.node}@${r.coreId}`)).toEqual(['Conv1@0', 'Conv1@1', 'Conv1@2', 'Conv2@0']);
  });

  it('rejects a tile that does not divide its dim', () => {
    const mapping = { nodes: [{ node: 'Conv1', coreIds: [0], interCoreTiling: [] }, { node: 'Conv2', coreIds: [0], interCoreTiling: [] }], intraCoreTiling: [{ node: 'Conv1', dim: 1, tile: 5 }] };
    expect(() => tileFusionGroup(twoConv(), mapping)).toThrow(TilingError);
    expect(() => tileFusionGroup(twoConv(), mapping)).toThrow(/not divisible by desired tile size 5/);
  });

  it('rejects splitting a nonlinear reduction into several blocks', () => {
    const x = tensor('x', [4, 64]);
    const y = tensor('y', [4, 64]);
    const softmax: ComputationNode = { ...elementwise('S', 'Softmax', [x], y), reductionAxes: [1] };
    const w = expandNormalizations(workload('sm', [inEdge(x), softmax, outEdge(y)]));
    const nodes = w.nodes.filter((n) => n.kind === 'computation').map((n) => ({ node: n.name, coreIds: [0], interCoreTiling: [] }));
    expect(() => tileFusionGroup(w, { nodes, intraCoreTiling: [{ node: 'S/Exp', dim: 1, tile: 16 }] })).toThrow(/nonlinear-reduction/);
    expect(tileFusionGroup(w, { nodes, intraCoreTiling: [{ node: 'S/Exp', dim: 0, tile: 1 }] }).iterations).toBe(4);
  });

  it('reports a node without mapping data', () => {
    expect(() => tileFusionGroup(twoConv(), { nodes: [], intraCoreTiling: [{ node: 'Conv1', dim: 0, tile: 1 }] })).toThrow(/No mapping data found for node with name Conv1/);
  });

  it('records the layer construction error of a broadcast operand (ideal-cycle fallback)', () => {
    const a = tensor('a', [4, 8]);
    const b = tensor('b', [1, 8]);
    const o = tensor('o', [4, 8]);
    const w = workload('bcast', [inEdge(a), inEdge(b), elementwise('Add', 'Add', [a, b], o), outEdge(o)]);
    const group = tileFusionGroup(w, { nodes: [{ node: 'Add', coreIds: [0], interCoreTiling: [] }], intraCoreTiling: [{ node: 'Add', dim: 0, tile: 4 }] });
    expect(group.costRequests[0].layer).toBeUndefined();
    expect(group.costRequests[0].layerError).toMatch(/unsupported index expression/);
    expect(group.costRequests[0].perCoreDimSizes).toEqual([4, 8]);
  });
});

describe('hand-mapping path', () => {
  it('matches layer entries by node name or operator type, first entry in file order (Q24)', () => {
    const [group] = tileWithMapping(twoConv(), {
      layers: [
        { name: 'Conv', core_allocation: [[0, 1]], inter_core_tiling: [[{ dim: 'D6', split: 2 }]] },
        { name: 'Conv2', core_allocation: [[3]] },
      ],
      fused_groups: [{ name: 'g', layers: ['Conv1', 'Conv2'], intra_core_tiling: [{ dim: 'Conv1.D0', tile: 1 }] }],
    });
    expect(group.nodes.map((n) => n.coreIds)).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  it('requires a fused group', () => {
    expect(() => tileWithMapping(twoConv(), { layers: convLayers('D6', [0, 1, 2, 3]) })).toThrow(/no fused group/);
  });

  it('splits the graph at the declared fused groups (Q27 fix)', () => {
    const groups = tileWithMapping(twoConv(), {
      layers: convLayers('D6', [0, 1, 2, 3]),
      fused_groups: [
        { name: 'first', layers: ['Conv1'], intra_core_tiling: [{ dim: 'Conv1.D2', tile: 8 }] },
        { name: 'second', layers: ['Conv2'], intra_core_tiling: [{ dim: 'Conv2.D0', tile: 1 }] },
      ],
    });
    expect(groups.map((g) => g.workload.nodes.map((n) => n.name))).toEqual([
      ['input', 'weights_1', 'Conv1', 'Conv1_cut_out'],
      ['Conv1_cut_in', 'weights_2', 'Conv2', 'output'],
    ]);
    expect(groups.map((g) => g.index)).toEqual([0, 1]);
    expect(groups[0].fusionSplits).toEqual([{ dim: groups[0].nodes[0].dims[2], splits: 4 }]);
    expect(groups[1].iterations).toBe(1);
  });

  it('rejects fused groups that interleave in dataflow order', () => {
    const x = tensor('x', [4]);
    const a = tensor('a', [4]);
    const b = tensor('b', [4]);
    const c = tensor('c', [4]);
    const w = workload('chain', [inEdge(x), elementwise('A', 'Relu', [x], a), elementwise('B', 'Relu', [a], b), elementwise('C', 'Relu', [b], c), outEdge(c)]);
    const layers = ['A', 'B', 'C'].map((name) => ({ name, core_allocation: [[0]] }));
    const fused = (name: string, members: string[]) => ({ name, layers: members, intra_core_tiling: [{ dim: `${members[0]}.D0`, tile: 4 }] });
    expect(() => tileWithMapping(w, { layers, fused_groups: [fused('g1', ['A', 'C']), fused('g2', ['B'])] })).toThrow(/splits into 3 fusion groups but the mapping declares 2/);
  });
});
