/**
 * The per-core cost estimate Stream asks ZigZag for (reference-cost-model §1): one spatial mapping,
 * LOMA over every loop ordering, reduction to the lexicographic minimum of (latency_total2,
 * energy_total) with the first one kept on ties, re-costing with the node type's cycles per op, and
 * the ideal-cycle fallback (zero energy) whenever the model cannot cost the pair.
 */
import type { ComputationNode } from '../workload/model';
import type { ZigzagCoreSpec } from '../hardware/model';
import { buildCoreModel, type CoreModel } from './core-model';
import { CostModelError, type CostFailureKind } from './errors';
import { CostKernel, type CostEvaluation } from './evaluate';
import { layerFromComputationNode, deriveNodeDimSizes, type Layer, type NodeLayerOptions } from './layer';
import {
  describeOperandTemporal,
  forEachOrdering,
  levelLoops,
  loopPrimeFactors,
  MemoryAllocator,
  stationaryBounds,
  temporalLoopSizes,
  type OperandTemporal,
  type OrderingBuffers,
  type TemporalMappingType,
} from './loma';
import type { Loop } from './loops';
import {
  convertSpatialMapping,
  generateSpatialMapping,
  operandSpatial,
  type OperandSpatial,
  type SpatialGeneration,
  type SpatialMapping,
} from './spatial';

export interface CostOptions {
  /** LOMA lpf limit; Stream's public API uses 6. */
  readonly lpfLimit?: number;
  /** Stream's public API default is `uneven`. */
  readonly temporalMappingType?: TemporalMappingType;
  /** Keep the ranked spatial candidates (how many) in the details; default 0. */
  readonly spatialTop?: number;
}

export const DEFAULT_LPF_LIMIT = 6;
export const DEFAULT_TEMPORAL_MAPPING_TYPE: TemporalMappingType = 'uneven';

/**
 * Stream's `get_cc_per_op`: 4 for `silu`, `sigmoid`, `exp`, else 1. The ZigZag path passes the node
 * type as is (so `Silu` gets 1); only the fallback lower-cases it (reference quirk Q65).
 */
export function cyclesPerOp(nodeType: string): number {
  return nodeType === 'silu' || nodeType === 'sigmoid' || nodeType === 'exp' ? 4 : 1;
}

export interface CostFailure {
  readonly kind: CostFailureKind;
  readonly message: string;
  /** What the reference raises here (`KeyError: I2`, `NoValidLoopOrderingFoundException`, ...). */
  readonly referenceError?: string;
  /**
   * True where the reference itself crashes instead of falling back (a broadcast input while the
   * layer is built): we give the flagged ideal-cycle estimate instead, on purpose.
   */
  readonly deliberateDifference: boolean;
}

export interface LomaStatistics {
  readonly temporalLoopSizes: readonly (readonly [string, number])[];
  readonly lpfLimitEffective: number;
  readonly lpfs: readonly (readonly [string, number])[];
  readonly orderings: number;
  readonly validOrderings: number;
  readonly orderingsAtMinLatency: number;
  readonly orderingsAtOptimum: number;
  /** Index, in the reference's enumeration order, of the reported (first optimal) ordering. */
  readonly firstOptimumOrderingIndex: number;
}

/** The spatial mapping stage's outcome; kept even when a later stage fails. */
export interface SpatialOutcome {
  readonly layer: Layer;
  readonly core: CoreModel;
  readonly generation: SpatialGeneration;
}

export interface CostDetails extends SpatialOutcome {
  readonly spatialFractional: SpatialMapping;
  readonly spatialInteger: SpatialMapping;
  readonly operandSpatialFractional: readonly OperandSpatial[];
  readonly operandSpatialInteger: readonly OperandSpatial[];
  /** Per layer operand, per memory level: the allocated temporal loops (before the merge-down). */
  readonly temporalAllocated: readonly (readonly (readonly Loop[])[])[];
  readonly temporal: readonly OperandTemporal[];
  readonly loma: LomaStatistics;
  readonly evaluation: CostEvaluation;
}

export interface CostResult {
  readonly backend: 'zigzag' | 'ideal-cycle';
  /** latency_total2, or the ideal-cycle fallback. */
  readonly latencyTotal: number;
  readonly energyTotal: number;
  readonly idealCycle: number;
  readonly idealTemporalCycle: number;
  /** True when the model could not cost the pair and the ideal-cycle estimate is used. */
  readonly fallback: boolean;
  readonly failure?: CostFailure;
  /** Present whenever the spatial mapping could be chosen (also when a later stage failed). */
  readonly spatial?: SpatialOutcome;
  /** Present on success. */
  readonly details?: CostDetails;
}

/** Stream's ideal-cycle fallback: ceil(Π dims / #PEs) · cc_per_op(lower-cased type), zero energy. */
export function idealCycleFallback(dimSizes: readonly number[], layerType: string, core: Pick<CoreModel, 'totalUnitCount'>, failure: CostFailure): CostResult {
  let macs = 1;
  for (const s of dimSizes) macs *= s;
  const units = core.totalUnitCount > 0 ? core.totalUnitCount : 1;
  const latency = Math.ceil(macs / units) * cyclesPerOp(layerType.toLowerCase());
  return { backend: 'ideal-cycle', latencyTotal: latency, energyTotal: 0, idealCycle: latency, idealTemporalCycle: latency, fallback: true, failure };
}

function toFailure(err: unknown, deliberateDifference = false): CostFailure {
  if (err instanceof CostModelError) return { kind: err.kind, message: err.message, referenceError: err.referenceError, deliberateDifference };
  throw err;
}

/**
 * Checks the layer/core operand correspondence the reference trips over: every memory operand of
 * the core must be used by the layer (else a `KeyError`), and every layer operand needs memories.
 */
function checkOperandLinks(layer: Layer, core: CoreModel): void {
  for (const memOp of core.memoryOperands) {
    if (!layer.operands.some((op) => op.memoryOperand === memOp)) {
      throw new CostModelError('memory-operand-mismatch', `core ${core.name} has ${memOp} memories, which the layer does not use`, `KeyError: ${memOp}`);
    }
  }
  for (const op of layer.operands) {
    if (!core.hierarchy[op.memoryOperand]) {
      throw new CostModelError('memory-operand-mismatch', `core ${core.name} has no memory for ${op.memoryOperand}`, `KeyError: ${op.memoryOperand}`);
    }
  }
}

/** Spatial mapping generation (§4); throws `CostModelError` where the reference raises. */
export function chooseSpatialMapping(layer: Layer, core: CoreModel, options: CostOptions = {}): SpatialOutcome {
  const generation = generateSpatialMapping(layer, core, { topCount: options.spatialTop ?? 0 });
  return { layer, core, generation };
}

/**
 * Runs the ZigZag model on one (layer, core) pair for a chosen spatial mapping; throws
 * `CostModelError` where the reference raises.
 */
export function runCostModel(spatialOutcome: SpatialOutcome, options: CostOptions = {}): CostDetails {
  const { layer, core, generation: spatial } = spatialOutcome;
  const lpfLimit = options.lpfLimit ?? DEFAULT_LPF_LIMIT;
  const mappingType = options.temporalMappingType ?? DEFAULT_TEMPORAL_MAPPING_TYPE;
  checkOperandLinks(layer, core);
  const { fractional, integer } = convertSpatialMapping(layer, core, spatial.selected);
  const spatialF = layer.operands.map((op) => operandSpatial(layer, core, op, fractional));
  const spatialI = layer.operands.map((op) => operandSpatial(layer, core, op, integer));
  const temporalSizes = temporalLoopSizes(layer, fractional);
  const lpfs = loopPrimeFactors(temporalSizes, lpfLimit);
  const nbOps = layer.operands.length;
  const maxLoops = lpfs.length;
  const allocator = new MemoryAllocator(layer, core, spatialF.map((sp) => sp.levels), mappingType, maxLoops);
  const kernel = new CostKernel(layer, core, spatialF, spatialI, maxLoops);
  const ordering: OrderingBuffers = { dims: new Int32Array(maxLoops), sizes: new Float64Array(maxLoops), length: maxLoops };
  const levelCounts = layer.operands.map((op) => core.hierarchy[op.memoryOperand].length);
  const allocated = levelCounts.map((L) => new Int32Array(L));
  const bounds = levelCounts.map((L) => new Int32Array(L));
  const stationary = new Float64Array(nbOps);
  const irrelevant = layer.operands.map((op) => Uint8Array.from(op.irrelevant.map((x) => (x ? 1 : 0))));
  const place = (indices: ArrayLike<number>): boolean => {
    for (let k = 0; k < indices.length; k++) {
      ordering.dims[k] = lpfs[indices[k]].dim;
      ordering.sizes[k] = lpfs[indices[k]].size;
    }
    if (!allocator.allocate(ordering, allocated)) return false;
    for (let o = 0; o < nbOps; o++) stationary[o] = stationaryBounds(irrelevant[o], ordering, allocated[o], levelCounts[o], bounds[o]);
    return true;
  };

  let bestIndices: Int32Array | undefined;
  let bestLatency = Infinity;
  let bestEnergy = Infinity;
  let bestIndex = -1;
  let orderings = 0;
  let valid = 0;
  let atMinLatency = 0;
  let atOptimum = 0;
  forEachOrdering(layer, lpfs, (indices) => {
    const index = orderings++;
    if (!place(indices)) return;
    valid++;
    kernel.evaluate(ordering, bounds, stationary, 1);
    const latency = kernel.latencyTotal2;
    const energy = kernel.energyTotal;
    let better = false;
    if (latency < bestLatency) {
      atMinLatency = 1;
      atOptimum = 1;
      better = true;
    } else if (latency === bestLatency) {
      atMinLatency++;
      if (energy < bestEnergy) {
        atOptimum = 1;
        better = true;
      } else if (energy === bestEnergy) atOptimum++;
    }
    if (better) {
      bestLatency = latency;
      bestEnergy = energy;
      bestIndex = index;
      bestIndices = Int32Array.from(indices);
    }
  });
  if (!bestIndices) {
    throw new CostModelError(
      'no-valid-loop-ordering',
      `no valid loop ordering: the layer does not fit the memory hierarchy of ${core.name}`,
      'NoValidLoopOrderingFoundException',
    );
  }
  place(bestIndices);
  const evaluation = kernel.describe(ordering, bounds, stationary, cyclesPerOp(layer.layerType));
  const temporalAllocated = allocated.map((b) => levelLoops(ordering, b));
  const temporal = bounds.map((b, o) => describeOperandTemporal(ordering, b, stationary[o]));
  return {
    ...spatialOutcome,
    spatialFractional: fractional,
    spatialInteger: integer,
    operandSpatialFractional: spatialF,
    operandSpatialInteger: spatialI,
    temporalAllocated,
    temporal,
    loma: {
      temporalLoopSizes: [...temporalSizes.entries()].map(([d, s]) => [layer.dimNames[d], s] as const),
      lpfLimitEffective: Math.max(lpfLimit, temporalSizes.size),
      lpfs: lpfs.map((l) => [layer.dimNames[l.dim], l.size] as const),
      orderings,
      validOrderings: valid,
      orderingsAtMinLatency: atMinLatency,
      orderingsAtOptimum: atOptimum,
      firstOptimumOrderingIndex: bestIndex,
    },
    evaluation,
  };
}

export function asCoreModel(core: ZigzagCoreSpec | CoreModel): CoreModel {
  return 'operationalArray' in core ? buildCoreModel(core) : core;
}

/** Costs a layer on a core, falling back to ideal cycles (flagged) wherever the reference would. */
export function estimateLayerCost(layer: Layer, coreSpec: ZigzagCoreSpec | CoreModel, options: CostOptions = {}): CostResult {
  const core = asCoreModel(coreSpec);
  let spatial: SpatialOutcome | undefined;
  try {
    spatial = chooseSpatialMapping(layer, core, options);
    const details = runCostModel(spatial, options);
    const ev = details.evaluation;
    return {
      backend: 'zigzag',
      latencyTotal: ev.latencyTotal2,
      energyTotal: ev.energyTotal,
      idealCycle: ev.idealCycle,
      idealTemporalCycle: ev.idealTemporalCycle,
      fallback: false,
      spatial,
      details,
    };
  } catch (err) {
    return { ...idealCycleFallback(layer.dimSizes, layer.layerType, core, toFailure(err)), spatial };
  }
}

/**
 * Costs a workload node on a core the way Stream's `ZigZagCostEstimator.estimate` does. Where the
 * reference cannot even build the layer (broadcast inputs) it crashes; we return the flagged
 * ideal-cycle estimate instead (a deliberate difference).
 */
export function estimateNodeCost(
  node: ComputationNode,
  coreSpec: ZigzagCoreSpec | CoreModel,
  options: CostOptions & NodeLayerOptions = {},
): CostResult {
  const core = asCoreModel(coreSpec);
  let layer: Layer;
  try {
    layer = layerFromComputationNode(node, options);
  } catch (err) {
    const failure = toFailure(err, true);
    let sizes: number[];
    try {
      sizes = (options.dimSizes ?? deriveNodeDimSizes(node)).slice();
    } catch (inner) {
      throw new CostModelError('unsupported-node', `${node.name}: ${failure.message}; and its dim sizes are unknown (${(inner as Error).message})`);
    }
    for (const [dim, factor] of options.interCoreSplit ?? []) if (factor > 0 && sizes[dim] % factor === 0) sizes[dim] /= factor;
    return idealCycleFallback(sizes, node.type, core, failure);
  }
  return estimateLayerCost(layer, core, options);
}
