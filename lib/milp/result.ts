/**
 * What a solved TETRA MILP yields (reference-co-pipeline.md §10.8), and the structured report of an
 * infeasible one (reference-surface.md §5.6).
 */
import type { SolveStats } from '../solver/lexicographic';
import type { TransferRoute } from './problem';

export interface TensorDecision {
  readonly name: string;
  /** Stop level s with z[t, s] = 1; −1 = refetched every iteration. */
  readonly reuseStop: number;
  /** reuse[t, s]: iterations one fetched tile serves. */
  readonly reuseFactor: number;
  /** tiles[t, s]: on-chip tiles buffered (the "depth"). */
  readonly tiles: number;
  readonly placementIndex: number;
  readonly cores: readonly number[];
  /** ceil(tiles · tileBits) on each of `cores` (0 contribution to capacity for InEdge outputs). */
  readonly residentBitsPerCore: number;
}

export interface TransferDecision {
  readonly name: string;
  readonly slot: number;
  readonly routeIndex: number;
  readonly route: TransferRoute;
  /** ceil(bits / min link bandwidth), 0 for an empty route. */
  readonly rawCycles: number;
  /** round(raw · activity fraction). */
  readonly activeCycles: number;
  readonly outputReuseStop: number;
  readonly outputReuseFactor: number;
  /** activeCycles / outputReuseFactor (exact rational as a float). */
  readonly contribution: number;
}

export interface ComputeDecision {
  readonly name: string;
  readonly slot: number;
  readonly cores: readonly number[];
  readonly activeFraction: readonly [numerator: number, denominator: number];
  /** round(ceil(LUT) · fraction). */
  readonly contribution: number;
}

export interface ResourceSlack {
  readonly kind: 'core' | 'link';
  readonly id: number;
  readonly label: string;
  /** Summed latency of the slots this resource idles in (under the selected overlap model). */
  readonly idleCycles: number;
}

export interface CoreDma {
  readonly core: number;
  readonly dmaIn: number;
  readonly dmaOut: number;
}

export interface LexicographicObjectives {
  /** total latency + max core DMA-in + max core DMA-out (Q60). */
  readonly latency: number;
  readonly offchipTraffic: number;
  readonly buffering: number;
}

export interface ModelSizeSummary {
  readonly variables: number;
  readonly constraints: number;
  readonly binaries: number;
  readonly integers: number;
}

export interface SteadyStateSolution {
  readonly feasible: true;
  readonly label: string;
  /** N·T − (N−1)·O (§10.8). */
  readonly latencyTotal: number;
  /** T = Σ slot latencies. */
  readonly latencyPerIteration: number;
  /** O; with one iteration any value up to the binding slack is optimal (solver choice). */
  readonly overlap: number;
  readonly iterations: number;
  readonly slotLatencies: readonly number[];
  readonly tensors: readonly TensorDecision[];
  readonly transfers: readonly TransferDecision[];
  readonly computeNodes: readonly ComputeDecision[];
  readonly maxCoreDmaIn: number;
  readonly maxCoreDmaOut: number;
  readonly dmaPerCore: readonly CoreDma[];
  /** Idle latency per overlap resource, smallest first; `bindingResources` reach the minimum. */
  readonly resourceSlack: readonly ResourceSlack[];
  readonly bindingResources: readonly string[];
  /** Exact objective per lexicographic level, recomputed from the rounded solution. */
  readonly objectives: LexicographicObjectives;
  readonly modelSize: ModelSizeSummary;
  readonly solve: SolveStats;
}

/** One term of a demand (reference-surface §5.6 `unmet.terms`). */
export interface DemandTerm {
  readonly label: string;
  /** In the unmet inequality's unit (bytes for memory capacity). */
  readonly value: number;
  readonly bits: number;
  readonly detail: string;
  readonly dtype?: string;
  readonly dims: readonly { readonly label: string; readonly size: number }[];
}

export type UnmetFamily = 'memory_capacity' | 'object_fifo_depth' | 'buffer_descriptors';

/** A quantified inequality that cannot hold (reference-surface §5.6 `unmet`). */
export interface UnmetInequality {
  readonly family: UnmetFamily;
  readonly statement: string;
  readonly demandLabel: string;
  readonly demandValue: number;
  readonly demandInput: string;
  readonly boundLabel: string;
  readonly boundValue: number;
  readonly boundInput: string;
  readonly operator: '<=';
  /** demand − bound, in `unit`. */
  readonly gap: number;
  readonly unit: 'bytes' | 'FIFO slots' | 'descriptors';
  /** The same three quantities in bits (memory capacity only). */
  readonly demandBits?: number;
  readonly boundBits?: number;
  readonly gapBits?: number;
  readonly terms: readonly DemandTerm[];
  readonly levers: readonly string[];
}

export interface InfeasibleResource {
  readonly resource: { readonly kind: 'core' | 'link'; readonly id: number; readonly label: string; readonly detail: string };
  readonly constraintKinds: readonly string[];
  readonly reason: string;
  /** Constraint names involved (no IIS: the rows the demand analysis looked at). */
  readonly constraints: readonly string[];
  readonly unmet: UnmetInequality | null;
}

export interface InfeasibilityConflict {
  readonly title: string;
  readonly explanation: string;
  readonly constraints: readonly string[];
}

export type InfeasibilityNature = 'capacity' | 'structural' | 'unknown';

export interface InfeasibilityReport {
  readonly feasible: false;
  readonly schemaVersion: '1.0';
  /** Solver status of the failing level, or `infeasible` for conflicts found while building. */
  readonly status: string;
  readonly backend: string;
  readonly solver: string;
  readonly group: string;
  /** Lexicographic level that failed (`build` when detected before solving). */
  readonly level: string;
  readonly iisAvailable: false;
  readonly nature: InfeasibilityNature;
  readonly resources: readonly InfeasibleResource[];
  readonly conflicts: readonly InfeasibilityConflict[];
  readonly unboundConstraints: readonly string[];
  readonly summary: string;
  readonly modelSize: ModelSizeSummary;
  readonly solve?: SolveStats;
}

export type SteadyStateOutcome = SteadyStateSolution | InfeasibilityReport;
