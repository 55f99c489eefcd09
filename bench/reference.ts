/** Locations shared by the benchmarks: the repository root and the reference data beside it. */
import * as path from 'path';

/** Benchmarks run from `dist/bench/`. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const REFERENCE_DIR = process.env.STREAM_REFERENCE_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'reference');
export const STREAM_INPUTS = path.join(REFERENCE_DIR, 'stream-inputs');
export const GOLDEN_DIR = path.join(REFERENCE_DIR, 'golden');

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
