/**
 * `npm run bench:matrix`: the 16 hardware × workload cells of the reference's test matrix, each run
 * through the CLI in its own process (as the reference's recorded `process_wall_s` was), best of
 * `RUNS` runs. Prints per-cell wall time against the reference's quiet re-run and the ratio, and checks
 * that every cell still gives the golden latency. Runs are cold (no persistent cost cache) and without
 * pictures, which `bench:outputs` measures separately.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GOLDEN_DIR, REPO_ROOT, STREAM_INPUTS, median } from './reference';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Cell {
  readonly id: string;
  readonly hardware: string;
  readonly workload: string;
  readonly arguments: { readonly intra_core_tiling?: readonly { dim: string; tile: number }[] };
  readonly results: { readonly total_latency: number };
  readonly wall_time: { readonly quiet_rerun: { readonly process_wall_s: number } };
}

function runCell(cell: Cell, output: string): { seconds: number; latency: number } {
  const args = [
    path.join(REPO_ROOT, 'bin', 'stream-dse.js'),
    'co',
    '--hardware', path.join(STREAM_INPUTS, cell.hardware),
    '--workload', path.join(STREAM_INPUTS, cell.workload),
    '--inputs-root', STREAM_INPUTS,
    '--output', output,
    '--experiment-id', cell.id,
    '--json',
    '--no-plots',
    '--no-cost-cache',
  ];
  const tiling = cell.arguments.intra_core_tiling;
  if (tiling) args.push('--intra-core-tiling', tiling.map((t) => `${t.dim}=${t.tile}`).join(','));
  const started = process.hrtime.bigint();
  const stdout = execFileSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, latency: JSON.parse(stdout).total_latency };
}

function main(): void {
  const cells: Cell[] = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, 'matrix.json'), 'utf8')).cells;
  const output = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-matrix-'));
  const rows: { id: string; ours: number; reference: number; ratio: number; ok: boolean }[] = [];
  console.log(`| cell | latency | ours (s) | reference (s) | speed-up |`);
  console.log(`|---|---|---|---|---|`);
  for (const cell of cells) {
    const runs = Array.from({ length: RUNS }, () => runCell(cell, output));
    const ours = Math.min(...runs.map((r) => r.seconds));
    const reference = cell.wall_time.quiet_rerun.process_wall_s;
    const ok = runs.every((r) => r.latency === cell.results.total_latency);
    rows.push({ id: cell.id, ours, reference, ratio: reference / ours, ok });
    console.log(`| ${cell.id} | ${runs[0].latency}${ok ? '' : ` (golden ${cell.results.total_latency}!)`} | ${ours.toFixed(3)} | ${reference.toFixed(2)} | ${(reference / ours).toFixed(0)}x |`);
  }
  fs.rmSync(output, { recursive: true, force: true });
  const ratios = rows.map((r) => r.ratio);
  // Wall times move with whatever else the machine runs; the load average says how quiet it was.
  const load = os.loadavg()[0].toFixed(2);
  console.log(`\nmedian speed-up ${median(ratios).toFixed(0)}x (min ${Math.min(...ratios).toFixed(0)}x); slowest cell ${Math.max(...rows.map((r) => r.ours)).toFixed(3)} s; ${rows.filter((r) => r.ok).length}/${rows.length} cells at the golden latency; best of ${RUNS}; load average ${load}`);
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

main();
