export * from './onnx-graph';
export * from './two-conv';
export * from './swiglu';
export * from './attention-head';
export * from './resnet-subgraphs';
export * from './conv-relu-flatten-gemm';
export * from './shipped';
