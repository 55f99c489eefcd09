/**
 * The package's public API: the CO pipelines (auto-mapped and hand-mapped), their options and results,
 * and the progress events they emit.
 */
export { co, coGeneric, coWithMapping, runCo } from './co';
export type { CoEvent, CoOptions, CoResult, GroupResult } from './co';
export type { ProgressEvent } from '../operators/progress';
export { InfeasibleScheduleError, InputError } from '../operators/errors';
