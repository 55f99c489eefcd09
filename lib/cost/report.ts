/**
 * The cost result in the reference's record vocabulary (the keys of `golden/zigzag-cases.json`), so
 * reports, the CLI's `--json` output and the parity specs speak the same language.
 */
import { DIRECTION_NAMES } from './core-model';
import type { CostResult } from './estimate';
import type { CostEvaluation } from './evaluate';
import type { Layer } from './layer';
import { layerToRecord } from './layer';
import type { Loop } from './loops';
import type { SpatialMapping } from './spatial';

type LoopRecord = [string, number];
type PerOperand<T> = Record<string, T>;

export interface CostRecord {
  readonly latency_total: number;
  readonly energy_total: number;
  readonly fallback: boolean;
  readonly backend: 'zigzag' | 'ideal-cycle';
  readonly failure?: { readonly kind: string; readonly message: string; readonly reference_error?: string; readonly deliberate_difference: boolean };
  readonly layer?: ReturnType<typeof layerToRecord>;
  readonly temporal_mapping_type?: string;
  readonly loma_lpf_limit?: number;
  readonly spatial_max_unrolling?: Record<string, Record<string, number>>;
  readonly spatial_candidates_count?: number;
  readonly spatial_candidates_tied_at_top?: number;
  readonly spatial_candidates_top5?: [string, number | null][];
  readonly spatial_mapping_selected?: Record<string, Record<string, number>>;
  readonly stream_core_cost_entry: {
    readonly latency_total: number;
    readonly energy_total: number;
    readonly ideal_cycle: number;
    readonly ideal_temporal_cycle: number;
    readonly backend: 'zigzag' | 'ideal-cycle';
  };
  readonly result?: Record<string, unknown>;
  readonly loma?: Record<string, unknown>;
}

function loops(layer: Layer, ls: readonly Loop[]): LoopRecord[] {
  return ls.map((l) => [layer.dimNames[l.dim], l.size]);
}

/** `{D1: {D1: 32}, D2: {D5: 8}}`, the reference's printed form of a spatial mapping. */
export function formatSpatialMapping(layer: Layer, oaDims: readonly string[], mapping: SpatialMapping): string {
  return `{${mapping.map((ls, oa) => `${oaDims[oa]}: {${ls.map((l) => `${layer.dimNames[l.dim]}: ${l.size}`).join(', ')}}`).join(', ')}}`;
}

export function spatialMappingRecord(layer: Layer, oaDims: readonly string[], mapping: SpatialMapping): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  mapping.forEach((ls, oa) => {
    out[oaDims[oa]] = Object.fromEntries(ls.map((l) => [layer.dimNames[l.dim], l.size]));
  });
  return out;
}

function perDirection(values: readonly number[]): Record<string, number> {
  return Object.fromEntries(values.map((v, i) => [DIRECTION_NAMES[i], v]));
}

export function costResultToRecord(result: CostResult, options: { temporalMappingType?: string; lpfLimit?: number } = {}): CostRecord {
  const base = {
    latency_total: result.latencyTotal,
    energy_total: result.energyTotal,
    fallback: result.fallback,
    backend: result.backend,
    temporal_mapping_type: options.temporalMappingType,
    loma_lpf_limit: options.lpfLimit,
    stream_core_cost_entry: {
      latency_total: result.latencyTotal,
      energy_total: result.energyTotal,
      ideal_cycle: result.idealCycle,
      ideal_temporal_cycle: result.idealTemporalCycle,
      backend: result.backend,
    },
  };
  const failure = result.failure
    ? {
        failure: {
          kind: result.failure.kind,
          message: result.failure.message,
          reference_error: result.failure.referenceError,
          deliberate_difference: result.failure.deliberateDifference,
        },
      }
    : {};
  const s = result.spatial;
  if (!s) return { ...base, ...failure };
  const { layer, core, generation } = s;
  const maxUnrolling: Record<string, Record<string, number>> = {};
  generation.maxUnrolling.forEach((row, oa) => {
    maxUnrolling[core.oaDims[oa]] = Object.fromEntries(row.map((v, dim) => [layer.dimNames[dim], v]));
  });
  const spatialPart = {
    layer: layerToRecord(layer),
    spatial_max_unrolling: maxUnrolling,
    spatial_candidates_count: generation.candidateCount,
    spatial_candidates_tied_at_top: generation.tiedAtTop,
    spatial_candidates_top5: generation.top.map((c): [string, number | null] => [formatSpatialMapping(layer, core.oaDims, c.mapping), c.indicator ?? null]),
    spatial_mapping_selected: spatialMappingRecord(layer, core.oaDims, generation.selected),
  };
  const d = result.details;
  if (!d) return { ...base, ...failure, ...spatialPart };
  const ev = d.evaluation;
  const names = layer.operands.map((o) => o.name);
  const perOp = <T>(f: (o: number) => T): PerOperand<T> => Object.fromEntries(names.map((n, o) => [n, f(o)]));
  const loadingTable = (t: CostEvaluation['loading']) =>
    Object.fromEntries(Object.entries(t).map(([op, recs]) => [op, Object.fromEntries(Object.entries(recs).map(([k, r]) => [k, [r.cycles, r.shared]]))]));
  return {
    ...base,
    ...failure,
    ...spatialPart,
    result: {
      cycles_per_op: ev.cyclesPerOp,
      spatial_mapping_per_level_fractional: perOp((o) => d.operandSpatialFractional[o].levels.map((ls) => loops(layer, ls))),
      spatial_mapping_per_level_int: perOp((o) => d.operandSpatialInteger[o].levels.map((ls) => loops(layer, ls))),
      temporal_mapping_allocated: perOp((o) => d.temporalAllocated[o].map((ls) => loops(layer, ls))),
      temporal_mapping_stationary: perOp((o) => d.temporal[o].levels.map((ls) => loops(layer, ls))),
      mac_level_data_stationary_cycle: perOp((o) => d.temporal[o].macLevelStationaryCycle),
      double_buffer_true: perOp((o) => ev.doubleBuffer[o]),
      port_activities: ev.portActivities.map((a) => [
        a.memory,
        a.port,
        [a.operand, a.level, DIRECTION_NAMES[a.direction]],
        a.realCycles,
        a.allowedCycles,
        a.period,
        a.count,
        a.stallOrSlack,
        a.memoryUpdatingWindow,
      ]),
      mem_updating_window_union_per_port: ev.muwUnionPerPort,
      stall_slack_comb_per_port: ev.stallSlackPerPort,
      data_loading_cc_per_op: loadingTable(ev.loading),
      data_offloading_cc_per_op: loadingTable(ev.offloading),
      data_loading_individual_part: ev.loadingIndividual,
      data_loading_half_shared_part: ev.loadingHalfShared,
      data_loading_shared_part: ev.loadingShared,
      ideal_cycle: ev.idealCycle,
      ideal_temporal_cycle: ev.idealTemporalCycle,
      stall_slack_comb: ev.stallSlackComb,
      data_onloading_cycle: ev.onloadingCycle,
      data_offloading_cycle: ev.offloadingCycle,
      latency_total0: ev.latencyTotal0,
      latency_total1: ev.latencyTotal1,
      latency_total2: ev.latencyTotal2,
      mac_energy: ev.macEnergy,
      mem_energy: ev.memEnergy,
      energy_total: ev.energyTotal,
      mem_energy_breakdown: perOp((o) => ev.memEnergyBreakdown[o]),
      mem_energy_breakdown_further: perOp((o) => ev.memEnergyPerDirection[o].map(perDirection)),
      memory_word_access: perOp((o) => ev.memoryWordAccess[o].map(perDirection)),
      mem_utili_individual: perOp((o) => ev.memUtilIndividual[o]),
      mem_utili_shared: perOp((o) => ev.memUtilShared[o]),
      effective_mem_utili_individual: perOp((o) => ev.effectiveMemUtilIndividual[o]),
      effective_mem_utili_shared: perOp((o) => ev.effectiveMemUtilShared[o]),
      mac_spatial_utilization: ev.macSpatialUtilization,
      mac_utilization0: ev.macUtilization0,
      mac_utilization1: ev.macUtilization1,
      mac_utilization2: ev.macUtilization2,
    },
    loma: {
      temporal_loop_sizes: Object.fromEntries(d.loma.temporalLoopSizes),
      lpf_limit_effective: d.loma.lpfLimitEffective,
      lpfs: d.loma.lpfs,
      nb_orderings: d.loma.orderings,
      nb_valid_orderings: d.loma.validOrderings,
      nb_orderings_at_min_latency: d.loma.orderingsAtMinLatency,
      nb_orderings_at_optimum: d.loma.orderingsAtOptimum,
      first_optimum_ordering_index: d.loma.firstOptimumOrderingIndex,
    },
  };
}
