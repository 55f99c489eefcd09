/** Workload analysis: dataflow order, iterator types, unique dims, tensor extents, normalisation expansion, fusion groups. */
export * from './graph';
export * from './iterator-types';
export * from './unique-dimensions';
export * from './tensor-shape';
export * from './normalization-expansion';
export * from './fusion-groups';
