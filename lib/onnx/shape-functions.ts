/**
 * Output shapes of the operators the front end supports, computed from input shapes, attributes and
 * integer constants (Reshape shape, Slice indices, Squeeze/Unsqueeze axes). This replaces the Python
 * `onnx.shape_inference` pass the reference runs (ecosystem-notes §4.7, option 2).
 */
import { Either, left, right } from 'fp-ts/Either';
import { AttributeReader, normalizeAxis } from './attributes';
import { OnnxDataType } from './element-types';
import type { OnnxNode } from './model';
import { resolveWindowGeometry } from './window-geometry';

export interface TypedShape {
  /** ONNX `TensorProto.DataType` code. */
  readonly elemType: number;
  readonly shape: readonly number[];
}

export interface ShapeQuery {
  readonly node: OnnxNode;
  /** Default-domain opset version in force for the node. */
  readonly opsetVersion: number;
  /** By input position; `undefined` for an omitted optional input. */
  readonly inputs: readonly (TypedShape | undefined)[];
  /** Values of constant integer inputs (INT64/INT32 initializers and `Constant` outputs), by input position. */
  readonly constants: readonly (readonly number[] | undefined)[];
}

/** `Left` carries the reason the shapes cannot be inferred. */
export type ShapeFunction = (query: ShapeQuery) => Either<string, readonly TypedShape[]>;

const fmt = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const product = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);

function input(q: ShapeQuery, index: number, role: string): Either<string, TypedShape> {
  const t = q.inputs[index];
  return t ? right(t) : left(`missing ${role} input (position ${index})`);
}

function firstError(attrs: AttributeReader): Either<string, never> | undefined {
  return attrs.errors.length > 0 ? left(attrs.errors.join('; ')) : undefined;
}

/** Numpy multidirectional broadcasting. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): Either<string, readonly number[]> {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    let size = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + axis];
      if (d === undefined || d === 1) continue;
      if (size !== 1 && size !== d) return left(`shapes ${shapes.map(fmt).join(' and ')} cannot be broadcast`);
      size = d;
    }
    out.push(size);
  }
  return right(out);
}

const sameAsFirstInput: ShapeFunction = (q) => {
  const x = input(q, 0, 'data');
  return x._tag === 'Left' ? x : right([x.right]);
};

const broadcasting: ShapeFunction = (q) => {
  const present = q.inputs.filter((t): t is TypedShape => t !== undefined);
  if (present.length < 2) return left(`expects 2 inputs, got ${present.length}`);
  const shape = broadcastShapes(present.map((t) => t.shape));
  return shape._tag === 'Left' ? shape : right([{ elemType: present[0].elemType, shape: shape.right }]);
};

const matMul: ShapeFunction = (q) => {
  const a = input(q, 0, 'A');
  const b = input(q, 1, 'B');
  if (a._tag === 'Left') return a;
  if (b._tag === 'Left') return b;
  // Rank-1 operands are promoted as numpy does, then the added axis is removed again.
  const aShape = a.right.shape.length === 1 ? [1, a.right.shape[0]] : a.right.shape;
  const bShape = b.right.shape.length === 1 ? [b.right.shape[0], 1] : b.right.shape;
  if (aShape.length < 2 || bShape.length < 2) return left('MatMul operands must have rank >= 1');
  const k1 = aShape[aShape.length - 1];
  const k2 = bShape[bShape.length - 2];
  if (k1 !== k2) return left(`contraction sizes differ: A ${fmt(a.right.shape)} and B ${fmt(b.right.shape)}`);
  const batch = broadcastShapes([aShape.slice(0, -2), bShape.slice(0, -2)]);
  if (batch._tag === 'Left') return batch;
  const shape = [...batch.right];
  if (a.right.shape.length !== 1) shape.push(aShape[aShape.length - 2]);
  if (b.right.shape.length !== 1) shape.push(bShape[bShape.length - 1]);
  return right([{ elemType: a.right.elemType, shape }]);
};

const gemm: ShapeFunction = (q) => {
  const a = input(q, 0, 'A');
  const b = input(q, 1, 'B');
  if (a._tag === 'Left') return a;
  if (b._tag === 'Left') return b;
  const attrs = AttributeReader.of(q.node);
  const transA = attrs.int('transA', 0) !== 0;
  const transB = attrs.int('transB', 0) !== 0;
  const bad = firstError(attrs);
  if (bad) return bad;
  if (a.right.shape.length !== 2 || b.right.shape.length !== 2) {
    return left(`Gemm operands must be 2-D, got A ${fmt(a.right.shape)} and B ${fmt(b.right.shape)}`);
  }
  const [m, ka] = transA ? [a.right.shape[1], a.right.shape[0]] : a.right.shape;
  const [kb, n] = transB ? [b.right.shape[1], b.right.shape[0]] : b.right.shape;
  if (ka !== kb) {
    return left(`contraction sizes differ: A ${fmt(a.right.shape)} (transA=${+transA}) and B ${fmt(b.right.shape)} (transB=${+transB})`);
  }
  return right([{ elemType: a.right.elemType, shape: [m, n] }]);
};

const conv: ShapeFunction = (q) => {
  const x = input(q, 0, 'X');
  const w = input(q, 1, 'W');
  if (x._tag === 'Left') return x;
  if (w._tag === 'Left') return w;
  const xs = x.right.shape;
  const ws = w.right.shape;
  if (xs.length < 3 || ws.length !== xs.length) return left(`Conv expects X and W of equal rank >= 3, got X ${fmt(xs)} and W ${fmt(ws)}`);
  const attrs = AttributeReader.of(q.node);
  const group = attrs.int('group', 1);
  const kernelAttr = attrs.ints('kernel_shape');
  const bad = firstError(attrs);
  if (bad) return bad;
  const kernel = ws.slice(2);
  if (kernelAttr && fmt(kernelAttr) !== fmt(kernel)) return left(`kernel_shape ${fmt(kernelAttr)} does not match the weight shape ${fmt(ws)}`);
  if (group < 1 || xs[1] !== ws[1] * group) {
    return left(`input channels ${xs[1]} do not match weight channels ${ws[1]} x group ${group}`);
  }
  const g = resolveWindowGeometry(attrs, { inputSpatial: xs.slice(2), kernel, ceilMode: false });
  if (!g.ok) return left(g.errors.join('; '));
  return right([{ elemType: x.right.elemType, shape: [xs[0], ws[0], ...g.geometry.outputSpatial] }]);
};

const maxPool: ShapeFunction = (q) => {
  const x = input(q, 0, 'X');
  if (x._tag === 'Left') return x;
  const xs = x.right.shape;
  const attrs = AttributeReader.of(q.node);
  const kernel = attrs.ints('kernel_shape');
  const ceilMode = attrs.int('ceil_mode', 0) !== 0;
  const bad = firstError(attrs);
  if (bad) return bad;
  if (!kernel) return left("MaxPool requires the attribute 'kernel_shape'");
  if (xs.length !== kernel.length + 2) return left(`kernel_shape ${fmt(kernel)} does not fit input ${fmt(xs)}`);
  const g = resolveWindowGeometry(attrs, { inputSpatial: xs.slice(2), kernel, ceilMode });
  if (!g.ok) return left(g.errors.join('; '));
  const y = { elemType: x.right.elemType, shape: [xs[0], xs[1], ...g.geometry.outputSpatial] };
  return right(q.node.outputs.length > 1 ? [y, { elemType: OnnxDataType.INT64, shape: y.shape }] : [y]);
};

const globalPool: ShapeFunction = (q) => {
  const x = input(q, 0, 'X');
  if (x._tag === 'Left') return x;
  const xs = x.right.shape;
  if (xs.length < 3) return left(`expects an input of rank >= 3, got ${fmt(xs)}`);
  return right([{ elemType: x.right.elemType, shape: [xs[0], xs[1], ...xs.slice(2).map(() => 1)] }]);
};

const batchNormalization: ShapeFunction = (q) => {
  const x = input(q, 0, 'X');
  if (x._tag === 'Left') return x;
  const channels = x.right.shape[1];
  const stats = { elemType: x.right.elemType, shape: [channels] };
  return right([x.right, ...q.node.outputs.slice(1).map(() => stats)]);
};

const layerNormalization: ShapeFunction = (q) => {
  const x = input(q, 0, 'X');
  if (x._tag === 'Left') return x;
  const attrs = AttributeReader.of(q.node);
  const axis = normalizeAxis(attrs.int('axis', -1), x.right.shape.length);
  const bad = firstError(attrs);
  if (bad) return bad;
  if (axis === undefined) return left(`axis is out of range for input ${fmt(x.right.shape)}`);
  const reduced = { elemType: OnnxDataType.FLOAT, shape: x.right.shape.map((d, i) => (i < axis ? d : 1)) };
  return right([x.right, ...q.node.outputs.slice(1).map(() => reduced)]);
};

const flatten: ShapeFunction = (q) => {
  const x = input(q, 0, 'data');
  if (x._tag === 'Left') return x;
  const xs = x.right.shape;
  const attrs = AttributeReader.of(q.node);
  const rawAxis = attrs.int('axis', 1);
  const bad = firstError(attrs);
  if (bad) return bad;
  const axis = rawAxis < 0 ? rawAxis + xs.length : rawAxis;
  if (axis < 0 || axis > xs.length) return left(`axis ${rawAxis} is out of range for input ${fmt(xs)}`);
  return right([{ elemType: x.right.elemType, shape: [product(xs.slice(0, axis)), product(xs.slice(axis))] }]);
};

const reshape: ShapeFunction = (q) => {
  const x = input(q, 0, 'data');
  if (x._tag === 'Left') return x;
  const attrs = AttributeReader.of(q.node);
  const allowZero = attrs.int('allowzero', 0) !== 0;
  const shapeAttr = attrs.ints('shape');
  const bad = firstError(attrs);
  if (bad) return bad;
  let requested: readonly number[] | undefined;
  if (q.node.inputs.length > 1 && q.node.inputs[1] !== '') {
    requested = q.constants[1];
    if (requested === undefined) {
      return left(`the target shape '${q.node.inputs[1]}' is not a constant (it must be an INT64 initializer or a Constant)`);
    }
  } else {
    requested = shapeAttr;
    if (requested === undefined) return left('no target shape (neither a shape input nor a shape attribute)');
  }
  const xs = x.right.shape;
  const out = requested.map((d, i) => (d === 0 && !allowZero ? xs[i] : d));
  if (out.some((d) => d === undefined || d < -1)) return left(`invalid target shape ${fmt(requested)} for input ${fmt(xs)}`);
  const inferred = out.filter((d) => d === -1).length;
  if (inferred > 1) return left(`target shape ${fmt(requested)} has more than one -1`);
  const known = product(out.filter((d) => d !== -1));
  const total = product(xs);
  if (inferred === 1) {
    if (known === 0 || total % known !== 0) return left(`cannot reshape ${fmt(xs)} to ${fmt(requested)}`);
    return right([{ elemType: x.right.elemType, shape: out.map((d) => (d === -1 ? total / known : d)) }]);
  }
  if (known !== total) return left(`cannot reshape ${fmt(xs)} (${total} elements) to ${fmt(out)} (${known} elements)`);
  return right([{ elemType: x.right.elemType, shape: out }]);
};

const transpose: ShapeFunction = (q) => {
  const x = input(q, 0, 'data');
  if (x._tag === 'Left') return x;
  const xs = x.right.shape;
  const attrs = AttributeReader.of(q.node);
  const perm = attrs.ints('perm') ?? xs.map((_, i) => xs.length - 1 - i);
  const bad = firstError(attrs);
  if (bad) return bad;
  const isPermutation = perm.length === xs.length && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!isPermutation) return left(`perm ${fmt(perm)} is not a permutation of the ${xs.length} input axes`);
  return right([{ elemType: x.right.elemType, shape: perm.map((p) => xs[p]) }]);
};

/** Squeeze/Unsqueeze axes: an input from opset 13 on, an attribute before; accept either form. */
function axesOperand(q: ShapeQuery, attrs: AttributeReader): Either<string, readonly number[] | undefined> {
  if (q.node.inputs.length > 1 && q.node.inputs[1] !== '') {
    const axes = q.constants[1];
    return axes === undefined ? left(`the axes '${q.node.inputs[1]}' are not a constant (INT64 initializer or Constant)`) : right(axes);
  }
  return right(attrs.ints('axes'));
}

const squeeze: ShapeFunction = (q) => {
  const x = input(q, 0, 'data');
  if (x._tag === 'Left') return x;
  const xs = x.right.shape;
  const attrs = AttributeReader.of(q.node);
  const axes = axesOperand(q, attrs);
  const bad = firstError(attrs);
  if (bad) return bad;
  if (axes._tag === 'Left') return axes;
  if (axes.right === undefined) return right([{ elemType: x.right.elemType, shape: xs.filter((d) => d !== 1) }]);
  const normalized = axes.right.map((a) => normalizeAxis(a, xs.length));
  if (normalized.some((a) => a === undefined || xs[a] !== 1)) {
    return left(`cannot squeeze axes ${fmt(axes.right)} of input ${fmt(xs)} (each must exist and have size 1)`);
  }
  return right([{ elemType: x.right.elemType, shape: xs.filter((_, i) => !normalized.includes(i)) }]);
};

const unsqueeze: ShapeFunction = (q) => {
  const x = input(q, 0, 'data');
  if (x._tag === 'Left') return x;
  const xs = x.right.shape;
  const attrs = AttributeReader.of(q.node);
  const axes = axesOperand(q, attrs);
  const bad = firstError(attrs);
  if (bad) return bad;
  if (axes._tag === 'Left') return axes;
  if (axes.right === undefined) return left('Unsqueeze requires axes');
  const rank = xs.length + axes.right.length;
  const normalized = axes.right.map((a) => normalizeAxis(a, rank));
  if (normalized.some((a) => a === undefined) || new Set(normalized).size !== normalized.length) {
    return left(`invalid axes ${fmt(axes.right)} for output rank ${rank}`);
  }
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(normalized.includes(i) ? 1 : xs[next++]);
  return right([{ elemType: x.right.elemType, shape: out }]);
};

/** Slice indices, from constant inputs (opset >= 10) or attributes (before). */
export interface SliceIndices {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly axes: readonly number[];
  readonly steps: readonly number[];
}

const SLICE_OPERANDS = ['starts', 'ends', 'axes', 'steps'] as const;

export function readSliceIndices(node: OnnxNode, constants: readonly (readonly number[] | undefined)[]): Either<string, SliceIndices> {
  const values: Partial<Record<(typeof SLICE_OPERANDS)[number], readonly number[]>> = {};
  if (node.inputs.length > 1) {
    for (let i = 0; i < SLICE_OPERANDS.length; i++) {
      const name = node.inputs[i + 1];
      if (name === undefined || name === '') continue;
      const v = constants[i + 1];
      if (v === undefined) {
        return left(`Slice ${SLICE_OPERANDS[i]} '${name}' does not come from an initializer or Constant; only constant slice indices are supported`);
      }
      values[SLICE_OPERANDS[i]] = v;
    }
  } else {
    const attrs = AttributeReader.of(node);
    values.starts = attrs.ints('starts');
    values.ends = attrs.ints('ends');
    values.axes = attrs.ints('axes');
    if (attrs.errors.length > 0) return left(attrs.errors.join('; '));
  }
  const { starts, ends } = values;
  if (!starts || !ends) return left('Slice requires starts and ends');
  if (starts.length !== ends.length) return left('Slice starts and ends differ in length');
  const axes = values.axes ?? starts.map((_, i) => i);
  const steps = values.steps ?? starts.map(() => 1);
  if (axes.length !== starts.length || steps.length !== starts.length) return left('Slice starts, ends, axes and steps differ in length');
  if (steps.some((s) => s === 0)) return left('Slice steps must not be 0');
  return right({ starts, ends, axes, steps });
}

/** Effective start index and extent on one sliced axis (ONNX clamping rules). */
export function sliceAxisRange(dim: number, start: number, end: number, step: number): { readonly start: number; readonly extent: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = clamp(s, 0, dim);
    e = clamp(e, 0, dim);
  } else {
    s = clamp(s, 0, dim - 1);
    e = clamp(e, -1, dim - 1);
  }
  return { start: s, extent: Math.max(0, Math.ceil((e - s) / step)) };
}

const slice: ShapeFunction = (q) => {
  const x = input(q, 0, 'data');
  if (x._tag === 'Left') return x;
  const xs = x.right.shape;
  const indices = readSliceIndices(q.node, q.constants);
  if (indices._tag === 'Left') return indices;
  const out = [...xs];
  const { starts, ends, axes, steps } = indices.right;
  for (let i = 0; i < axes.length; i++) {
    const axis = normalizeAxis(axes[i], xs.length);
    if (axis === undefined) return left(`Slice axis ${axes[i]} is out of range for input ${fmt(xs)}`);
    out[axis] = sliceAxisRange(xs[axis], starts[i], ends[i], steps[i]).extent;
  }
  return right([{ elemType: x.right.elemType, shape: out }]);
};

const gather: ShapeFunction = (q) => {
  const x = input(q, 0, 'data');
  const indices = input(q, 1, 'indices');
  if (x._tag === 'Left') return x;
  if (indices._tag === 'Left') return indices;
  const xs = x.right.shape;
  const attrs = AttributeReader.of(q.node);
  const axis = normalizeAxis(attrs.int('axis', 0), xs.length);
  const bad = firstError(attrs);
  if (bad) return bad;
  if (axis === undefined) return left(`axis is out of range for input ${fmt(xs)}`);
  return right([{ elemType: x.right.elemType, shape: [...xs.slice(0, axis), ...indices.right.shape, ...xs.slice(axis + 1)] }]);
};

const constant: ShapeFunction = (q) => {
  const attrs = q.node.attributes;
  const value = attrs['value'];
  if (value?.type === 'tensor') return right([{ elemType: value.value.elemType, shape: value.value.dims }]);
  const scalar = (elemType: number) => right([{ elemType, shape: [] }]);
  const list = (elemType: number, n: number) => right([{ elemType, shape: [n] }]);
  const int = attrs['value_int'];
  if (int?.type === 'int') return scalar(OnnxDataType.INT64);
  const ints = attrs['value_ints'];
  if (ints?.type === 'ints') return list(OnnxDataType.INT64, ints.value.length);
  const float = attrs['value_float'];
  if (float?.type === 'float') return scalar(OnnxDataType.FLOAT);
  const floats = attrs['value_floats'];
  if (floats?.type === 'floats') return list(OnnxDataType.FLOAT, floats.value.length);
  return left('Constant has no supported value attribute (value, value_int(s), value_float(s))');
};

const UNARY_OPS = ['Relu', 'Silu', 'Gelu', 'Sigmoid', 'Tanh', 'Exp', 'Sqrt', 'Neg', 'Abs', 'Erf', 'Identity', 'Reciprocal', 'Softplus', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Mish'];
const BINARY_OPS = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min'];

/** Built-in shape functions by op type (dispatch ignores the domain, as the reference's parsers do). */
export const BUILT_IN_SHAPE_FUNCTIONS: ReadonlyMap<string, ShapeFunction> = new Map<string, ShapeFunction>([
  ...UNARY_OPS.map((op): [string, ShapeFunction] => [op, sameAsFirstInput]),
  ...BINARY_OPS.map((op): [string, ShapeFunction] => [op, broadcasting]),
  ['Softmax', sameAsFirstInput],
  ['LpNormalization', sameAsFirstInput],
  ['LayerNormalization', layerNormalization],
  ['BatchNormalization', batchNormalization],
  ['MatMul', matMul],
  ['Gemm', gemm],
  ['Conv', conv],
  ['MaxPool', maxPool],
  ['GlobalAveragePool', globalPool],
  ['GlobalMaxPool', globalPool],
  ['Flatten', flatten],
  ['Reshape', reshape],
  ['Transpose', transpose],
  ['Squeeze', squeeze],
  ['Unsqueeze', unsqueeze],
  ['Slice', slice],
  ['Gather', gather],
  ['Constant', constant],
]);
