/**
 * Every ONNX file the reference ships parses, with the facts the reference's own tests and golden
 * records establish (node counts, names, loop sizes, maps).
 */
import { readdirSync, statSync } from 'fs';
import { join, relative } from 'path';
import { ComputationNode, formatAffineMap, FusionEdgeNode, Workload } from '../../lib/workload/model';
import { loadWorkload, nodeLoopSizes } from '../../lib/workload/onnx';
import { expectParsed, STREAM_INPUTS } from '../fixtures/onnx/models';

function onnxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return onnxFiles(path);
    return path.endsWith('.onnx') ? [path] : [];
  });
}

const load = (rel: string): Workload => expectParsed(loadWorkload(join(STREAM_INPUTS, rel))).workload;
const computations = (w: Workload): ComputationNode[] => w.nodes.filter((n): n is ComputationNode => n.kind === 'computation');
const computation = (w: Workload, name: string): ComputationNode => {
  const n = computations(w).find((c) => c.name === name);
  if (!n) throw new Error(`no computation node ${name}`);
  return n;
};
const loopSizes = (n: ComputationNode): readonly number[] => {
  const sizes = nodeLoopSizes(n);
  if (sizes._tag === 'Left') throw new Error(sizes.left);
  return sizes.right;
};

describe('reference ONNX fixtures', () => {
  const files = onnxFiles(STREAM_INPUTS).map((f) => relative(STREAM_INPUTS, f)).sort();

  it('finds all 19 shipped ONNX files', () => {
    expect(files).toHaveLength(19);
  });

  it.each(files)('%s parses into a workload whose every node has derivable loop sizes and rank-consistent maps', (rel) => {
    const w = load(rel);
    expect(w.nodes.length).toBeGreaterThan(2);
    for (const n of computations(w)) {
      const operands = [...n.inputs, ...n.outputs];
      n.operandMaps.forEach((m, i) => expect(m.results).toHaveLength(operands[i].shape.length));
      expect(nodeLoopSizes(n)._tag).toBe('Right');
    }
    expect(w.sourceFile).toBe(join(STREAM_INPUTS, rel));
  });

  it('2-conv: two Conv nodes with loop sizes (b, ox, oy, fx, fy, c, k)', () => {
    for (const rel of ['testing/workload/2conv_1_8_32_32_16_32_3.onnx', 'built/two_conv_b1_c8_h32_w32_k16_k32_ks3_bf16__hardware_matrix.onnx']) {
      const w = load(rel);
      expect(w.nodes.map((n) => `${n.kind}:${n.name}`)).toEqual(['in:input', 'in:weights_1', 'in:weights_2', 'computation:Conv1', 'computation:Conv2', 'out:output']);
      expect(loopSizes(computation(w, 'Conv1'))).toEqual([1, 32, 32, 3, 3, 8, 16]);
      expect(loopSizes(computation(w, 'Conv2'))).toEqual([1, 32, 32, 3, 3, 16, 32]);
      expect(formatAffineMap(computation(w, 'Conv1').operandMaps[0])).toBe('(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, ((d2 + d4) + -1), ((d1 + d3) + -1))');
      expect(computation(w, 'Conv2').inputs.map((t) => `${t.name}:${t.elementType}[${t.shape}]`)).toEqual(['conv1_out:bf16[1,16,32,32]', 'weights_2:bf16[32,16,3,3]']);
      expect(w.edges).toEqual([
        { from: 'input', to: 'Conv1', tensor: 'input' },
        { from: 'weights_1', to: 'Conv1', tensor: 'weights_1' },
        { from: 'Conv1', to: 'Conv2', tensor: 'conv1_out' },
        { from: 'weights_2', to: 'Conv2', tensor: 'weights_2' },
        { from: 'Conv2', to: 'output', tensor: 'output' },
      ]);
    }
  });

  it('SwiGLU 256/2048/8192: five computation nodes and their loop sizes', () => {
    const w = load('built/swiglu_seq256_emb2048_hid8192_bf16__hardware_matrix.onnx');
    expect(computations(w).map((n) => [n.name, n.type, loopSizes(n)])).toEqual([
      ['Gemm_Left', 'Gemm', [256, 2048, 8192]],
      ['Gemm_Right', 'Gemm', [256, 2048, 8192]],
      ['Silu', 'Silu', [256, 8192]],
      ['Elt_Mul', 'Mul', [256, 8192]],
      ['Gemm_Down', 'Gemm', [256, 8192, 2048]],
    ]);
    expect(w.nodes.filter((n) => n.kind === 'in').map((n) => n.name)).toEqual(['input', 'weights_1', 'weights_2', 'weights_3']);
  });

  it('attention head: 5 MatMuls, 1 Transpose FusionEdge and 1 Softmax with its reduction axis, named Op0..Op6', () => {
    const w = load('testing/workload/attention_head.onnx');
    const inner = w.nodes.filter((n) => n.kind === 'computation' || n.kind === 'fusion-edge');
    expect(inner.map((n) => n.name)).toEqual(['Op0', 'Op1', 'Op2', 'Op3', 'Op4', 'Op5', 'Op6']);
    expect(computations(w).filter((n) => n.type === 'MatMul')).toHaveLength(5);
    const transpose = inner.find((n): n is FusionEdgeNode => n.kind === 'fusion-edge');
    expect(transpose).toMatchObject({ name: 'Op3', opType: 'Transpose' });
    expect(transpose?.input.name).toBe('K');
    const softmax = computation(w, 'Op5');
    expect(softmax.type).toBe('Softmax');
    expect(softmax.reductionAxes).toEqual([1]);
    expect(loopSizes(computation(w, 'Op4'))).toEqual([128, 128, 64]);
    expect(loopSizes(computation(w, 'Op6'))).toEqual([128, 64, 128]);
  });

  it('ResNet-18: 48 computation nodes, one Flatten FusionEdge, and the reference Gemm quirk (with a warning)', () => {
    const parsed = expectParsed(loadWorkload(join(STREAM_INPUTS, 'examples/workload/resnet18.onnx')));
    const w = parsed.workload;
    const count = (type: string) => computations(w).filter((n) => n.type === type).length;
    expect(computations(w)).toHaveLength(48);
    expect([count('Conv'), count('Relu'), count('Add'), count('MaxPool'), count('GlobalAveragePool'), count('Gemm')]).toEqual([20, 17, 8, 1, 1, 1]);
    const fusionEdges = w.nodes.filter((n) => n.kind === 'fusion-edge');
    expect(fusionEdges.map((n) => n.name)).toEqual(['/Flatten']);
    expect(w.nodes.filter((n) => n.kind === 'out').map((n) => n.name)).toEqual(['191']);
    // 1 graph input + 42 f32 initializers (20 conv weights, 20 conv biases, fc weight and bias).
    expect(w.nodes.filter((n) => n.kind === 'in')).toHaveLength(43);

    const stem = computation(w, '/conv1/Conv');
    expect(formatAffineMap(stem.operandMaps[0])).toBe('(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, (((d2 * 2) + d4) + -3), (((d1 * 2) + d3) + -3))');
    expect(loopSizes(stem)).toEqual([1, 112, 112, 7, 7, 3, 64]);
    expect(loopSizes(computation(w, '/maxpool/MaxPool'))).toEqual([1, 64, 56, 56, 3, 3]);
    expect(loopSizes(computation(w, '/avgpool/GlobalAveragePool'))).toEqual([1, 512, 1, 1, 7, 7]);

    // transB=1 is ignored as in the reference: B [1000, 512] is read as [k, n], so n comes out as 512.
    const fc = computation(w, '/fc/Gemm');
    expect(fc.inputs.map((t) => t.name)).toEqual(['/Flatten_output_0', 'fc.weight']);
    expect(formatAffineMap(fc.operandMaps[1])).toBe('(d0, d1, d2) -> (d1, d2)');
    expect(loopSizes(fc)).toEqual([1, 512, 512]);
    expect(parsed.warnings.map((i) => [i.path, i.severity])).toEqual([['node /fc/Gemm', 'warning']]);
    expect(parsed.warnings[0].message).toContain('transB=1');
  });

  it('ResNet-18 with gemmTranspose "transposed" reads the classifier weight as [n, k]', () => {
    const w = expectParsed(loadWorkload(join(STREAM_INPUTS, 'examples/workload/resnet18.onnx'), { gemmTranspose: 'transposed' }));
    const fc = computation(w.workload, '/fc/Gemm');
    expect(formatAffineMap(fc.operandMaps[1])).toBe('(d0, d1, d2) -> (d2, d1)');
    expect(loopSizes(fc)).toEqual([1, 512, 1000]);
    expect(w.warnings).toEqual([]);
  });

  it('FSRCNN: eight int8 convolutions over 540x960', () => {
    const w = load('examples/workload/fsrcnn.onnx');
    expect(computations(w).map((n) => loopSizes(n))).toEqual([
      [1, 960, 540, 5, 5, 1, 56],
      [1, 960, 540, 1, 1, 56, 12],
      [1, 960, 540, 3, 3, 12, 12],
      [1, 960, 540, 3, 3, 12, 12],
      [1, 960, 540, 3, 3, 12, 12],
      [1, 960, 540, 3, 3, 12, 12],
      [1, 960, 540, 1, 1, 12, 56],
      [1, 960, 540, 3, 3, 56, 16],
    ]);
    expect(new Set(computations(w).flatMap((n) => [...n.inputs, ...n.outputs].map((t) => t.elementType)))).toEqual(new Set(['i8']));
  });

  it('f32 four-node AIE SwiGLU keeps its output name', () => {
    const w = load('aie/workload/swiglu_128_128_256.onnx');
    expect(computations(w).map((n) => n.name)).toEqual(['Gemm_Left', 'Gemm_Right', 'Silu', 'Elt_Mul']);
    expect(w.nodes[w.nodes.length - 1]).toMatchObject({ kind: 'out', name: 'result', input: { elementType: 'f32', shape: [128, 256] } });
  });
});
