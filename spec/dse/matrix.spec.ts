/**
 * The sweep on every example of the matrix (8 systems × 2-conv and the large SwiGLU) and on ResNet-18:
 * a few variants each, on one shared pool. Variant 0 (the auto mapping, run through the hand-mapping
 * path) reproduces the golden latency of the generic run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { runCo } from '../../pipelines/co';
import { VariantPool, runOptimizeMapping } from '../../pipelines/dse';
import { GOLDEN_DIR } from '../support/reference';
import { MATRIX_HARDWARE, RESNET18, SWIGLU, SWIGLU_TILING, TWO_CONV, hardwareFile, workloadFile } from './support';

jest.setTimeout(120_000);

interface Cell {
  readonly id: string;
  readonly hardware: string;
  readonly results: { readonly total_latency: number };
}
const cells: readonly Cell[] = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, 'matrix.json'), 'utf8')).cells;
const golden = (hardware: string, workload: 'two_conv' | 'swiglu') =>
  cells.find((c) => c.id.startsWith(`${workload}__`) && path.basename(c.hardware, '.yaml') === hardware)!.results.total_latency;

const VARIANTS = 3;

let pool: VariantPool;
beforeAll(() => {
  pool = new VariantPool({ threads: 2 });
});
afterAll(async () => {
  await pool.close();
});

describe.each(MATRIX_HARDWARE.map((h) => [h]))('%s', (hardware) => {
  it.each([
    ['two_conv', TWO_CONV, undefined],
    ['swiglu', SWIGLU, SWIGLU_TILING],
  ] as const)('%s: the sweep completes and variant 0 gives the golden latency', async (kind, workload, tiling) => {
    const result = await runOptimizeMapping({ hardware: hardwareFile(hardware), workload: workloadFile(workload), intraCoreTiling: tiling, maxVariants: VARIANTS }, undefined, { pool });
    expect(result.results.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(result.results[0]).toMatchObject({ status: 'ok', latency: golden(hardware, kind) });
    expect(result.best!.latency).toBeLessThanOrEqual(golden(hardware, kind));
    expect(result.results.every((r) => r.status === 'ok' || r.reason)).toBe(true);
  });
});

it('ResNet-18 (11 fusion groups) without memory-capacity constraints: variant 0 equals the generic run', async () => {
  const result = await runOptimizeMapping(
    { hardware: hardwareFile('tpu_like_quad_core'), workload: RESNET18, maxVariants: VARIANTS, capacityConstraints: false, seed: 2 },
    undefined,
    { pool },
  );
  const generic = await runCo({ hardware: hardwareFile('tpu_like_quad_core'), workload: RESNET18, capacityConstraints: false });
  expect(result.results[0]).toMatchObject({ status: 'ok', latency: generic.totalLatency, groupLatencies: generic.groupLatencies });
  expect(generic.groupLatencies).toHaveLength(11);
  expect(result.best).toBeDefined();
  expect(result.space?.granularity).toBe('operator-type');
});
