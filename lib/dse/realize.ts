/**
 * From a choice vector to a complete mapping: every node's allocation, the fusion groups of the chosen
 * cut points, and each group's intra-core tiling. Checks what the tiling stage would reject (a tile
 * times the group's spatial unrolling must divide its dim; a nonlinear reduction stays in one block), so
 * the sweep only spends evaluations on mappings the pipeline accepts.
 */
import { MappingGenerationError } from '../mapping/generator/errors';
import { GENERATED_FUSED_GROUP_NAME } from '../mapping/generator/model';
import { IntraCoreTile } from '../mapping/model';
import { TilingError } from '../tiling/errors';
import { UniqueDimTile, determineFusionSplits, interCoreTilingInUniqueDims, spatialUnrollings, unrollOf } from '../tiling/fusion-splits';
import { AllocationAxis, CutAxis, GroupLayout, NodeAllocationChoice, SkippedChoice, TileAxis, Variant, VariantMapping, VariantSpace } from './model';

export type Realized = { readonly ok: true; readonly mapping: VariantMapping; readonly changes: readonly string[] } | { readonly ok: false; readonly reason: string };

function allocations(space: VariantSpace, choice: readonly number[]): Map<string, NodeAllocationChoice> {
  const byNode = new Map<string, NodeAllocationChoice>();
  space.axes.forEach((axis, i) => {
    if (axis.kind !== 'allocation') return;
    for (const a of axis.options[choice[i]].nodes) byNode.set(a.node, a);
  });
  return byNode;
}

/**
 * The anchors' tiles for one group: with the base cuts its own anchors; else each anchor's tile moves to
 * the group's first loop on the same whole-workload dim, and the group's auto tiling fills the rest.
 */
function groupTiles(space: VariantSpace, layout: GroupLayout, groupIndex: number, baseCuts: boolean, tiles: readonly { axis: TileAxis; tile: number | null }[]): IntraCoreTile[] {
  const entries: IntraCoreTile[] = [];
  if (baseCuts) {
    for (const { axis, tile } of tiles) {
      if (tile !== null && axis.anchor.baseGroup === groupIndex) entries.push({ node: axis.anchor.node, dim: axis.anchor.loop, tile });
    }
    return entries;
  }
  const taken = new Set<number>();
  const add = (node: string, loop: number, tile: number) => {
    const groupDim = layout.dimensions.nodeDims.get(node)![loop];
    if (taken.has(groupDim)) return;
    taken.add(groupDim);
    entries.push({ node, dim: loop, tile });
  };
  for (const { axis, tile } of tiles) {
    if (tile === null) continue;
    const z = space.workloadDims.get(axis.anchor.node)?.[axis.anchor.loop];
    for (const node of layout.nodes) {
      const loop = space.workloadDims.get(node)?.indexOf(z ?? -1) ?? -1;
      if (loop < 0) continue;
      add(node, loop, tile);
      break;
    }
  }
  // Loops no anchor reaches keep the auto mapper's tile for this group.
  for (const t of layout.autoTiles) add(t.node, t.dim, t.tile);
  return entries;
}

function unrollingsOf(layout: GroupLayout, byNode: ReadonlyMap<string, NodeAllocationChoice>) {
  return spatialUnrollings(layout.nodes.map((n) => interCoreTilingInUniqueDims(layout.dimensions.nodeDims.get(n)!, byNode.get(n)!.interCoreTiling)));
}

export function realizeChoice(space: VariantSpace, choice: readonly number[]): Realized {
  const byNode = allocations(space, choice);
  const cutIndex = space.axes.findIndex((a) => a.kind === 'cuts');
  const cutOption = cutIndex >= 0 ? choice[cutIndex] : 0;
  let layouts: readonly GroupLayout[];
  try {
    layouts = space.layoutOf(cutOption);
  } catch (err) {
    if (err instanceof MappingGenerationError || err instanceof TilingError) return { ok: false, reason: `fusion cuts: ${err.message}` };
    throw err;
  }
  const tiles = space.axes.flatMap((axis, i) => (axis.kind === 'tile' ? [{ axis, tile: axis.options[choice[i]] }] : []));

  const fusedGroups: VariantMapping['fusedGroups'][number][] = [];
  for (const [g, layout] of layouts.entries()) {
    const unrollings = unrollingsOf(layout, byNode);
    let entries = groupTiles(space, layout, g, cutOption === 0, tiles);
    if (entries.length === 0) {
      // Whole layers, as the auto mapper's fallback: the first node's D0 at its full per-core extent.
      const first = layout.nodes[0];
      const z = layout.dimensions.nodeDims.get(first)![0];
      entries = [{ node: first, dim: 0, tile: Math.max(1, Math.floor(layout.dimensions.sizes[z] / unrollOf(unrollings, z))) }];
    }
    const inGroupDims: UniqueDimTile[] = entries.map((e) => ({ dim: layout.dimensions.nodeDims.get(e.node)![e.dim], tile: e.tile, entry: `${e.node}.D${e.dim}` }));
    try {
      determineFusionSplits(inGroupDims, layout.dimensions, unrollings, layout.nonlinearReductionDims);
    } catch (err) {
      if (err instanceof TilingError) return { ok: false, reason: `group ${g}: ${err.message}` };
      throw err;
    }
    fusedGroups.push({ name: layouts.length === 1 ? GENERATED_FUSED_GROUP_NAME : `Fused_Group_${g + 1}`, layers: layout.nodes, intraCoreTiling: entries });
  }

  const changes = space.axes.flatMap((axis, i) => (choice[i] === 0 ? [] : [changeLabel(axis, choice[i])]));
  return { ok: true, mapping: { layers: space.nodes.map((n) => byNode.get(n)!), fusedGroups }, changes };
}

function changeLabel(axis: AllocationAxis | TileAxis | CutAxis, option: number): string {
  if (axis.kind === 'tile') {
    const tile = axis.options[option];
    return tile === null ? `${axis.name} untiled` : `${axis.name}=${tile}`;
  }
  return `${axis.name}: ${axis.options[option].label}`;
}

/** A canonical text of a mapping: equal texts are the same variant. */
export function mappingKey(mapping: VariantMapping): string {
  return JSON.stringify(mapping);
}

export function toVariant(index: number, choice: readonly number[], realized: Extract<Realized, { ok: true }>): Variant {
  return { index, choice, mapping: realized.mapping, changes: realized.changes };
}

export function toSkipped(choice: readonly number[], reason: string): SkippedChoice {
  return { choice, reason };
}
