/**
 * `npm run bench:outputs`: what the trace, the pictures and the report add to the quick start's wall
 * time (2-conv on the TPU-like quad core), each variant in its own process as a user runs it, and every
 * run a first run as far as the pictures go (nothing of them survives a process: Plot loads and warms
 * up anew each time):
 *
 *   no-plots   `co --no-plots`: pipeline, summary and per-group files, trace.json and report.html
 *   svg        `co --formats svg`: + plots/*.svg
 *   full       `co` (default): + plots/*.svg and *.png
 *
 * twice: with the persistent cost table warm (a repeated run, the CLI's default) and without it
 * (`--no-cost-cache`: every cost evaluated, as on a machine's first run). `BENCH_RUNS` rounds (default
 * 31: single runs vary by ±10 % on a shared machine) each run the three variants one after the other,
 * in a random order, so that load from elsewhere on the machine hits them alike. The `co` command has
 * no switch for "neither trace nor report", so the baseline is `--no-plots` less what writing the trace
 * and the report costs, timed cold in processes of their own; what pictures and trace add is each
 * variant less that baseline: the median of each round's share (its variant against its own
 * baseline run), with the quartiles and the median's 95 % bootstrap interval, and beside it the
 * variants' median times. A last part times the pictures in one process, to show where the time goes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCo } from '../pipelines/co';
import { reportFiles } from '../pipelines/co/outputs';
import { createChartRenderer, renderCharts, runCharts } from '../lib/report/plots';
import { runTimeline } from '../lib/report/timeline';
import { DEFAULT_COST_CACHE_DIR } from '../lib/cost/cost-store';
import { REPO_ROOT, median } from './reference';

const RUNS = Number(process.env.BENCH_RUNS ?? 31);
const HARDWARE = path.join(REPO_ROOT, 'inputs', 'hardware', 'tpu_like_quad_core.yaml');
const WORKLOAD = path.join(REPO_ROOT, 'inputs', 'workloads', '2conv_1_8_32_32_16_32_3.onnx');
const VARIANTS = ['no-plots', 'svg', 'full'] as const;
type Variant = (typeof VARIANTS)[number];

function runVariant(variant: Variant, output: string, costCache: boolean): number {
  const args = [
    path.join(REPO_ROOT, 'bin', 'stream-dse.js'),
    'co',
    '--hardware', HARDWARE,
    '--workload', WORKLOAD,
    '--output', output,
    '--experiment-id', variant,
    '--quiet',
    ...(variant === 'no-plots' ? ['--no-plots'] : variant === 'svg' ? ['--formats', 'svg'] : []),
    ...(costCache ? [] : ['--no-cost-cache']),
  ];
  const started = process.hrtime.bigint();
  const stdout = execFileSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!stdout.startsWith('Total latency: 14344')) throw new Error(`${variant}: unexpected output ${stdout}`);
  return seconds;
}

const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await f();
  return [value, performance.now() - started];
};

/** In a process of its own (`--report-child`): the trace and the report without pictures, cold, in ms. */
async function reportChild(): Promise<void> {
  const result = await runCo({ hardware: HARDWARE, workload: WORKLOAD, costCacheDir: DEFAULT_COST_CACHE_DIR });
  const [, ms] = await time(() => reportFiles(result, { experimentId: 'bench', inputs: { hardware: HARDWARE, workload: WORKLOAD }, formats: [] }));
  process.stdout.write(`${ms}\n`);
}

function traceAndReportMs(): number {
  return median(Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, [__filename, '--report-child'], { encoding: 'utf8' }))));
}

async function stepsInOneProcess(): Promise<void> {
  const result = await runCo({ hardware: HARDWARE, workload: WORKLOAD, costCacheDir: DEFAULT_COST_CACHE_DIR });
  const timeline = runTimeline(result.accelerator, result.workload.name, result.groups);
  const jobs = runCharts(timeline, result);
  const renderer = createChartRenderer();
  const [, coldMs] = await time(() => renderCharts(renderer, jobs, ['svg']));
  const [, warmMs] = await time(() => renderCharts(renderer, jobs, ['svg']));
  const [, pngMs] = await time(() => renderCharts(renderer, jobs, ['svg', 'png']));
  console.log(`\nIn one process (ms), the ${jobs.length} pictures as SVG: ${coldMs.toFixed(0)} the first time (Plot load, first charts),`);
  console.log(`${warmMs.toFixed(0)} again; SVG + PNG, warm: ${pngMs.toFixed(0)}.`);
}

/** The `p`-quantile of `values` (nearest rank). */
function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.round(p * (sorted.length - 1))];
}

/**
 * The 95 % interval of the median of `values` (percentile bootstrap, 2000 resamples with a fixed
 * seed): how far the headline could move if the benchmark were run again on the same machine.
 */
function medianInterval(values: readonly number[]): [number, number] {
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const medians = Array.from({ length: 2000 }, () => median(values.map(() => values[Math.floor(random() * values.length)])));
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

function compare(costCache: boolean, reportMs: number): void {
  const output = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-outputs-'));
  const rounds: Record<Variant, number>[] = [];
  runVariant('full', output, costCache); // fills the cost table's disk store and the OS file cache for everyone
  for (let i = 0; i < RUNS; i++) {
    const round = {} as Record<Variant, number>;
    const order = VARIANTS.map((v) => ({ v, key: Math.random() })).sort((a, b) => a.key - b.key);
    for (const { v } of order) round[v] = runVariant(v, output, costCache);
    rounds.push(round);
  }
  fs.rmSync(output, { recursive: true, force: true });

  const baselineOf = (round: Record<Variant, number>) => round['no-plots'] - reportMs / 1000;
  const base = median(rounds.map(baselineOf));
  const label = costCache ? 'persistent cost table warm (repeated run)' : '--no-cost-cache (every cost evaluated)';
  console.log(`\nQuick start wall time, ${label}; ${RUNS} rounds of the three variants in random order (${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}):\n`);
  console.log("| variant | median (s) | min (s) | max (s) | added to the baseline: median of the rounds (quartiles; the median's 95 % interval) |");
  console.log('|---|---|---|---|---|');
  console.log(`| baseline (no-plots − trace and report) | ${base.toFixed(3)} | | | |`);
  for (const v of VARIANTS) {
    const s = rounds.map((r) => r[v]);
    const added = rounds.map((r) => r[v] - baselineOf(r));
    const share = rounds.map((r) => r[v] / baselineOf(r) - 1);
    const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
    const [low, high] = medianInterval(share);
    console.log(
      `| ${v} | ${median(s).toFixed(3)} | ${Math.min(...s).toFixed(3)} | ${Math.max(...s).toFixed(3)} | ${(1000 * median(added)).toFixed(0)} ms, **${pct(median(share))}** (${pct(quantile(share, 0.25))} – ${pct(quantile(share, 0.75))}; ${pct(low)} – ${pct(high)}) |`,
    );
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--report-child') return reportChild();
  const reportMs = traceAndReportMs();
  console.log(`trace.json and report.html without pictures, cold, in processes of their own: ${reportMs.toFixed(1)} ms (median of 5)`);
  compare(true, reportMs);
  compare(false, reportMs);
  await stepsInOneProcess();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
