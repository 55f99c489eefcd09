import { InputIssue, formatIssue } from '../../lib/common/errors';

/** Exit codes: 0 success, 1 internal error, 2 bad input, 3 infeasible schedule. */
export const EXIT = { ok: 0, internal: 1, badInput: 2, infeasible: 3 } as const;

/** Where a command writes; injectable so specs can run commands in-process. */
export interface CliIO {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export function printIssues(io: CliIO, issues: readonly InputIssue[]): void {
  for (const i of issues) io.err(`${i.severity === 'warning' ? 'warning' : 'error'}: ${formatIssue(i)}`);
}
