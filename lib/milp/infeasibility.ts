/**
 * Infeasibility report of the TETRA MILP (reference-surface.md §5.6, "Infeasibility IR" 1.0).
 *
 * No IIS is computed (as with the reference's OR-Tools backends): the report comes from recorded
 * demand-versus-bound terms. For memory, a tensor that must sit on a core demands its footprint at the
 * shallowest reuse stop the reuse rules allow — one double-buffered tile at stop −1 when nothing forces
 * a deeper stop, the reference's "min resident" term. That is not always the least the MILP could hold:
 * past an irrelevant innermost loop, stop 0 keeps a single tile (§10.2 doubles only stop −1), so the
 * demand can exceed the true minimum. The reference's ResNet-18 statement needs exactly this reading
 * (Core 4: 2 × 1 605 632 + 2 × 401 408 bits = 490.0 KB, where the smallest footprint would be 294.0 KB;
 * lib/mapping/generator/README.md). Cores whose demand exceeds their capacity are the reason, the largest
 * shortfall first. Otherwise conflicts found while building the model (constant rows that cannot hold)
 * are reported as structural; failing both, the nature is unknown.
 */
import type { SolveStats } from '../solver/lexicographic';
import { coreLabel } from './problem';
import type { StructuralConflict, TetraFormulation } from './formulation';
import type {
  DemandTerm,
  InfeasibilityConflict,
  InfeasibilityReport,
  InfeasibleResource,
  ModelSizeSummary,
  UnmetInequality,
} from './result';

/** Bytes as the reference prints them: B, KB or MB with one decimal (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1024) return `${bytes.toFixed(1)} B`;
  if (Math.abs(bytes) < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export interface InfeasibilityContext {
  readonly status: string;
  readonly backend: string;
  readonly solver: string;
  /** Name of the failing lexicographic level, or `build`. */
  readonly level: string;
  readonly modelSize: ModelSizeSummary;
  readonly solve?: SolveStats;
}

interface CoreShortfall {
  readonly resource: InfeasibleResource;
  readonly gapBits: number;
  readonly statement: string;
  readonly label: string;
}

function memoryShortfalls(f: TetraFormulation): CoreShortfall[] {
  const shortfalls: CoreShortfall[] = [];
  for (const demand of f.memoryDemands) {
    const core = demand.core;
    const byTensor = new Map<string, typeof demand.terms>();
    for (const term of demand.terms) byTensor.set(term.tensor, [...(byTensor.get(term.tensor) ?? []), term]);
    let totalBits = 0;
    const terms: DemandTerm[] = [];
    for (const [name, tensorTerms] of byTensor) {
      const t = f.tensors.get(name)!;
      // A tensor that can be placed elsewhere does not have to occupy this core.
      const placementsHere = new Set(tensorTerms.map((term) => term.placement));
      if (placementsHere.size < t.tensor.placements.length) continue;
      const minimumStop = t.minimumStop.level;
      let best: (typeof tensorTerms)[number] | undefined;
      for (const term of tensorTerms) {
        if (term.stop < minimumStop) continue;
        // Several placements may hold the tensor here; at equal stops the smallest tile is the least it needs.
        if (!best || term.stop < best.stop || (term.stop === best.stop && term.bits < best.bits)) best = term;
      }
      if (!best || best.bits === 0) continue;
      totalBits += best.bits;
      const forced = minimumStop >= 0 ? ` (reuse stop ≥ ${minimumStop}: ${t.minimumStop.rule})` : '';
      terms.push({
        label: name,
        value: best.bits / 8,
        bits: best.bits,
        detail: `${best.tiles} tile(s) × ${best.tileBits} bits at reuse stop ${best.stop}${forced}`,
        dims: t.table.loops.slice(0, best.stop + 1).map((l) => ({ label: `z${l.dim}`, size: l.size })),
      });
    }
    if (totalBits <= core.capacityBits) continue;
    terms.sort((a, b) => b.bits - a.bits);
    const label = coreLabel(core);
    const boundLabel = core.kind === 'offchip' ? 'memory of' : 'on-chip memory of';
    const demandBytes = totalBits / 8;
    const boundBytes = core.capacityBits / 8;
    const gapBytes = demandBytes - boundBytes;
    const statement = `tensors resident on ${label} need ${formatBytes(demandBytes)}, but the ${boundLabel} ${label} is ${formatBytes(boundBytes)} (short by ${formatBytes(gapBytes)})`;
    const unmet: UnmetInequality = {
      family: 'memory_capacity',
      statement,
      demandLabel: 'tensors resident on',
      demandValue: demandBytes,
      demandInput: `footprint of the tensors that must sit on ${label}, each at the shallowest reuse stop the reuse rules allow`,
      boundLabel,
      boundValue: boundBytes,
      boundInput: `${label} memory capacity (hardware spec)`,
      operator: '<=',
      gap: gapBytes,
      unit: 'bytes',
      demandBits: totalBits,
      boundBits: core.capacityBits,
      gapBits: totalBits - core.capacityBits,
      terms,
      levers: [
        `Increase ${label} on-chip memory (hardware spec)`,
        `Tile the fused group finer so that each steady-state tile is smaller (mapping intra_core_tiling)`,
        `Reduce the workload's tensor sizes or precision (workload)`,
      ],
    };
    shortfalls.push({
      label,
      statement,
      gapBits: totalBits - core.capacityBits,
      resource: {
        resource: { kind: 'core', id: core.id, label, detail: `${core.kind} core, ${core.capacityBits} bits of memory` },
        constraintKinds: ['memory_capacity'],
        reason: 'memory capacity exceeded',
        constraints: [`memory[${core.id}]`],
        unmet,
      },
    });
  }
  return shortfalls.sort((a, b) => b.gapBits - a.gapBits);
}

const REASONS: Readonly<Record<StructuralConflict['family'], string>> = {
  placement: 'no consistent placement',
  route_coherence: 'route endpoint cannot hold the tensor',
  link_contention: 'link over-subscribed',
  memory_capacity: 'memory capacity exceeded',
  reuse_rule: 'no consistent reuse schedule',
  slot_latency: 'slot latency bound exceeded',
  overlap: 'overlap bound',
  dma: 'DMA channel limit exceeded',
};

function structuralResources(f: TetraFormulation, conflicts: readonly StructuralConflict[]): InfeasibleResource[] {
  const resources: InfeasibleResource[] = [];
  const coreById = new Map(f.problem.cores.map((c) => [c.id, c]));
  const linkByIndex = new Map(f.problem.links.map((l) => [l.index, l]));
  for (const c of conflicts) {
    for (const id of c.cores) {
      const core = coreById.get(id)!;
      resources.push({
        resource: { kind: 'core', id, label: coreLabel(core), detail: `${core.kind} core` },
        constraintKinds: [c.family],
        reason: REASONS[c.family],
        constraints: [c.constraint],
        unmet: null,
      });
    }
    for (const index of c.links) {
      const link = linkByIndex.get(index)!;
      resources.push({
        resource: { kind: 'link', id: index, label: link.label, detail: `${link.bandwidth} bits/cycle` },
        constraintKinds: [c.family],
        reason: REASONS[c.family],
        constraints: [c.constraint],
        unmet: null,
      });
    }
  }
  return resources;
}

export function diagnoseInfeasibility(f: TetraFormulation, context: InfeasibilityContext): InfeasibilityReport {
  const base = {
    feasible: false as const,
    schemaVersion: '1.0' as const,
    status: context.status,
    backend: context.backend,
    solver: context.solver,
    group: f.problem.label,
    level: context.level,
    iisAvailable: false as const,
    unboundConstraints: [] as string[],
    modelSize: context.modelSize,
    ...(context.solve ? { solve: context.solve } : {}),
  };
  const conflicts: InfeasibilityConflict[] = f.conflicts.map((c) => ({
    title: c.title,
    explanation: c.explanation,
    constraints: [c.constraint],
  }));

  const shortfalls = memoryShortfalls(f);
  if (shortfalls.length > 0) {
    const first = shortfalls[0]!;
    return {
      ...base,
      nature: 'capacity',
      resources: [...shortfalls.map((s) => s.resource), ...structuralResources(f, f.conflicts.filter((c) => c.family !== 'memory_capacity'))],
      conflicts,
      summary: `Infeasible mapping — ${first.label}: ${first.statement}`,
    };
  }

  const structural = f.conflicts[0];
  if (structural) {
    const coreById = new Map(f.problem.cores.map((c) => [c.id, c]));
    const linkByIndex = new Map(f.problem.links.map((l) => [l.index, l]));
    const involved = [
      ...structural.cores.map((id) => coreLabel(coreById.get(id)!)),
      ...structural.links.map((index) => linkByIndex.get(index)!.label),
    ];
    const involves = involved.length > 0 ? ` Involves ${involved.join(', ')}.` : '';
    return {
      ...base,
      nature: 'structural',
      resources: structuralResources(f, f.conflicts),
      conflicts,
      summary: `Infeasible mapping — structural conflict: ${structural.title}. ${structural.explanation}${involves}`,
    };
  }

  return {
    ...base,
    nature: 'unknown',
    resources: [],
    conflicts,
    summary: `Infeasible mapping — no single resource explains it: the ${context.level} level ended ${context.status}, and the ${context.backend} backend cannot compute an IIS.`,
  };
}
