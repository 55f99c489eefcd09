/**
 * The tiling stage: `TiledFusionGroup` for the steady-state scheduler and `CoreCostRequest`s for the cost
 * model (see model.ts for the contract).
 */
export * from './model';
export * from './errors';
export * from './fusion-splits';
export * from './core-cost-request';
export * from './tiling';
export * from './mapping-resolution';
