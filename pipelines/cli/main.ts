import { Command, CommanderError } from 'commander';

/** Exit codes: 0 success, 1 internal error, 2 bad input, 3 infeasible schedule. */
export const EXIT = { ok: 0, internal: 1, badInput: 2, infeasible: 3 } as const;

export function buildProgram(): Command {
  const program = new Command('stream-dse')
    .description('Design-space exploration for multi-core dataflow accelerators (Stream-compatible).')
    .exitOverride()
    .showHelpAfterError();
  return program;
}

/** Runs the CLI and resolves to the process exit code; never throws for user errors. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    throw err;
  }
}
