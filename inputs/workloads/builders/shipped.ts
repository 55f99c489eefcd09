/** The workload files that ship in `inputs/workloads/`, each with the description it is built from. */
import { attentionHeadGraph } from './attention-head';
import { convReluFlattenGemmFileName, convReluFlattenGemmGraph, DEFAULT_CONV_RELU_FLATTEN_GEMM } from './conv-relu-flatten-gemm';
import type { GraphSpec } from './onnx-graph';
import { RESNET_PATTERNS, resnetSubgraphConfig, resnetSubgraphFileName, resnetSubgraphGraph } from './resnet-subgraphs';
import { swigluFileName, swigluGraph, SwigluConfig } from './swiglu';
import { QUICK_START_TWO_CONV, twoConvFileName, twoConvGraph } from './two-conv';

export interface ShippedWorkload {
  readonly fileName: string;
  readonly graph: GraphSpec;
}

const swiglu = (c: SwigluConfig): ShippedWorkload => ({ fileName: swigluFileName(c), graph: swigluGraph(c) });

export const SHIPPED_WORKLOADS: readonly ShippedWorkload[] = [
  { fileName: twoConvFileName(QUICK_START_TWO_CONV), graph: twoConvGraph(QUICK_START_TWO_CONV) },
  swiglu({ seqLen: 256, embeddingDim: 2048, hiddenDim: 8192, dtype: 'bf16' }),
  swiglu({ seqLen: 1, embeddingDim: 16, hiddenDim: 32, dtype: 'bf16' }),
  { fileName: 'attention_head.onnx', graph: attentionHeadGraph() },
  ...RESNET_PATTERNS.map((p) => resnetSubgraphConfig(p)).map((c) => ({ fileName: resnetSubgraphFileName(c), graph: resnetSubgraphGraph(c) })),
  { fileName: convReluFlattenGemmFileName(DEFAULT_CONV_RELU_FLATTEN_GEMM), graph: convReluFlattenGemmGraph() },
];
