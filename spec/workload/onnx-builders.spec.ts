/**
 * The workload builders: the shipped files are exactly what the generator writes, and the built 2-conv
 * and SwiGLU parse into the same workloads as the reference's fixtures.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { generateShippedWorkloads } from '../../inputs/workloads/generate';
import { resnetSubgraphConfig, resnetSubgraphGraph, SHIPPED_WORKLOADS, swigluGraph } from '../../inputs/workloads/builders';
import { decodeOnnxModel } from '../../lib/onnx';
import { ComputationNode, formatAffineMap, Workload, WorkloadNode } from '../../lib/workload/model';
import { loadWorkload, nodeLoopSizes } from '../../lib/workload/onnx';
import { expectParsed, modelBytes, SHIPPED_WORKLOADS_DIR, STREAM_INPUTS } from '../fixtures/onnx/models';

/** Everything about a workload that later stages use, without the source path and name. */
function essence(w: Workload) {
  const describe = (n: WorkloadNode) => {
    switch (n.kind) {
      case 'computation': {
        const sizes = nodeLoopSizes(n);
        return {
          kind: n.kind,
          name: n.name,
          type: n.type,
          inputs: n.inputs,
          outputs: n.outputs,
          maps: n.operandMaps.map(formatAffineMap),
          sizes: sizes._tag === 'Right' ? sizes.right : sizes.left,
          reductionAxes: n.reductionAxes,
        };
      }
      case 'fusion-edge':
        return { kind: n.kind, name: n.name, opType: n.opType, input: n.input, outputs: n.outputs };
      default:
        return n;
    }
  };
  return { nodes: w.nodes.map(describe), edges: w.edges };
}

const loadShipped = (file: string) => expectParsed(loadWorkload(join(SHIPPED_WORKLOADS_DIR, file))).workload;
const loadReference = (rel: string) => expectParsed(loadWorkload(join(STREAM_INPUTS, rel))).workload;
const computations = (w: Workload) => w.nodes.filter((n): n is ComputationNode => n.kind === 'computation');

describe('ONNX workload builders', () => {
  it('regenerating the shipped workloads reproduces the committed files byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stream-workloads-'));
    try {
      const result = generateShippedWorkloads(dir);
      expect(result.failures).toEqual([]);
      const generated = readdirSync(dir).sort();
      expect(generated).toEqual(SHIPPED_WORKLOADS.map((w) => w.fileName).sort());
      expect(generated).toEqual(
        expect.arrayContaining([
          '2conv_1_8_32_32_16_32_3.onnx',
          'swiglu_256_2048_8192.onnx',
          'swiglu_1_16_32.onnx',
          'attention_head.onnx',
          'resnet_basic_residual_1_8_16_16.onnx',
          'resnet_stride2_downsample_1_8_32_32.onnx',
          'resnet_frontend_1_3_32_32.onnx',
          'resnet_dual_residual_1_8_16_16.onnx',
          'conv_relu_flatten_gemm_1_8_16_16_16_3_10.onnx',
        ]),
      );
      for (const file of generated) {
        expect({ file, identical: Buffer.compare(readFileSync(join(dir, file)), readFileSync(join(SHIPPED_WORKLOADS_DIR, file))) === 0 }).toEqual({
          file,
          identical: true,
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('encoding is deterministic', () => {
    const spec = swigluGraph({ seqLen: 4, embeddingDim: 8, hiddenDim: 16, dtype: 'bf16' });
    expect(Buffer.compare(modelBytes(spec), modelBytes(spec))).toBe(0);
  });

  it('built files carry no weight data, value_info for every intermediate tensor, and typed outputs', () => {
    const decoded = decodeOnnxModel(readFileSync(join(SHIPPED_WORKLOADS_DIR, 'swiglu_256_2048_8192.onnx')), 'swiglu');
    if (decoded._tag === 'Left') throw new Error('decode failed');
    const g = decoded.right.graph;
    expect(g.initializers.map((t) => [t.name, t.dims, t.integerValues])).toEqual([
      ['weights_1', [2048, 8192], undefined],
      ['weights_2', [2048, 8192], undefined],
      ['weights_3', [8192, 2048], undefined],
    ]);
    expect(g.valueInfo.map((v) => [v.name, v.elemType, v.dims])).toEqual([
      ['left', 16, [256, 8192]],
      ['right', 16, [256, 8192]],
      ['left_swished', 16, [256, 8192]],
      ['intermediate', 16, [256, 8192]],
    ]);
    expect(g.outputs).toEqual([{ name: 'output', elemType: 16, dims: [256, 2048] }]);
    expect(decoded.right.functions.map((f) => `${f.domain}.${f.name}`)).toEqual(['com.example.Silu']);
  });

  it.each([
    ['2conv_1_8_32_32_16_32_3.onnx', 'testing/workload/2conv_1_8_32_32_16_32_3.onnx'],
    ['2conv_1_8_32_32_16_32_3.onnx', 'built/two_conv_b1_c8_h32_w32_k16_k32_ks3_bf16__hardware_matrix.onnx'],
    ['swiglu_256_2048_8192.onnx', 'built/swiglu_seq256_emb2048_hid8192_bf16__hardware_matrix.onnx'],
    ['swiglu_1_16_32.onnx', 'testing/workload/swiglu_1_16_32.onnx'],
    ['attention_head.onnx', 'testing/workload/attention_head.onnx'],
  ])('built %s parses into the same workload as the reference %s', (ours, reference) => {
    expect(essence(loadShipped(ours))).toEqual(essence(loadReference(reference)));
  });

  it('BASIC_RESIDUAL: Conv -> Relu -> Conv -> Add with the skip from the input', () => {
    const w = loadShipped('resnet_basic_residual_1_8_16_16.onnx');
    expect(computations(w).map((n) => `${n.name}:${n.type}`)).toEqual(['Conv1:Conv', 'Relu1:Relu', 'Conv2:Conv', 'Add1:Add']);
    expect(w.edges.filter((e) => e.to === 'Add1')).toEqual([
      { from: 'Conv2', to: 'Add1', tensor: 'conv2_out' },
      { from: 'input', to: 'Add1', tensor: 'input' },
    ]);
  });

  it('STRIDE2_DOWNSAMPLE: strided main path and 1x1 strided downsample meet in the Add', () => {
    const w = loadShipped('resnet_stride2_downsample_1_8_32_32.onnx');
    const sizes = Object.fromEntries(computations(w).map((n) => [n.name, nodeLoopSizes(n)]));
    expect(sizes).toEqual({
      Conv1: { _tag: 'Right', right: [1, 16, 16, 3, 3, 8, 16] },
      Relu1: { _tag: 'Right', right: [1, 16, 16, 16] },
      Conv2: { _tag: 'Right', right: [1, 16, 16, 3, 3, 16, 16] },
      Downsample: { _tag: 'Right', right: [1, 16, 16, 1, 1, 8, 16] },
      Add1: { _tag: 'Right', right: [1, 16, 16, 16] },
    });
    const down = computations(w).find((n) => n.name === 'Downsample');
    expect(down && formatAffineMap(down.operandMaps[0])).toBe('(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, ((d2 * 2) + d4), ((d1 * 2) + d3))');
  });

  it('FRONTEND: 7x7 stride-2 stem, Relu and a 3x3 stride-2 MaxPool', () => {
    const w = loadShipped('resnet_frontend_1_3_32_32.onnx');
    expect(computations(w).map((n) => [n.name, nodeLoopSizes(n)])).toEqual([
      ['Conv1', { _tag: 'Right', right: [1, 16, 16, 7, 7, 3, 8] }],
      ['Relu1', { _tag: 'Right', right: [1, 8, 16, 16] }],
      ['MaxPool1', { _tag: 'Right', right: [1, 8, 8, 8, 3, 3] }],
    ]);
  });

  it('DUAL_RESIDUAL: two residual blocks separated by a Reshape FusionEdge whose shape initializer is no InEdge', () => {
    const w = loadShipped('resnet_dual_residual_1_8_16_16.onnx');
    expect(w.nodes.filter((n) => n.kind === 'fusion-edge').map((n) => n.name)).toEqual(['Reshape1']);
    expect(w.nodes.some((n) => n.name === 'reshape1_shape')).toBe(false);
    expect(computations(w)).toHaveLength(8);
    const decoded = decodeOnnxModel(readFileSync(join(SHIPPED_WORKLOADS_DIR, 'resnet_dual_residual_1_8_16_16.onnx')), 'dual');
    if (decoded._tag === 'Left') throw new Error('decode failed');
    expect(decoded.right.graph.initializers.find((t) => t.name === 'reshape1_shape')?.integerValues).toEqual([1, 8, 16, 16]);
  });

  it('conv-relu-flatten-gemm: the Flatten is a FusionEdge feeding the Gemm', () => {
    const w = loadShipped('conv_relu_flatten_gemm_1_8_16_16_16_3_10.onnx');
    expect(w.nodes.map((n) => `${n.kind}:${n.name}`)).toEqual([
      'in:input',
      'in:conv1_weight',
      'in:gemm1_weight',
      'computation:Conv1',
      'computation:Relu1',
      'fusion-edge:Flatten1',
      'computation:Gemm1',
      'out:output',
    ]);
    const gemm = computations(w).find((n) => n.name === 'Gemm1');
    expect(gemm && nodeLoopSizes(gemm)).toEqual({ _tag: 'Right', right: [1, 4096, 10] });
  });

  it('resnet pattern configs are forced as in the reference builder', () => {
    const frontend = resnetSubgraphGraph(resnetSubgraphConfig('FRONTEND', { inChannels: 16, height: 64 }));
    expect(frontend.inputs[0].shape).toEqual([1, 3, 32, 32]);
  });
});
