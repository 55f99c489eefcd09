/**
 * Per-core cost model benchmark: every case of the reference's `golden/zigzag-cases.json` is costed
 * from its Stream node (layer build + spatial mapping + LOMA + re-costing, the work the reference's
 * recorded `wall_time_s` covers; the core is parsed beforehand, as in the reference), and our time is
 * compared with the reference's.
 *
 * Like the reference's measurement (one warm process, a warm-up call, the median of repeats), but
 * warm for a JIT: every case is first run `--warmup` times (default 5) in one pass over all cases,
 * so that V8 has compiled the kernels, then each case is timed as the median of `--repeats` runs
 * (default 9). No cache is involved. Usage:
 * `npm run bench:cost [-- --repeats N] [--warmup N] [--filter TEXT]`; the reference data directory
 * is `$STREAM_REFERENCE_DIR` (default: `shared/reference` beside the repository).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { loadCoreFile } from '../lib/hardware/core';
import { buildCoreModel } from '../lib/cost/core-model';
import { estimateNodeCost } from '../lib/cost/estimate';
import { computationNodeFromRecord, interCoreSplitFromRecord, type StreamNodeRecord } from '../lib/cost/node-record';

interface BenchCase {
  readonly id: string;
  readonly core_yaml: string;
  readonly temporal_mapping_type: 'uneven' | 'even';
  readonly loma_lpf_limit: number;
  readonly stream_node: StreamNodeRecord & { readonly full_dim_sizes: readonly number[] };
  readonly stream_core_cost_entry: { readonly latency_total: number } | null;
  readonly wall_time_s: number;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): number {
  // Beside the repository (as the specs find it), or $STREAM_REFERENCE_DIR.
  const referenceDir = process.env.STREAM_REFERENCE_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'reference');
  const goldenFile = path.join(referenceDir, 'golden', 'zigzag-cases.json');
  if (!fs.existsSync(goldenFile)) {
    process.stderr.write(`bench:cost: ${goldenFile} not found (set STREAM_REFERENCE_DIR)\n`);
    return 2;
  }
  const repeats = Number(argument('--repeats') ?? 9);
  const warmup = Number(argument('--warmup') ?? 5);
  const filter = argument('--filter');
  const cases = (JSON.parse(fs.readFileSync(goldenFile, 'utf8')) as { cases: BenchCase[] }).cases.filter((c) => !filter || c.id.includes(filter));
  const prepared: { c: BenchCase; run: () => ReturnType<typeof estimateNodeCost> }[] = [];
  for (const c of cases) {
    const loaded = loadCoreFile(path.join(referenceDir, 'stream-inputs', c.core_yaml));
    if (isLeft(loaded) || loaded.right.namespace !== 'zigzag') {
      process.stderr.write(`bench:cost: cannot load ${c.core_yaml}\n`);
      return 2;
    }
    const core = buildCoreModel(loaded.right);
    const node = computationNodeFromRecord(c.id, c.stream_node);
    const options = {
      dimSizes: c.stream_node.full_dim_sizes,
      interCoreSplit: interCoreSplitFromRecord(c.stream_node),
      temporalMappingType: c.temporal_mapping_type,
      lpfLimit: c.loma_lpf_limit,
    };
    prepared.push({ c, run: () => estimateNodeCost(node, core, options) });
  }
  for (let w = 0; w < warmup; w++) for (const p of prepared) p.run();
  const rows: { id: string; oursMs: number; refMs: number; ratio: number; ok: boolean }[] = [];
  for (const { c, run } of prepared) {
    const warm = run();
    const times: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = process.hrtime.bigint();
      run();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const oursMs = median(times);
    const refMs = c.wall_time_s * 1000;
    const ok = c.stream_core_cost_entry === null ? warm.fallback : warm.latencyTotal === c.stream_core_cost_entry.latency_total;
    rows.push({ id: c.id, oursMs, refMs, ratio: refMs / oursMs, ok });
  }
  const idWidth = Math.max(...rows.map((r) => r.id.length), 4);
  const line = (a: string, b: string, c: string, d: string, e: string) => `${a.padEnd(idWidth)}  ${b.padStart(10)}  ${c.padStart(10)}  ${d.padStart(9)}  ${e}`;
  process.stdout.write(`${line('case', 'ours ms', 'ref ms', 'speed-up', 'latency')}\n`);
  for (const r of rows) {
    process.stdout.write(`${line(r.id, r.oursMs.toFixed(3), r.refMs.toFixed(1), `${r.ratio.toFixed(0)}x`, r.ok ? 'matches' : 'DIFFERS')}\n`);
  }
  const slowest = rows.reduce((a, b) => (b.oursMs > a.oursMs ? b : a), rows[0]);
  process.stdout.write(
    `\n${rows.length} cases; median ours ${median(rows.map((r) => r.oursMs)).toFixed(3)} ms vs reference ${median(rows.map((r) => r.refMs)).toFixed(1)} ms; ` +
      `median speed-up ${median(rows.map((r) => r.ratio)).toFixed(0)}x; slowest case ${slowest.id} ${slowest.oursMs.toFixed(2)} ms; ` +
      `${rows.filter((r) => !r.ok).length} latency differences\n`,
  );
  return rows.every((r) => r.ok) ? 0 : 1;
}

process.exitCode = main();
