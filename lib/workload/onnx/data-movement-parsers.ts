/** Slice, Gather and the layout-only operators that become FusionEdges. */
import { left, right } from 'fp-ts/Either';
import { AttributeReader, normalizeAxis, readSliceIndices, sliceAxisRange } from '../../onnx';
import type { AffineExpr, FusionEdgeNode, Tensor } from '../model';
import { affineMap, dimExpr, identityMap, sum, term } from './affine';
import type { OperatorParser } from './context';
import { computation, operands, single } from './parser-helpers';

/**
 * Identity loops over the data rank; on a sliced axis the input is read at `step·p + start` (negative
 * starts shifted by the axis length), elsewhere identity; output identity. Indices must be constants: an
 * index produced by another node is an error instead of being silently treated as "no slicing" (Q22).
 */
export const parseSlice: OperatorParser = (ctx) => {
  const ops = operands(ctx, [0]);
  if (ops._tag === 'Left') return ops;
  const [x] = ops.right.inputs;
  const [y] = ops.right.outputs;
  const indices = readSliceIndices(
    ctx.node,
    ctx.node.inputs.map((name) => (name === '' ? undefined : ctx.constant(name))),
  );
  if (indices._tag === 'Left') return left([indices.left]);
  const rank = x.shape.length;
  const results: AffineExpr[] = x.shape.map((_, i) => dimExpr(i));
  const { starts, ends, axes, steps } = indices.right;
  for (let i = 0; i < axes.length; i++) {
    const axis = normalizeAxis(axes[i], rank);
    if (axis === undefined) return left([`Slice axis ${axes[i]} is out of range for rank ${rank}.`]);
    const { start } = sliceAxisRange(x.shape[axis], starts[i], ends[i], steps[i]);
    results[axis] = sum([term(axis, steps[i])], start);
  }
  return single(computation(ctx, { inputs: [x], outputs: [y], operandMaps: [affineMap(rank, results), identityMap(rank)] }));
};

/**
 * Loops: the data rank, plus one extra last dim that walks the whole source axis (a conservative
 * whole-axis read; the indices operand is not modelled). `axis` is read (default 0; the reference
 * always uses 0, Q14).
 */
export const parseGather: OperatorParser = (ctx) => {
  const ops = operands(ctx, [0]);
  if (ops._tag === 'Left') return ops;
  const [x] = ops.right.inputs;
  const [y] = ops.right.outputs;
  const rank = x.shape.length;
  const attrs = AttributeReader.of(ctx.node);
  const rawAxis = attrs.int('axis', 0);
  if (attrs.errors.length > 0) return left(attrs.errors);
  const axis = normalizeAxis(rawAxis, rank);
  if (axis === undefined) return left([`Gather axis ${rawAxis} is out of range for rank ${rank}.`]);
  if (y.shape.length < rank) {
    return left(['Gather with a scalar index (axis-removing) is not supported yet; use a 1-element index tensor to keep the axis.']);
  }
  if (y.shape.length > rank) return left(['Gather with an index tensor of rank > 1 is not supported yet.']);
  const numDims = rank + 1;
  const dataMap = affineMap(
    numDims,
    x.shape.map((_, i) => dimExpr(i === axis ? rank : i)),
  );
  const outputMap = affineMap(
    numDims,
    y.shape.map((_, i) => dimExpr(i)),
  );
  return single(computation(ctx, { inputs: [x], outputs: [y], operandMaps: [dataMap, outputMap] }));
};

/** Flatten, Reshape, Transpose, Squeeze, Unsqueeze: a fusion-group boundary; only the first input is a data edge. */
export const parseFusionEdge: OperatorParser = (ctx) => {
  const positions = ctx.node.outputs.flatMap((name, i) => (name === '' ? [] : [i]));
  const ops = operands(ctx, [0], positions);
  if (ops._tag === 'Left') return ops;
  const [input] = ops.right.inputs;
  const outputs: readonly Tensor[] = ops.right.outputs;
  const node: FusionEdgeNode = { kind: 'fusion-edge', name: ctx.name, opType: ctx.node.opType, input, outputs };
  return right({ nodes: [node] });
};
