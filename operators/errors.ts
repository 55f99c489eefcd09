/**
 * Typed error notifications of the pipelines. Library code returns problems as values; stages turn
 * them into these errors so drivers can map them to exit codes (2 bad input, 3 infeasible schedule).
 */
import { InputError, InputIssue } from '../lib/common/errors';
import { InfeasibilityReport } from '../lib/milp/result';

export { InputError } from '../lib/common/errors';

/** The MILP of a fusion group has no solution: carries the structured report (reference-surface §5.6). */
export class InfeasibleScheduleError extends Error {
  constructor(
    readonly group: number,
    readonly report: InfeasibilityReport,
  ) {
    super(report.summary);
    this.name = 'InfeasibleScheduleError';
  }
}

/** Front ends return `Either<InputIssue[], T>`; a stage unwraps it or fails with every issue. */
export function unwrapOrThrow<T>(result: { _tag: 'Left'; left: InputIssue[] } | { _tag: 'Right'; right: T }): T {
  if (result._tag === 'Left') throw new InputError(result.left);
  return result.right;
}
