/**
 * The Perfetto trace of a run: structurally valid for ui.perfetto.dev (support/trace-rules.ts), and its
 * slices add up to what the run reports — every group spans its reported latency, groups follow each
 * other up to the total latency, and in every drawn iteration each core is busy for the latency the
 * performance statistics report for its nodes and each link for the cycles the MILP charges its
 * transfers.
 */
import { CoResult } from '../../pipelines/co';
import { runTimeline } from '../../lib/report/timeline';
import { ChromeTrace, CompleteEvent, buildTrace, drawnIterations, formatTrace, microsFromNs, perfettoImportedNs } from '../../lib/report/trace';
import { SWIGLU, TWO_CONV, exampleCase, runExample } from './support/runs';
import { traceProblems } from './support/trace-rules';

const CASES = [
  exampleCase('tpu_like_quad_core.yaml', TWO_CONV),
  exampleCase('tpu_like_quad_core.yaml', SWIGLU),
  exampleCase('simba_small.yaml', TWO_CONV),
  exampleCase('meta_prototype_dual_core_simd_offchip.yaml', SWIGLU),
  exampleCase('tpu_like_quad_core.yaml', 'resnet_dual_residual_1_8_16_16.onnx'),
  exampleCase('tpu_like_quad_core.yaml', 'conv_relu_flatten_gemm_1_8_16_16_16_3_10.onnx'),
];

const traceOf = (result: CoResult, clockHz?: number): ChromeTrace =>
  buildTrace(runTimeline(result.accelerator, result.workload.name, result.groups), clockHz ? { clockHz } : {});

const complete = (trace: ChromeTrace): CompleteEvent[] => trace.traceEvents.filter((e): e is CompleteEvent => e.ph === 'X');
const num = (e: CompleteEvent, key: string): number => {
  const v = e.args[key];
  if (typeof v !== 'number') throw new Error(`${e.name}: args.${key} is not a number`);
  return v;
};
const close = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= tolerance;

describe('Perfetto time base', () => {
  it('picks for every integer nanosecond a microsecond value that Perfetto imports back to exactly it', () => {
    const samples = [...Array.from({ length: 20001 }, (_, i) => i), 1001, 4007, 103546916, 987654321, 2 ** 40 + 7];
    for (const ns of samples) expect(perfettoImportedNs(microsFromNs(ns))).toBe(ns);
    expect(microsFromNs(14344)).toBe(14.344);
  });

  it('draws every iteration of a short group, else the first three and the last', () => {
    expect(drawnIterations(1, 3)).toEqual([0]);
    expect(drawnIterations(4, 3)).toEqual([0, 1, 2, 3]);
    expect(drawnIterations(65536, 3)).toEqual([0, 1, 2, 65535]);
  });
});

describe.each(CASES.map((c) => [c.id, c] as const))('trace of %s', (_id, c) => {
  let result: CoResult;
  let trace: ChromeTrace;
  beforeAll(async () => {
    result = await runExample(c);
    trace = traceOf(result);
  });

  it('follows the structural rules and survives its own JSON text', () => {
    expect(traceProblems(trace)).toEqual([]);
    expect(traceProblems(JSON.parse(formatTrace(trace)))).toEqual([]);
    expect(trace.otherData.clock_hz).toBe(1e9);
    expect(trace.otherData.total_latency_cycles).toBe(result.totalLatency);
  });

  it('places the groups back to back, each spanning its reported latency, up to the total latency', () => {
    const groups = complete(trace).filter((e) => e.cat === 'group');
    expect(groups.map((g) => num(g, 'group'))).toEqual(result.groups.map((g) => g.index));
    let start = 0;
    groups.forEach((g, i) => {
      expect(perfettoImportedNs(g.ts)).toBe(start);
      expect(perfettoImportedNs(g.dur)).toBe(result.groupLatencies[i]);
      start += result.groupLatencies[i];
    });
    expect(start).toBe(result.totalLatency);
    const end = Math.max(...complete(trace).map((e) => perfettoImportedNs(e.ts) + perfettoImportedNs(e.dur)));
    expect(end).toBe(result.totalLatency);
  });

  it('in every drawn iteration, each core is busy for its nodes’ reported latency and each link for its transfers’ MILP cycles', () => {
    const slices = complete(trace);
    for (const g of result.groups) {
      const drawn = drawnIterations(g.solution.iterations, 3);
      const expectedCore = new Map<number, number>();
      for (const n of g.group.nodes) {
        for (const core of n.coreIds) expectedCore.set(core, (expectedCore.get(core) ?? 0) + g.performance.per_node[n.name].latency_cycles);
      }
      const expectedLink = new Map<number, number>();
      for (const x of g.solution.transfers) for (const l of x.route.linksUsed) expectedLink.set(l, (expectedLink.get(l) ?? 0) + x.contribution);

      for (const k of drawn) {
        const mine = slices.filter((e) => e.args.group === g.index && e.args.iteration === k);
        const coreCycles = new Map<number, number>();
        const coreNs = new Map<number, number>();
        for (const e of mine.filter((e) => e.cat === 'compute')) {
          const core = num(e, 'core_id');
          coreCycles.set(core, (coreCycles.get(core) ?? 0) + num(e, 'cycles'));
          coreNs.set(core, (coreNs.get(core) ?? 0) + perfettoImportedNs(e.dur));
        }
        expect(coreCycles).toEqual(expectedCore);
        // At 1 GHz a cycle is a nanosecond: the drawn durations are the cycles.
        for (const [core, cycles] of expectedCore) expect(coreNs.get(core)).toBe(cycles);

        const linkCycles = new Map<number, number>();
        const linkCount = new Map<number, number>();
        for (const e of mine.filter((e) => e.cat === 'transfer')) {
          const link = num(e, 'link_index');
          linkCycles.set(link, (linkCycles.get(link) ?? 0) + num(e, 'cycles'));
          linkCount.set(link, (linkCount.get(link) ?? 0) + 1);
        }
        expect([...linkCycles.keys()].sort()).toEqual([...expectedLink.keys()].filter((l) => (expectedLink.get(l) ?? 0) > 0 || linkCount.has(l)).sort());
        // Amortised transfer cycles are rationals; args keep three decimals.
        for (const [link, cycles] of linkCycles) expect(close(cycles, expectedLink.get(link) ?? 0, 1e-3 * (linkCount.get(link) ?? 1))).toBe(true);
      }
    }
  });

  it('puts every computation and transfer slice inside its group, with tensor, tile, cycles and bytes', () => {
    const groupSpan = new Map(complete(trace).filter((e) => e.cat === 'group').map((e) => [num(e, 'group'), e]));
    for (const e of complete(trace).filter((e) => e.cat === 'compute' || e.cat === 'transfer')) {
      const g = groupSpan.get(num(e, 'group'));
      expect(g).toBeDefined();
      if (!g) continue;
      expect(perfettoImportedNs(e.ts)).toBeGreaterThanOrEqual(perfettoImportedNs(g.ts));
      expect(perfettoImportedNs(e.ts) + perfettoImportedNs(e.dur)).toBeLessThanOrEqual(perfettoImportedNs(g.ts) + perfettoImportedNs(g.dur));
      for (const key of ['tensor', 'tensor_tile_shape', 'cycles', 'bytes']) expect(e.args[key]).toBeDefined();
      if (e.cat === 'compute') expect(e.args.tile).toMatch(/^D0=\d+/);
    }
  });

  it('has a memory counter per core holding data, never above the MILP reservation at the group boundaries', () => {
    const counters = trace.traceEvents.filter((e) => e.ph === 'C');
    const names = new Set(counters.map((e) => e.name));
    const holding = new Set(result.groups.flatMap((g) => g.solution.tensors.filter((t) => t.residentBitsPerCore > 0).flatMap((t) => t.cores)));
    expect(names.size).toBe(holding.size);
    for (const e of counters) {
      if (e.ph !== 'C') continue;
      expect(e.args.live).toBeLessThanOrEqual(e.args.allocated + 1e-9);
    }
  });
});

describe('trace options and lanes', () => {
  it('maps cycles to time with the stated clock', async () => {
    const result = await runExample(CASES[0]);
    const slow = traceOf(result, 5e8);
    expect(slow.otherData.clock_hz).toBe(5e8);
    const group = complete(slow).find((e) => e.cat === 'group');
    expect(group && perfettoImportedNs(group.dur)).toBe(2 * result.totalLatency);
    expect(traceProblems(slow)).toEqual([]);
  });

  it('splits overlapping iterations of a group into lanes, so no thread has overlapping slices', async () => {
    const result = await runExample(CASES[1]);
    const trace = traceOf(result);
    expect(result.groups[0].solution.overlap).toBeGreaterThan(0);
    const lanes = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && / \(lane \d+\)$/.test(e.args.name));
    expect(lanes.length).toBeGreaterThan(0);
    expect(traceProblems(trace)).toEqual([]);
    const elided = complete(trace).find((e) => e.cat === 'elided');
    expect(elided?.args.count).toBe(result.groups[0].solution.iterations - 4);
  });
});
