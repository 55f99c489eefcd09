/** Conv -> Relu -> Flatten -> Gemm (reference builder `make_conv_relu_flatten_gemm.py`); Flatten splits it into 2 fusion groups. */
import type { ElementType } from '../../../lib/workload/model';
import { attr, GraphSpec } from './onnx-graph';

export interface ConvReluFlattenGemmConfig {
  readonly batch: number;
  readonly inChannels: number;
  readonly height: number;
  readonly width: number;
  readonly convOutChannels: number;
  readonly kernelSize: number;
  readonly gemmOut: number;
  readonly dtype: ElementType;
}

export const DEFAULT_CONV_RELU_FLATTEN_GEMM: ConvReluFlattenGemmConfig = {
  batch: 1,
  inChannels: 8,
  height: 16,
  width: 16,
  convOutChannels: 16,
  kernelSize: 3,
  gemmOut: 10,
  dtype: 'bf16',
};

export function convReluFlattenGemmFileName(c: ConvReluFlattenGemmConfig): string {
  return `conv_relu_flatten_gemm_${c.batch}_${c.inChannels}_${c.height}_${c.width}_${c.convOutChannels}_${c.kernelSize}_${c.gemmOut}.onnx`;
}

export function convReluFlattenGemmGraph(c: ConvReluFlattenGemmConfig = DEFAULT_CONV_RELU_FLATTEN_GEMM): GraphSpec {
  const k = c.kernelSize;
  const pad = Math.floor(k / 2);
  const flattened = c.convOutChannels * c.height * c.width;
  return {
    graphName: 'conv_relu_flatten_gemm',
    docString: 'Conv -> Relu -> Flatten -> Gemm.',
    opset: 17,
    inputs: [{ name: 'input', elementType: c.dtype, shape: [c.batch, c.inChannels, c.height, c.width] }],
    initializers: [
      { name: 'conv1_weight', elementType: c.dtype, shape: [c.convOutChannels, c.inChannels, k, k] },
      { name: 'gemm1_weight', elementType: c.dtype, shape: [flattened, c.gemmOut] },
    ],
    nodes: [
      {
        name: 'Conv1',
        opType: 'Conv',
        inputs: ['input', 'conv1_weight'],
        outputs: ['conv1_out'],
        attributes: { kernel_shape: attr.ints([k, k]), pads: attr.ints([pad, pad, pad, pad]) },
      },
      { name: 'Relu1', opType: 'Relu', inputs: ['conv1_out'], outputs: ['relu1_out'] },
      { name: 'Flatten1', opType: 'Flatten', inputs: ['relu1_out'], outputs: ['flatten1_out'], attributes: { axis: attr.int(1) } },
      { name: 'Gemm1', opType: 'Gemm', inputs: ['flatten1_out', 'gemm1_weight'], outputs: ['output'] },
    ],
    outputs: ['output'],
  };
}
