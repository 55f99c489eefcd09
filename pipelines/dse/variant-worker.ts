/**
 * Worker-thread entry of the DSE pool (pipelines/dse/pool.ts): runs the whole CO pipeline on one
 * variant's mapping and returns a small, cloneable outcome. Failures are outcomes, not exceptions, so
 * that their kind survives the thread boundary (error classes do not). Piscina loads the compiled
 * `dist/pipelines/dse/variant-worker.js`; from TypeScript sources (specs) the pool loads
 * `variant-worker.dev.cjs`, the same mechanism as the cost pool's worker (operators/cost-pool.ts).
 */
import { InputError, formatIssue } from '../../lib/common/errors';
import { InfeasibleScheduleError } from '../../operators/errors';
import { CoOptions, runCo } from '../co';

export interface VariantTask {
  /** The CO options every variant shares (hardware, workload, solver, constraints, core lookup). */
  readonly co: Omit<CoOptions, 'mapping' | 'mappingData' | 'intraCoreTiling' | 'fusionCutPoints'>;
  /** The variant's mapping, as the data of a mapping YAML. */
  readonly mappingData: unknown;
}

export type VariantOutcome =
  | {
      readonly status: 'ok';
      readonly latency: number;
      readonly energy?: number;
      readonly groupLatencies: readonly number[];
      /** Relative path → contents, when asked for. */
      readonly files?: readonly (readonly [string, string | Uint8Array])[];
    }
  | { readonly status: 'infeasible' | 'invalid' | 'failed'; readonly reason: string };

/** The kind of a failure and a one-line reason. */
export function outcomeOfError(err: unknown): VariantOutcome {
  if (err instanceof InputError) return { status: 'invalid', reason: err.issues.map(formatIssue).join('; ') };
  if (err instanceof InfeasibleScheduleError) return { status: 'infeasible', reason: `group ${err.group}: ${err.report.summary}` };
  return { status: 'failed', reason: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}

export default async function evaluateVariant(task: VariantTask): Promise<VariantOutcome> {
  const options: CoOptions = { ...task.co, mappingData: task.mappingData };
  try {
    const result = await runCo(options);
    return {
      status: 'ok',
      latency: result.totalLatency,
      energy: result.summary.total_energy,
      groupLatencies: result.groupLatencies,
    };
  } catch (err) {
    return outcomeOfError(err);
  }
}
