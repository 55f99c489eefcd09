/**
 * Per-core cost model: a port of the ZigZag 3.8.5 model as Stream 1.13.14 calls it (see README.md).
 */
export { CostModelError, type CostFailureKind } from './errors';
export {
  layerFromRecord,
  layerFromComputationNode,
  layerToRecord,
  deriveNodeDimSizes,
  type Layer,
  type LayerOperand,
  type LayerRecord,
  type NodeLayerOptions,
  type PrRelation,
} from './layer';
export { buildCoreModel, DIRECTION_NAMES, type CoreModel, type MemoryLevelModel, type PortModel, type DirectionName } from './core-model';
export {
  generateSpatialMapping,
  convertSpatialMapping,
  applyCapacityLimit,
  maxUnrolling,
  operandSpatial,
  type SpatialMapping,
  type SpatialGeneration,
  type SpatialCandidate,
  type OperandSpatial,
} from './spatial';
export {
  temporalLoopSizes,
  loopPrimeFactors,
  forEachOrdering,
  MemoryAllocator,
  stationaryBounds,
  type TemporalMappingType,
  type OrderingBuffers,
  type OperandTemporal,
} from './loma';
export { CostKernel, reduceBalanced, memoryUpdatingWindowUnion, type CostEvaluation, type PortActivity, type LoadingRecord } from './evaluate';
export {
  estimateLayerCost,
  estimateNodeCost,
  idealCycleFallback,
  cyclesPerOp,
  chooseSpatialMapping,
  runCostModel,
  asCoreModel,
  DEFAULT_LPF_LIMIT,
  DEFAULT_TEMPORAL_MAPPING_TYPE,
  type CostOptions,
  type CostResult,
  type CostFailure,
  type CostDetails,
  type LomaStatistics,
  type SpatialOutcome,
} from './estimate';
export { costResultToRecord, formatSpatialMapping, spatialMappingRecord, type CostRecord } from './report';
export {
  CostLut,
  costRequestKey,
  computeCostEntry,
  coreDescription,
  entryFromResult,
  COST_MODEL_VERSION,
  type CostRequest,
  type CostEntry,
  type CostStore,
  type CostLutOptions,
  type CostLutStatistics,
} from './lut';
export { FileCostStore, DEFAULT_COST_CACHE_DIR } from './cost-store';
export { parseAffineMap, parseAffineExpr, computationNodeFromRecord, interCoreSplitFromRecord, type StreamNodeRecord } from './node-record';
export { pythonSetOrder, zigzagDimHash } from './python-set-order';
