/**
 * The mapping the generic ("auto") generator produces for one fusion group, in the shape of the mapping
 * YAML (reference-surface §1.3): one layer entry per computation node and exactly one fused group,
 * `Fused_Group_1`. No kernels, no runtime args.
 */
import type { WritableMapping } from '../write';

/** `{dim: "D<i>", split}`: split local loop `d<i>` of the layer over `split` cores. */
export interface InterCoreSplitEntry {
  readonly dim: string;
  readonly split: number;
}

/** `{dim: "<Node>.D<i>", tile}`: per-core extent of that loop in one steady-state iteration. */
export interface IntraCoreTileEntry {
  readonly dim: string;
  readonly tile: number;
}

export interface GeneratedLayerEntry {
  /** The node name (the generator never emits operator-type entries). */
  readonly name: string;
  /** Exactly one core group. */
  readonly coreAllocation: readonly (readonly number[])[];
  /** Empty, or one list of splits paralleling `coreAllocation`. */
  readonly interCoreTiling: readonly (readonly InterCoreSplitEntry[])[];
}

export interface GeneratedFusedGroup {
  readonly name: string;
  readonly layers: readonly string[];
  readonly intraCoreTiling: readonly IntraCoreTileEntry[];
}

export interface GeneratedMapping {
  readonly layers: readonly GeneratedLayerEntry[];
  readonly fusedGroups: readonly GeneratedFusedGroup[];
}

/** The name the reference gives the single fused group of a generated mapping. */
export const GENERATED_FUSED_GROUP_NAME = 'Fused_Group_1';

/** The YAML data of a mapping file (snake_case keys in the reference's key order). */
export interface MappingYamlData {
  readonly layers: readonly {
    readonly name: string;
    readonly core_allocation: readonly (readonly number[])[];
    readonly inter_core_tiling: readonly (readonly { readonly dim: string; readonly split: number }[])[];
  }[];
  readonly fused_groups: readonly {
    readonly name: string;
    readonly layers: readonly string[];
    readonly intra_core_tiling: readonly { readonly dim: string; readonly tile: number }[];
  }[];
}

/** What gets written to `group_<i>/mapping.yaml` (serialise with the mapping writer, keys in this order). */
export function toMappingYamlData(mapping: GeneratedMapping): MappingYamlData {
  return {
    layers: mapping.layers.map((l) => ({
      name: l.name,
      core_allocation: l.coreAllocation.map((g) => [...g]),
      inter_core_tiling: l.interCoreTiling.map((g) => g.map((e) => ({ dim: e.dim, split: e.split }))),
    })),
    fused_groups: mapping.fusedGroups.map((g) => ({
      name: g.name,
      layers: [...g.layers],
      intra_core_tiling: g.intraCoreTiling.map((e) => ({ dim: e.dim, tile: e.tile })),
    })),
  };
}

/**
 * The generated mapping in lib/mapping's writer input form: `writeMappingYaml(toWritableMapping(m))`
 * writes `group_<i>/mapping.yaml`.
 */
export function toWritableMapping(mapping: GeneratedMapping): WritableMapping {
  const localDim = (d: string) => {
    const dim = parseLocalDim(d);
    if (dim === undefined) throw new Error(`Generated inter-core split on '${d}' is not a D<i> loop.`);
    return dim;
  };
  return {
    layers: mapping.layers.map((l) => ({
      name: l.name,
      coreAllocation: l.coreAllocation[0] ?? [],
      interCoreTiling: (l.interCoreTiling[0] ?? []).map((s) => ({ dim: localDim(s.dim), split: s.split })),
    })),
    fusedGroups: mapping.fusedGroups.map((g) => ({
      name: g.name,
      layers: g.layers,
      intraCoreTiling: g.intraCoreTiling.map((t) => {
        const ref = parseIntraCoreDim(t.dim);
        if (!ref) throw new Error(`Generated intra-core tile on '${t.dim}' is not a <Node>.D<i> loop.`);
        return { node: ref.node, dim: ref.dim, tile: t.tile };
      }),
    })),
  };
}

/** `Conv1.D0` → `{node: 'Conv1', dim: 0}` (split on the last dot, as the reference does). */
export function parseIntraCoreDim(dim: string): { readonly node: string; readonly dim: number } | undefined {
  const dot = dim.lastIndexOf('.');
  if (dot < 0) return undefined;
  const loop = dim.slice(dot + 1);
  if (!/^D\d+$/.test(loop)) return undefined;
  return { node: dim.slice(0, dot), dim: Number(loop.slice(1)) };
}

/** `D6` → 6. */
export function parseLocalDim(dim: string): number | undefined {
  return /^D\d+$/.test(dim) ? Number(dim.slice(1)) : undefined;
}
