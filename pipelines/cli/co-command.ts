import { Command, InvalidArgumentError } from 'commander';
import * as path from 'path';
import { InputError } from '../../lib/common/errors';
import { stopOptimisingCompilers } from '../../lib/common/v8-flags';
import { DEFAULT_COST_CACHE_DIR } from '../../lib/cost/cost-store';
import { IMAGE_FORMATS, ImageFormat, RunPictures, createChartRenderer } from '../../lib/report/plots';
import { Summary } from '../../lib/report/summary';
import { InfeasibleScheduleError } from '../../operators/errors';
import { CoOptions, TiledRun, runCo } from '../co';
import { inputFingerprint, loadSavedRun, reportFiles, runFiles } from '../co/outputs';
import { writeRunDirectory } from '../run-directory';
import { CliIO, EXIT, printIssues, processIO } from './io';
import { SolverThread, takePrestartedSolverThread } from '../../operators/solver-thread';
import { createProgressReporter, progressMode } from './progress';

interface CoCommandOptions {
  readonly hardware: string;
  readonly workload: string;
  readonly mapping?: string;
  readonly output: string;
  readonly experimentId?: string;
  readonly skipIfExists?: boolean;
  readonly backend: string;
  readonly intraCoreTiling?: readonly { dim: string; tile: number }[];
  readonly capacityConstraints: boolean;
  readonly mappingType: 'uneven' | 'even';
  readonly json?: boolean;
  readonly inputsRoot?: string;
  readonly plots: boolean;
  readonly formats: readonly ImageFormat[];
  readonly quiet?: boolean;
  /** A directory, or false with `--no-cost-cache`. */
  readonly costCache: string | false;
}

/** `svg,png` → `['svg', 'png']`. */
export function parseImageFormats(value: string): ImageFormat[] {
  const formats = value.split(',').map((f) => f.trim().toLowerCase());
  for (const f of formats) {
    if (!IMAGE_FORMATS.some((known) => known === f)) throw new InvalidArgumentError(`unknown picture format '${f}' (known: ${IMAGE_FORMATS.join(', ')})`);
  }
  return IMAGE_FORMATS.filter((known) => formats.includes(known));
}

/** `Conv1.D0=1,Gemm_Left.D2=32` → `[{dim: 'Conv1.D0', tile: 1}, ...]`. */
export function parseIntraCoreTiling(value: string): { dim: string; tile: number }[] {
  return value.split(',').map((entry) => {
    const match = /^\s*([^=\s]+\.D\d+)\s*=\s*(\d+)\s*$/.exec(entry);
    if (!match || Number(match[2]) <= 0) throw new InvalidArgumentError(`expected NODE.D<n>=<positive tile>, got '${entry}'`);
    return { dim: match[1], tile: Number(match[2]) };
  });
}

/** The reference's default experiment id: `<hardware stem>-<workload stem>-constraint_optimization`. */
export function defaultExperimentId(hardware: string, workload: string): string {
  const stem = (file: string) => path.basename(file).replace(/\.[^.]+$/, '');
  return `${stem(hardware)}-${stem(workload)}-constraint_optimization`;
}

/** A float as Python prints it (`100.0`, `33.33`), as the reference's log lines show shares. */
const pythonFloat = (x: number) => (Number.isInteger(x) ? x.toFixed(1) : String(x));

export function formatLatencies(summary: Summary): string {
  const lines = [`Total latency: ${summary.total_latency}`];
  for (const [key, g] of Object.entries(summary.groups)) lines.push(`  Group ${key.replace('group_', '')}: ${g.latency} (${pythonFloat(g.percentage)}%)`);
  return lines.join('\n');
}

export function coCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('co')
    .description('Layer-fused multi-core schedule of a workload on an accelerator (Stream\'s constraint-optimization flow).')
    .requiredOption('--hardware <file>', 'accelerator YAML')
    .requiredOption('--workload <file>', 'ONNX model')
    .option('--mapping <file>', 'hand-written mapping YAML (default: generated)')
    .option('--output <dir>', 'output directory', 'outputs')
    .option('--experiment-id <id>', 'run directory name (default: <hardware>-<workload>-constraint_optimization)')
    .option('--skip-if-exists', 'reuse a finished run with the same inputs instead of running again')
    .option('--backend <name>', 'MILP solver backend', 'highs')
    .option('--intra-core-tiling <NODE.Dn=SIZE,...>', 'per-core tiles for the generated mapping', parseIntraCoreTiling)
    .option('--no-capacity-constraints', 'switch off the MILP memory-capacity constraints')
    .option('--mapping-type <type>', 'temporal mapping type of the cost model: uneven or even', 'uneven')
    .option('--cost-cache <dir>', 'directory of the persistent cost table, reused across runs', DEFAULT_COST_CACHE_DIR)
    .option('--no-cost-cache', 'keep costs for this run only')
    .option('--inputs-root <dir>', "directory standing for Stream's stream/inputs/ (repository-relative core references)")
    .option('--json', 'print the summary as JSON on stdout, nothing else')
    .option('--no-plots', 'write no pictures (trace.json and report.html are still written)')
    .option('--formats <list>', 'picture formats under plots/: svg, png or both', parseImageFormats, [...IMAGE_FORMATS])
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: CoCommandOptions) => setExitCode(await runCoCommand(opts, io)));
}

async function runCoCommand(opts: CoCommandOptions, io: CliIO): Promise<number> {
  if (opts.mappingType !== 'uneven' && opts.mappingType !== 'even') {
    io.err(`error: --mapping-type must be 'uneven' or 'even', got '${opts.mappingType}'`);
    return EXIT.badInput;
  }
  const options: CoOptions = {
    hardware: opts.hardware,
    workload: opts.workload,
    mapping: opts.mapping,
    intraCoreTiling: opts.intraCoreTiling,
    backend: opts.backend,
    capacityConstraints: opts.capacityConstraints,
    temporalMappingType: opts.mappingType,
    inputsRoot: opts.inputsRoot,
    costCacheDir: opts.costCache === false ? undefined : opts.costCache,
  };
  const runDir = path.join(opts.output, opts.experimentId ?? defaultExperimentId(opts.hardware, opts.workload));
  const show = (summary: Summary) => io.out(opts.json ? JSON.stringify(summary, null, 2) : formatLatencies(summary));
  // bin/stream-dse.js started it, so HiGHS is loaded and warm by the time the run solves.
  const solverThread = takePrestartedSolverThread();
  try {
    const fingerprint = inputFingerprint(options);
    if (opts.skipIfExists && fingerprint !== undefined) {
      const saved = loadSavedRun(runDir, fingerprint);
      if (saved) {
        if (!opts.json && !opts.quiet) io.err(`reusing the finished run in ${runDir}`);
        show(saved);
        return EXIT.ok;
      }
    }
    return await runAndWrite(opts, options, runDir, fingerprint, io, show, solverThread);
  } catch (err) {
    return reportFailure(err, io, runDir);
  } finally {
    void solverThread?.close();
  }
}

/** Up to this many fusion groups (two pictures each), writing a run's outputs is brief (`stopOptimisingCompilers`). */
const BRIEF_TAIL_GROUPS = 32;

async function runAndWrite(
  opts: CoCommandOptions,
  options: CoOptions,
  runDir: string,
  fingerprint: string | undefined,
  io: CliIO,
  show: (summary: Summary) => void,
  solverThread: SolverThread | undefined,
): Promise<number> {
  const formats = opts.plots ? opts.formats : [];
  // Drawn on this thread; the solver thread, idle once the run is solved, rasterises the PNGs.
  const rasterise = solverThread ? (svg: string) => solverThread.rasterise(svg) : undefined;
  const pictures = formats.length > 0 ? new RunPictures(createChartRenderer({ rasterise })) : undefined;
  const tty = io === processIO && process.stderr.isTTY ? process.stderr : undefined;
  const progress = createProgressReporter(progressMode({ quiet: opts.quiet, json: opts.json, tty: tty !== undefined }), io, tty);
  try {
    // The workload graph is drawn while the run waits for its solver.
    const drawGraph = (run: TiledRun) => pictures?.drawGraph({ workload: run.workload, groups: run.groups.map((group) => ({ index: group.index, group })) }, formats);
    const result = await runCo(options, progress.onEvent, { onTiled: drawGraph, solverThread });
    // A prestarted solver thread means bin/stream-dse.js started this process for this one command: what
    // is left of it (pictures, trace, report) runs too briefly for optimised code to pay back.
    if (solverThread && result.groups.length <= BRIEF_TAIL_GROUPS) stopOptimisingCompilers();
    const experimentId = path.basename(runDir);
    // The run's own files are built while the PNGs are made.
    const reporting = reportFiles(result, { experimentId, inputs: options, formats, pictures, onProgress: progress.onEvent });
    reporting.catch(() => undefined); // awaited below, unless building the run's files fails first
    const files = runFiles(result, fingerprint);
    const report = await reporting;
    progress.stop();
    if (!opts.json) {
      printIssues(io, result.warnings);
      for (const w of report.warnings) io.err(`warning: ${w}`);
    }
    writeRunDirectory(runDir, new Map([...files, ...report.files]));
    show(result.summary);
    return EXIT.ok;
  } finally {
    progress.stop();
    pictures?.stop();
  }
}

/** How many of a short resource's largest demand terms the terminal report lists. */
const SHOWN_TERMS = 5;

function reportFailure(err: unknown, io: CliIO, runDir: string): number {
  if (err instanceof InputError) {
    printIssues(io, err.issues);
    return EXIT.badInput;
  }
  if (err instanceof InfeasibleScheduleError) {
    io.err(`infeasible (group ${err.group}): ${err.report.summary}`);
    for (const r of err.report.resources) {
      io.err(`  ${r.resource.label}: ${r.reason}`);
      for (const t of r.unmet?.terms.slice(0, SHOWN_TERMS) ?? []) io.err(`    ${t.label}: ${t.detail}`);
    }
    const reportFile = 'infeasibility_report.json';
    writeRunDirectory(runDir, new Map([[reportFile, `${JSON.stringify(err.report, null, 2)}\n`]]));
    io.err(`  full report: ${path.join(runDir, reportFile)}`);
    return EXIT.infeasible;
  }
  throw err;
}
