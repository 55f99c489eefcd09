import { Command, CommanderError } from 'commander';
import { CliIO, EXIT, processIO } from './io';

export { EXIT } from './io';

/** A command registers itself on the program and reports its exit code through `setExitCode`. */
export type CommandFactory = (io: CliIO, setExitCode: (code: number) => void) => Command;

/**
 * The commands in listing order, each loaded on first use: a run loads only its own command's module
 * and dependencies (a `co` run none of piscina, the DSE pipeline or the IR builders).
 */
const COMMANDS: Readonly<Record<string, () => CommandFactory>> = {
  co: () => (require('./co-command') as typeof import('./co-command')).coCommand,
  validate: () => (require('./validate-command') as typeof import('./validate-command')).validateCommand,
  cost: () => (require('./cost-command') as typeof import('./cost-command')).costCommand,
  ir: () => (require('./ir-command') as typeof import('./ir-command')).irCommand,
  dse: () => (require('./dse-command') as typeof import('./dse-command')).dseCommand,
};

/**
 * The program with every command, or with just `onlyCommand` when that names one (the command line's
 * first word: help, errors and listings need the others, a run of one command does not).
 */
export function buildProgram(io: CliIO = processIO, setExitCode: (code: number) => void = () => undefined, onlyCommand?: string): Command {
  const output = { writeOut: io.out, writeErr: io.err };
  const program = new Command('stream-dse')
    .description('Design-space exploration for multi-core dataflow accelerators (Stream-compatible).')
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError();
  const names = onlyCommand !== undefined && Object.hasOwn(COMMANDS, onlyCommand) ? [onlyCommand] : Object.keys(COMMANDS);
  // Subcommands added with addCommand do not inherit the parent's output settings.
  for (const name of names) program.addCommand(COMMANDS[name]()(io, setExitCode).exitOverride().configureOutput(output).showHelpAfterError());
  return program;
}

/** Runs the CLI and resolves to the process exit code; user errors never throw. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code), argv[0]);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    throw err;
  }
}
