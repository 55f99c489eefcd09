/**
 * Typed IR (reference-surface §5): io-ts codecs (the types are `t.TypeOf` of them), pure builders from
 * the internal models, persona views, and the JSON Schemas generated from the codecs.
 */
export * from './codec-kit';
export * from './json-schema';
export * from './workload-ir';
export * from './accelerator-ir';
export * from './performance-view';
export * from './allocation-ir';
export * from './infeasibility-ir';
export * from './schemas';
