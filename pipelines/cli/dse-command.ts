import { Command, InvalidArgumentError } from 'commander';
import * as path from 'path';
import { InputError } from '../../lib/common/errors';
import { DseResult, runOptimizeMapping } from '../dse';
import { DEFAULT_COST_CACHE_DIR } from '../../lib/cost/cost-store';
import { IMAGE_FORMATS, ImageFormat, RunPictures, createChartRenderer } from '../../lib/report/plots';
import { reportFiles } from '../co/outputs';
import { dseFiles, dsePlotFiles, sweepPlotTitle } from '../dse/outputs';
import { DseOptions } from '../dse/options';
import { writeRunDirectory } from '../run-directory';
import { parseImageFormats, parseIntraCoreTiling } from './co-command';
import { CliIO, EXIT, printIssues, processIO } from './io';
import { createProgressReporter, progressMode } from './progress';

interface DseCommandOptions {
  readonly hardware: string;
  readonly workload: string;
  readonly maxVariants?: number;
  readonly concurrency?: number;
  readonly threads?: number;
  readonly seed?: number;
  readonly order?: string;
  readonly granularity?: string;
  readonly intraCoreTiling?: readonly { dim: string; tile: number }[];
  readonly output: string;
  readonly experimentId?: string;
  readonly backend: string;
  readonly capacityConstraints: boolean;
  readonly inputsRoot?: string;
  readonly json?: boolean;
  readonly plots: boolean;
  readonly formats: readonly ImageFormat[];
  readonly quiet?: boolean;
  /** A directory, or false with `--no-cost-cache`. */
  readonly costCache: string | false;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  return n;
}

export function defaultDseExperimentId(hardware: string, workload: string): string {
  const stem = (file: string) => path.basename(file).replace(/\.[^.]+$/, '');
  return `${stem(hardware)}-${stem(workload)}-dse`;
}

/** The `--json` object. */
export function dseJsonSummary(result: DseResult, runDir: string) {
  return {
    variants_evaluated: result.results.length,
    best_variant: result.best?.index ?? null,
    best_latency: result.best?.latency ?? null,
    best_energy: result.best?.energy ?? null,
    best_changes: result.best?.variant.changes ?? [],
    failed: result.results.filter((r) => r.status !== 'ok').length,
    skipped: result.skipped.length,
    output: runDir,
  };
}

export function dseCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('dse')
    .description('Mapping design-space exploration: evaluate mapping variants in parallel and keep the best schedule.')
    .requiredOption('--hardware <file>', 'accelerator YAML')
    .requiredOption('--workload <file>', 'ONNX model')
    .option('--max-variants <n>', 'variants to evaluate at most (variant 0 = the auto mapping)', positiveInt)
    .option('--concurrency <k>', 'variants in flight at once (default: threads)', positiveInt)
    .option('--threads <t>', 'worker threads (default: available cores)', positiveInt)
    .option('--seed <s>', 'sample the space at random with this seed (default: nearest variants first)', nonNegativeInt)
    .option('--order <order>', 'neighbourhood or random')
    .option('--granularity <g>', 'allocation axes per node or per operator-type')
    .option('--intra-core-tiling <NODE.Dn=SIZE,...>', 'per-core tiles of the base mapping', parseIntraCoreTiling)
    .option('--output <dir>', 'output directory', 'outputs')
    .option('--experiment-id <id>', 'run directory name (default: <hardware>-<workload>-dse)')
    .option('--backend <name>', 'MILP solver backend', 'highs')
    .option('--no-capacity-constraints', 'switch off the MILP memory-capacity constraints')
    .option('--inputs-root <dir>', "directory standing for Stream's stream/inputs/ (repository-relative core references)")
    .option('--cost-cache <dir>', 'directory of the persistent cost table, shared by all variants and reused across runs', DEFAULT_COST_CACHE_DIR)
    .option('--no-cost-cache', 'keep costs for each variant run only')
    .option('--json', 'print one JSON object on stdout, nothing else')
    .option('--no-plots', 'write no pictures (the sweep plot spec, trace.json and best/report.html are still written)')
    .option('--formats <list>', 'picture formats: svg, png or both', parseImageFormats, [...IMAGE_FORMATS])
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: DseCommandOptions) => setExitCode(await runDseCommand(opts, io)));
}

async function runDseCommand(opts: DseCommandOptions, io: CliIO): Promise<number> {
  if (opts.order !== undefined && opts.order !== 'neighbourhood' && opts.order !== 'random') {
    io.err(`error: --order must be 'neighbourhood' or 'random', got '${opts.order}'`);
    return EXIT.badInput;
  }
  if (opts.granularity !== undefined && opts.granularity !== 'node' && opts.granularity !== 'operator-type') {
    io.err(`error: --granularity must be 'node' or 'operator-type', got '${opts.granularity}'`);
    return EXIT.badInput;
  }
  const options: DseOptions = {
    hardware: opts.hardware,
    workload: opts.workload,
    maxVariants: opts.maxVariants,
    concurrency: opts.concurrency,
    threads: opts.threads,
    seed: opts.seed,
    order: opts.order as DseOptions['order'],
    granularity: opts.granularity as DseOptions['granularity'],
    intraCoreTiling: opts.intraCoreTiling,
    backend: opts.backend,
    capacityConstraints: opts.capacityConstraints,
    inputsRoot: opts.inputsRoot,
    costCacheDir: opts.costCache === false ? undefined : opts.costCache,
  };
  const runDir = path.join(opts.output, opts.experimentId ?? defaultDseExperimentId(opts.hardware, opts.workload));
  const title = sweepPlotTitle(opts.hardware, opts.workload);
  const formats = opts.plots ? opts.formats : [];
  const renderer = formats.length > 0 ? createChartRenderer() : undefined;
  const tty = io === processIO && process.stderr.isTTY ? process.stderr : undefined;
  const progress = createProgressReporter(progressMode({ quiet: opts.quiet, json: opts.json, tty: tty !== undefined }), io, tty);
  try {
    const result = await runOptimizeMapping(options, (e) => e.type === 'progress' && progress.onEvent(e.event));
    const pictures = renderer ? await dsePlotFiles(result, title, renderer, formats) : new Map<string, string | Uint8Array>();
    const best = result.bestRun
      ? await reportFiles(result.bestRun, {
          experimentId: `${path.basename(runDir)} · best variant #${result.best?.index}`,
          inputs: { hardware: opts.hardware, workload: opts.workload, mapping: path.join(runDir, 'best', 'mapping.yaml') },
          formats,
          pictures: renderer ? new RunPictures(renderer) : undefined,
          onProgress: progress.onEvent,
        })
      : { files: new Map<string, string | Uint8Array>(), warnings: [] };
    progress.stop();
    if (!opts.json) {
      printIssues(io, result.warnings);
      for (const w of best.warnings) io.err(`warning: ${w}`);
    }
    const bestReport = [...best.files].map(([file, contents]) => [`best/${file}`, contents] as const);
    writeRunDirectory(runDir, new Map([...dseFiles(result, title), ...pictures, ...bestReport]));
    const summary = dseJsonSummary(result, runDir);
    if (opts.json) io.out(JSON.stringify(summary, null, 2));
    else {
      io.out(
        result.best
          ? `Best variant #${summary.best_variant}: latency ${summary.best_latency}, energy ${summary.best_energy ?? 'n/a'}${summary.best_changes.length ? ` (${summary.best_changes.join('; ')})` : ' (the auto mapping)'}`
          : 'No variant has a feasible schedule.',
      );
      io.out(`${summary.variants_evaluated} variants evaluated, ${summary.failed} without a schedule, ${summary.skipped} skipped; results in ${runDir}`);
    }
    return result.best ? EXIT.ok : EXIT.infeasible;
  } catch (err) {
    if (err instanceof InputError) {
      printIssues(io, err.issues);
      return EXIT.badInput;
    }
    throw err;
  } finally {
    progress.stop();
  }
}
