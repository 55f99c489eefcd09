/**
 * End to end through the real front ends: ONNX → mapping → tiling (lib/workload, lib/mapping,
 * lib/tiling) → steady-state scheduler → MILP (lib/milp on HiGHS) → memory accesses, compared with every
 * golden intermediate of the 16 matrix cells, the quick start and the hand-mapping case. Only the cost
 * LUT latencies are taken from the golden record.
 */
import { SteadyStateOutcome, solveSteadyState } from '../../lib/milp';
import { loadSolverBackend, SolverBackend } from '../../lib/solver';
import { estimateMemoryAccesses } from '../../lib/scheduler/memory-accesses';
import { linkLabel, toSteadyStateProblem } from '../../lib/scheduler/problem';
import { FinalAllocation, finalAllocations, solvedTransfersOf } from '../../lib/scheduler/results';
import { activeFraction, formatSsis } from '../../lib/scheduler/ssis';
import { scheduleSteadyState, schedulerInputOf } from '../../lib/scheduler/steady-state';
import { Accelerator } from '../../lib/hardware/model';
import { exampleAccelerator } from '../fixtures/scheduler/accelerators';
import { GoldenAllocation, goldenCases, graphView, memoryAccessesView, zName } from '../fixtures/scheduler/golden';
import { goldenLutLatencies, tiledGroupsOf } from '../fixtures/scheduler/pipeline';

let highs: SolverBackend;
beforeAll(async () => {
  highs = await loadSolverBackend('highs');
});

const allocationView = (a: FinalAllocation, accelerator: Accelerator): GoldenAllocation =>
  a.kind === 'compute'
    ? { name: a.name, kind: 'compute', core_allocation: [a.cores], inter_core_tiling: [a.interCoreTiling.map((u) => [zName(u.dim), u.factor] as const)] }
    : {
        name: a.name,
        kind: 'transfer',
        route: [
          {
            sources: a.route.sources,
            targets: a.route.targets,
            score: a.route.score,
            links_used: a.route.linksUsed.map((l) => ({ link: linkLabel(accelerator, l), bandwidth: accelerator.links[l].bandwidth })),
          },
        ],
        memory_allocation: a.memoryAllocation,
      };

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const accelerator = exampleAccelerator(c.hardware);
  const groups = tiledGroupsOf(c);
  const schedule = scheduleSteadyState(schedulerInputOf(groups[0], accelerator));
  const problem = toSteadyStateProblem(schedule, accelerator, { label: `${c.id} group 0`, lutLatencies: goldenLutLatencies(c) });
  let outcome: SteadyStateOutcome | undefined;
  const solved = () => {
    outcome ??= solveSteadyState(problem, highs);
    if (!outcome.feasible) throw new Error(outcome.summary);
    return outcome;
  };

  it('has one fusion group', () => {
    expect(groups).toHaveLength(1);
  });

  it('steady-state graph', () => {
    expect(graphView(schedule.steadyState.workload, c.group.steady_state_graph.map((n) => n.name))).toEqual(c.group.steady_state_graph);
  });

  it('unique dims of the steady-state workload', () => {
    const view = c.group.unique_dimensions.steady_state_workload_with_transfers;
    expect(view.nodes.map((n) => ({ name: n.name, dims: schedule.dims.nodeDims.get(n.name)?.map(zName) }))).toEqual(view.nodes.map((n) => ({ name: n.name, dims: n.dims })));
    expect(view.unique_dims.map((u) => schedule.dims.sizes[Number(u.dim.slice(1))])).toEqual(view.unique_dims.map((u) => u.size));
  });

  it('fusion splits after transfer insertion (values and order)', () => {
    expect(schedule.fusionSplits.map((s) => [zName(s.dim), s.splits])).toEqual(Object.entries(c.group.fusion_splits_after_transfer_insertion));
  });

  it('SSIS of every node and tensor', () => {
    expect(Object.fromEntries([...schedule.ssis.nodes].map(([n, s]) => [n, formatSsis(s)]))).toEqual(c.group.ssis.nodes_outer_to_inner);
    expect(Object.fromEntries([...schedule.ssis.tensors].map(([n, s]) => [n, formatSsis(s)]))).toEqual(c.group.ssis.tensors_outer_to_inner);
  });

  it('iterations, timeslots and max slot', () => {
    expect(schedule.iterations).toBe(c.group.iterations);
    expect(schedule.timeslots.slots).toEqual(c.group.timeslots.map((s) => s.members.map((m) => m.name)));
    expect(schedule.timeslots.maxSlot).toBe(c.group.max_slot);
  });

  it('slot members: cores, active fractions, route choices and routes', () => {
    const ours = c.group.timeslots.flatMap((s) =>
      s.members
        .filter((m) => m.kind === 'compute' || m.kind === 'transfer')
        .map((m) => {
          const space = schedule.ssis.nodes.get(m.name);
          const mapping = schedule.transfers.find((t) => t.transfer === m.name);
          return m.kind === 'compute'
            ? { name: m.name, cores: schedule.computeCores.get(m.name), fraction: space && activeFraction(space) }
            : { name: m.name, fraction: space && activeFraction(space), choices: mapping?.routes.length, route: mapping && allocationView({ name: m.name, kind: 'transfer', route: mapping.routes[0], memoryAllocation: [] }, accelerator).route?.[0] };
        }),
    );
    const golden = c.group.timeslots.flatMap((s) =>
      s.members
        .filter((m) => m.kind === 'compute' || m.kind === 'transfer')
        .map((m) =>
          m.kind === 'compute'
            ? { name: m.name, cores: m.cores, fraction: m.active_fraction }
            : { name: m.name, fraction: m.active_fraction, choices: m.n_route_choices, route: m.route },
        ),
    );
    expect(ours).toEqual(golden);
  });

  it('MILP on our problem: latency, slot latencies and objective levels', () => {
    const r = solved();
    expect({ latency: r.latencyTotal, perIteration: r.latencyPerIteration, slots: r.slotLatencies, objectives: r.objectives }).toEqual({
      latency: c.group.latency,
      perIteration: c.group.latency_per_iteration,
      slots: c.group.timeslots.map((s) => s.slot_latency),
      objectives: {
        latency: c.group.lexicographic_objectives.latency_level,
        offchipTraffic: c.group.lexicographic_objectives.offchip_traffic_level,
        buffering: c.group.lexicographic_objectives.buffering_level,
      },
    });
  });

  it('final allocations', () => {
    const allocations = finalAllocations(schedule, solvedTransfersOf(solved()));
    expect(allocations.map((a) => allocationView(a, accelerator))).toEqual(c.group.final_allocations);
  });

  it('memory accesses from the golden reuse stops', () => {
    const reuseStops = new Map(c.group.tensor_reuse.map((t) => [t.tensor, t.reuse_stop_level]));
    expect(memoryAccessesView(estimateMemoryAccesses(schedule, accelerator, { reuseStops }))).toEqual(c.group.memory_accesses);
  });

  it('memory accesses from our solved reuse stops', () => {
    expect(memoryAccessesView(estimateMemoryAccesses(schedule, accelerator, solvedTransfersOf(solved())))).toEqual(c.group.memory_accesses);
  });
});
