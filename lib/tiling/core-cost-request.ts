/**
 * The per-(node, core) layer handed to the cost model (reference-co-pipeline §8 "ZigZag interface",
 * reference-cost-model §3.1): the node's per-core tile as a ZigZag layer record.
 */
import { clippedExtent, tensorAccessors, uniqueDimForm } from '../workload/analysis/tensor-shape';
import { UniqueDimensions } from '../workload/analysis/unique-dimensions';
import { ComputationNode, ELEMENT_BITS, Tensor } from '../workload/model';
import { CoreCostRequest, TiledNode, ZigzagLayerRecord } from './model';

const OPERAND_NAMES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

/** Layer construction failed where the reference's raises; the node falls back to ideal cycles. */
export class LayerConstructionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LayerConstructionError';
  }
}

/**
 * Extent of `tensor` along `axis` under `sizes` (per unique dim), max over every accessor of the tensor in
 * the tiled workload and clipped to the tensor's tiled shape. For Conv2's input this is the full 32 even
 * when Conv2 splits ox: Conv1 writes the whole row.
 */
function prExtent(dimensions: UniqueDimensions, tensor: Tensor, axis: number, sizes: readonly number[]): number {
  return Math.max(
    ...tensorAccessors(dimensions, tensor.name).map(({ node, map }) =>
      clippedExtent(uniqueDimForm(dimensions, node, map.results[axis]), sizes, tensor.shape[axis]),
    ),
  );
}

/**
 * `ZigZagCostEstimator.get_layer_node` for one node of the tiled workload: base loops `D0..D(n−1)` at the
 * per-core sizes; an index `d + c` is plain `d`; a two-loop index `c1·dp + c2·dq − p` becomes a pr loop
 * `D(n+j)` (numbered output first, then inputs) with relation, padding `(p, p)` and clipped extent.
 * Throws `LayerConstructionError` for anything else (bare constants such as broadcast axes, `2·d` alone,
 * three-loop sums, positive constants), like the reference.
 */
export function zigzagLayerRecord(node: ComputationNode, tiled: TiledNode, dimensions: UniqueDimensions): ZigzagLayerRecord {
  if (node.outputs.length !== 1) throw new LayerConstructionError(`${node.name}: a layer needs exactly one output.`);
  if (node.inputs.length > OPERAND_NAMES.length) throw new LayerConstructionError(`${node.name}: more inputs than operand names.`);
  const n = tiled.perCoreDimSizes.length;
  const sizes = [...dimensions.sizes];
  tiled.dims.forEach((z, i) => (sizes[z] = tiled.perCoreDimSizes[i]));

  const relations: string[] = [];
  const padding: Record<string, readonly [number, number]> = {};
  const prSizes: Record<string, number> = {};
  const operand = (name: string, tensor: Tensor, mapIndex: number): string => {
    const brackets = node.operandMaps[mapIndex].results.map((e, axis) => {
      if (e.terms.length === 1 && e.terms[0].coef === 1) return `[d${e.terms[0].dim}]`;
      if (e.terms.length === 2) {
        if (e.constant > 0) throw new LayerConstructionError(`${node.name}: positive offset ${e.constant} in ${name} index ${axis}.`);
        const pr = `D${n + relations.length}`;
        const [t1, t2] = e.terms;
        relations.push(`${pr} = ${t1.coef}*D${t1.dim} + ${t2.coef}*D${t2.dim}`);
        padding[pr] = [Math.abs(e.constant), Math.abs(e.constant)];
        prSizes[pr] = prExtent(dimensions, tensor, axis, sizes);
        return `[${pr.toLowerCase()}]`;
      }
      throw new LayerConstructionError(`${node.name}: unsupported index expression in ${name} index ${axis} (bare constant or not a one/two-loop sum).`);
    });
    return `${name}${brackets.join('')}`;
  };

  const output = node.outputs[0];
  const lhs = operand('O', output, node.inputs.length);
  const rhs = node.inputs.map((t, i) => operand(OPERAND_NAMES[i], t, i));
  const precision: Record<string, number> = {};
  const links: Record<string, string> = {};
  node.inputs.forEach((t, i) => {
    precision[OPERAND_NAMES[i]] = ELEMENT_BITS[t.elementType];
    links[OPERAND_NAMES[i]] = `I${i + 1}`;
  });
  precision.O = ELEMENT_BITS[output.elementType];
  precision.O_final = ELEMENT_BITS[output.elementType];
  links.O = 'O';
  const layerDimSizes: Record<string, number> = {};
  tiled.perCoreDimSizes.forEach((s, i) => (layerDimSizes[`D${i}`] = s));
  return {
    layer_type: node.type,
    equation: `${lhs} = ${rhs.join(' * ')}`,
    layer_dim_sizes: layerDimSizes,
    operand_precision: precision,
    dimension_relations: relations,
    padding,
    pr_layer_dim_sizes: prSizes,
    memory_operand_links: links,
    total_mac_count: tiled.perCoreDimSizes.reduce((a, b) => a * b, 1),
  };
}

/** One request per core of the node's allocation (the layer is the same on every core). */
export function coreCostRequests(node: ComputationNode, tiled: TiledNode, dimensions: UniqueDimensions): readonly CoreCostRequest[] {
  let layer: ZigzagLayerRecord | undefined;
  let layerError: string | undefined;
  try {
    layer = zigzagLayerRecord(node, tiled, dimensions);
  } catch (e) {
    if (!(e instanceof LayerConstructionError)) throw e;
    layerError = e.message;
  }
  return tiled.coreIds.map((coreId) => ({
    node: node.name,
    nodeType: node.type,
    coreId,
    perCoreDimSizes: tiled.perCoreDimSizes,
    ...(layer ? { layer } : { layerError }),
  }));
}
