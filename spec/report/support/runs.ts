/** Pipeline runs on the shipped example inputs, shared by the report specs of one file (memoised per case). */
import * as path from 'path';
import { CoResult, runCo } from '../../../pipelines/co';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const HARDWARE_DIR = path.join(ROOT, 'inputs', 'hardware');
export const WORKLOAD_DIR = path.join(ROOT, 'inputs', 'workloads');

/** The matrix's SwiGLU intra-core tiling (golden `matrix.json`). */
export const SWIGLU_TILING = [
  { dim: 'Gemm_Left.D1', tile: 128 },
  { dim: 'Gemm_Down.D2', tile: 128 },
  { dim: 'Gemm_Left.D2', tile: 32 },
  { dim: 'Gemm_Left.D0', tile: 16 },
] as const;

export interface ExampleCase {
  readonly id: string;
  readonly hardware: string;
  readonly workload: string;
  readonly intraCoreTiling?: readonly { readonly dim: string; readonly tile: number }[];
}

export const TWO_CONV = '2conv_1_8_32_32_16_32_3.onnx';
export const SWIGLU = 'swiglu_256_2048_8192.onnx';

export function exampleCase(hardware: string, workload: string): ExampleCase {
  return {
    id: `${workload.replace(/\.onnx$/, '')}@${hardware.replace(/\.yaml$/, '')}`,
    hardware,
    workload,
    ...(workload === SWIGLU ? { intraCoreTiling: SWIGLU_TILING } : {}),
  };
}

const results = new Map<string, Promise<CoResult>>();

export function runExample(c: ExampleCase): Promise<CoResult> {
  const known = results.get(c.id);
  if (known) return known;
  const run = runCo({
    hardware: path.join(HARDWARE_DIR, c.hardware),
    workload: path.join(WORKLOAD_DIR, c.workload),
    ...(c.intraCoreTiling ? { intraCoreTiling: c.intraCoreTiling } : {}),
  });
  results.set(c.id, run);
  return run;
}
