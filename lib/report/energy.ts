/**
 * Energy of a CO run, from the per-core cost table (the reference's CO flow reports no energy; this is
 * our definition, used to rank DSE variants after latency).
 *
 *   E(run)   = Σ over fusion groups g of E(g)
 *   E(g)     = Σ over computation nodes n of g, Σ over cores c of n's allocation of
 *                e(n, c) · N(g) · a(n)
 *
 * where e(n, c) is the cost model's `energy_total` of n's per-core tile on core c (the tile one
 * steady-state iteration computes; unit of the cost model, pJ), N(g) the number of steady-state
 * iterations of g, and a(n) the node's activity fraction in the steady state (the share of iterations
 * it fires in: the applicable temporal loops over all temporal loops, as the MILP charges its latency).
 * N(g) · a(n) is the number of times the tile runs.
 *
 * What it leaves out, on purpose: inter-core transfers and off-chip traffic (the links' and buses'
 * `unit_energy_cost`), whose counts depend on the MILP's reuse decisions, and the energy of nodes whose
 * cost fell back to the ideal-cycle estimate, which the reference defines as zero. It is therefore the
 * on-core (compute + core-memory) energy of the schedule.
 */
import type { SteadyStateSolution } from '../milp/result';

/** What the energy of one node needs: its per-core tile energies and how often the tile runs. */
export interface NodeEnergyInput {
  readonly node: string;
  /** `energy_total` of the node's per-core tile, one entry per core of its allocation. */
  readonly tileEnergyPerCore: readonly number[];
  /** Activity fraction `[numerator, denominator]`; a node the solution does not list counts as always active. */
  readonly activeFraction?: readonly [number, number];
}

export interface GroupEnergyInput {
  readonly iterations: number;
  readonly nodes: readonly NodeEnergyInput[];
}

/** Times a node's tile runs in a group: N · numerator / denominator (exact when the fraction divides N). */
export function tileRuns(iterations: number, activeFraction: readonly [number, number] = [1, 1]): number {
  const [numerator, denominator] = activeFraction;
  return denominator === 0 ? 0 : (iterations * numerator) / denominator;
}

export function groupEnergy(group: GroupEnergyInput): number {
  let energy = 0;
  for (const n of group.nodes) {
    const perRun = n.tileEnergyPerCore.reduce((s, e) => s + e, 0);
    energy += perRun * tileRuns(group.iterations, n.activeFraction);
  }
  return energy;
}

export function runEnergy(groups: readonly GroupEnergyInput[]): number {
  return groups.reduce((s, g) => s + groupEnergy(g), 0);
}

/**
 * The energy input of a solved group: its nodes with their allocations, the per-core tile energy
 * (`energyOf`, from the cost table) and the solution's iterations and activity fractions.
 */
export function groupEnergyInput(
  nodes: readonly { readonly name: string; readonly coreIds: readonly number[] }[],
  energyOf: (node: string, core: number) => number,
  solution: Pick<SteadyStateSolution, 'iterations' | 'computeNodes'>,
): GroupEnergyInput {
  const fractions = new Map(solution.computeNodes.map((c) => [c.name, c.activeFraction]));
  return {
    iterations: solution.iterations,
    nodes: nodes.map((n) => ({ node: n.name, tileEnergyPerCore: n.coreIds.map((core) => energyOf(n.name, core)), activeFraction: fractions.get(n.name) })),
  };
}
