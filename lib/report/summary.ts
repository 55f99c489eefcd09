/**
 * `summary.yaml` of a CO run: the reference's keys (`total_latency`, `total_wall_time_s`, `groups`
 * with `latency`, `percentage`, `wall_time_s`; reference-surface §6.2) in the reference's order, plus
 * what the reference leaves out: `group_latencies` on every path (Q32), per-group steady-state figures,
 * the three lexicographic objective levels, solve statistics and utilisations, and (ours, appended so
 * the reference's lines stay first) the on-core energy per group and in total.
 */
import { Document, Scalar } from 'yaml';

export interface GroupSummaryInput {
  readonly latency: number;
  readonly latencyPerIteration: number;
  readonly iterations: number;
  readonly overlap: number;
  readonly wallTimeS: number;
  readonly objectives: { readonly latency: number; readonly offchipTraffic: number; readonly buffering: number };
  readonly solve: {
    readonly backend: string;
    readonly status: string;
    readonly objective: number | null;
    readonly mipGap: number | null;
    readonly solveTimeS: number;
    readonly variables: number;
    readonly constraints: number;
  };
  readonly macSpatialUtilization: number | null;
  readonly endToEndMacUtilization: number | null;
  readonly fallbackNodes: readonly string[];
  /** On-core energy of the group (lib/report/energy.ts); absent when the caller does not compute it. */
  readonly energy?: number;
}

export interface SummaryInput {
  readonly groups: readonly GroupSummaryInput[];
}

export interface GroupSummary {
  readonly latency: number;
  readonly percentage: number;
  readonly wall_time_s: number;
  readonly latency_per_iteration: number;
  readonly iterations: number;
  readonly overlap: number;
  readonly lexicographic_objectives: { readonly latency_level: number; readonly offchip_traffic_level: number; readonly buffering_level: number };
  readonly solve: {
    readonly backend: string;
    readonly status: string;
    readonly objective: number | null;
    readonly mip_gap: number | null;
    readonly solve_time_s: number;
    readonly variables: number;
    readonly constraints: number;
  };
  readonly mac_spatial_utilization: number | null;
  readonly end_to_end_mac_utilization: number | null;
  readonly zigzag_fallback_nodes: readonly string[];
  /** On-core energy (lib/report/energy.ts, cost-model unit pJ). */
  readonly energy?: number;
}

export interface Summary {
  readonly total_latency: number;
  readonly total_wall_time_s: number;
  readonly groups: Readonly<Record<string, GroupSummary>>;
  readonly group_latencies: Readonly<Record<string, number>>;
  /** Σ of the group energies, when every group has one (lib/report/energy.ts). */
  readonly total_energy?: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function buildSummary(input: SummaryInput): Summary {
  const total = input.groups.reduce((s, g) => s + g.latency, 0);
  const groups: Record<string, GroupSummary> = {};
  const groupLatencies: Record<string, number> = {};
  input.groups.forEach((g, i) => {
    groupLatencies[String(i)] = g.latency;
    groups[`group_${i}`] = {
      latency: g.latency,
      percentage: total === 0 ? 0 : round2((100 * g.latency) / total),
      wall_time_s: round2(g.wallTimeS),
      latency_per_iteration: g.latencyPerIteration,
      iterations: g.iterations,
      overlap: g.overlap,
      lexicographic_objectives: {
        latency_level: g.objectives.latency,
        offchip_traffic_level: g.objectives.offchipTraffic,
        buffering_level: g.objectives.buffering,
      },
      solve: {
        backend: g.solve.backend,
        status: g.solve.status,
        objective: g.solve.objective,
        mip_gap: g.solve.mipGap,
        solve_time_s: g.solve.solveTimeS,
        variables: g.solve.variables,
        constraints: g.solve.constraints,
      },
      mac_spatial_utilization: g.macSpatialUtilization,
      end_to_end_mac_utilization: g.endToEndMacUtilization,
      zigzag_fallback_nodes: g.fallbackNodes,
      ...(g.energy !== undefined ? { energy: g.energy } : {}),
    };
  });
  const energies = input.groups.map((g) => g.energy);
  const everyGroupHasEnergy = energies.every((e): e is number => e !== undefined);
  return {
    total_latency: total,
    total_wall_time_s: round2(input.groups.reduce((s, g) => s + g.wallTimeS, 0)),
    groups,
    group_latencies: groupLatencies,
    ...(everyGroupHasEnergy && input.groups.length > 0 ? { total_energy: energies.reduce((s, e) => s + e, 0) } : {}),
  };
}

/** YAML text; `total_latency` and percentages print as floats (`14344.0`, `100.0`) as the reference writes them. */
export function formatSummaryYaml(summary: Summary): string {
  const doc = new Document(summary);
  const asFloat = (path: readonly (string | number)[]) => {
    const node = doc.getIn(path, true);
    if (node instanceof Scalar) node.minFractionDigits = 1;
  };
  asFloat(['total_latency']);
  for (const key of Object.keys(summary.groups)) asFloat(['groups', key, 'percentage']);
  return doc.toString({ lineWidth: 0 });
}
