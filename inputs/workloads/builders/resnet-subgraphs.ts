/** Small ResNet building blocks (reference builder `make_resnet_subgraph.py`). */
import type { ElementType } from '../../../lib/workload/model';
import { attr, GraphSpec, InitializerSpec, NodeSpec } from './onnx-graph';

export type ResNetPattern = 'BASIC_RESIDUAL' | 'STRIDE2_DOWNSAMPLE' | 'FRONTEND' | 'DUAL_RESIDUAL';

export const RESNET_PATTERNS: readonly ResNetPattern[] = ['BASIC_RESIDUAL', 'STRIDE2_DOWNSAMPLE', 'FRONTEND', 'DUAL_RESIDUAL'];

export interface ResNetSubgraphConfig {
  readonly pattern: ResNetPattern;
  readonly batch: number;
  readonly inChannels: number;
  readonly height: number;
  readonly width: number;
  readonly outChannels: number;
  readonly dtype: ElementType;
}

export function resnetSubgraphConfig(pattern: ResNetPattern, overrides: Partial<Omit<ResNetSubgraphConfig, 'pattern'>> = {}): ResNetSubgraphConfig {
  return { pattern, batch: 1, inChannels: 8, height: 16, width: 16, outChannels: 8, dtype: 'bf16', ...overrides };
}

/** Some patterns fix channel counts and resolution, as the reference builder does. */
export function effectiveResNetConfig(c: ResNetSubgraphConfig): ResNetSubgraphConfig {
  switch (c.pattern) {
    case 'BASIC_RESIDUAL':
    case 'DUAL_RESIDUAL':
      return { ...c, outChannels: c.inChannels };
    case 'STRIDE2_DOWNSAMPLE':
      return { ...c, height: 32, width: 32, outChannels: 16 };
    case 'FRONTEND':
      return { ...c, inChannels: 3, height: 32, width: 32, outChannels: 8 };
  }
}

export function resnetSubgraphFileName(config: ResNetSubgraphConfig): string {
  const c = effectiveResNetConfig(config);
  return `resnet_${c.pattern.toLowerCase()}_${c.batch}_${c.inChannels}_${c.height}_${c.width}.onnx`;
}

interface ConvSpec {
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride: number;
}

function conv(s: ConvSpec, dtype: ElementType): { node: NodeSpec; weight: InitializerSpec } {
  const pad = Math.floor(s.kernel / 2);
  const weight = `${s.name}_weight`;
  return {
    weight: { name: weight, elementType: dtype, shape: [s.outChannels, s.inChannels, s.kernel, s.kernel] },
    node: {
      name: s.name,
      opType: 'Conv',
      inputs: [s.input, weight],
      outputs: [s.output],
      attributes: {
        kernel_shape: attr.ints([s.kernel, s.kernel]),
        pads: attr.ints([pad, pad, pad, pad]),
        strides: attr.ints([s.stride, s.stride]),
      },
    },
  };
}

/** Conv3×3 -> Relu -> Conv3×3 -> Add(skip); `suffix` numbers the nodes of a repeated block. */
function basicBlock(input: string, output: string, channels: number, dtype: ElementType, block: number): { nodes: NodeSpec[]; weights: InitializerSpec[] } {
  const first = 2 * block - 1;
  const c1 = conv({ name: `Conv${first}`, input, output: `conv${first}_out`, inChannels: channels, outChannels: channels, kernel: 3, stride: 1 }, dtype);
  const c2 = conv(
    { name: `Conv${first + 1}`, input: `relu${block}_out`, output: `conv${first + 1}_out`, inChannels: channels, outChannels: channels, kernel: 3, stride: 1 },
    dtype,
  );
  return {
    weights: [c1.weight, c2.weight],
    nodes: [
      c1.node,
      { name: `Relu${block}`, opType: 'Relu', inputs: [`conv${first}_out`], outputs: [`relu${block}_out`] },
      c2.node,
      { name: `Add${block}`, opType: 'Add', inputs: [`conv${first + 1}_out`, input], outputs: [output] },
    ],
  };
}

export function resnetSubgraphGraph(config: ResNetSubgraphConfig): GraphSpec {
  const c = effectiveResNetConfig(config);
  const input = { name: 'input', elementType: c.dtype, shape: [c.batch, c.inChannels, c.height, c.width] };
  const base = { graphName: `resnet_${c.pattern.toLowerCase()}`, docString: `ResNet ${c.pattern} subgraph.`, opset: 17, inputs: [input], outputs: ['output'] };
  switch (c.pattern) {
    case 'BASIC_RESIDUAL': {
      const block = basicBlock('input', 'output', c.inChannels, c.dtype, 1);
      return { ...base, initializers: block.weights, nodes: block.nodes };
    }
    case 'STRIDE2_DOWNSAMPLE': {
      const c1 = conv({ name: 'Conv1', input: 'input', output: 'conv1_out', inChannels: c.inChannels, outChannels: c.outChannels, kernel: 3, stride: 2 }, c.dtype);
      const c2 = conv({ name: 'Conv2', input: 'relu1_out', output: 'conv2_out', inChannels: c.outChannels, outChannels: c.outChannels, kernel: 3, stride: 1 }, c.dtype);
      const down = conv(
        { name: 'Downsample', input: 'input', output: 'downsample_out', inChannels: c.inChannels, outChannels: c.outChannels, kernel: 1, stride: 2 },
        c.dtype,
      );
      return {
        ...base,
        initializers: [c1.weight, c2.weight, down.weight],
        nodes: [
          c1.node,
          { name: 'Relu1', opType: 'Relu', inputs: ['conv1_out'], outputs: ['relu1_out'] },
          c2.node,
          down.node,
          { name: 'Add1', opType: 'Add', inputs: ['conv2_out', 'downsample_out'], outputs: ['output'] },
        ],
      };
    }
    case 'FRONTEND': {
      const c1 = conv({ name: 'Conv1', input: 'input', output: 'conv1_out', inChannels: c.inChannels, outChannels: c.outChannels, kernel: 7, stride: 2 }, c.dtype);
      return {
        ...base,
        initializers: [c1.weight],
        nodes: [
          c1.node,
          { name: 'Relu1', opType: 'Relu', inputs: ['conv1_out'], outputs: ['relu1_out'] },
          {
            name: 'MaxPool1',
            opType: 'MaxPool',
            inputs: ['relu1_out'],
            outputs: ['output'],
            attributes: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) },
          },
        ],
      };
    }
    case 'DUAL_RESIDUAL': {
      const first = basicBlock('input', 'block1_out', c.inChannels, c.dtype, 1);
      const second = basicBlock('reshape1_out', 'output', c.inChannels, c.dtype, 2);
      const shape = { name: 'reshape1_shape', elementType: 'int64' as const, values: [c.batch, c.inChannels, c.height, c.width] };
      return {
        ...base,
        initializers: [...first.weights, shape, ...second.weights],
        nodes: [
          ...first.nodes,
          { name: 'Reshape1', opType: 'Reshape', inputs: ['block1_out', 'reshape1_shape'], outputs: ['reshape1_out'] },
          ...second.nodes,
        ],
      };
    }
  }
}
