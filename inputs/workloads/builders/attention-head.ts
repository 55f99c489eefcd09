/** One attention head (reference builder `make_attention_head.py`). */
import type { ElementType } from '../../../lib/workload/model';
import { attr, GraphSpec } from './onnx-graph';

export interface AttentionHeadConfig {
  readonly seqLen: number;
  readonly modelDim: number;
  readonly headDim: number;
  readonly dtype: ElementType;
}

export const DEFAULT_ATTENTION_HEAD: AttentionHeadConfig = { seqLen: 128, modelDim: 512, headDim: 64, dtype: 'bf16' };

/**
 * Weights are graph inputs (no initializers) and every node is unnamed, so the front end names them
 * Op0..Op6: Q/K/V MatMuls, Transpose(K), scores MatMul, Softmax(axis -1), context MatMul; opset 13.
 */
export function attentionHeadGraph(c: AttentionHeadConfig = DEFAULT_ATTENTION_HEAD): GraphSpec {
  const weight = (name: string) => ({ name, elementType: c.dtype, shape: [c.modelDim, c.headDim] });
  return {
    graphName: 'attention_head',
    opset: 13,
    inputs: [{ name: 'I', elementType: c.dtype, shape: [c.seqLen, c.modelDim] }, weight('wQ'), weight('wK'), weight('wV')],
    nodes: [
      { opType: 'MatMul', inputs: ['I', 'wQ'], outputs: ['Q'] },
      { opType: 'MatMul', inputs: ['I', 'wK'], outputs: ['K'] },
      { opType: 'MatMul', inputs: ['I', 'wV'], outputs: ['V'] },
      { opType: 'Transpose', inputs: ['K'], outputs: ['Kt'], attributes: { perm: attr.ints([1, 0]) } },
      { opType: 'MatMul', inputs: ['Q', 'Kt'], outputs: ['scores'] },
      { opType: 'Softmax', inputs: ['scores'], outputs: ['attn'], attributes: { axis: attr.int(-1) } },
      { opType: 'MatMul', inputs: ['attn', 'V'], outputs: ['Y'] },
    ],
    outputs: ['Y'],
  };
}
