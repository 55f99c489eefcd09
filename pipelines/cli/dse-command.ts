import { Command, InvalidArgumentError } from 'commander';
import * as path from 'path';
import { InputError } from '../../lib/common/errors';
import { DseResult, runOptimizeMapping } from '../dse';
import { IMAGE_FORMATS, startChartRenderer } from '../../lib/report/plots/render';
import { dseFiles, dsePlotFiles, sweepPlotTitle } from '../dse/outputs';
import { DseOptions } from '../dse/options';
import { writeRunDirectory } from '../run-directory';
import { parseIntraCoreTiling } from './co-command';
import { CliIO, EXIT, printIssues } from './io';

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
    .option('--json', 'print one JSON object on stdout, nothing else')
    .option('--no-plots', 'write no pictures of the sweep (its Vega-Lite spec is still written)')
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
  };
  const runDir = path.join(opts.output, opts.experimentId ?? defaultDseExperimentId(opts.hardware, opts.workload));
  const title = sweepPlotTitle(opts.hardware, opts.workload);
  // Started before the sweep, so that vega has loaded by the time the plot is drawn.
  const renderer = opts.plots ? startChartRenderer() : undefined;
  try {
    let reported = -1;
    const result = await runOptimizeMapping(options, (e) => {
      if (opts.json || e.type !== 'progress') return;
      const p = e.event;
      if (p.type === 'warning') io.err(`warning: ${p.message}`);
      // Plain progress lines, about every tenth of the sweep.
      if (p.type === 'items' && (p.done === p.total || Math.floor((10 * p.done) / p.total) > reported)) {
        reported = Math.floor((10 * p.done) / p.total);
        io.err(`variants ${p.done}/${p.total}, ${p.status ?? ''}`);
      }
    });
    if (!opts.json) printIssues(io, result.warnings);
    const pictures = renderer ? await dsePlotFiles(result, title, renderer, IMAGE_FORMATS) : new Map();
    writeRunDirectory(runDir, new Map([...dseFiles(result, title), ...pictures]));
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
    await renderer?.close();
  }
}
