/**
 * Input problems are values, not exceptions: every front end returns `Either<InputIssue[], T>`.
 * An issue always names the file; it names the field (a dotted/bracketed path such as
 * `core_connectivity[2].bandwidth`) or the graph node, and the YAML line/column where known.
 */
export interface InputIssue {
  readonly file: string;
  /** Field path (`cores[1].memories.sram.size`) or node reference (`node Conv1`); empty for the whole file. */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** `warning` issues never make a front end fail; they are reported alongside a successful result. */
  readonly severity?: 'error' | 'warning';
}

export function formatIssue(issue: InputIssue): string {
  const where = issue.line !== undefined ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  const field = issue.path ? ` at ${issue.path}` : '';
  return `${where}: ${issue.message}${field}`;
}

/**
 * Thrown only at the outer boundary (CLI, public API promise helpers) to carry every collected issue.
 * Library code returns issues as values instead.
 */
export class InputError extends Error {
  constructor(readonly issues: readonly InputIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'InputError';
  }
}

export function issue(file: string, path: string, message: string, extra: Partial<InputIssue> = {}): InputIssue {
  return { file, path, message, ...extra };
}
