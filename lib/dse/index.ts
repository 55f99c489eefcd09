/** Mapping design-space exploration: the variant space, its lazy enumeration, ranking and the sweep table. */
export * from './model';
export { buildVariantSpace, DEFAULT_TILE_SCALES, NODE_GRANULARITY_LIMIT } from './space';
export type { Granularity, VariantSpaceOptions } from './space';
export { DEFAULT_ALLOCATION_LIMITS } from './allocation-options';
export type { AllocationOptionLimits, CoreSetPolicy } from './allocation-options';
export { enumerateVariants, neighbourhoodOrder, randomOrder, choiceAt } from './enumerate';
export type { EnumeratedItem, EnumerationOptions, EnumerationOrder } from './enumerate';
export { realizeChoice, mappingKey } from './realize';
export { toMappingData, toWritableVariantMapping, mappingSummary, variantMappingOf } from './mapping-data';
export { better, compareOutcomes, paretoFront } from './ranking';
export type { RankedOutcome, VariantStatus } from './ranking';
export { sweepCsv, sweepJson, sweepTable } from './results';
export type { SweepJson, SweepRow, SweepTable, VariantResult } from './results';
export { sweepChart, sweepPlotSpec } from './plot';
export type { SweepPoint, VegaLiteSpec } from './plot';
export { seededRandom } from './prng';
export type { Random } from './prng';
