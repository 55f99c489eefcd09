/**
 * `npm run bench:dse`: a 256-variant mapping sweep of the large SwiGLU (seq 256, embedding 2048, hidden
 * 8192) on the TPU-like quad core, with the matrix's fused tiling (Gemm_Left.D1=128, Gemm_Down.D2=128,
 * Gemm_Left.D2=32, Gemm_Left.D0=16) as the base mapping, on a worker pool as large as the machine.
 *
 * Prints variants per second, CPU time over wall time (worker threads included: Node's process CPU
 * usage covers every thread) and the speed-up against the reference, which evaluates one variant per
 * full pipeline run: its recorded time for this very case (the matrix cell swiglu × tpu_like_quad_core,
 * quiet re-run, process wall) times the number of variants. The sweep runs three times on the same
 * pool: cold (worker start-up and JIT warm-up included) and warm, each variant costing its own layers,
 * then warm with a persistent cost cache shared by the workers (a fresh directory: the variants of this
 * sweep share costs, as the CLI does by default; no entry comes from an earlier run).
 *
 * Options: `-- --variants N` (default 256), `--threads T`, `--order neighbourhood|random` (default
 * random), `--seed S` (default 1).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DseResult, VariantPool, runOptimizeMapping } from '../pipelines/dse';
import { GOLDEN_DIR, REPO_ROOT } from './reference';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dse-cost-'));

const SWIGLU_TILING = [
  { dim: 'Gemm_Left.D1', tile: 128 },
  { dim: 'Gemm_Down.D2', tile: 128 },
  { dim: 'Gemm_Left.D2', tile: 32 },
  { dim: 'Gemm_Left.D0', tile: 16 },
];
const REFERENCE_CELL = 'swiglu__tpu_like_quad_core';

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The reference's recorded wall time of one CO run of this case, if the golden data is at hand. */
function referenceSecondsPerVariant(): { seconds: number; source: string } | undefined {
  const file = path.join(GOLDEN_DIR, 'matrix.json');
  if (!fs.existsSync(file)) return undefined;
  const cells: { id: string; wall_time: { quiet_rerun: { process_wall_s: number } } }[] = JSON.parse(fs.readFileSync(file, 'utf8')).cells;
  const cell = cells.find((c) => c.id === REFERENCE_CELL);
  return cell && { seconds: cell.wall_time.quiet_rerun.process_wall_s, source: `golden/matrix.json ${REFERENCE_CELL} quiet re-run` };
}

interface Measurement {
  readonly result: DseResult;
  readonly wallS: number;
  readonly cpuS: number;
}

async function measure(run: () => Promise<DseResult>): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await run();
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { result, wallS, cpuS: (used.user + used.system) / 1e6 };
}

function report(label: string, m: Measurement, reference: ReturnType<typeof referenceSecondsPerVariant>): void {
  const n = m.result.results.length;
  const counts = new Map<string, number>();
  for (const r of m.result.results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const line = [
    `${label}: ${n} variants in ${m.wallS.toFixed(2)} s`,
    `${(n / m.wallS).toFixed(1)} variants/s`,
    `CPU ${m.cpuS.toFixed(2)} s, CPU/wall ${(m.cpuS / m.wallS).toFixed(2)}`,
  ];
  if (reference) line.push(`speed-up ×${((n * reference.seconds) / m.wallS).toFixed(0)} vs the reference (${n} × ${reference.seconds} s = ${((n * reference.seconds) / 60).toFixed(1)} min)`);
  console.log(line.join(', '));
  console.log(`  statuses: ${[...counts].map(([s, c]) => `${s} ${c}`).join(', ')}; skipped choice vectors: ${m.result.skipped.length}`);
}

async function main(): Promise<void> {
  const variants = Number(argument('--variants') ?? 256);
  const threads = Number(argument('--threads') ?? os.availableParallelism());
  const order = (argument('--order') ?? 'random') as 'neighbourhood' | 'random';
  const seed = Number(argument('--seed') ?? 1);
  const reference = referenceSecondsPerVariant();
  const options = {
    hardware: path.join(REPO_ROOT, 'inputs', 'hardware', 'tpu_like_quad_core.yaml'),
    workload: path.join(REPO_ROOT, 'inputs', 'workloads', 'swiglu_256_2048_8192.onnx'),
    intraCoreTiling: SWIGLU_TILING,
    maxVariants: variants,
    threads,
    order,
    seed,
  };
  console.log(`bench:dse — SwiGLU 256×2048×8192 on tpu_like_quad_core, ${variants} variants (${order}${order === 'random' ? `, seed ${seed}` : ''}), ${threads} worker threads on ${os.availableParallelism()} cores`);
  if (reference) console.log(`reference: ${reference.seconds} s per variant (${reference.source})`);

  const pool = new VariantPool({ threads });
  try {
    const cold = await measure(() => runOptimizeMapping(options, undefined, { pool }));
    report('cold', cold, reference);
    const warm = await measure(() => runOptimizeMapping(options, undefined, { pool }));
    report('warm', warm, reference);
    const cacheDir = tempDir();
    const cached = await measure(() => runOptimizeMapping({ ...options, costCacheDir: cacheDir }, undefined, { pool }));
    fs.rmSync(cacheDir, { recursive: true, force: true });
    report('warm, shared cost cache', cached, reference);
    const best = warm.result.best;
    const base = warm.result.results[0];
    if (best) {
      console.log(`best: variant #${best.index}, latency ${best.latency} cycles (auto mapping: ${base.latency ?? base.status}), energy ${best.energy?.toExponential(4)} pJ`);
      console.log(`  ${best.variant.changes.join('; ') || 'the auto mapping'}`);
    }
    if (JSON.stringify(warm.result.table) !== JSON.stringify(cold.result.table) || JSON.stringify(cached.result.table) !== JSON.stringify(cold.result.table)) {
      console.log('WARNING: the sweeps gave different tables');
      process.exitCode = 1;
    }
  } finally {
    await pool.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
