/**
 * The files of a CO run directory, built from a result (no I/O here; `writeRunDirectory` writes them
 * all at once):
 *
 *   summary.yaml                    totals, per-group latencies, objectives, solve statistics, utilisations
 *   result.json                     what `--skip-if-exists` reloads: input fingerprint + summary
 *   groups/<i>/mapping.yaml         the generated mapping of group i (auto-mapping path; usable as a hand mapping)
 *   groups/<i>/core_cost_lut.yaml   the cost table of group i
 *   groups/<i>/performance.yaml     per-node latency and utilisation, bottleneck split, memory accesses
 *
 * and, from `reportFiles` (asynchronous: the PNGs are made on libuv's pool):
 *
 *   trace.json                      Perfetto / Chrome trace of the steady-state schedule (lib/report/trace.ts)
 *   plots/<name>.svg|png            workload graph, per-node latency, per group schedule and memory (lib/report/plots)
 *   report.html                     self-contained page: summary, inlined pictures, links to the other files
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { stringify } from 'yaml';
import { toWritableMapping } from '../../lib/mapping/generator/model';
import { writeMappingYaml } from '../../lib/mapping';
import { ReportLink, buildReportHtml } from '../../lib/report/html';
import { ImageFormat, RenderedChart, RunPictures, runChartCount } from '../../lib/report/plots';
import { Summary, formatSummaryYaml } from '../../lib/report/summary';
import { runTimeline } from '../../lib/report/timeline';
import { buildTrace, formatTrace } from '../../lib/report/trace';
import { ProgressEvent } from '../../operators/progress';
import { RunFiles } from '../run-directory';
import { CoOptions } from './options';
import { CoResult, GroupResult } from './index';

export const RESULT_FILE = 'result.json';
const RESULT_VERSION = 1;

/**
 * Identifies a run's inputs: the bytes of every input file and the options that change results.
 * Undefined when an input cannot be read (the front ends then report it properly).
 */
export function inputFingerprint(options: CoOptions): string | undefined {
  const hash = createHash('sha256');
  for (const file of [options.hardware, options.workload, options.mapping]) {
    try {
      hash.update(file === undefined ? '-' : fs.readFileSync(file));
    } catch {
      return undefined;
    }
    hash.update('\0');
  }
  const { hardware: _h, workload: _w, mapping: _m, groupConcurrency: _c, ...rest } = options;
  hash.update(canonicalJson(rest));
  return hash.digest('hex');
}

/** JSON with object keys sorted at every depth, so equal options always hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface SavedRun {
  readonly version: number;
  readonly fingerprint: string;
  readonly summary: Summary;
}

/** The summary of a finished run with the same inputs, if `runDir` holds one. */
export function loadSavedRun(runDir: string, fingerprint: string): Summary | undefined {
  try {
    const saved = JSON.parse(fs.readFileSync(`${runDir}/${RESULT_FILE}`, 'utf8')) as SavedRun;
    return saved.version === RESULT_VERSION && saved.fingerprint === fingerprint ? saved.summary : undefined;
  } catch {
    return undefined;
  }
}

function costTableYaml(g: GroupResult): string {
  const nodes = g.group.nodes.map((n) => ({
    name: n.name,
    layer_dim_sizes: n.perCoreDimSizes,
    cores: [...(g.costs.get(n.name) ?? new Map())].map(([coreId, c]) => ({
      core_id: coreId,
      latency_total: c.latencyTotal,
      ideal_cycle: c.idealCycle,
      ideal_temporal_cycle: c.idealTemporalCycle,
      energy_total: c.energyTotal,
      metadata: { backend: c.backend, fallback: c.fallback, ...(c.failure ? { reason: c.failure.message } : {}) },
    })),
  }));
  return stringify({ nodes }, { lineWidth: 0 });
}

function performanceYaml(g: GroupResult): string {
  return stringify(
    {
      ...g.performance,
      memory_accesses: g.memoryAccesses.cores.map((c) => ({
        core_id: c.coreId,
        read: c.read,
        write: c.write,
        tensors: c.tensors.map((t) => ({ tensor: t.tensor, read: t.read, write: t.write, size_bits: t.sizeBits })),
      })),
    },
    { lineWidth: 0 },
  );
}

export function runFiles(result: CoResult, fingerprint: string | undefined): RunFiles {
  const files = new Map<string, string>();
  files.set('summary.yaml', formatSummaryYaml(result.summary));
  if (fingerprint !== undefined) {
    const saved: SavedRun = { version: RESULT_VERSION, fingerprint, summary: result.summary };
    files.set(RESULT_FILE, `${JSON.stringify(saved, null, 2)}\n`);
  }
  for (const g of result.groups) {
    const dir = `groups/${g.index}`;
    if (g.group.generatedMapping) files.set(`${dir}/mapping.yaml`, writeMappingYaml(toWritableMapping(g.group.generatedMapping)));
    files.set(`${dir}/core_cost_lut.yaml`, costTableYaml(g));
    files.set(`${dir}/performance.yaml`, performanceYaml(g));
  }
  return files;
}

export const TRACE_FILE = 'trace.json';
export const REPORT_FILE = 'report.html';

export interface ReportOptions {
  /** The run directory's name, the report's title. */
  readonly experimentId: string;
  readonly inputs: Pick<CoOptions, 'hardware' | 'workload' | 'mapping'>;
  /** Picture files to write under `plots/`; empty writes none (the report then has no pictures). */
  readonly formats: readonly ImageFormat[];
  /** Draws the pictures (the caller may have drawn the workload graph during the run). */
  readonly pictures?: RunPictures;
  /** Receives the `report` step's progress (one item per picture). */
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface ReportFiles {
  readonly files: RunFiles;
  /** Problems that cost pictures but not the run (rendering failures, chart warnings). */
  readonly warnings: readonly string[];
}

/** The trace, the pictures and `report.html` of a finished run. */
export async function reportFiles(result: CoResult, options: ReportOptions): Promise<ReportFiles> {
  const started = performance.now();
  const emit = options.onProgress ?? (() => undefined);
  emit({ type: 'stage', stage: 'report', phase: 'start' });
  const files = new Map<string, string | Uint8Array>();
  const warnings: string[] = [];
  const timeline = runTimeline(result.accelerator, result.workload.name, result.groups);

  // The pictures first: the trace is written while their PNGs are made.
  let pictures: Promise<RenderedChart[]> = Promise.resolve([]);
  let noChartsReason = 'Pictures were switched off (--no-plots).';
  if (options.formats.length > 0 && options.pictures) {
    const total = runChartCount(timeline);
    let done = 0;
    emit({ type: 'items', stage: 'report', done, total, status: 'pictures' });
    pictures = options.pictures.drawAll(timeline, result, options.formats, () => {
      done += 1;
      emit({ type: 'items', stage: 'report', done, total, status: 'pictures' });
    });
    pictures.catch(() => undefined); // awaited below
  }
  files.set(TRACE_FILE, formatTrace(buildTrace(timeline)));
  let charts: RenderedChart[] = [];
  try {
    charts = await pictures;
  } catch (err) {
    noChartsReason = `Pictures could not be rendered: ${err instanceof Error ? err.message : String(err)}`;
    warnings.push(noChartsReason);
  }
  const chartFiles = new Map<string, string[]>();
  for (const chart of charts) {
    warnings.push(...chart.warnings.map((w) => `${chart.name}: ${w}`));
    const written: string[] = [];
    if (options.formats.includes('svg')) written.push(`plots/${chart.name}.svg`);
    if (options.formats.includes('png') && chart.png) written.push(`plots/${chart.name}.png`);
    for (const file of written) files.set(file, file.endsWith('.svg') ? chart.svg : (chart.png as Uint8Array));
    chartFiles.set(chart.name, written);
  }

  const links: ReportLink[] = [
    { path: 'summary.yaml', description: 'totals and per-group results' },
    { path: TRACE_FILE, description: 'Perfetto / Chrome trace of the steady-state schedule' },
    ...result.groups.flatMap((g) => [
      ...(g.group.generatedMapping ? [{ path: `groups/${g.index}/mapping.yaml`, description: `generated mapping of group ${g.index}` }] : []),
      { path: `groups/${g.index}/core_cost_lut.yaml`, description: `cost table of group ${g.index}` },
      { path: `groups/${g.index}/performance.yaml`, description: `per-node performance and memory accesses of group ${g.index}` },
    ]),
  ];
  const inputs = [
    { label: 'hardware', path: options.inputs.hardware },
    { label: 'workload', path: options.inputs.workload },
    ...(options.inputs.mapping !== undefined ? [{ label: 'mapping', path: options.inputs.mapping }] : []),
  ];
  files.set(
    REPORT_FILE,
    buildReportHtml({ title: options.experimentId, timeline, summary: result.summary, inputs, charts, chartFiles, links, noChartsReason }),
  );
  emit({ type: 'stage', stage: 'report', phase: 'end', elapsedMs: performance.now() - started });
  return { files, warnings };
}
