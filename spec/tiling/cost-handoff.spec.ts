/**
 * The hand-off to the cost model: every `CoreCostRequest` layer goes through lib/cost's `layerFromRecord`
 * and `estimateLayerCost` and gives the reference's cost-table latency for that (node, core).
 */
import { Core, ZigzagCoreSpec } from '../../lib/hardware/model';
import { estimateLayerCost } from '../../lib/cost/estimate';
import { LayerRecord, layerFromRecord } from '../../lib/cost/layer';
import { CoreCostRequest } from '../../lib/tiling/model';
import { GoldenCase, handMappingCase, haveGolden, matrixCells, quickstartCase } from '../fixtures/tiling/golden';
import { loadGoldenAccelerator, runGeneric, runWithMapping } from '../fixtures/tiling/pipeline';

interface CostRow {
  readonly node: string;
  readonly core_id: number;
  readonly latency_total: number;
}

/** Our layer record is the cost model's input type. */
const asLayerRecord = (r: CoreCostRequest): LayerRecord | undefined => r.layer;

function cases(): [string, GoldenCase, () => readonly { costRequests: readonly CoreCostRequest[] }[]][] {
  if (!haveGolden) return [];
  return [
    ...matrixCells().map((c) => [c.id, c, () => runGeneric(c).tiled] as [string, GoldenCase, () => readonly { costRequests: readonly CoreCostRequest[] }[]]),
    ['quickstart', quickstartCase(), () => runGeneric(quickstartCase()).tiled],
    ['hand mapping', handMappingCase(), () => runWithMapping(handMappingCase())],
  ];
}

(haveGolden ? describe : describe.skip)('core cost requests → cost model', () => {
  it.each(cases())('%s', (_id, c, run) => {
    const cores = new Map<number, Core>(loadGoldenAccelerator(c).cores.map((core) => [core.id, core]));
    run().forEach((group, i) => {
      const rows = c.groups[i].cost_table as unknown as readonly CostRow[];
      const memo = new Map<string, number>();
      for (const request of group.costRequests) {
        const spec = cores.get(request.coreId)!.spec as ZigzagCoreSpec;
        const record = asLayerRecord(request)!;
        const key = `${spec.name}|${JSON.stringify(record)}`;
        let latency = memo.get(key);
        if (latency === undefined) {
          latency = estimateLayerCost(layerFromRecord(record), spec).latencyTotal;
          memo.set(key, latency);
        }
        const golden = rows.find((r) => r.node === request.node && r.core_id === request.coreId)!;
        expect([request.node, request.coreId, latency]).toEqual([golden.node, golden.core_id, golden.latency_total]);
      }
    });
  });
});
