/**
 * The per-core cost look-up table: a (node or layer, core, options) request is keyed structurally,
 * looked up in memory, then in an optional persistent store, and only computed on a miss.
 *
 * The key is a SHA-256 of a canonical description of everything that can change the numbers: the
 * layer as the cost model sees it (operator type, equation, loop sizes, pr relations and sizes,
 * precisions, operand links), the core's performance-relevant description, the LOMA lpf limit, the
 * temporal mapping type and the cost-model version. Unlike the reference's table (quirk Q72) a
 * change of lpf limit or mapping type therefore never reuses a stale entry, and bumping
 * `COST_MODEL_VERSION` invalidates every persisted entry.
 */
import { createHash } from 'node:crypto';
import type { ZigzagCoreSpec } from '../hardware/model';
import type { ComputationNode } from '../workload/model';
import { formatAffineMap } from '../workload/model';
import { buildCoreModel } from './core-model';
import {
  DEFAULT_LPF_LIMIT,
  DEFAULT_TEMPORAL_MAPPING_TYPE,
  estimateLayerCost,
  estimateNodeCost,
  type CostFailure,
  type CostOptions,
  type CostResult,
} from './estimate';
import { CostModelError } from './errors';
import { layerFromComputationNode, layerFromRecord, layerToRecord, type Layer, type LayerRecord, type NodeLayerOptions } from './layer';
import { costResultToRecord, type CostRecord } from './report';

/** Bump whenever a change can alter any cost: persisted entries of other versions are dropped. */
export const COST_MODEL_VERSION = 'stream-dse-ts/cost/1 (ZigZag 3.8.5 parity)';

/** One (layer or node, core) pair to cost. Plain data: it crosses worker-thread boundaries. */
export interface CostRequest {
  /** A workload node (built into a layer as Stream does) ... */
  readonly node?: ComputationNode;
  /** ... or a layer in the reference's record form (the CLI's input). */
  readonly layer?: LayerRecord;
  readonly core: ZigzagCoreSpec;
  readonly options?: CostOptions & NodeLayerOptions;
}

/** What the table stores for a pair: the headline numbers and the full record for reports. */
export interface CostEntry {
  readonly key: string;
  readonly backend: 'zigzag' | 'ideal-cycle';
  /** latency_total2, or the ideal-cycle fallback. */
  readonly latencyTotal: number;
  readonly energyTotal: number;
  readonly idealCycle: number;
  readonly idealTemporalCycle: number;
  readonly fallback: boolean;
  readonly failure?: CostFailure;
  /** The result in the reference's record vocabulary (mappings, latency terms, energy breakdown). */
  readonly record: CostRecord;
}

/** A persistent store for entries (see cost-store.ts for the on-disk one). */
export interface CostStore {
  read(key: string): CostEntry | undefined;
  write(key: string, entry: CostEntry): void;
}

/** The performance-relevant description of a core (names kept: they appear in the records). */
export function coreDescription(core: ZigzagCoreSpec): unknown {
  return {
    name: core.name,
    memories: core.memories.map((m) => ({
      name: m.name,
      size: m.size,
      r: m.rCost,
      w: m.wCost,
      operands: m.operands,
      ports: m.ports.map((p) => ({ name: p.name, type: p.type, min: p.bandwidthMin, max: p.bandwidthMax, allocation: p.allocation.map((a) => `${a.operand},${a.direction}`) })),
      served: m.servedDimensions,
    })),
    array: { dimensions: core.operationalArray.dimensions, sizes: core.operationalArray.sizes, unitEnergy: core.operationalArray.unitEnergy },
    dataflows: core.dataflows ?? null,
  };
}

function layerDescription(layer: Layer): unknown {
  // Padding never changes a number once pr sizes are known; everything else can.
  const { padding: _padding, ...record } = layerToRecord(layer);
  return record;
}

function nodeDescription(node: ComputationNode, options: NodeLayerOptions): unknown {
  return {
    type: node.type,
    inputs: node.inputs.map((t) => [t.elementType, t.shape]),
    outputs: node.outputs.map((t) => [t.elementType, t.shape]),
    maps: node.operandMaps.map(formatAffineMap),
    dimSizes: options.dimSizes ?? null,
    split: options.interCoreSplit ?? [],
    prSizes: options.prSizes ?? null,
  };
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** Builds the layer of a request, or reports why the reference could not. */
function requestLayer(request: CostRequest): Layer | CostModelError {
  try {
    if (request.layer) return layerFromRecord(request.layer);
    if (request.node) return layerFromComputationNode(request.node, request.options);
    return new CostModelError('invalid-layer', 'a cost request needs a node or a layer');
  } catch (err) {
    if (err instanceof CostModelError) return err;
    throw err;
  }
}

/** The structural key of a request (see the module comment). */
export function costRequestKey(request: CostRequest): string {
  const options = request.options ?? {};
  const layer = requestLayer(request);
  return hash({
    version: COST_MODEL_VERSION,
    layer: layer instanceof CostModelError ? { node: request.node ? nodeDescription(request.node, options) : null } : layerDescription(layer),
    core: coreDescription(request.core),
    lpfLimit: options.lpfLimit ?? DEFAULT_LPF_LIMIT,
    temporalMappingType: options.temporalMappingType ?? DEFAULT_TEMPORAL_MAPPING_TYPE,
  });
}

export function entryFromResult(key: string, result: CostResult, options: CostOptions = {}): CostEntry {
  return {
    key,
    backend: result.backend,
    latencyTotal: result.latencyTotal,
    energyTotal: result.energyTotal,
    idealCycle: result.idealCycle,
    idealTemporalCycle: result.idealTemporalCycle,
    fallback: result.fallback,
    failure: result.failure,
    record: costResultToRecord(result, {
      temporalMappingType: options.temporalMappingType ?? DEFAULT_TEMPORAL_MAPPING_TYPE,
      lpfLimit: options.lpfLimit ?? DEFAULT_LPF_LIMIT,
    }),
  };
}

/** Runs the cost model for a request (no table involved). Pure; what the worker threads run. */
export function computeCostEntry(request: CostRequest, key: string = costRequestKey(request)): CostEntry {
  const options = request.options ?? {};
  const core = buildCoreModel(request.core);
  let result: CostResult;
  if (request.layer) {
    result = estimateLayerCost(layerFromRecord(request.layer), core, options);
  } else if (request.node) {
    result = estimateNodeCost(request.node, core, options);
  } else {
    throw new CostModelError('invalid-layer', 'a cost request needs a node or a layer');
  }
  return entryFromResult(key, result, options);
}

export interface CostLutStatistics {
  /** Served from memory. */
  readonly memoryHits: number;
  /** Served from the persistent store. */
  readonly storeHits: number;
  /** Computed (mapping search run). */
  readonly computed: number;
}

export interface CostLutOptions {
  readonly store?: CostStore;
  /** The estimator used on a miss (tests count calls through it). */
  readonly compute?: (request: CostRequest, key: string) => CostEntry;
}

/** In-memory memo in front of an optional persistent store. */
export class CostLut {
  private readonly entries = new Map<string, CostEntry>();
  private readonly store?: CostStore;
  private readonly compute: (request: CostRequest, key: string) => CostEntry;
  private stats = { memoryHits: 0, storeHits: 0, computed: 0 };

  constructor(options: CostLutOptions = {}) {
    this.store = options.store;
    this.compute = options.compute ?? computeCostEntry;
  }

  get statistics(): CostLutStatistics {
    return { ...this.stats };
  }

  /** The entry for a key from memory or the store, without computing. */
  lookup(key: string): CostEntry | undefined {
    const mem = this.entries.get(key);
    if (mem) {
      this.stats.memoryHits++;
      return mem;
    }
    const stored = this.store?.read(key);
    if (stored) {
      this.stats.storeHits++;
      this.entries.set(key, stored);
      return stored;
    }
    return undefined;
  }

  /** Records an entry computed elsewhere (e.g. in a worker) in memory and in the store. */
  insert(entry: CostEntry, computed = true): void {
    if (computed) this.stats.computed++;
    this.entries.set(entry.key, entry);
    this.store?.write(entry.key, entry);
  }

  /** Looks a request up, computing and recording it on a miss. */
  get(request: CostRequest): CostEntry {
    const key = costRequestKey(request);
    const found = this.lookup(key);
    if (found) return found;
    const entry = this.compute(request, key);
    this.insert(entry);
    return entry;
  }
}
