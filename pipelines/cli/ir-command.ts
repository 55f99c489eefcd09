import { Command, InvalidArgumentError, Option } from 'commander';
import { isLeft } from 'fp-ts/Either';
import { InputError, InputIssue } from '../../lib/common/errors';
import {
  ACCELERATOR_VIEWS,
  ALLOCATION_VIEWS,
  AllocationIR,
  IrKind,
  WORKLOAD_VIEWS,
  acceleratorView,
  allocationView,
  irDocumentType,
  irJsonSchema,
  irViews,
  loadAcceleratorIR,
  loadWorkloadIR,
  runAllocationIR,
  workloadView,
} from '../ir';
import { isSolverBackendRegistered, registeredSolverBackends } from '../../lib/solver';
import { CoOptions } from '../co';
import { CliIO, EXIT, printIssues } from './io';

const KINDS: readonly IrKind[] = ['workload', 'accelerator', 'allocation', 'infeasibility'];

interface IrCommandOptions {
  readonly kind: IrKind;
  readonly hardware?: string;
  readonly workload?: string;
  readonly mapping?: string;
  readonly view?: string;
  readonly group?: number;
  readonly schema?: boolean;
  readonly backend: string;
  readonly capacityConstraints: boolean;
  readonly inputsRoot?: string;
}

function parseGroup(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a fusion group index (0, 1, ...), got '${value}'`);
  return Number(value);
}

export function irCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return new Command('ir')
    .description(
      'Print a typed IR document as JSON: the WorkloadIR of an ONNX model, the AcceleratorIR of a hardware file, or the ' +
        'AllocationIR of every fusion group of a CO run (an array; one object with --group). An infeasible run prints the ' +
        'infeasibility IR and exits with 3.',
    )
    // Sub-commands added with addCommand do not inherit the program's output, so usage errors need it here.
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addOption(new Option('--kind <kind>', 'which IR').choices(KINDS).makeOptionMandatory())
    .option('--hardware <file>', 'accelerator YAML (accelerator and allocation)')
    .option('--workload <file>', 'ONNX model (workload and allocation)')
    .option('--mapping <file>', 'hand-written mapping YAML (allocation; default: generated)')
    .option('--view <name>', `a persona view instead of the full document: workload ${WORKLOAD_VIEWS.join('|')}, accelerator ${ACCELERATOR_VIEWS.join('|')}, allocation ${ALLOCATION_VIEWS.join('|')}`)
    .option('--group <n>', 'only this fusion group (allocation)', parseGroup)
    .option('--schema', 'print the JSON Schema of the selected document or view instead (no inputs needed)')
    .option('--backend <name>', 'MILP solver backend (allocation)', 'highs')
    .option('--no-capacity-constraints', 'switch off the MILP memory-capacity constraints (allocation)')
    .option('--inputs-root <dir>', "directory standing for Stream's stream/inputs/ (repository-relative core references)")
    .action(async (opts: IrCommandOptions) => setExitCode(await runIrCommand(opts, io)));
}

/** The view named `value` among `views` (the name was checked against the kind's views already). */
const viewNamed = <V extends string>(views: readonly V[], value: string | undefined): V | undefined => views.find((v) => v === value);

function badInput(io: CliIO, message: string): number {
  io.err(`error: ${message}`);
  return EXIT.badInput;
}

const printJson = (io: CliIO, value: unknown) => io.out(JSON.stringify(value, null, 2));

async function runIrCommand(opts: IrCommandOptions, io: CliIO): Promise<number> {
  const view = opts.view ?? null;
  if (view !== null && !irViews(opts.kind).includes(view)) {
    const offered = irViews(opts.kind);
    return badInput(io, `--view '${view}' does not exist for --kind ${opts.kind}${offered.length > 0 ? ` (views: ${offered.join(', ')})` : ''}`);
  }
  if (opts.group !== undefined && opts.kind !== 'allocation') return badInput(io, '--group applies to --kind allocation only');
  if (opts.schema) {
    const type = irDocumentType(opts.kind, view);
    if (!type) return badInput(io, `no schema for --kind ${opts.kind}${view ? ` --view ${view}` : ''}`);
    printJson(io, irJsonSchema(type));
    return EXIT.ok;
  }
  try {
    switch (opts.kind) {
      case 'workload':
        return workloadDocument(opts, io);
      case 'accelerator':
        return acceleratorDocument(opts, io);
      case 'allocation':
        return await allocationDocuments(opts, io);
      case 'infeasibility':
        return badInput(io, 'the infeasibility IR is what --kind allocation prints for an infeasible run (use --schema to see its schema)');
    }
  } catch (err) {
    if (err instanceof InputError) {
      printIssues(io, err.issues);
      return EXIT.badInput;
    }
    throw err;
  }
}

function workloadDocument(opts: IrCommandOptions, io: CliIO): number {
  if (!opts.workload) return badInput(io, '--kind workload needs --workload <file>');
  const loaded = loadWorkloadIR(opts.workload);
  if (isLeft(loaded)) return issuesOnly(io, loaded.left);
  printIssues(io, loaded.right.warnings);
  const view = viewNamed(WORKLOAD_VIEWS, opts.view);
  printJson(io, view ? workloadView(loaded.right.document, view) : loaded.right.document);
  return EXIT.ok;
}

function acceleratorDocument(opts: IrCommandOptions, io: CliIO): number {
  if (!opts.hardware) return badInput(io, '--kind accelerator needs --hardware <file>');
  const loaded = loadAcceleratorIR(opts.hardware, { inputsRoot: opts.inputsRoot });
  if (isLeft(loaded)) return issuesOnly(io, loaded.left);
  printIssues(io, loaded.right.warnings);
  const view = viewNamed(ACCELERATOR_VIEWS, opts.view);
  printJson(io, view ? acceleratorView(loaded.right.document, view) : loaded.right.document);
  return EXIT.ok;
}

async function allocationDocuments(opts: IrCommandOptions, io: CliIO): Promise<number> {
  if (!opts.hardware || !opts.workload) return badInput(io, '--kind allocation needs --hardware <file> and --workload <file>');
  if (!isSolverBackendRegistered(opts.backend)) {
    return badInput(io, `--backend '${opts.backend}' is not a registered solver backend (registered: ${registeredSolverBackends().map((b) => b.name).join(', ')})`);
  }
  const options: CoOptions = {
    hardware: opts.hardware,
    workload: opts.workload,
    mapping: opts.mapping,
    backend: opts.backend,
    capacityConstraints: opts.capacityConstraints,
    inputsRoot: opts.inputsRoot,
  };
  const outcome = await runAllocationIR(options);
  if (!outcome.feasible) {
    io.err(`infeasible: ${outcome.infeasibility.summary}`);
    printJson(io, outcome.infeasibility);
    return EXIT.infeasible;
  }
  printIssues(io, outcome.result.warnings);
  const view = viewNamed(ALLOCATION_VIEWS, opts.view);
  const select = (ir: AllocationIR) => (view ? allocationView(ir, view) : ir);
  if (opts.group === undefined) {
    printJson(io, outcome.documents.map(select));
    return EXIT.ok;
  }
  const document = outcome.documents.find((d) => d.group_index === opts.group);
  if (!document) return badInput(io, `--group ${opts.group}: the run has ${outcome.documents.length} fusion group(s) (0 to ${outcome.documents.length - 1})`);
  printJson(io, select(document));
  return EXIT.ok;
}

function issuesOnly(io: CliIO, issues: readonly InputIssue[]): number {
  printIssues(io, issues);
  return EXIT.badInput;
}
