/** The quick-start 2-conv workload (reference builder `make_2_conv.py`). */
import type { ElementType } from '../../../lib/workload/model';
import { attr, GraphSpec } from './onnx-graph';

export interface TwoConvConfig {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly inChannels: number;
  readonly outChannels1: number;
  readonly outChannels2: number;
  readonly kernelSize: number;
  readonly inDtype: ElementType;
  readonly weightDtype: ElementType;
}

/** The configuration `just gen-workloads` uses in the reference. */
export const QUICK_START_TWO_CONV: TwoConvConfig = {
  batch: 1,
  height: 32,
  width: 32,
  inChannels: 8,
  outChannels1: 16,
  outChannels2: 32,
  kernelSize: 3,
  inDtype: 'bf16',
  weightDtype: 'bf16',
};

export function twoConvFileName(c: TwoConvConfig): string {
  return `2conv_${c.batch}_${c.inChannels}_${c.height}_${c.width}_${c.outChannels1}_${c.outChannels2}_${c.kernelSize}.onnx`;
}

/** input [b, cin, h, w] -> Conv1 (pad k//2) -> conv1_out -> Conv2 -> output [b, c2, h, w]; opset 17. */
export function twoConvGraph(c: TwoConvConfig = QUICK_START_TWO_CONV): GraphSpec {
  const k = c.kernelSize;
  const pad = Math.floor(k / 2);
  const convAttributes = { kernel_shape: attr.ints([k, k]), pads: attr.ints([pad, pad, pad, pad]) };
  return {
    graphName: 'TwoConv',
    docString: 'Two Conv operators in sequence.',
    opset: 17,
    inputs: [{ name: 'input', elementType: c.inDtype, shape: [c.batch, c.inChannels, c.height, c.width] }],
    initializers: [
      { name: 'weights_1', elementType: c.weightDtype, shape: [c.outChannels1, c.inChannels, k, k] },
      { name: 'weights_2', elementType: c.weightDtype, shape: [c.outChannels2, c.outChannels1, k, k] },
    ],
    nodes: [
      { name: 'Conv1', opType: 'Conv', inputs: ['input', 'weights_1'], outputs: ['conv1_out'], attributes: convAttributes },
      { name: 'Conv2', opType: 'Conv', inputs: ['conv1_out', 'weights_2'], outputs: ['output'], attributes: convAttributes },
    ],
    outputs: ['output'],
  };
}
