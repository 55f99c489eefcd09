/**
 * Golden parity of the whole CO pipeline (ONNX → mapping → tiling → our cost model → scheduler → MILP)
 * on every case the reference was run on: the 16 hardware × workload matrix cells, the README quick
 * start and the hand-mapping case. Besides the results, the intermediates recorded in the golden files
 * are compared stage by stage (mapping, cost table, timeslots), so that a mismatch points at its stage.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { toMappingYamlData } from '../../lib/mapping/generator/model';
import { PerformanceStats } from '../../lib/report/performance';
import { CoResult, runCo } from '../../pipelines/co';
import { GOLDEN_DIR, STREAM_INPUTS } from '../support/reference';

interface GoldenCase {
  readonly id: string;
  readonly hardware: string;
  readonly workload: string;
  readonly mapping: string | null;
  readonly arguments: { readonly intra_core_tiling?: readonly { dim: string; tile: number }[] };
  readonly results: {
    readonly group_latencies: Readonly<Record<string, number>>;
    readonly scheduler_latency_total_per_group: readonly number[];
    readonly mac_spatial_utilization: number;
    readonly end_to_end_mac_utilization: number;
    readonly zigzag_fallback_nodes: readonly string[];
  };
  readonly groups: readonly {
    readonly latency: number;
    readonly latency_per_iteration: number;
    readonly iterations: number;
    readonly overlap: number;
    readonly lexicographic_objectives: { latency_level: number; offchip_traffic_level: number; buffering_level: number };
    readonly mapping_yaml: string | null;
    readonly cost_table: readonly { node: string; core_id: number; latency_total: number; energy_total: number; ideal_cycle: number; backend: string }[];
    readonly timeslots: readonly { slot: number; slot_latency: number; members: readonly { name: string }[] }[];
    readonly performance_stats: Pick<PerformanceStats, 'per_node' | 'bottleneck' | 'aggregate'>;
  }[];
}

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8'));
const CASES: readonly GoldenCase[] = [
  ...(read('matrix.json').cells as GoldenCase[]),
  { ...(read('quickstart.json').case as GoldenCase), id: 'quickstart' },
  { ...(read('hand_mapping_two_conv.json').case as GoldenCase), id: 'hand_mapping_two_conv' },
];

const close = (actual: number, expected: number) => Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

describe.each(CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  let result: CoResult;
  beforeAll(async () => {
    result = await runCo({
      hardware: path.join(STREAM_INPUTS, c.hardware),
      workload: path.join(STREAM_INPUTS, c.workload),
      mapping: c.mapping ? path.join(STREAM_INPUTS, c.mapping) : undefined,
      intraCoreTiling: c.arguments.intra_core_tiling,
      inputsRoot: STREAM_INPUTS,
    });
  });

  it('total latency and group latencies', () => {
    const expected = c.results.scheduler_latency_total_per_group;
    expect(result.groupLatencies).toEqual(expected);
    expect(result.totalLatency).toBe(expected.reduce((s, l) => s + l, 0));
  });

  it('per group: latency per iteration, iterations, overlap (unique when N > 1) and the three objective levels', () => {
    expect(result.groups.map((g) => g.solution)).toHaveLength(c.groups.length);
    c.groups.forEach((golden, i) => {
      const s = result.groups[i].solution;
      expect({ perIteration: s.latencyPerIteration, iterations: s.iterations, objectives: s.objectives }).toEqual({
        perIteration: golden.latency_per_iteration,
        iterations: golden.iterations,
        objectives: {
          latency: golden.lexicographic_objectives.latency_level,
          offchipTraffic: golden.lexicographic_objectives.offchip_traffic_level,
          buffering: golden.lexicographic_objectives.buffering_level,
        },
      });
      if (golden.iterations > 1) expect(s.overlap).toBe(golden.overlap);
    });
  });

  it('mapping stage: the generated mapping equals the golden one', () => {
    c.groups.forEach((golden, i) => {
      const ours = result.groups[i].group.generatedMapping;
      if (golden.mapping_yaml === null) return expect(ours).toBeUndefined();
      if (!ours) throw new Error('no generated mapping');
      expect(toMappingYamlData(ours)).toEqual(parse(golden.mapping_yaml));
    });
  });

  it('cost stage: every (node, core) latency, ideal cycles and backend; energies to 1e-9', () => {
    c.groups.forEach((golden, i) => {
      const costs = result.groups[i].costs;
      for (const row of golden.cost_table) {
        const ours = costs.get(row.node)?.get(row.core_id);
        expect({ node: row.node, core: row.core_id, latency: ours?.latencyTotal, ideal: ours?.idealCycle, backend: ours?.backend }).toEqual({
          node: row.node,
          core: row.core_id,
          latency: row.latency_total,
          ideal: row.ideal_cycle,
          backend: row.backend,
        });
        expect(close(ours?.energyTotal ?? NaN, row.energy_total)).toBe(true);
      }
    });
  });

  it('scheduling stage: slot latencies and slot members', () => {
    c.groups.forEach((golden, i) => {
      const g = result.groups[i];
      expect(g.solution.slotLatencies).toEqual(golden.timeslots.map((s) => s.slot_latency));
      expect(g.schedule.timeslots.slots.map((names) => [...names].sort())).toEqual(golden.timeslots.map((s) => s.members.map((m) => m.name).sort()));
    });
  });

  it('performance statistics: per node, compute- vs transfer-bound cycles, aggregates (fractions to 1e-9)', () => {
    // Integers and flags compared exactly, fractions with `close`.
    const split = (o: object) => {
      const exact: Record<string, unknown> = {};
      const fractions: Record<string, number | null> = {};
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'number' && !Number.isInteger(v)) fractions[k] = v;
        else if (v === null && /utili[sz]ation|efficiency/.test(k)) fractions[k] = null;
        else exact[k] = v;
      }
      return { exact, fractions };
    };
    const expectSame = (ours: object, golden: object, what: string) => {
      const [o, g] = [split(ours), split(golden)];
      expect({ what, ...o.exact }).toEqual({ what, ...g.exact });
      expect({ what, fractions: Object.keys(o.fractions).sort() }).toEqual({ what, fractions: Object.keys(g.fractions).sort() });
      for (const [k, v] of Object.entries(g.fractions)) {
        const mine = o.fractions[k];
        expect({ what: `${what}.${k}`, same: v === null ? mine === null : mine !== null && close(mine, v) }).toEqual({ what: `${what}.${k}`, same: true });
      }
    };
    c.groups.forEach((golden, i) => {
      const ours = result.groups[i].performance;
      const expected = golden.performance_stats;
      expect(Object.keys(ours.per_node).sort()).toEqual(Object.keys(expected.per_node).sort());
      for (const [node, stats] of Object.entries(expected.per_node)) expectSame(ours.per_node[node], stats, `group ${i} ${node}`);
      expectSame(ours.bottleneck, expected.bottleneck, `group ${i} bottleneck`);
      expectSame(ours.aggregate, expected.aggregate, `group ${i} aggregate`);
    });
  });

  it('statistics: MAC utilisations and fallback nodes', () => {
    const last = result.groups[result.groups.length - 1].performance.aggregate;
    expect(close(last.latency_weighted_mac_spatial_utilization ?? NaN, c.results.mac_spatial_utilization)).toBe(true);
    expect(close(last.end_to_end_mac_utilization ?? NaN, c.results.end_to_end_mac_utilization)).toBe(true);
    expect([...result.summary.groups[`group_${result.groups.length - 1}`].zigzag_fallback_nodes].sort()).toEqual([...c.results.zigzag_fallback_nodes].sort());
  });
});
