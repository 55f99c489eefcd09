/**
 * Performance statistics of one solved fusion group (reference-surface §5.4, reference-co-pipeline
 * §10.8): per-node active latency and MAC spatial utilisation, the latency-weighted and end-to-end MAC
 * utilisations, and the compute- versus transfer-bound split of the steady-state iteration.
 *
 * Rules read off the reference's results: a node's ideal cycles and spatial utilisation come from the
 * first core of its allocation; a node without a cost-model evaluation (ideal-cycle fallback) has no
 * utilisation but its latency still weighs in the latency-weighted mean (as zero utilisation); the peak
 * counts the MAC arrays of on-chip compute cores that accept MAC operators.
 */
import { Accelerator, Core } from '../hardware/model';
import { SteadyStateSolution } from '../milp/result';

/** Operator types of the MAC family (matmul-like); `degenerate` only concerns these (reference quirk Q62). */
export const MAC_OPERATOR_TYPES: readonly string[] = ['Conv', 'Gemm', 'MatMul', 'Einsum'];

export function isMacFamily(nodeType: string): boolean {
  return /conv|gemm|matmul|linear|einsum/i.test(nodeType);
}

export interface NodeCostFacts {
  readonly name: string;
  readonly type: string;
  readonly cores: readonly number[];
  /** Of the first core of the allocation. */
  readonly idealCycle: number;
  /** Of the first core; null when that core fell back to the ideal-cycle estimate. */
  readonly macSpatialUtilization: number | null;
  /** Cores whose cost fell back to the ideal-cycle estimate. */
  readonly fallbackCores: readonly number[];
}

export interface NodePerformance {
  readonly kind: 'compute';
  readonly n_cores: number;
  /** Active latency in the steady-state iteration: round(ceil(max LUT latency) · activity fraction). */
  readonly latency_cycles: number;
  readonly ideal_compute_cycles: number;
  readonly mac_spatial_utilization: number | null;
  readonly compute_efficiency: number | null;
  /** A MAC-family node whose cost fell back to ideal cycles (the reference's `degenerate`). */
  readonly fallback: boolean;
}

export interface PerformanceStats {
  readonly per_node: Readonly<Record<string, NodePerformance>>;
  readonly bottleneck: {
    readonly compute_bound_cycles: number;
    readonly transfer_bound_cycles: number;
    readonly compute_bound_pct: number;
    readonly transfer_bound_pct: number;
  };
  readonly aggregate: {
    readonly compute_cores_available: number;
    readonly compute_cores_used: number;
    readonly latency_weighted_mac_spatial_utilization: number | null;
    readonly min_mac_spatial_utilization: number | null;
    readonly degenerate: boolean;
    readonly degenerate_nodes: readonly string[];
    readonly total_mac_ops: number;
    readonly peak_macs_per_cycle: number;
    readonly mac_capable_cores: number;
    readonly end_to_end_mac_utilization: number | null;
  };
}

function acceptsMacOperators(core: Core): boolean {
  const types = core.spec.operatorTypes;
  return types === undefined || types.some((t) => MAC_OPERATOR_TYPES.includes(t));
}

function arraySize(core: Core): number {
  return core.spec.namespace === 'zigzag' ? core.spec.operationalArray.sizes.reduce((p, s) => p * s, 1) : 0;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Share of a slot that the longest compute member must reach for the slot to count as compute-bound. */
const COMPUTE_BOUND_SHARE = 0.999;

export function performanceStats(
  nodes: readonly NodeCostFacts[],
  solution: SteadyStateSolution,
  accelerator: Accelerator,
  totalMacOps: number,
): PerformanceStats {
  const active = new Map(solution.computeNodes.map((c) => [c.name, c]));
  const perNode: Record<string, NodePerformance> = {};
  let weighted = 0;
  let weight = 0;
  const utilisations: number[] = [];
  for (const n of nodes) {
    const latency = active.get(n.name)?.contribution ?? 0;
    const util = n.macSpatialUtilization;
    if (util !== null) utilisations.push(util);
    weighted += latency * (util ?? 0);
    weight += latency;
    perNode[n.name] = {
      kind: 'compute',
      n_cores: n.cores.length,
      latency_cycles: latency,
      ideal_compute_cycles: n.idealCycle,
      mac_spatial_utilization: util,
      compute_efficiency: latency > 0 ? n.idealCycle / latency : null,
      fallback: isMacFamily(n.type) && n.fallbackCores.length > 0,
    };
  }

  let computeBound = 0;
  solution.slotLatencies.forEach((slotLatency, slot) => {
    const longest = Math.max(0, ...solution.computeNodes.filter((c) => c.slot === slot).map((c) => c.contribution));
    if (slotLatency > 0 && longest >= COMPUTE_BOUND_SHARE * slotLatency) computeBound += slotLatency;
  });
  const perIteration = solution.latencyPerIteration;
  const transferBound = perIteration - computeBound;

  const onChipCompute = accelerator.cores.filter((c) => c.id !== accelerator.offchipCoreId && c.spec.kind === 'compute');
  const macCapable = onChipCompute.filter((c) => acceptsMacOperators(c) && arraySize(c) > 0);
  const peak = macCapable.reduce((s, c) => s + arraySize(c), 0);
  const degenerateNodes = nodes.filter((n) => perNode[n.name].fallback).map((n) => n.name);
  const total = solution.latencyTotal;

  return {
    per_node: perNode,
    bottleneck: {
      compute_bound_cycles: computeBound,
      transfer_bound_cycles: transferBound,
      compute_bound_pct: perIteration > 0 ? round2((100 * computeBound) / perIteration) : 0,
      transfer_bound_pct: perIteration > 0 ? round2((100 * transferBound) / perIteration) : 0,
    },
    aggregate: {
      compute_cores_available: accelerator.cores.filter((c) => c.spec.kind !== 'offchip').length,
      compute_cores_used: new Set(nodes.flatMap((n) => n.cores)).size,
      latency_weighted_mac_spatial_utilization: weight > 0 ? weighted / weight : null,
      min_mac_spatial_utilization: utilisations.length > 0 ? Math.min(...utilisations) : null,
      degenerate: degenerateNodes.length > 0,
      degenerate_nodes: degenerateNodes,
      total_mac_ops: totalMacOps,
      peak_macs_per_cycle: peak,
      mac_capable_cores: macCapable.length,
      end_to_end_mac_utilization: peak > 0 && total > 0 ? totalMacOps / (peak * total) : null,
    },
  };
}
