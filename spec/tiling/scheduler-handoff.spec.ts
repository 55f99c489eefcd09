/**
 * The hand-off to the steady-state scheduler: our tiled fusion groups, fed to `scheduleSteadyState`, give
 * the reference's steady-state dims, re-keyed fusion splits and iteration counts.
 */
import { Accelerator } from '../../lib/hardware/model';
import { SteadyStateSchedulerInput, scheduleSteadyState } from '../../lib/scheduler/steady-state';
import { TiledFusionGroup } from '../../lib/tiling/model';
import { uniqueDimName } from '../../lib/workload/analysis/unique-dimensions';
import { GoldenCase, handMappingCase, haveGolden, matrixCells, quickstartCase } from '../fixtures/tiling/golden';
import { loadGoldenAccelerator, runGeneric, runWithMapping } from '../fixtures/tiling/pipeline';

/** Everything the scheduler takes comes straight off the `TiledFusionGroup`. */
function schedulerInput(group: TiledFusionGroup, accelerator: Accelerator): SteadyStateSchedulerInput {
  return {
    tiledWorkload: group.workload,
    tiledNodeDims: group.dimensions.nodeDims,
    fusionSplits: group.fusionSplits,
    computeCores: new Map(group.nodes.map((n) => [n.name, n.coreIds])),
    computeTilings: new Map(group.nodes.map((n) => [n.name, n.interCoreTilingInUniqueDims])),
    accelerator,
  };
}

interface ScheduleGolden {
  readonly iterations: number;
  readonly fusion_splits_after_transfer_insertion: Readonly<Record<string, number>>;
}

function cases(): [string, GoldenCase, () => readonly TiledFusionGroup[]][] {
  if (!haveGolden) return [];
  return [
    ...matrixCells().map((c) => [c.id, c, () => runGeneric(c).tiled] as [string, GoldenCase, () => readonly TiledFusionGroup[]]),
    ['quickstart', quickstartCase(), () => runGeneric(quickstartCase()).tiled],
    ['hand mapping', handMappingCase(), () => runWithMapping(handMappingCase())],
  ];
}

(haveGolden ? describe : describe.skip)('tiled fusion group → steady-state scheduler', () => {
  it.each(cases())('%s', (_id, c, run) => {
    const accelerator = loadGoldenAccelerator(c);
    run().forEach((group, i) => {
      const golden = c.groups[i] as unknown as ScheduleGolden;
      const schedule = scheduleSteadyState(schedulerInput(group, accelerator));
      expect(schedule.iterations).toBe(golden.iterations);
      expect(Object.fromEntries(schedule.fusionSplits.map((s) => [uniqueDimName(s.dim), s.splits]))).toEqual(golden.fusion_splits_after_transfer_insertion);
      expect(schedule.dims.sizes).toEqual(c.groups[i].unique_dimensions.steady_state_workload_with_transfers.unique_dims.map((d) => d.size));
    });
  });
});
