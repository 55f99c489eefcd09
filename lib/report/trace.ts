/**
 * Perfetto / Chrome trace JSON of a run's steady-state schedule (reference-surface §6.3, extended).
 *
 * One process; one track per compute core and per link or bus, plus a fusion-group track, an iteration
 * track and a timeslot track. Every computation appears on each core it occupies and every transfer on
 * each link of its chosen route, as a complete event (`ph: X`) whose args carry the tensor, tile, cycles
 * and bytes. Groups run back to back on one timeline; inside a group iterations start every S = T − O
 * cycles. A group with many iterations draws its first `leadingIterations` (i−1, i, i+1 of the
 * reference) and its last one at their true times, and marks the iterations in between on the iteration
 * track, so the trace stays small while the timeline still adds up to the reported latency.
 *
 * Perfetto does not accept partially overlapping slices on one track. Consecutive iterations overlap by
 * O cycles, and two transfers may share a link, so each track is split into lanes (extra threads named
 * `… (lane 2)`) by interval partitioning: inside a lane slices never overlap.
 *
 * Memory occupancy per core is a counter track with two series, the live bits of the timeline's lifetime
 * model and the MILP's reservation (lib/report/timeline.ts).
 *
 * Time: `ts`/`dur` are microseconds (the format's unit) at `clockHz` (default 1 GHz, so one cycle is one
 * nanosecond and the UI's ns read as cycles); `otherData.clock_hz` states it.
 */
import * as t from 'io-ts';
import { Activity, GroupTimeline, RunTimeline } from './timeline';

// ---------------------------------------------------------------------------------------------------
// Format (io-ts codecs; the types derive from them)

const ArgValue = t.union([t.string, t.number, t.boolean, t.null, t.readonlyArray(t.union([t.string, t.number]))]);
const Args = t.readonly(t.record(t.string, ArgValue));

export const CompleteEventCodec = t.readonly(
  t.intersection([
    t.type({
      ph: t.literal('X'),
      name: t.string,
      cat: t.string,
      pid: t.number,
      tid: t.number,
      ts: t.number,
      dur: t.number,
      args: Args,
    }),
    t.partial({ cname: t.string }),
  ]),
);

export const CounterEventCodec = t.readonly(
  t.type({ ph: t.literal('C'), name: t.string, pid: t.number, ts: t.number, args: t.readonly(t.record(t.string, t.number)) }),
);

export const MetadataEventCodec = t.union([
  t.readonly(t.type({ ph: t.literal('M'), name: t.literal('process_name'), pid: t.number, args: t.type({ name: t.string }) })),
  t.readonly(t.type({ ph: t.literal('M'), name: t.literal('process_sort_index'), pid: t.number, args: t.type({ sort_index: t.number }) })),
  t.readonly(t.type({ ph: t.literal('M'), name: t.literal('thread_name'), pid: t.number, tid: t.number, args: t.type({ name: t.string }) })),
  t.readonly(
    t.type({ ph: t.literal('M'), name: t.literal('thread_sort_index'), pid: t.number, tid: t.number, args: t.type({ sort_index: t.number }) }),
  ),
]);

export const TraceEventCodec = t.union([CompleteEventCodec, CounterEventCodec, MetadataEventCodec]);

const GroupMetadataCodec = t.readonly(
  t.type({
    group: t.number,
    start_cycle: t.number,
    latency_cycles: t.number,
    latency_per_iteration_cycles: t.number,
    overlap_cycles: t.number,
    iter_step_cycles: t.number,
    total_iterations: t.number,
    drawn_iterations: t.readonlyArray(t.number),
    slot_latencies_cycles: t.readonlyArray(t.number),
  }),
);

export const TraceMetadataCodec = t.readonly(
  t.type({
    generator: t.string,
    workload: t.string,
    accelerator: t.string,
    clock_hz: t.number,
    time_base: t.string,
    total_latency_cycles: t.number,
    groups: t.readonlyArray(GroupMetadataCodec),
    memory_model: t.string,
    lanes: t.string,
  }),
);

export const ChromeTraceCodec = t.readonly(
  t.type({
    traceEvents: t.readonlyArray(TraceEventCodec),
    displayTimeUnit: t.literal('ns'),
    otherData: TraceMetadataCodec,
  }),
);

export type CompleteEvent = t.TypeOf<typeof CompleteEventCodec>;
export type CounterEvent = t.TypeOf<typeof CounterEventCodec>;
export type MetadataEvent = t.TypeOf<typeof MetadataEventCodec>;
export type TraceEvent = t.TypeOf<typeof TraceEventCodec>;
export type TraceMetadata = t.TypeOf<typeof TraceMetadataCodec>;
export type ChromeTrace = t.TypeOf<typeof ChromeTraceCodec>;
type ArgValue = t.TypeOf<typeof ArgValue>;

// ---------------------------------------------------------------------------------------------------
// Time

/**
 * Perfetto's JSON importer reads a number as integer part + fraction digits / 10^k and truncates
 * `value × 1000` to integer nanoseconds. Mirroring it lets the builder pick, for every integer ns, a
 * microsecond value that imports to exactly that ns; otherwise `1.001` µs would import as 1000 ns and two
 * abutting slices could overlap by a nanosecond, which Perfetto rejects as bad nesting.
 */
export function perfettoImportedNs(micros: number): number {
  const text = String(micros);
  if (!/[.eE]/.test(text)) return Number(text) * 1000;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return Math.trunc(micros * 1000);
  let value = 0;
  for (const digit of match[2]) value = value * 10 + Number(digit);
  if (match[3]) {
    let fraction = 0;
    let divisor = 1;
    for (const digit of match[3]) {
      fraction = fraction * 10 + Number(digit);
      divisor *= 10;
    }
    value += fraction / divisor;
  }
  return Math.trunc((match[1] ? -value : value) * 1000);
}

/** Microseconds for an integer number of nanoseconds that Perfetto imports back to exactly those ns. */
export function microsFromNs(ns: number): number {
  for (let nudge = 0; nudge < 10; nudge++) {
    const micros = (ns + nudge * 1e-4) / 1000;
    if (perfettoImportedNs(micros) === ns) return micros;
  }
  return ns / 1000;
}

// ---------------------------------------------------------------------------------------------------
// Builder

export interface TraceOptions {
  /** Clock that maps cycles to time; default 1 GHz (1 cycle = 1 ns). */
  readonly clockHz?: number;
  /** Iterations drawn at the start of a group before the elided middle; default 3 (i−1, i, i+1). */
  readonly leadingIterations?: number;
}

export const DEFAULT_CLOCK_HZ = 1e9;
const PID = 1;

/** Iterations a group draws: all of them when few, else the first `leading` and the last. */
export function drawnIterations(iterations: number, leading: number): number[] {
  if (iterations <= leading + 1) return Array.from({ length: iterations }, (_, k) => k);
  return [...Array.from({ length: leading }, (_, k) => k), iterations - 1];
}

interface Slice {
  readonly track: string;
  readonly name: string;
  readonly cat: string;
  readonly cname?: string;
  readonly startNs: number;
  readonly endNs: number;
  readonly args: Readonly<Record<string, ArgValue>>;
}

interface Track {
  readonly key: string;
  readonly name: string;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const list = (xs: readonly number[]) => xs.join(',');
const shape = (xs: readonly number[]) => `[${xs.join('×')}]`;

function activityArgs(a: Activity, group: number, iteration: number, slotLatency: number, absoluteStart: number): Record<string, ArgValue> {
  const common = {
    group,
    iteration,
    slot: a.slot,
    slot_latency_cycles: slotLatency,
    start_cycle: absoluteStart,
    cycles: round3(a.duration),
  };
  if (a.kind === 'compute') {
    return {
      ...common,
      node: a.name,
      op_type: a.opType,
      cores: list(a.cores),
      tile: Object.entries(a.tile)
        .map(([d, s]) => `${d}=${s}`)
        .join(' '),
      active_fraction: `${a.activeFraction[0]}/${a.activeFraction[1]}`,
      tensor: a.outputs.map((o) => o.tensor).join(','),
      tensor_tile_shape: a.outputs.map((o) => shape(o.shape)).join(','),
      bytes: a.outputs.reduce((s, o) => s + o.bits / 8, 0),
    };
  }
  return {
    ...common,
    transfer: a.name,
    transfer_type: a.transferType,
    tensor: a.tensor,
    tensor_tile_shape: shape(a.shape),
    bytes: a.bits / 8,
    raw_cycles: a.rawCycles,
    active_cycles: a.activeCycles,
    reuse_factor: a.reuseFactor,
    from_cores: list(a.sources),
    to_cores: list(a.targets),
  };
}

function groupSlices(g: GroupTimeline, drawn: readonly number[], ns: (cycles: number) => number, linkLabels: ReadonlyMap<number, string>): Slice[] {
  const slices: Slice[] = [
    {
      track: 'groups',
      name: `group ${g.index}`,
      cat: 'group',
      cname: 'generic_work',
      startNs: ns(g.start),
      endNs: ns(g.start + g.latency),
      args: {
        group: g.index,
        latency_cycles: g.latency,
        iterations: g.iterations,
        latency_per_iteration_cycles: g.perIteration,
        overlap_cycles: g.overlap,
        iter_step_cycles: g.step,
        nodes: g.activities.filter((a) => a.kind === 'compute').map((a) => a.name),
      },
    },
  ];
  const iterationStart = (k: number) => g.start + k * g.step;
  const lastLeading = drawn.length > 1 && drawn[drawn.length - 1] - drawn[drawn.length - 2] > 1 ? drawn[drawn.length - 2] : undefined;
  if (lastLeading !== undefined) {
    const first = lastLeading + 1;
    const last = g.iterations - 2;
    slices.push({
      track: 'iterations',
      name: `iterations ${first}…${last} not drawn`,
      cat: 'elided',
      cname: 'grey',
      startNs: ns(iterationStart(first)),
      endNs: ns(iterationStart(last) + g.perIteration),
      args: { group: g.index, first_iteration: first, last_iteration: last, count: last - first + 1, iter_step_cycles: g.step },
    });
  }
  for (const k of drawn) {
    const origin = iterationStart(k);
    slices.push({
      track: 'iterations',
      name: `iteration ${k}`,
      cat: 'iteration',
      cname: 'generic_work',
      startNs: ns(origin),
      endNs: ns(origin + g.perIteration),
      args: { group: g.index, iteration: k, start_cycle: origin, latency_per_iteration_cycles: g.perIteration },
    });
    for (const slot of g.slots) {
      if (slot.latency <= 0) continue;
      slices.push({
        track: 'slots',
        name: `slot ${slot.slot}`,
        cat: 'slot',
        cname: 'grey',
        startNs: ns(origin + slot.start),
        endNs: ns(origin + slot.start + slot.latency),
        args: { group: g.index, iteration: k, slot: slot.slot, slot_latency_cycles: slot.latency, members: slot.members },
      });
    }
    for (const a of g.activities) {
      const start = origin + a.start;
      const slotLatency = g.slots[a.slot]?.latency ?? 0;
      const base = { name: a.name, startNs: ns(start), endNs: ns(start + a.duration), args: activityArgs(a, g.index, k, slotLatency, start) };
      if (a.kind === 'compute') {
        for (const core of a.cores) slices.push({ ...base, args: { ...base.args, core_id: core }, track: `core:${core}`, cat: 'compute', cname: 'good' });
      } else {
        const offChip = a.transferType === 'MEM_TO_COMPUTE' || a.transferType === 'COMPUTE_TO_MEM';
        for (const link of a.links) {
          const args = { ...base.args, link_index: link, link: linkLabels.get(link) ?? `link ${link}` };
          slices.push({ ...base, args, track: `link:${link}`, cat: 'transfer', cname: offChip ? 'bad' : 'thread_state_running' });
        }
      }
    }
  }
  return slices;
}

/** Interval partitioning: each slice goes to the first lane whose last slice ended by its start. */
function assignLanes(slices: readonly Slice[]): Slice[][] {
  const lanes: Slice[][] = [];
  const sorted = [...slices].sort((a, b) => a.startNs - b.startNs || b.endNs - a.endNs);
  for (const s of sorted) {
    const lane = lanes.find((l) => l[l.length - 1].endNs <= s.startNs);
    if (lane) lane.push(s);
    else lanes.push([s]);
  }
  return lanes;
}

const KIB = 8 * 1024;

/** Memory counters per core: (ns, live bits, allocated bits) change points, in time order. */
function memoryCounters(run: RunTimeline, drawnOf: ReadonlyMap<number, readonly number[]>, ns: (cycles: number) => number): CounterEvent[] {
  const coreIds = [...new Set(run.groups.flatMap((g) => g.memory.map((m) => m.coreId)))].sort((a, b) => a - b);
  const events: CounterEvent[] = [];
  for (const coreId of coreIds) {
    const deltas = new Map<number, { live: number; allocated: number }>();
    const add = (cycle: number, live: number, allocated: number) => {
      const at = ns(cycle);
      const d = deltas.get(at) ?? { live: 0, allocated: 0 };
      deltas.set(at, { live: d.live + live, allocated: d.allocated + allocated });
    };
    for (const g of run.groups) {
      add(g.start, 0, 0);
      add(g.start + g.latency, 0, 0);
      const memory = g.memory.find((m) => m.coreId === coreId);
      if (!memory) continue;
      add(g.start, 0, memory.allocatedBits);
      add(g.start + g.latency, 0, -memory.allocatedBits);
      for (const tensor of memory.tensors) {
        if (tensor.persistent) {
          add(g.start, tensor.bits, 0);
          add(g.start + g.latency, -tensor.bits, 0);
          continue;
        }
        if (tensor.to <= tensor.from) continue;
        for (const k of drawnOf.get(g.index) ?? []) {
          const origin = g.start + k * g.step;
          add(origin + tensor.from, tensor.bits, 0);
          add(origin + tensor.to, -tensor.bits, 0);
        }
      }
    }
    let live = 0;
    let allocated = 0;
    const name = `Memory ${run.cores.find((c) => c.id === coreId)?.label ?? `Core ${coreId}`} (KiB)`;
    for (const at of [...deltas.keys()].sort((a, b) => a - b)) {
      const d = deltas.get(at) ?? { live: 0, allocated: 0 };
      live += d.live;
      allocated += d.allocated;
      events.push({ ph: 'C', name, pid: PID, ts: microsFromNs(at), args: { live: round3(live / KIB), allocated: round3(allocated / KIB) } });
    }
  }
  return events;
}

export function buildTrace(run: RunTimeline, options: TraceOptions = {}): ChromeTrace {
  const clockHz = options.clockHz ?? DEFAULT_CLOCK_HZ;
  const leading = options.leadingIterations ?? 3;
  const nsPerCycle = 1e9 / clockHz;
  const ns = (cycles: number) => Math.round(cycles * nsPerCycle);

  const drawnOf = new Map(run.groups.map((g) => [g.index, drawnIterations(g.iterations, leading)] as const));
  const linkLabels = new Map(run.links.map((l) => [l.index, l.label]));
  const slices = run.groups.flatMap((g) => groupSlices(g, drawnOf.get(g.index) ?? [], ns, linkLabels));

  const busyCores = new Set(slices.filter((s) => s.track.startsWith('core:')).map((s) => s.track));
  const usedLinks = new Set(slices.filter((s) => s.track.startsWith('link:')).map((s) => s.track));
  const tracks: Track[] = [
    { key: 'groups', name: 'Fusion groups' },
    { key: 'iterations', name: 'Iterations' },
    { key: 'slots', name: 'Timeslots' },
    ...run.cores
      .filter((c) => c.kind === 'compute' || busyCores.has(`core:${c.id}`))
      .map((c) => ({
        key: `core:${c.id}`,
        name: `${c.label} · ${c.detail}${c.col !== undefined && c.row !== undefined ? ` (col ${c.col}, row ${c.row})` : ''}`,
      })),
    ...run.links.filter((l) => usedLinks.has(`link:${l.index}`)).map((l) => ({ key: `link:${l.index}`, name: `${l.label} · ${l.bandwidth} bit/cycle` })),
  ];

  const byTrack = new Map<string, Slice[]>();
  for (const s of slices) {
    const bucket = byTrack.get(s.track);
    if (bucket) bucket.push(s);
    else byTrack.set(s.track, [s]);
  }

  const metadata: MetadataEvent[] = [
    { ph: 'M', name: 'process_name', pid: PID, args: { name: `Schedule: ${run.workload} on ${run.accelerator}` } },
    { ph: 'M', name: 'process_sort_index', pid: PID, args: { sort_index: 0 } },
  ];
  const complete: CompleteEvent[] = [];
  let tid = 0;
  for (const track of tracks) {
    const lanes = assignLanes(byTrack.get(track.key) ?? []);
    if (lanes.length === 0) lanes.push([]);
    lanes.forEach((lane, i) => {
      tid += 1;
      const name = i === 0 ? track.name : `${track.name} (lane ${i + 1})`;
      metadata.push({ ph: 'M', name: 'thread_name', pid: PID, tid, args: { name } });
      metadata.push({ ph: 'M', name: 'thread_sort_index', pid: PID, tid, args: { sort_index: tid } });
      for (const s of lane) {
        complete.push({
          ph: 'X',
          name: s.name,
          cat: s.cat,
          pid: PID,
          tid,
          ts: microsFromNs(s.startNs),
          dur: microsFromNs(s.endNs - s.startNs),
          args: s.args,
          ...(s.cname ? { cname: s.cname } : {}),
        });
      }
    });
  }

  const clockLabel = clockHz >= 1e9 ? `${clockHz / 1e9} GHz` : `${clockHz / 1e6} MHz`;
  return {
    traceEvents: [...metadata, ...complete, ...memoryCounters(run, drawnOf, ns)],
    displayTimeUnit: 'ns',
    otherData: {
      generator: 'stream-dse-ts',
      workload: run.workload,
      accelerator: run.accelerator,
      clock_hz: clockHz,
      time_base: `ts and dur in microseconds at a ${clockLabel} clock: 1 cycle = ${nsPerCycle} ns; args give cycles`,
      total_latency_cycles: run.totalLatency,
      groups: run.groups.map((g) => ({
        group: g.index,
        start_cycle: g.start,
        latency_cycles: g.latency,
        latency_per_iteration_cycles: g.perIteration,
        overlap_cycles: g.overlap,
        iter_step_cycles: g.step,
        total_iterations: g.iterations,
        drawn_iterations: drawnOf.get(g.index) ?? [],
        slot_latencies_cycles: g.slots.map((s) => s.latency),
      })),
      memory_model:
        'live: a tensor tile is live from its producer slot start to its last consumer slot end; tensors buffered over several tiles or reused over several iterations are live for the whole group (counted for the drawn iterations only); allocated: the MILP reservation per core',
      lanes: 'overlapping slices of one resource (iteration overlap, shared links) go to extra lanes named "(lane n)"',
    },
  };
}

/** The trace as written to `trace.json`: one event per line keeps large traces diffable and streamable. */
export function formatTrace(trace: ChromeTrace): string {
  const events = trace.traceEvents.map((e) => JSON.stringify(e)).join(',\n');
  return `{"displayTimeUnit":"ns","otherData":${JSON.stringify(trace.otherData)},"traceEvents":[\n${events}\n]}\n`;
}
