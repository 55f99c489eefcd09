/**
 * Golden parity: every (layer, core) case of `golden/zigzag-cases.json` is costed from its Stream
 * node exactly as Stream's ZigZagCostEstimator does, and compared with the reference: integer
 * latencies identical, energies to a relative 1e-9, the same chosen spatial mapping, the same
 * raise/fallback verdict, and the winning CME's intermediates.
 *
 * Cases that do not match yet are listed in KNOWN_GAPS with the first intermediate that diverges;
 * they run as `it.failing`, and a last test asserts that the list is exactly the failing set.
 */
import { estimateNodeCost, idealCycleFallback } from '../../lib/cost/estimate';
import { buildCoreModel } from '../../lib/cost/core-model';
import { deriveNodeDimSizes, layerFromComputationNode, layerFromRecord, layerToRecord } from '../../lib/cost/layer';
import { generateSpatialMapping } from '../../lib/cost/spatial';
import { costResultToRecord, spatialMappingRecord } from '../../lib/cost/report';
import { goldenComputationNode, goldenCore, goldenInterCoreSplit, zigzagCases, type GoldenCase } from '../fixtures/cost/golden';

/** Case id → first diverging intermediate. Empty: every golden case matches. */
const KNOWN_GAPS: Readonly<Record<string, string>> = {};

/** The winning-CME fields compared key by key (float fields to a relative 1e-9). */
const RESULT_FIELDS = [
  'spatial_mapping_per_level_fractional',
  'spatial_mapping_per_level_int',
  'temporal_mapping_allocated',
  'temporal_mapping_stationary',
  'mac_level_data_stationary_cycle',
  'double_buffer_true',
  'port_activities',
  'mem_updating_window_union_per_port',
  'stall_slack_comb_per_port',
  'data_loading_cc_per_op',
  'data_offloading_cc_per_op',
  'data_loading_individual_part',
  'data_loading_half_shared_part',
  'data_loading_shared_part',
  'ideal_cycle',
  'ideal_temporal_cycle',
  'stall_slack_comb',
  'data_onloading_cycle',
  'data_offloading_cycle',
  'latency_total0',
  'latency_total1',
  'latency_total2',
  'mac_energy',
  'mem_energy',
  'energy_total',
  'mem_energy_breakdown',
  'mem_energy_breakdown_further',
  'memory_word_access',
  'mem_utili_individual',
  'mem_utili_shared',
  'effective_mem_utili_individual',
  'effective_mem_utili_shared',
  'mac_spatial_utilization',
  'mac_utilization0',
  'mac_utilization1',
  'mac_utilization2',
] as const;

/** Order-insensitive for objects, exact for integers, relative 1e-9 for other numbers. */
function firstDifference(actual: unknown, expected: unknown, where: string): string | undefined {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isInteger(expected) && Number.isInteger(actual)) return actual === expected ? undefined : `${where}: ${actual} ≠ ${expected}`;
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)) ? undefined : `${where}: ${actual} ≠ ${expected}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${where}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`;
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${where}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `${where}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    for (const k of [...keys].sort()) {
      const d = firstDifference(a[k], e[k], `${where}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return actual === expected ? undefined : `${where}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`;
}

/** Every difference between our cost of a case and the reference's, first one first. */
function caseDifferences(c: GoldenCase): string[] {
  const diffs: string[] = [];
  const spec = goldenCore(c.core_yaml);
  const core = buildCoreModel(spec);
  const node = goldenComputationNode(c);
  const split = goldenInterCoreSplit(c);
  const options = { dimSizes: c.stream_node.full_dim_sizes, interCoreSplit: split, temporalMappingType: c.temporal_mapping_type, lpfLimit: c.loma_lpf_limit, spatialTop: 5 };
  if (c.layer) {
    const built = layerToRecord(layerFromComputationNode(node, options));
    const { total_mac_count: _mac, ...golden } = c.layer;
    const d = firstDifference({ ...built, total_mac_count: undefined }, { ...golden, total_mac_count: undefined }, 'layer');
    if (d) diffs.push(d);
  }
  const result = estimateNodeCost(node, core, options);
  const record = costResultToRecord(result);
  const entry = c.stream_core_cost_entry;
  if (entry === null) {
    // The reference crashes (broadcast input while building the layer); we give the flagged fallback.
    const sizes = c.stream_node.full_dim_sizes.slice();
    const expected = idealCycleFallback(sizes, c.stream_node.node_type, core, result.failure ?? { kind: 'unsupported-node', message: '', deliberateDifference: true });
    if (!result.fallback || !result.failure?.deliberateDifference) diffs.push('verdict: expected a flagged deliberate-difference fallback');
    if (result.latencyTotal !== expected.latencyTotal) diffs.push(`fallback latency ${result.latencyTotal} ≠ ${expected.latencyTotal}`);
    if (result.energyTotal !== 0) diffs.push('fallback energy must be 0');
    return diffs;
  }
  const verdict = firstDifference(record.stream_core_cost_entry, entry, 'stream_core_cost_entry');
  if (verdict) diffs.push(verdict);
  if (result.fallback !== (entry.backend === 'ideal-cycle')) diffs.push(`fallback flag ${result.fallback} for backend ${entry.backend}`);
  if (c.error !== undefined && result.failure?.referenceError !== undefined && !c.error.startsWith(result.failure.referenceError.split(':')[0])) {
    diffs.push(`raise: ${result.failure.referenceError} ≠ ${c.error.slice(0, 60)}`);
  }
  if (c.spatial_mapping_selected) {
    const d = firstDifference(record.spatial_mapping_selected, c.spatial_mapping_selected, 'spatial_mapping_selected');
    if (d) diffs.push(d);
    for (const key of ['spatial_candidates_count', 'spatial_candidates_tied_at_top', 'spatial_candidates_top5'] as const) {
      const dd = firstDifference(record[key], c[key], key);
      if (dd) diffs.push(dd);
    }
  }
  if (c.result) {
    for (const field of RESULT_FIELDS) {
      const d = firstDifference(record.result?.[field], c.result[field], `result.${field}`);
      if (d) diffs.push(d);
    }
  }
  if (c.loma && record.loma) {
    for (const field of ['lpfs', 'nb_orderings', 'nb_valid_orderings', 'nb_orderings_at_min_latency', 'nb_orderings_at_optimum', 'first_optimum_ordering_index'] as const) {
      const d = firstDifference(record.loma[field], c.loma[field], `loma.${field}`);
      if (d) diffs.push(d);
    }
  }
  return diffs;
}

const cases = zigzagCases();

describe('ZigZag golden parity (zigzag-cases.json)', () => {
  it('holds all 75 cases', () => {
    expect(cases).toHaveLength(75);
  });

  const failing: string[] = [];
  for (const c of cases) {
    const run = KNOWN_GAPS[c.id] !== undefined ? it.failing : it;
    run(c.id, () => {
      const diffs = caseDifferences(c);
      if (diffs.length > 0) failing.push(c.id);
      expect(diffs).toEqual([]);
    });
  }

  it('derives every node\'s dim sizes as Stream does (bare axes, then probed compound axes)', () => {
    for (const c of cases) expect([c.id, deriveNodeDimSizes(goldenComputationNode(c))]).toEqual([c.id, c.stream_node.full_dim_sizes]);
  });

  it('the pruned spatial search (no ranking asked) selects the same mappings', () => {
    for (const c of cases) {
      if (!c.layer || !c.spatial_mapping_selected) continue;
      const core = buildCoreModel(goldenCore(c.core_yaml));
      const layer = layerFromRecord(c.layer);
      const selected = spatialMappingRecord(layer, core.oaDims, generateSpatialMapping(layer, core).selected);
      expect([c.id, selected]).toEqual([c.id, c.spatial_mapping_selected]);
    }
  });

  it('known gaps are exactly the failing cases', () => {
    expect(failing.sort()).toEqual(Object.keys(KNOWN_GAPS).sort());
  });
});
