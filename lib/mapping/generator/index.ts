/** The generic ("auto") mapping generator: core allocation, inter-core split, intra-core tiling, capacity tiler. */
export * from './model';
export * from './errors';
export * from './core-allocation';
export * from './planned-node';
export * from './intra-core-tiling';
export * from './capacity-tiler';
export * from './generic-generator';
