/** Inputs shared by the DSE specs. */
import * as path from 'path';
import { STREAM_INPUTS } from '../support/reference';

export const REPO = path.resolve(__dirname, '..', '..');
export const hardwareFile = (name: string) => path.join(REPO, 'inputs', 'hardware', `${name}.yaml`);
export const workloadFile = (name: string) => (path.isAbsolute(name) ? name : path.join(REPO, 'inputs', 'workloads', name));

export const TWO_CONV = '2conv_1_8_32_32_16_32_3.onnx';
export const SWIGLU = 'swiglu_256_2048_8192.onnx';
export const RESNET18 = path.join(STREAM_INPUTS, 'examples', 'workload', 'resnet18.onnx');

/** The matrix's fused intra-core tiling of the large SwiGLU (reference-co-pipeline §18.3). */
export const SWIGLU_TILING = [
  { dim: 'Gemm_Left.D1', tile: 128 },
  { dim: 'Gemm_Down.D2', tile: 128 },
  { dim: 'Gemm_Left.D2', tile: 32 },
  { dim: 'Gemm_Left.D0', tile: 16 },
];

/** The eight non-AIE systems of the matrix. */
export const MATRIX_HARDWARE = [
  'eyeriss_like_single_core',
  'eyeriss_like_dual_core',
  'eyeriss_like_quad_core',
  'tpu_like_quad_core',
  'simba_small',
  'simba',
  'fusemax',
  'meta_prototype_dual_core_simd_offchip',
] as const;
