/**
 * The scheduler against every golden intermediate it produces, from hand-built tiled groups, the golden
 * core allocations and inter-core tilings, and the real workload analysis for the steady-state dims.
 */
import { activeFraction, formatSsis } from '../../lib/scheduler/ssis';
import { scheduleSteadyState } from '../../lib/scheduler/steady-state';
import { goldenCases, goldenSchedulerInput, zName } from '../fixtures/scheduler/golden';

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const schedule = scheduleSteadyState(goldenSchedulerInput(c));

  it('re-derives the unique dims of the steady-state workload', () => {
    const view = c.group.unique_dimensions.steady_state_workload_with_transfers;
    expect(view.nodes.map((n) => ({ name: n.name, dims: schedule.dims.nodeDims.get(n.name)?.map(zName) }))).toEqual(
      view.nodes.map((n) => ({ name: n.name, dims: n.dims })),
    );
    expect(view.unique_dims.map((u) => schedule.dims.sizes[Number(u.dim.slice(1))])).toEqual(view.unique_dims.map((u) => u.size));
  });

  it('re-keys the fusion splits to the steady-state dims', () => {
    expect(Object.fromEntries(schedule.fusionSplits.map((s) => [zName(s.dim), s.splits]))).toEqual(c.group.fusion_splits_after_transfer_insertion);
    expect(Object.keys(Object.fromEntries(schedule.fusionSplits.map((s) => [zName(s.dim), s.splits])))).toEqual(
      Object.keys(c.group.fusion_splits_after_transfer_insertion),
    );
  });

  it('builds the SSIS of every node', () => {
    const ours = Object.fromEntries([...schedule.ssis.nodes].map(([n, s]) => [n, formatSsis(s)]));
    expect(ours).toEqual(c.group.ssis.nodes_outer_to_inner);
  });

  it('builds the SSIS of every tensor', () => {
    const ours = Object.fromEntries([...schedule.ssis.tensors].map(([n, s]) => [n, formatSsis(s)]));
    expect(ours).toEqual(c.group.ssis.tensors_outer_to_inner);
  });

  it('counts the steady-state iterations', () => {
    expect(schedule.iterations).toBe(c.group.iterations);
  });

  it('assigns the golden timeslots', () => {
    expect(schedule.timeslots.slots).toEqual(c.group.timeslots.map((s) => s.members.map((m) => m.name)));
    expect(schedule.timeslots.maxSlot).toBe(c.group.max_slot);
  });

  it('gives every slot member its golden active fraction and route', () => {
    for (const slot of c.group.timeslots) {
      for (const m of slot.members) {
        if (m.active_fraction) {
          const space = schedule.ssis.nodes.get(m.name);
          expect({ node: m.name, fraction: space && activeFraction(space) }).toEqual({ node: m.name, fraction: m.active_fraction });
        }
        if (m.kind === 'transfer') {
          const mapping = schedule.transfers.find((t) => t.transfer === m.name);
          expect({ node: m.name, choices: mapping?.routes.length, score: mapping?.routes[0].score, sources: mapping?.routes[0].sources, targets: mapping?.routes[0].targets }).toEqual({
            node: m.name,
            choices: m.n_route_choices,
            score: m.route?.score,
            sources: m.route?.sources,
            targets: m.route?.targets,
          });
        }
      }
    }
  });
});
