/**
 * Golden parity of everything between the parsed inputs and the tiled fusion group: generated mapping,
 * unique dims (untiled and tiled), fusion splits (ordered), tiled sizes, total MAC ops and the per-core
 * layers handed to ZigZag, for all 16 matrix cells, the quick start and the hand-mapping case.
 */
import { parse as parseYaml, stringify } from 'yaml';
import { toMappingYamlData, toWritableMapping } from '../../lib/mapping/generator/model';
import { writeMappingYaml } from '../../lib/mapping';
import { TiledFusionGroup } from '../../lib/tiling/model';
import { uniqueDimName } from '../../lib/workload/analysis/unique-dimensions';
import { GoldenCase, GoldenGroup, handMappingCase, haveGolden, matrixCells, quickstartCase } from '../fixtures/tiling/golden';
import { runGeneric, runWithMapping, runWithMappingData } from '../fixtures/tiling/pipeline';
import { dimensionView } from '../fixtures/tiling/views';

const fusionSplitsRecord = (g: TiledFusionGroup) => Object.fromEntries(g.fusionSplits.map((s) => [uniqueDimName(s.dim), s.splits]));
const tiledSizesRecord = (g: TiledFusionGroup) => Object.fromEntries(g.tiledSizes.map((s, z) => [uniqueDimName(z), s]));

/** The fields of a golden `zigzag_layer` (it has no memory links or MAC count). */
const GOLDEN_LAYER_FIELDS = ['layer_type', 'equation', 'layer_dim_sizes', 'operand_precision', 'dimension_relations', 'padding', 'pr_layer_dim_sizes'] as const;

function checkTiledGroup(tiled: TiledFusionGroup, golden: GoldenGroup): void {
  // Ordered: the fusion-split order drives the temporal loop order of every SSIS.
  expect(Object.entries(fusionSplitsRecord(tiled))).toEqual(Object.entries(golden.fusion_splits));
  // Unordered: the reference prints tiled_sizes in Python set order.
  expect(tiledSizesRecord(tiled)).toEqual(golden.tiled_sizes);
  expect(tiled.totalMacOps).toBe(golden.total_mac_ops);
  expect(dimensionView(tiled.untiledDimensions)).toEqual(golden.unique_dimensions.untiled_group_workload);
  expect(dimensionView(tiled.dimensions)).toEqual(golden.unique_dimensions.tiled_group_workload);

  // One request per cost-table row, and the golden ZigZag calls (cores with an identical cost model reuse
  // the first result and have no call) equal our layer for that (node, core).
  const requestKeys = tiled.costRequests.map((r) => `${r.node}@${r.coreId}`);
  expect([...requestKeys].sort()).toEqual(golden.cost_table.map((r) => `${r.node}@${r.core_id}`).sort());
  for (const call of golden.zigzag_calls) {
    const request = tiled.costRequests.find((r) => r.node === call.node && r.coreId === call.core_id)!;
    expect(request.layer).toBeDefined();
    if (!call.zigzag_layer) continue; // the quick start run did not record its layers
    const ours = Object.fromEntries(GOLDEN_LAYER_FIELDS.map((k) => [k, request.layer![k]]));
    expect([call.node, call.core_id, ours]).toEqual([call.node, call.core_id, call.zigzag_layer]);
  }
}

function genericCases(): [string, GoldenCase][] {
  return haveGolden ? [...matrixCells().map((c) => [c.id, c] as [string, GoldenCase]), ['quickstart', quickstartCase()]] : [];
}

(haveGolden ? describe : describe.skip)('generic pipeline golden parity', () => {
  describe.each(genericCases())('%s', (_id, c) => {
    const run = runGeneric(c);

    it('splits into the golden fusion groups', () => {
      expect(run.tiled.length).toBe(c.groups.length);
    });

    it('generates the golden mapping.yaml', () => {
      run.generated.groups.forEach((g, i) => {
        const data = toMappingYamlData(g.plan.mapping);
        expect(data).toEqual(parseYaml(c.groups[i].mapping_yaml!));
        // PyYAML block style (sequences not indented under their key) gives the same text.
        expect(stringify(data, { indentSeq: false })).toBe(c.groups[i].mapping_yaml);
        // lib/mapping's writer (its own layout) carries the same content.
        expect(parseYaml(writeMappingYaml(toWritableMapping(g.plan.mapping)))).toEqual(parseYaml(c.groups[i].mapping_yaml!));
      });
    });

    it('tiles like the reference (splits, sizes, dims, MAC ops, per-core layers)', () => {
      run.tiled.forEach((g, i) => checkTiledGroup(g, c.groups[i]));
    });
  });
});

(haveGolden ? describe : describe.skip)('hand-mapping pipeline golden parity', () => {
  const c = haveGolden ? handMappingCase() : undefined;

  it('tiles the 2-conv test mapping like the reference (loaded and resolved by lib/mapping)', () => {
    const tiled = runWithMapping(c!);
    expect(tiled.length).toBe(c!.groups.length);
    tiled.forEach((g, i) => checkTiledGroup(g, c!.groups[i]));
  });

  it('tiles the raw mapping-file data the same way', () => {
    const tiled = runWithMappingData(c!);
    expect(tiled.length).toBe(c!.groups.length);
    tiled.forEach((g, i) => checkTiledGroup(g, c!.groups[i]));
  });
});
