/**
 * Solving the TETRA MILP and turning the solution into results (reference-co-pipeline.md §10.8).
 *
 * All reported numbers are recomputed exactly from the rounded integer solution (slot latencies,
 * overlap, chosen stops and routes), never read off the solver's float objective.
 */
import type { SolverBackend } from '../solver/backend';
import { solveLexicographic, type LexicographicOptions } from '../solver/lexicographic';
import { evaluateExpression, programSize, type LinearExpression } from '../solver/model';
import { buildTetraModel, type TetraFormulation } from './formulation';
import { diagnoseInfeasibility } from './infeasibility';
import type { SteadyStateProblem } from './problem';
import type {
  ComputeDecision,
  CoreDma,
  ModelSizeSummary,
  ResourceSlack,
  SteadyStateOutcome,
  SteadyStateSolution,
  TensorDecision,
  TransferDecision,
} from './result';

export type SteadyStateSolveOptions = LexicographicOptions;

export function modelSizeOf(f: TetraFormulation): ModelSizeSummary {
  const size = programSize(f.program);
  return { variables: size.variables, constraints: size.constraints, binaries: size.binaries, integers: size.integers };
}

/** Builds and solves the MILP of one fusion group. Infeasibility is a value, not an exception. */
export function solveSteadyState(
  problem: SteadyStateProblem,
  backend: SolverBackend,
  options: SteadyStateSolveOptions = {},
): SteadyStateOutcome {
  const formulation = buildTetraModel(problem);
  const modelSize = modelSizeOf(formulation);
  if (formulation.conflicts.length > 0) {
    return diagnoseInfeasibility(formulation, {
      status: 'infeasible',
      backend: backend.name,
      solver: backend.solverDescription,
      level: 'build',
      modelSize,
    });
  }
  const result = solveLexicographic(formulation.program, backend, options);
  if (result.status !== 'optimal') {
    return diagnoseInfeasibility(formulation, {
      status: result.status,
      backend: backend.name,
      solver: backend.solverDescription,
      level: formulation.program.objectives[result.failedLevel]?.name ?? String(result.failedLevel),
      modelSize,
      solve: result.stats,
    });
  }
  return extractSolution(formulation, result.values, result.stats);
}

function exactInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new Error(`${what} = ${value} is not a safe integer`);
  return value;
}

export function extractSolution(
  f: TetraFormulation,
  values: Float64Array,
  solve: SteadyStateSolution['solve'],
): SteadyStateSolution {
  const problem = f.problem;
  const N = problem.iterations;
  const value = (e: LinearExpression): number => evaluateExpression(e, values);
  const slotLatencies = f.slotLatency.map((L) => values[L.index]!);
  const T = exactInteger(slotLatencies.reduce((a, b) => a + b, 0), 'latency per iteration');
  const O = values[f.overlap.index]!;
  const latencyTotal = exactInteger(N * T - (N - 1) * O, 'total latency');

  const tensors: TensorDecision[] = [];
  let offchipTraffic = 0;
  let buffering = 0;
  const stopIndex = new Map<string, number>();
  for (const t of f.tensors.values()) {
    const k = t.stop.chosen(values);
    stopIndex.set(t.tensor.name, k);
    const placementIndex = t.placement.chosen(values);
    const placement = t.tensor.placements[placementIndex]!;
    const tiles = t.table.tiles[k]!;
    const reuseFactor = t.table.reuse[k]!;
    offchipTraffic += t.tensor.bits / reuseFactor;
    buffering += tiles;
    tensors.push({
      name: t.tensor.name,
      reuseStop: t.table.stops[k]!,
      reuseFactor,
      tiles,
      placementIndex,
      cores: placement.cores,
      residentBitsPerCore: t.tensor.producer === 'in_edge' ? 0 : Math.ceil(tiles * placement.tileBits),
    });
  }

  const transfers: TransferDecision[] = f.transfers.map((t) => {
    const routeIndex = t.route.chosen(values);
    const out = f.tensors.get(t.transfer.outputs[0]!)!;
    const k = stopIndex.get(out.tensor.name)!;
    const reuse = out.table.reuse[k]!;
    const active = t.activeCycles[routeIndex]!;
    return {
      name: t.transfer.name,
      slot: t.transfer.slot,
      routeIndex,
      route: t.transfer.routes[routeIndex]!,
      rawCycles: t.rawCycles[routeIndex]!,
      activeCycles: active,
      outputReuseStop: out.table.stops[k]!,
      outputReuseFactor: reuse,
      contribution: active / reuse,
    };
  });

  const computeNodes: ComputeDecision[] = f.computeNodes.map((c) => ({
    name: c.node.name,
    slot: c.node.slot,
    cores: c.node.cores,
    activeFraction: [c.fraction.numerator, c.fraction.denominator],
    contribution: c.activeCycles,
  }));

  const dmaPerCore: CoreDma[] = f.dma.map((d) => ({ core: d.core.id, dmaIn: Math.round(value(d.dmaIn)), dmaOut: Math.round(value(d.dmaOut)) }));
  const maxCoreDmaIn = dmaPerCore.reduce((m, d) => Math.max(m, d.dmaIn), 0);
  const maxCoreDmaOut = dmaPerCore.reduce((m, d) => Math.max(m, d.dmaOut), 0);

  const resourceSlack: ResourceSlack[] = f.overlapResources
    .map((r) => {
      const active = r.activity.map((a) => value(a) > 0.5);
      const first = active.indexOf(true);
      const last = active.lastIndexOf(true);
      const counts = (s: number): boolean =>
        f.selection.overlapModel === 'occupancy' ? !active[s] : first < 0 || s < first || s > last;
      let idleCycles = 0;
      slotLatencies.forEach((L, s) => {
        if (counts(s)) idleCycles += L;
      });
      return { kind: r.kind, id: r.id, label: r.label, idleCycles };
    })
    .sort((a, b) => a.idleCycles - b.idleCycles);
  const minimumSlack = resourceSlack[0]?.idleCycles;
  const bindingResources = resourceSlack.filter((r) => r.idleCycles === minimumSlack).map((r) => r.label);

  return {
    feasible: true,
    label: problem.label,
    latencyTotal,
    latencyPerIteration: T,
    overlap: O,
    iterations: N,
    slotLatencies,
    tensors,
    transfers,
    computeNodes,
    maxCoreDmaIn,
    maxCoreDmaOut,
    dmaPerCore,
    resourceSlack,
    bindingResources,
    objectives: {
      latency: latencyTotal + (f.selection.dmaChannels ? maxCoreDmaIn + maxCoreDmaOut : 0),
      offchipTraffic,
      buffering,
    },
    modelSize: modelSizeOf(f),
    solve,
  };
}
