/**
 * Tensor extents under new unique-dim sizes (reference-co-pipeline §3.6).
 *
 * An axis extent is the range of its index expression over the box `z ∈ [0, size_z − 1]`, clipped to the
 * original axis, and the **maximum over all accessors** of the tensor. Hence a conv input tile includes
 * its halo, and an intermediate read by a conv consumer keeps the consumer-side (full) extent, which is
 * why conv→conv chains never get an automatic fusion tiling.
 */
import { AffineExpr, AffineMap, IterationSpaceNode, Tensor } from '../model';
import { mapsOfTensor } from './graph';
import { UniqueDimensions } from './unique-dimensions';

/** An index expression rewritten over unique dims: `Σ coef·z + constant`. */
export interface UniqueDimForm {
  readonly coefs: ReadonlyMap<number, number>;
  readonly constant: number;
}

/** Substitutes `z + offset` for every local dim of `node` in `expr`. */
export function uniqueDimForm(dimensions: UniqueDimensions, node: IterationSpaceNode, expr: AffineExpr): UniqueDimForm {
  const first = dimensions.firstSlot.get(node.name);
  if (first === undefined) throw new Error(`Node ${node.name} has no iteration space in this workload.`);
  const coefs = new Map<number, number>();
  let constant = expr.constant;
  for (const t of expr.terms) {
    const slot = dimensions.slots[first + t.dim];
    coefs.set(slot.dim, (coefs.get(slot.dim) ?? 0) + t.coef);
    constant += t.coef * slot.offset;
  }
  for (const [z, c] of [...coefs]) if (c === 0) coefs.delete(z);
  return { coefs, constant };
}

/** Extent of one index expression over the box, clipped to `[0, axisSize − 1]` (0 when the range misses the axis). */
export function clippedExtent(form: UniqueDimForm, sizes: readonly number[], axisSize: number): number {
  let lo = form.constant;
  let hi = form.constant;
  for (const [z, c] of form.coefs) {
    const span = c * (sizes[z] - 1);
    if (span >= 0) hi += span;
    else lo += span;
  }
  const clippedLo = Math.max(lo, 0);
  const clippedHi = Math.min(hi, axisSize - 1);
  return Math.max(clippedHi - clippedLo + 1, 0);
}

export interface TensorAccessor {
  readonly node: IterationSpaceNode;
  readonly map: AffineMap;
}

/** Accessor index per analysed workload; the capacity tiler asks for the same tensors many times. */
const accessorIndex = new WeakMap<UniqueDimensions, ReadonlyMap<string, readonly TensorAccessor[]>>();

/** Every (node, map) pair through which iteration-space nodes access `tensorName`, in dataflow order. */
export function tensorAccessors(dimensions: UniqueDimensions, tensorName: string): readonly TensorAccessor[] {
  let index = accessorIndex.get(dimensions);
  if (!index) {
    const built = new Map<string, TensorAccessor[]>();
    for (const node of dimensions.nodes) {
      for (const name of new Set([...node.inputs, ...node.outputs].map((t) => t.name))) {
        const list = built.get(name) ?? [];
        for (const map of mapsOfTensor(node, name)) list.push({ node, map });
        built.set(name, list);
      }
    }
    index = built;
    accessorIndex.set(dimensions, index);
  }
  return index.get(tensorName) ?? [];
}

/**
 * `get_tensor_shape_with_dimension_sizes`: the tensor's shape when unique dim z has size `sizes[z]`.
 * A tensor no iteration-space node accesses keeps its shape.
 */
export function tensorShapeWithDimensionSizes(dimensions: UniqueDimensions, tensor: Tensor, sizes: readonly number[]): number[] {
  const accessors = tensorAccessors(dimensions, tensor.name);
  if (accessors.length === 0) return [...tensor.shape];
  return tensor.shape.map((axisSize, axis) =>
    Math.max(
      ...accessors.map(({ node, map }) => clippedExtent(uniqueDimForm(dimensions, node, map.results[axis]), sizes, axisSize)),
    ),
  );
}

/** A unique dim and the factor by which it is divided (`size_z // factor`). */
export interface DimTiling {
  readonly dim: number;
  readonly factor: number;
}

/** `get_tensor_shape_with_tiling`: the shape with each listed dim's size floor-divided by its factor. */
export function tensorShapeWithTiling(dimensions: UniqueDimensions, tensor: Tensor, tiling: readonly DimTiling[]): number[] {
  const sizes = [...dimensions.sizes];
  for (const { dim, factor } of tiling) sizes[dim] = Math.floor(sizes[dim] / factor);
  return tensorShapeWithDimensionSizes(dimensions, tensor, sizes);
}

/**
 * `get_tensor_dimensions`: unique dims with a non-zero stride on the tensor, ascending.
 *
 * The strides are read from the tensor's **last accessor in dataflow order** (its consumer when there is
 * one), not from the union of accessors: in the quick start's steady-state graph, `input_1` (written by
 * `Transfer(input)` with an identity map, read by Conv1 at `oy + fy − 1`) is VARYING in Conv1's dims and
 * INVARIANT in the transfer's H/W dims in the golden tensor SSIS.
 */
export function tensorDimensions(dimensions: UniqueDimensions, tensorName: string): readonly number[] {
  const accessors = tensorAccessors(dimensions, tensorName);
  if (accessors.length === 0) return [];
  const { node, map } = accessors[accessors.length - 1];
  const dims = new Set<number>();
  for (const expr of map.results) for (const z of uniqueDimForm(dimensions, node, expr).coefs.keys()) dims.add(z);
  return [...dims].sort((a, b) => a - b);
}
