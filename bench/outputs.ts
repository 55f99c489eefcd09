/**
 * `npm run bench:outputs`: what the trace, the pictures and the report add to the quick start's wall
 * time (2-conv on the TPU-like quad core), each variant in its own process as a user runs it:
 *
 *   baseline   pipeline + summary and per-group files (the `co` command before trace and pictures)
 *   no-plots   `co --no-plots`: + trace.json and report.html
 *   full       `co` (default): + plots/*.svg and *.png rendered in the worker
 *
 * twice: with the persistent cost table warm (a repeated run, the CLI's default) and without it
 * (`--no-cost-cache`: every cost evaluated, as on a machine's first run). Variants alternate run by run
 * (so load from elsewhere on the machine hits them alike) and the median of `BENCH_RUNS` runs (default
 * 9) is compared. A last part times the report's steps in one process, to show where the time goes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatLatencies } from '../pipelines/cli/co-command';
import { runCo } from '../pipelines/co';
import { inputFingerprint, runFiles } from '../pipelines/co/outputs';
import { writeRunDirectory } from '../pipelines/run-directory';
import { runCharts, renderCharts, startChartRenderer } from '../lib/report/plots';
import { runTimeline } from '../lib/report/timeline';
import { buildTrace, formatTrace } from '../lib/report/trace';
import { DEFAULT_COST_CACHE_DIR } from '../lib/cost/cost-store';
import { REPO_ROOT, median } from './reference';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const HARDWARE = path.join(REPO_ROOT, 'inputs', 'hardware', 'tpu_like_quad_core.yaml');
const WORKLOAD = path.join(REPO_ROOT, 'inputs', 'workloads', '2conv_1_8_32_32_16_32_3.onnx');
const VARIANTS = ['baseline', 'no-plots', 'full'] as const;
type Variant = (typeof VARIANTS)[number];

/** The baseline child: the `co` command as it was before the report outputs. */
async function baselineChild(output: string, costCache: boolean): Promise<void> {
  const options = { hardware: HARDWARE, workload: WORKLOAD, ...(costCache ? { costCacheDir: DEFAULT_COST_CACHE_DIR } : {}) };
  const result = await runCo(options);
  writeRunDirectory(path.join(output, 'baseline'), runFiles(result, inputFingerprint(options)));
  process.stdout.write(`${formatLatencies(result.summary)}\n`);
}

function runVariant(variant: Variant, output: string, costCache: boolean): number {
  const args =
    variant === 'baseline'
      ? [__filename, '--child', output, costCache ? 'cache' : 'no-cache']
      : [
          path.join(REPO_ROOT, 'bin', 'stream-dse.js'),
          'co',
          '--hardware', HARDWARE,
          '--workload', WORKLOAD,
          '--output', output,
          '--experiment-id', variant,
          '--quiet',
          ...(variant === 'no-plots' ? ['--no-plots'] : []),
          ...(costCache ? [] : ['--no-cost-cache']),
        ];
  const started = process.hrtime.bigint();
  const stdout = execFileSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!stdout.startsWith('Total latency: 14344')) throw new Error(`${variant}: unexpected output ${stdout}`);
  return seconds;
}

async function stepsInOneProcess(): Promise<void> {
  const result = await runCo({ hardware: HARDWARE, workload: WORKLOAD, costCacheDir: DEFAULT_COST_CACHE_DIR });
  const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const value = await f();
    return [value, performance.now() - started];
  };
  const [timeline, timelineMs] = await time(() => runTimeline(result.accelerator, result.workload.name, result.groups));
  const [, traceMs] = await time(() => formatTrace(buildTrace(timeline)));
  const [jobs, specsMs] = await time(() => runCharts(timeline, result));
  const renderer = startChartRenderer();
  const [, coldMs] = await time(() => renderCharts(renderer, jobs, ['svg', 'png']));
  const [, warmMs] = await time(() => renderCharts(renderer, jobs, ['svg', 'png']));
  const [, svgMs] = await time(() => renderCharts(renderer, jobs, ['svg']));
  await renderer.close();
  const warmed = startChartRenderer({ warmUp: true });
  const [, firstMs] = await time(() => renderCharts(warmed, jobs.slice(0, 1), ['svg']));
  await warmed.close();
  console.log(`\nIn one process (ms): timeline ${timelineMs.toFixed(1)}, trace ${traceMs.toFixed(1)}, chart specs ${specsMs.toFixed(1)};`);
  console.log(`rendering ${jobs.length} pictures SVG+PNG: ${coldMs.toFixed(0)} from a cold start (worker start, vega load), ${warmMs.toFixed(0)} warm; SVG only warm ${svgMs.toFixed(0)};`);
  console.log(`first picture from a freshly started renderer with warm-up: ${firstMs.toFixed(0)} (worker start + vega load + warm-up + render)`);
}

function compare(costCache: boolean): void {
  const output = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-outputs-'));
  const seconds = new Map<Variant, number[]>(VARIANTS.map((v) => [v, []]));
  runVariant('full', output, costCache); // fills the cost table's disk store and the OS file cache for everyone
  for (let i = 0; i < RUNS; i++) for (const v of VARIANTS) seconds.get(v)?.push(runVariant(v, output, costCache));
  fs.rmSync(output, { recursive: true, force: true });

  const base = median(seconds.get('baseline') ?? []);
  const label = costCache ? 'persistent cost table warm (repeated run)' : '--no-cost-cache (every cost evaluated)';
  console.log(`\nQuick start wall time, ${label}; ${RUNS} runs per variant, alternating (${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}):\n`);
  console.log('| variant | median (s) | min (s) | max (s) | added to baseline (median) |');
  console.log('|---|---|---|---|---|');
  for (const v of VARIANTS) {
    const s = seconds.get(v) ?? [];
    const m = median(s);
    const added = v === 'baseline' ? '' : `${(1000 * (m - base)).toFixed(0)} ms, ${(100 * (m / base - 1)).toFixed(0)} %`;
    console.log(`| ${v} | ${m.toFixed(3)} | ${Math.min(...s).toFixed(3)} | ${Math.max(...s).toFixed(3)} | ${added} |`);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return baselineChild(process.argv[3], process.argv[4] === 'cache');
  compare(true);
  compare(false);
  await stepsInOneProcess();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
