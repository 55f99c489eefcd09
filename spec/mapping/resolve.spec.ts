/**
 * Resolution of mappings against a workload and an accelerator (reference-surface §1.3.5): first match
 * in file order by name or operator type (Q24), core ids, D<n> ranges, fused-group tilings, runtime args.
 * Workloads are built by hand here; resolve-onnx.spec.ts does the same with the ONNX front end.
 */
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { loadAccelerator } from '../../lib/hardware/accelerator';
import { Accelerator } from '../../lib/hardware/model';
import { loadMapping, parseMapping } from '../../lib/mapping/load';
import { MappingSpec } from '../../lib/mapping/model';
import { resolveMapping } from '../../lib/mapping/resolve';
import { writeMappingYaml } from '../../lib/mapping/write';
import { AffineMap, ComputationNode, Tensor, Workload, WorkloadNode } from '../../lib/workload/model';
import { STREAM_INPUTS } from '../support/reference';

const REF = STREAM_INPUTS;
const SHIPPED = path.join(__dirname, '..', '..', 'inputs');

function tpuQuad(): Accelerator {
  const r = loadAccelerator(path.join(SHIPPED, 'hardware', 'tpu_like_quad_core.yaml'));
  if (isLeft(r)) throw new Error('hardware rejected');
  return r.right.accelerator;
}

const tensor = (name: string, shape: number[]): Tensor => ({ name, elementType: 'bf16', shape });
const identity = (n: number): AffineMap => ({ numDims: n, results: Array.from({ length: n }, (_, d) => ({ terms: [{ dim: d, coef: 1 }], constant: 0 })) });

function computation(name: string, type: string, loops: number): ComputationNode {
  return { kind: 'computation', name, type, inputs: [tensor(`${name}_in`, [1])], outputs: [tensor(`${name}_out`, [1])], operandMaps: [identity(loops), identity(loops)] };
}

function workload(nodes: ComputationNode[]): Workload {
  const all: WorkloadNode[] = [
    { kind: 'in', name: 'input', output: tensor('input', [1, 8, 32, 32]), isInitializer: false },
    { kind: 'in', name: 'weights_1', output: tensor('weights_1', [16, 8, 3, 3]), isInitializer: true },
    { kind: 'in', name: 'weights_2', output: tensor('weights_2', [32, 16, 3, 3]), isInitializer: true },
    ...nodes,
    { kind: 'out', name: 'output', input: tensor('output', [1, 32, 32, 32]) },
  ];
  return { name: 'synthetic', nodes: all, edges: [] };
}

function mapping(data: unknown): MappingSpec {
  const r = parseMapping(data, 'mapping.yaml');
  if (isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right.mapping;
}

const twoConv = () => workload([computation('Conv1', 'Conv', 7), computation('Conv2', 'Conv', 7)]);

describe('resolveMapping', () => {
  it('resolves the 2-conv hand mapping of the reference on tpu_like_quad_core', () => {
    const spec = loadMapping(path.join(REF, 'testing/mapping/2conv_1_32_32_8_16_32_3.yaml'));
    if (isLeft(spec)) throw new Error('rejected');
    const r = resolveMapping(spec.right, twoConv(), tpuQuad());
    if (isLeft(r)) throw new Error(JSON.stringify(r.left));
    expect(r.right.warnings).toEqual([]);
    expect(r.right.mapping.nodes).toEqual([
      { node: 'Conv1', nodeType: 'Conv', entryIndex: 0, coreAllocation: [0, 1, 2, 3], interCoreTiling: [{ dim: 6, split: 4 }], kernel: { name: 'conv', kwargs: {} } },
      { node: 'Conv2', nodeType: 'Conv', entryIndex: 1, coreAllocation: [0, 1, 2, 3], interCoreTiling: [{ dim: 6, split: 4 }], kernel: { name: 'conv', kwargs: {} } },
    ]);
    const identity4 = '(d0, d1, d2, d3) -> (d0, d1, d2, d3)';
    expect(r.right.mapping.runtimeArgs.map((a) => [a.tensor, a.layout])).toEqual([
      ['input', identity4],
      ['weights_1', identity4],
      ['weights_2', identity4],
      ['output', identity4],
    ]);
  });

  it('matches by name or operator type, first entry in file order, and warns about the others (Q24)', () => {
    const spec = mapping({
      layers: [
        { name: 'Conv', core_allocation: [[0, 1]] },
        { name: 'Conv2', core_allocation: [[2]] },
      ],
    });
    const r = resolveMapping(spec, twoConv(), tpuQuad());
    if (isLeft(r)) throw new Error(JSON.stringify(r.left));
    expect(r.right.mapping.nodes.map((n) => [n.node, n.entryIndex, n.coreAllocation])).toEqual([
      ['Conv1', 0, [0, 1]],
      ['Conv2', 0, [0, 1]],
    ]);
    expect(r.right.warnings.map((w) => [w.severity, w.path, w.message])).toEqual([
      ['warning', 'layers[0]', "node Conv2 (type Conv) matches layer entries layers[0] 'Conv', layers[1] 'Conv2'; the first in file order is used"],
    ]);
  });

  it('a node that matches no entry is an error naming the node and the file', () => {
    const spec = mapping({ layers: [{ name: 'Conv1', core_allocation: [[0]] }] });
    const r = resolveMapping(spec, twoConv(), tpuQuad());
    expect(isLeft(r) && r.left).toEqual([
      { file: 'mapping.yaml', path: 'node Conv2', message: 'No mapping data found for node Conv2 (type Conv): no layer entry has this name or operator type.' },
    ]);
  });

  it('unknown core ids name the core and the field', () => {
    const spec = mapping({ layers: [{ name: 'Conv', core_allocation: [[0, 9]] }, { name: 'Gemm', core_allocation: [[42]] }] });
    const r = resolveMapping(spec, twoConv(), tpuQuad());
    // The Gemm entry matches no node, so its core ids are never looked up (as in the reference).
    expect(isLeft(r) && r.left.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "layers[0].core_allocation[0][1]: Node with id 9 not found: layer entry 'Conv' allocates core 9, which accelerator 'tpu_like_quad_core' does not have (cores: 0, 1, 2, 3, 4, 5, 6).",
    ]);
  });

  it('D<n> indices must be within the node loop count; fused-group tiles must name existing nodes', () => {
    const spec = mapping({
      layers: [
        { name: 'Conv', core_allocation: [[0, 1, 2, 3]], inter_core_tiling: [[{ dim: 'D7', split: 4 }]] },
        { name: 'Relu', core_allocation: [[0]], inter_core_tiling: [[{ dim: 'D3', split: 1 }]] },
      ],
      fused_groups: [{ name: 'g', layers: ['Conv', 'Relu'], intra_core_tiling: [{ dim: 'Conv.D0', tile: 1 }, { dim: 'Conv1.D9', tile: 1 }, { dim: 'Relu1.D2', tile: 1 }] }],
    });
    const w = workload([computation('Conv1', 'Conv', 7), computation('Relu1', 'Relu', 2)]);
    const r = resolveMapping(spec, w, tpuQuad());
    expect(isLeft(r) && r.left.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "layers[0].inter_core_tiling[0][0].dim: inter_core_tiling dimension D7 of layer entry 'Conv' is out of range for node Conv1 (type Conv), which has 7 loop dimensions (D0..D6).",
      "layers[1].inter_core_tiling[0][0].dim: inter_core_tiling dimension D3 of layer entry 'Relu' is out of range for node Relu1 (type Relu), which has 2 loop dimensions (D0..D1).",
      "fused_groups[0].intra_core_tiling[0].dim: Fused group 'g' tiles 'Conv.D0', but the workload has no computation node named 'Conv'.",
      "fused_groups[0].intra_core_tiling[1].dim: Fused group 'g' tiles 'Conv1.D9', but node Conv1 (type Conv) has 7 loop dimensions (D0..D6).",
      "fused_groups[0].intra_core_tiling[2].dim: Fused group 'g' tiles 'Relu1.D2', but node Relu1 (type Relu) has 2 loop dimensions (D0..D1).",
    ]);
  });

  it('keeps node-local dim indices in fused-group tilings', () => {
    const spec = mapping({ layers: [{ name: 'Conv', core_allocation: [[0]] }], fused_groups: [{ name: 'g', layers: ['Conv'], intra_core_tiling: [{ dim: 'Conv2.D5', tile: 4 }] }] });
    const r = resolveMapping(spec, twoConv(), tpuQuad());
    if (isLeft(r)) throw new Error(JSON.stringify(r.left));
    expect(r.right.mapping.fusedGroups[0].intraCoreTiling.map(({ node, dim, tile }) => ({ node, dim, tile }))).toEqual([{ node: 'Conv2', dim: 5, tile: 4 }]);
  });

  it('runtime args: identity layouts for boundary tensors, errors for others', () => {
    const ok = resolveMapping(mapping({ layers: [{ name: 'Conv', core_allocation: [[0]] }], runtime_args: { input: {}, weights_1: null, Conv1_out: { layout: '(d0) -> (d0)' } } }), twoConv(), tpuQuad());
    if (isLeft(ok)) throw new Error(JSON.stringify(ok.left));
    expect(ok.right.mapping.runtimeArgs).toEqual([
      { tensor: 'input', layout: '(d0, d1, d2, d3) -> (d0, d1, d2, d3)' },
      { tensor: 'weights_1', layout: '(d0, d1, d2, d3) -> (d0, d1, d2, d3)' },
      { tensor: 'Conv1_out', layout: '(d0) -> (d0)' },
    ]);
    const bad = resolveMapping(mapping({ layers: [{ name: 'Conv', core_allocation: [[0]] }], runtime_args: { Conv1: {}, nothing: {} } }), twoConv(), tpuQuad());
    expect(isLeft(bad) && bad.left.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "runtime_args.Conv1: Standard layout inference not implemented for tensor Conv1: only graph inputs, initializers and outputs get the identity layout; give a 'layout'.",
      'runtime_args.nothing: No node with name nothing found in workload.',
    ]);
  });

  it('cores dropped from the graph are unknown to mappings', () => {
    const r = loadAccelerator(path.join(SHIPPED, 'hardware', 'aie', 'whole_array.yaml'));
    if (isLeft(r)) throw new Error('rejected');
    const res = resolveMapping(mapping({ layers: [{ name: 'Conv', core_allocation: [[2, 6]] }] }), twoConv(), r.right.accelerator);
    expect(isLeft(res) && res.left[0].message).toMatch(/^Node with id 6 not found/);
  });
});

describe('writeMappingYaml', () => {
  it('writes the generated-mapping schema and reads back to the same mapping', () => {
    const spec = mapping({
      layers: [
        { name: '/conv1/Conv', core_allocation: [[0, 1, 2, 3]], inter_core_tiling: [[{ dim: 'D6', split: 4 }]] },
        { name: 'Relu', core_allocation: [[5]] },
        { name: 'silu', core_allocation: [[2]], kernel: { name: 'silu', kwargs: { utilization: 50.0 } } },
      ],
      fused_groups: [{ name: 'Fused_Group_1', layers: ['/conv1/Conv', 'Relu'], intra_core_tiling: [{ dim: '/conv1/Conv.D0', tile: 1 }] }],
      runtime_args: { input: {}, output: { layout: '(d0, d1) -> (d1, d0)' } },
    });
    const text = writeMappingYaml(spec);
    expect(text).toBe(
      [
        'layers:',
        '  - name: /conv1/Conv',
        '    core_allocation: [ [ 0, 1, 2, 3 ] ]',
        '    inter_core_tiling: [ [ { dim: D6, split: 4 } ] ]',
        '  - name: Relu',
        '    core_allocation: [ [ 5 ] ]',
        '    inter_core_tiling: []',
        '  - name: silu',
        '    core_allocation: [ [ 2 ] ]',
        '    inter_core_tiling: []',
        '    kernel:',
        '      name: silu',
        '      kwargs:',
        '        utilization: 50',
        'fused_groups:',
        '  - name: Fused_Group_1',
        '    layers: [ /conv1/Conv, Relu ]',
        '    intra_core_tiling:',
        '      - { dim: /conv1/Conv.D0, tile: 1 }',
        'runtime_args:',
        '  input: {}',
        '  output:',
        '    layout: (d0, d1) -> (d1, d0)',
        '',
      ].join('\n'),
    );
    const reread = parseMapping(require('yaml').parse(text), 'again.yaml');
    if (isLeft(reread)) throw new Error(JSON.stringify(reread.left));
    const strip = (m: MappingSpec) => JSON.parse(JSON.stringify({ ...m, file: '' }, (k, v) => (k === 'origin' ? undefined : v)));
    expect(strip(reread.right.mapping)).toEqual(strip(spec));
  });
});
