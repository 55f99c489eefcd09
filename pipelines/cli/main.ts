import { Command, CommanderError } from 'commander';
import { CliIO, EXIT, processIO } from './io';
import { coCommand } from './co-command';
import { validateCommand } from './validate-command';
import { costCommand } from './cost-command';
import { irCommand } from './ir-command';
import { dseCommand } from './dse-command';

export { EXIT } from './io';

/** A command registers itself on the program and reports its exit code through `setExitCode`. */
export type CommandFactory = (io: CliIO, setExitCode: (code: number) => void) => Command;

const COMMANDS: readonly CommandFactory[] = [coCommand, validateCommand, costCommand, irCommand, dseCommand];

export function buildProgram(io: CliIO = processIO, setExitCode: (code: number) => void = () => undefined): Command {
  const output = { writeOut: io.out, writeErr: io.err };
  const program = new Command('stream-dse')
    .description('Design-space exploration for multi-core dataflow accelerators (Stream-compatible).')
    .exitOverride()
    .configureOutput(output)
    .showHelpAfterError();
  // Subcommands added with addCommand do not inherit the parent's output settings.
  for (const factory of COMMANDS) program.addCommand(factory(io, setExitCode).exitOverride().configureOutput(output).showHelpAfterError());
  return program;
}

/** Runs the CLI and resolves to the process exit code; user errors never throw. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    throw err;
  }
}
