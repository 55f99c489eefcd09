/**
 * Serialises a mapping in the reference's generated-mapping schema (reference-surface §1.3.7), so that
 * a generated mapping can be written next to a run and read back as a hand-written one.
 */
import { Document, isMap, isSeq } from 'yaml';
import { FusedGroupSpec, LayerEntry, RuntimeArg } from './model';

export interface WritableMapping {
  readonly layers: readonly Pick<LayerEntry, 'name' | 'coreAllocation' | 'interCoreTiling' | 'kernel'>[];
  readonly fusedGroups: readonly Pick<FusedGroupSpec, 'name' | 'layers' | 'intraCoreTiling'>[];
  readonly runtimeArgs?: Readonly<Record<string, Pick<RuntimeArg, 'layout'>>>;
  readonly meta?: unknown;
}

export function writeMappingYaml(mapping: WritableMapping): string {
  const data: Record<string, unknown> = {
    layers: mapping.layers.map((entry) => ({
      name: entry.name,
      core_allocation: [[...entry.coreAllocation]],
      inter_core_tiling: entry.interCoreTiling.length > 0 ? [entry.interCoreTiling.map((s) => ({ dim: `D${s.dim}`, split: s.split }))] : [],
      ...(entry.kernel ? { kernel: { name: entry.kernel.name, kwargs: { ...entry.kernel.kwargs } } } : {}),
    })),
    fused_groups: mapping.fusedGroups.map((group) => ({
      name: group.name,
      layers: [...group.layers],
      intra_core_tiling: group.intraCoreTiling.map((t) => ({ dim: `${t.node}.D${t.dim}`, tile: t.tile })),
    })),
  };
  const runtimeArgs = Object.entries(mapping.runtimeArgs ?? {});
  if (runtimeArgs.length > 0) {
    data.runtime_args = Object.fromEntries(runtimeArgs.map(([tensor, arg]) => [tensor, arg.layout !== undefined ? { layout: arg.layout } : {}]));
  }
  if (mapping.meta !== undefined) data.meta = mapping.meta;

  const doc = new Document(data);
  // Short lists read best on one line: core groups, tilings and fused-group layer lists.
  const layers = doc.get('layers');
  if (isSeq(layers)) {
    for (const entry of layers.items) {
      if (!isMap(entry)) continue;
      for (const key of ['core_allocation', 'inter_core_tiling']) {
        const node = entry.get(key, true);
        if (isSeq(node)) node.flow = true;
      }
    }
  }
  const groups = doc.get('fused_groups');
  if (isSeq(groups)) {
    for (const group of groups.items) {
      if (!isMap(group)) continue;
      const names = group.get('layers', true);
      if (isSeq(names)) names.flow = true;
      const tiles = group.get('intra_core_tiling', true);
      if (isSeq(tiles)) for (const tile of tiles.items) if (isMap(tile)) tile.flow = true;
    }
  }
  return doc.toString({ lineWidth: 0 });
}
