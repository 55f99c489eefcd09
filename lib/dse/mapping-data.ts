/**
 * A variant's mapping in the two forms the rest of the engine reads: the data of a mapping YAML (what
 * `parseMapping` and the CO pipeline's `mappingData` take) and lib/mapping's writer input.
 */
import { MappingYamlData } from '../mapping/generator/model';
import { MappingSpec } from '../mapping/model';
import { WritableMapping } from '../mapping/write';
import { VariantMapping } from './model';

export function toMappingData(mapping: VariantMapping): MappingYamlData {
  return {
    layers: mapping.layers.map((l) => ({
      name: l.node,
      core_allocation: [[...l.coreIds]],
      inter_core_tiling: l.interCoreTiling.length > 0 ? [l.interCoreTiling.map((s) => ({ dim: `D${s.dim}`, split: s.split }))] : [],
    })),
    fused_groups: mapping.fusedGroups.map((g) => ({
      name: g.name,
      layers: [...g.layers],
      intra_core_tiling: g.intraCoreTiling.map((t) => ({ dim: `${t.node}.D${t.dim}`, tile: t.tile })),
    })),
  };
}

export function toWritableVariantMapping(mapping: VariantMapping, meta?: unknown): WritableMapping {
  return {
    layers: mapping.layers.map((l) => ({ name: l.node, coreAllocation: l.coreIds, interCoreTiling: l.interCoreTiling })),
    fusedGroups: mapping.fusedGroups,
    ...(meta !== undefined ? { meta } : {}),
  };
}

/** One line per mapping: `Gemm_Left@0,1,2,3:D2×4 Silu@5 | {Gemm_Left Silu}: Gemm_Left.D1=128 …`. */
export function mappingSummary(mapping: VariantMapping): string {
  const layers = mapping.layers.map((l) => `${l.node}@${l.coreIds.join(',')}${l.interCoreTiling.map((s) => `:D${s.dim}×${s.split}`).join('')}`).join(' ');
  const groups = mapping.fusedGroups
    .map((g) => `{${g.layers.join(' ')}}: ${g.intraCoreTiling.map((t) => `${t.node}.D${t.dim}=${t.tile}`).join(' ')}`)
    .join(' | ');
  return `${layers} | ${groups}`;
}

/** A validated mapping file's content as a variant mapping (layer entries keep their names, node or operator type). */
export function variantMappingOf(spec: MappingSpec): VariantMapping {
  return {
    layers: spec.layers.map((l) => ({ node: l.name, coreIds: l.coreAllocation, interCoreTiling: l.interCoreTiling })),
    fusedGroups: spec.fusedGroups.map((g) => ({ name: g.name, layers: g.layers, intraCoreTiling: g.intraCoreTiling })),
  };
}
