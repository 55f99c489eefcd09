/**
 * The package's public API: the CO pipelines (auto-mapped and hand-mapped) and the mapping DSE, their options and results,
 * the progress events they emit, and the typed IR documents with their codecs and JSON Schemas.
 */
export { co, coGeneric, coWithMapping, runCo } from './co';
export type { CoEvent, CoOptions, CoResult, GroupResult } from './co';
export { optimizeMapping, runOptimizeMapping, VariantPool } from './dse';
export type { DseEvent, DseOptions, DseResources, DseResult } from './dse';
export type { ProgressEvent } from '../operators/progress';
export { InfeasibleScheduleError, InputError } from '../operators/errors';
export * from './ir';
