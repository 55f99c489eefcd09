/** Mapping front end: mapping files, their resolution against a workload and an accelerator, and writing. */
export * from './model';
export { affineMapProblem, loadMapping, loadMappingDetailed, parseMapping } from './load';
export type { LoadedMapping } from './load';
export { resolveMapping } from './resolve';
export type { ResolvedMappingResult } from './resolve';
export { writeMappingYaml } from './write';
export type { WritableMapping } from './write';
