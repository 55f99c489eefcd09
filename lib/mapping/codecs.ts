/**
 * Leaf shapes of the mapping YAML (reference-surface §1.3). The structure around them (legacy-format
 * detection, one allocation group, fused-group references) is checked by hand in `load.ts`, because
 * its messages are the reference's own.
 */
import { anything, listOf, mapOf, matching, nonNegInt, str, strictObject } from '../common/codecs';

export const LAYER_ENTRY_FIELDS = ['name', 'core_allocation', 'inter_core_tiling', 'kernel'] as const;
export const FUSED_GROUP_FIELDS = ['name', 'layers', 'intra_core_tiling'] as const;

export const coreGroupCodec = listOf(nonNegInt, { minLength: 1 });

export const kernelCodec = strictObject('a kernel map', { name: str, kwargs: mapOf(anything) }, {});


/** `D<n>`: a node-local loop index. */
export const LOCAL_DIM_PATTERN = /^D(\d+)$/;
/** `<NodeName>.D<n>`: split on the last dot. */
export const QUALIFIED_DIM_PATTERN = /^(.+)\.D(\d+)$/;

/** MLIR affine map without the wrapper, e.g. `(d0, d1) -> (d1, d0)`. */
export const AFFINE_MAP_PATTERN = /^\(\s*((?:d\d+)(?:\s*,\s*d\d+)*)?\s*\)\s*->\s*\((.*)\)$/;

export const runtimeArgCodec = strictObject('a runtime-argument map', {}, { layout: matching(AFFINE_MAP_PATTERN, "an affine map like '(d0, d1) -> (d1, d0)'") });
