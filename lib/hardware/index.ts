/** Hardware front end: core and accelerator files, the core graph, and derived per-core quantities. */
export * from './model';
export { loadAccelerator, parseAccelerator } from './accelerator';
export type { AcceleratorOptions, AcceleratorSource, LoadedAccelerator } from './accelerator';
export {
  CORE_KINDS,
  CORE_NAMESPACES,
  SUPPORTED_CORE_TYPES,
  loadCoreFile,
  loadCoreFileDetailed,
  normaliseCoreType,
  parseCoreSpec,
  parseCoreSpecDetailed,
  parseCoreType,
} from './core';
export type { CoreParseOptions, ParsedCore } from './core';
export { maxMemoryBandwidth, topLevelMemory, topLevelMemoryCapacity } from './derived';
export { resolveCoreReference } from './resolve-core';
export type { CoreResolution, CoreResolutionOptions } from './resolve-core';
