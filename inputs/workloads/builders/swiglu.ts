/** The SwiGLU feed-forward block (reference builder `make_swiglu.py`). */
import type { OnnxFunction } from '../../../lib/onnx';
import type { ElementType } from '../../../lib/workload/model';
import { attr, GraphSpec } from './onnx-graph';

export interface SwigluConfig {
  readonly seqLen: number;
  readonly embeddingDim: number;
  readonly hiddenDim: number;
  readonly dtype: ElementType;
}

export function swigluFileName(c: SwigluConfig): string {
  return `swiglu_${c.seqLen}_${c.embeddingDim}_${c.hiddenDim}.onnx`;
}

/** SiLU as a model-local function in domain `com.example`: X * Sigmoid(X). */
export const SILU_FUNCTION: OnnxFunction = {
  name: 'Silu',
  domain: 'com.example',
  inputs: ['X'],
  outputs: ['Y'],
  attributeNames: [],
  nodes: [
    { name: 'Sigmoid_in_fn', opType: 'Sigmoid', domain: '', inputs: ['X'], outputs: ['S'], attributes: {} },
    { name: 'Mul_in_fn', opType: 'Mul', domain: '', inputs: ['X', 'S'], outputs: ['Y'], attributes: {} },
  ],
  opsetImports: [{ domain: '', version: 17 }],
  docString: 'SiLU(X) = X * Sigmoid(X)',
};

const GEMM_ATTRIBUTES = { alpha: attr.float(1), beta: attr.float(1), transA: attr.int(0), transB: attr.int(0) };

/**
 * input [S, E]; Gemm_Left (weights_1 [E, H]) -> left; Gemm_Right (weights_2) -> right; Silu -> left_swished;
 * Elt_Mul -> intermediate; Gemm_Down (weights_3 [H, E]) -> output [S, E].
 */
export function swigluGraph(c: SwigluConfig): GraphSpec {
  const { seqLen: s, embeddingDim: e, hiddenDim: h, dtype } = c;
  return {
    graphName: 'SwiGLU',
    docString: 'SwiGLU (5 nodes) for CO pipeline CI testing.',
    opset: 17,
    extraOpsetImports: [{ domain: 'com.example', version: 1 }],
    inputs: [{ name: 'input', elementType: dtype, shape: [s, e] }],
    initializers: [
      { name: 'weights_1', elementType: dtype, shape: [e, h] },
      { name: 'weights_2', elementType: dtype, shape: [e, h] },
      { name: 'weights_3', elementType: dtype, shape: [h, e] },
    ],
    nodes: [
      { name: 'Gemm_Left', opType: 'Gemm', inputs: ['input', 'weights_1'], outputs: ['left'], attributes: GEMM_ATTRIBUTES },
      { name: 'Gemm_Right', opType: 'Gemm', inputs: ['input', 'weights_2'], outputs: ['right'], attributes: GEMM_ATTRIBUTES },
      { name: 'Silu', opType: 'Silu', domain: 'com.example', inputs: ['left'], outputs: ['left_swished'] },
      { name: 'Elt_Mul', opType: 'Mul', inputs: ['left_swished', 'right'], outputs: ['intermediate'] },
      { name: 'Gemm_Down', opType: 'Gemm', inputs: ['intermediate', 'weights_3'], outputs: ['output'], attributes: GEMM_ATTRIBUTES },
    ],
    outputs: ['output'],
    functions: [SILU_FUNCTION],
  };
}
