/**
 * The steady-state timeline of a solved run, in clock cycles: what the trace and the pictures draw.
 *
 * Time model (reference-surface §6.3, extended to whole runs): fusion groups run back to back, so group g
 * starts at the sum of the earlier groups' latencies (their latencies add, reference quirk Q61). Inside a
 * group, iteration k starts at k·S with step S = T − O (T = latency per iteration, O = overlap), so the
 * last of N iterations ends at N·T − (N−1)·O, the group's reported latency. Slot s of an iteration starts
 * at the sum of the earlier slots' latencies; every compute node and transfer of the slot starts with it
 * and lasts its MILP contribution (a transfer's amortised cycles, activeCycles / reuse factor), so the
 * busy time of a resource in one iteration is exactly what the MILP charged it.
 *
 * Memory model (the MILP only fixes how much each core reserves, not when data is live): a tensor tile
 * is live from the start of its producer's slot to the end of its last consumer's slot; a tensor that is
 * buffered over several tiles or reused by several iterations is live for the whole group. The MILP's
 * reservation (Σ resident bits per core) is the upper bound the live curve stays under.
 */
import { topLevelMemoryCapacity } from '../hardware/derived';
import { Accelerator, CommunicationLink, Core } from '../hardware/model';
import { SteadyStateSolution } from '../milp/result';
import { SteadyStateSchedule } from '../scheduler/steady-state';
import { TiledFusionGroup } from '../tiling/model';
import { TransferType, Workload, nodeInputs, nodeOutputs, tensorBits } from '../workload/model';

/** What a solved fusion group offers the report builders (the CO pipeline's `GroupResult` is one). */
export interface ScheduledGroup {
  readonly index: number;
  readonly group: TiledFusionGroup;
  readonly schedule: SteadyStateSchedule;
  readonly solution: SteadyStateSolution;
}

export interface CoreInfo {
  readonly id: number;
  /** `Core 0`. */
  readonly label: string;
  /** Core file name and kind, e.g. `tpu_like (zigzag.compute)`. */
  readonly detail: string;
  readonly kind: Core['spec']['kind'];
  readonly capacityBits: number;
  readonly col?: number;
  readonly row?: number;
}

export interface LinkInfo {
  /** Index into `Accelerator.links`. */
  readonly index: number;
  /** `Link 0→1` or `Bus 0,1,2,3`. */
  readonly label: string;
  /** Bits per cycle. */
  readonly bandwidth: number;
  readonly kind: CommunicationLink['kind'];
}

interface ActivityBase {
  readonly name: string;
  readonly slot: number;
  /** Cycles from the start of the iteration (the slot's start). */
  readonly start: number;
  /** The MILP contribution in cycles (may be fractional for amortised transfers). */
  readonly duration: number;
}

export interface ComputeActivity extends ActivityBase {
  readonly kind: 'compute';
  readonly opType: string;
  readonly cores: readonly number[];
  /** Per-core tile, local loop → size (`D0`, `D1`, ...). */
  readonly tile: Readonly<Record<string, number>>;
  /** [numerator, denominator]: share of the LUT latency active in one steady-state iteration. */
  readonly activeFraction: readonly [number, number];
  readonly outputs: readonly { readonly tensor: string; readonly shape: readonly number[]; readonly bits: number }[];
}

export interface TransferActivity extends ActivityBase {
  readonly kind: 'transfer';
  readonly transferType: TransferType | 'UNKNOWN';
  /** The tensor moved (the transfer's input) at its steady-state tile shape. */
  readonly tensor: string;
  readonly shape: readonly number[];
  readonly bits: number;
  readonly sources: readonly number[];
  readonly targets: readonly number[];
  /** Indices into `Accelerator.links`; empty when source and target coincide (nothing moves). */
  readonly links: readonly number[];
  readonly rawCycles: number;
  readonly activeCycles: number;
  readonly reuseFactor: number;
}

export type Activity = ComputeActivity | TransferActivity;

export interface SlotInfo {
  readonly slot: number;
  readonly start: number;
  readonly latency: number;
  readonly members: readonly string[];
}

export interface TensorLifetime {
  readonly tensor: string;
  /** Bits this tensor keeps on the core (the MILP's tiles × per-core tile bits). */
  readonly bits: number;
  /** Buffered over several tiles or reused over several iterations: live for the whole group. */
  readonly persistent: boolean;
  /** Live interval inside one iteration, in cycles from its start (the whole iteration when persistent). */
  readonly from: number;
  readonly to: number;
}

export interface CoreMemory {
  readonly coreId: number;
  readonly capacityBits: number;
  /** Σ of the tensors' bits: what the MILP reserves on the core. */
  readonly allocatedBits: number;
  readonly tensors: readonly TensorLifetime[];
}

export interface GroupTimeline {
  readonly index: number;
  /** Absolute start cycle of the group on the run's timeline. */
  readonly start: number;
  /** The group's reported latency: N·T − (N−1)·O. */
  readonly latency: number;
  readonly perIteration: number;
  readonly overlap: number;
  /** S = T − O: distance between the starts of two consecutive iterations. */
  readonly step: number;
  readonly iterations: number;
  readonly slots: readonly SlotInfo[];
  /** One steady-state iteration's computations and transfers. */
  readonly activities: readonly Activity[];
  readonly memory: readonly CoreMemory[];
}

export interface RunTimeline {
  readonly workload: string;
  readonly accelerator: string;
  readonly totalLatency: number;
  readonly cores: readonly CoreInfo[];
  readonly links: readonly LinkInfo[];
  readonly groups: readonly GroupTimeline[];
}

/** `0,1,2,3,5` → `0–3, 5`. */
export function compactIds(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

function linkInfo(link: CommunicationLink): LinkInfo {
  const label = link.kind === 'bus' ? `Bus ${compactIds(link.cores)}` : `Link ${link.sender}→${link.receiver}`;
  return { index: link.index, label, bandwidth: link.bandwidth, kind: link.kind };
}

function coreInfo(core: Core): CoreInfo {
  return {
    id: core.id,
    label: `Core ${core.id}`,
    detail: `${core.spec.name} (${core.coreType})`,
    kind: core.spec.kind,
    capacityBits: topLevelMemoryCapacity(core),
    ...(core.col !== undefined ? { col: core.col } : {}),
    ...(core.row !== undefined ? { row: core.row } : {}),
  };
}

/** Start cycle of every slot: the sum of the earlier slots' latencies. */
function slotStarts(slotLatencies: readonly number[]): number[] {
  const starts: number[] = [];
  let t = 0;
  for (const latency of slotLatencies) {
    starts.push(t);
    t += latency;
  }
  return starts;
}

function activitiesOf(g: ScheduledGroup, starts: readonly number[]): Activity[] {
  const workload = g.schedule.steadyState.workload;
  const nodes = new Map(workload.nodes.map((n) => [n.name, n]));
  const tiled = new Map(g.group.nodes.map((n) => [n.name, n]));
  const compute: Activity[] = g.solution.computeNodes.map((c) => {
    const node = nodes.get(c.name);
    const tiledNode = tiled.get(c.name);
    const tile: Record<string, number> = {};
    tiledNode?.perCoreDimSizes.forEach((size, d) => (tile[`D${d}`] = size));
    return {
      kind: 'compute',
      name: c.name,
      slot: c.slot,
      start: starts[c.slot] ?? 0,
      duration: c.contribution,
      opType: tiledNode?.type ?? (node?.kind === 'computation' ? node.type : 'unknown'),
      cores: c.cores,
      tile,
      activeFraction: c.activeFraction,
      outputs: (node ? nodeOutputs(node) : []).map((t) => ({ tensor: t.name, shape: t.shape, bits: tensorBits(t) })),
    };
  });
  const transfers: Activity[] = g.solution.transfers.map((x) => {
    const node = nodes.get(x.name);
    const moved = node ? nodeInputs(node)[0] : undefined;
    return {
      kind: 'transfer',
      name: x.name,
      slot: x.slot,
      start: starts[x.slot] ?? 0,
      duration: x.contribution,
      transferType: node?.kind === 'transfer' ? node.transferType : 'UNKNOWN',
      tensor: moved?.name ?? x.name,
      shape: moved?.shape ?? [],
      bits: moved ? tensorBits(moved) : 0,
      sources: x.route.sources,
      targets: x.route.targets,
      links: x.route.linksUsed,
      rawCycles: x.rawCycles,
      activeCycles: x.activeCycles,
      reuseFactor: x.outputReuseFactor,
    };
  });
  return [...compute, ...transfers].sort((a, b) => a.start - b.start || a.slot - b.slot);
}

/** Slots in which each tensor is produced and consumed (by node slot). */
function tensorSlots(workload: Workload, slotOf: ReadonlyMap<string, number>) {
  const produced = new Map<string, number>();
  const lastUse = new Map<string, number>();
  for (const node of workload.nodes) {
    const slot = slotOf.get(node.name);
    if (slot === undefined) continue;
    for (const t of nodeOutputs(node)) produced.set(t.name, slot);
    for (const t of nodeInputs(node)) lastUse.set(t.name, Math.max(slot, lastUse.get(t.name) ?? slot));
  }
  return { produced, lastUse };
}

function memoryOf(g: ScheduledGroup, starts: readonly number[], cores: ReadonlyMap<number, CoreInfo>): CoreMemory[] {
  const { solution } = g;
  const period = solution.latencyPerIteration;
  const { produced, lastUse } = tensorSlots(g.schedule.steadyState.workload, g.schedule.timeslots.slotOf);
  const slotEnd = (s: number) => (starts[s] ?? period) + (solution.slotLatencies[s] ?? 0);
  const perCore = new Map<number, TensorLifetime[]>();
  for (const t of solution.tensors) {
    if (t.residentBitsPerCore <= 0) continue;
    const persistent = t.tiles > 1 || t.reuseFactor > 1;
    const producer = produced.get(t.name);
    const consumer = lastUse.get(t.name);
    const from = persistent || producer === undefined ? 0 : (starts[producer] ?? 0);
    const to = persistent || consumer === undefined ? period : Math.max(from, slotEnd(consumer));
    for (const core of t.cores) {
      const list = perCore.get(core) ?? [];
      list.push({ tensor: t.name, bits: t.residentBitsPerCore, persistent, from, to });
      perCore.set(core, list);
    }
  }
  return [...perCore]
    .sort(([a], [b]) => a - b)
    .map(([coreId, tensors]) => ({
      coreId,
      capacityBits: cores.get(coreId)?.capacityBits ?? 0,
      allocatedBits: tensors.reduce((s, t) => s + t.bits, 0),
      // Code-unit order, not localeCompare: its first call loads ICU data (~20 ms on the report's critical path).
      tensors: [...tensors].sort((a, b) => b.bits - a.bits || (a.tensor < b.tensor ? -1 : a.tensor > b.tensor ? 1 : 0)),
    }));
}

function groupTimeline(g: ScheduledGroup, start: number, cores: ReadonlyMap<number, CoreInfo>): GroupTimeline {
  const s = g.solution;
  const starts = slotStarts(s.slotLatencies);
  const members = new Map<number, string[]>();
  for (const [name, slot] of g.schedule.timeslots.slotOf) members.set(slot, [...(members.get(slot) ?? []), name]);
  return {
    index: g.index,
    start,
    latency: s.latencyTotal,
    perIteration: s.latencyPerIteration,
    overlap: s.overlap,
    step: s.latencyPerIteration - s.overlap,
    iterations: s.iterations,
    slots: s.slotLatencies.map((latency, slot) => ({ slot, start: starts[slot], latency, members: members.get(slot) ?? [] })),
    activities: activitiesOf(g, starts),
    memory: memoryOf(g, starts, cores),
  };
}

/** The whole run on one timeline: groups back to back in execution order. */
export function runTimeline(accelerator: Accelerator, workload: string, groups: readonly ScheduledGroup[]): RunTimeline {
  const cores = accelerator.cores.map(coreInfo).sort((a, b) => a.id - b.id);
  const coreById = new Map(cores.map((c) => [c.id, c]));
  const ordered = [...groups].sort((a, b) => a.index - b.index);
  const timelines: GroupTimeline[] = [];
  let start = 0;
  for (const g of ordered) {
    timelines.push(groupTimeline(g, start, coreById));
    start += g.solution.latencyTotal;
  }
  return {
    workload,
    accelerator: accelerator.name,
    totalLatency: start,
    cores,
    links: accelerator.links.map(linkInfo),
    groups: timelines,
  };
}
