/**
 * ResNet-18 (float32) on tpu_like_quad_core through the generic pipeline, against the reference runs of
 * reference-co-pipeline §18.4 (no golden latency exists; the reference withholds its totals):
 * * with the MILP's memory-capacity constraints off, the run completes in 11 fusion groups, and every
 *   Conv and the Gemm fall back to the ideal-cycle estimate (as do the Relus, MaxPool and
 *   GlobalAveragePool; only the Adds are costed);
 * * with the defaults, group 0 (conv1 → relu → maxpool) is infeasible with the reference's exact
 *   statement. That needs the capacity tiler's tiling of group 0 (ox tile 2, k tile 4) and the report's
 *   per-tensor demand at the shallowest reuse stop; lib/mapping/generator/README.md explains both.
 */
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { loadAccelerator } from '../../lib/hardware';
import { generateGenericMapping } from '../../lib/mapping/generator/generic-generator';
import { expandNormalizations } from '../../lib/workload/analysis/normalization-expansion';
import { loadWorkload } from '../../lib/workload/onnx';
import { runCo } from '../../pipelines/co';
import { InfeasibleScheduleError } from '../../operators/errors';
import { STREAM_INPUTS } from '../support/reference';

const inputs = {
  hardware: path.join(STREAM_INPUTS, 'examples/hardware/tpu_like_quad_core.yaml'),
  workload: path.join(STREAM_INPUTS, 'examples/workload/resnet18.onnx'),
  inputsRoot: STREAM_INPUTS,
};

describe('ResNet-18 on tpu_like_quad_core (generic pipeline, §18.4)', () => {
  it('capacity tiler on group 0: the Relu output counts on the MaxPool core through the Relu (ox unroll 4, no halo)', () => {
    const accelerator = loadAccelerator(inputs.hardware, { inputsRoot: STREAM_INPUTS });
    const workload = loadWorkload(inputs.workload);
    if (isLeft(accelerator) || isLeft(workload)) throw new Error('reference inputs do not load');
    const plan = generateGenericMapping(expandNormalizations(workload.right.workload), accelerator.right.accelerator).groups[0].plan;
    expect(plan.intraCoreTilingSource).toBe('auto-fusion');
    // Seed ox (z4) = 2 of 28 per core; the worst core is always the MaxPool core 4, and k (z6) halves
    // until it fits: Relu output 6 422 528 · (2/28) · (k/64) + MaxPool output 6 422 528 · (k/64) bits.
    expect(plan.capacity.steps.map((s) => [s.dim, s.tile, s.worstOverflow])).toEqual([
      [6, 32, 3_440_640 - 524_288],
      [6, 16, 1_720_320 - 524_288],
      [6, 8, 860_160 - 524_288],
      [6, 4, 430_080 - 524_288],
    ]);
    expect(plan.capacity.footprints.find((f) => f.coreId === 4)).toEqual({ coreId: 4, bits: 430_080, budget: 524_288 });
  });

  it('completes in 11 groups without the memory-capacity constraints, every Conv/Gemm on the ideal-cycle fallback', async () => {
    const result = await runCo({ ...inputs, capacityConstraints: false });
    expect(result.groups).toHaveLength(11);
    expect(result.groupLatencies.every((l) => l > 0)).toBe(true);

    const costed = result.groups.flatMap((g) =>
      [...g.costs].flatMap(([node, perCore]) => [...perCore].map(([core, cost]) => ({ type: g.group.nodes.find((n) => n.name === node)!.type, core, cost }))),
    );
    const byType = (type: string) => costed.filter((c) => c.type === type);
    expect(byType('Conv')).toHaveLength(20 * 4);
    expect(byType('Gemm')).toHaveLength(4);
    for (const { cost } of [...byType('Conv'), ...byType('Gemm')]) {
      expect(cost).toMatchObject({ fallback: true, backend: 'ideal-cycle' });
      expect(cost.failure?.referenceError).toBe('ValueError: max() arg is an empty sequence');
    }
    for (const type of ['Relu', 'MaxPool', 'GlobalAveragePool']) {
      expect(byType(type).length).toBeGreaterThan(0);
      for (const { cost } of byType(type)) expect(cost.fallback).toBe(true);
    }
    for (const { cost } of byType('Add')) expect(cost.fallback).toBe(false);

    // The capacity tiler's tiling of group 0 (per-core tiles): ox 2 from the automatic fusion tiling, k 4.
    expect(result.generatedMapping!.groups[0].plan.mapping.fusedGroups[0].intraCoreTiling).toEqual([
      { dim: '/conv1/Conv.D1', tile: 2 },
      { dim: '/conv1/Conv.D6', tile: 4 },
    ]);
    expect(result.groups[0].solution.iterations).toBe(14 * 16);
  });

  it('is infeasible in group 0 on Core 4 with the reference statement', async () => {
    const failure = await runCo(inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(InfeasibleScheduleError);
    const { group, report } = failure as InfeasibleScheduleError;
    expect(group).toBe(0);
    expect(report.nature).toBe('capacity');
    expect(report.summary).toBe(
      'Infeasible mapping — Core 4: tensors resident on Core 4 need 490.0 KB, but the on-chip memory of Core 4 is 128.0 KB (short by 362.0 KB)',
    );
    // 490.0 KB = 4 014 080 bits: the MaxPool core holds the Relu output it reads through its window (full
    // 112 × 112, four channels) and its own output, each double-buffered at reuse stop −1.
    const unmet = report.resources[0]!.unmet!;
    expect(unmet.demandBits).toBe(4_014_080);
    expect(unmet.terms.map((t) => [t.label, t.bits])).toEqual([
      ['/relu/Relu_output_0_1', 2 * 4 * 112 * 112 * 32],
      ['/maxpool/MaxPool_output_0_1', 2 * 4 * 56 * 56 * 32],
    ]);
  });
});
