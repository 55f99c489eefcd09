/** Elementwise operators, BatchNormalization and the normalisations (Softmax, LpNormalization, LayerNormalization). */
import { left } from 'fp-ts/Either';
import { AttributeReader, normalizeAxis } from '../../onnx';
import { affineMap, constantExpr, dimExpr, identityMap } from './affine';
import type { OperatorParser } from './context';
import { computation, droppedOutputWarnings, fmt, operands, presentInputs, single } from './parser-helpers';

/**
 * Identity iteration space over the output rank; every input right-aligned: an axis of the output's size
 * indexes the dim, a size-1 axis is read at constant 0. The node type is the op type (Add, Silu, ...).
 */
export const parseElementwise: OperatorParser = (ctx) => {
  const positions = ctx.node.inputs.flatMap((name, i) => (name === '' ? [] : [i]));
  if (positions.length === 0) return left([`${ctx.node.opType} has no inputs.`]);
  const ops = operands(ctx, positions);
  if (ops._tag === 'Left') return ops;
  const [y] = ops.right.outputs;
  const rank = y.shape.length;
  const errors: string[] = [];
  const inputMaps = ops.right.inputs.map((t) => {
    const offset = rank - t.shape.length;
    if (offset < 0) errors.push(`${ctx.node.opType} operand '${t.name}' ${fmt(t.shape)} has a higher rank than the output ${fmt(y.shape)}.`);
    return affineMap(
      rank,
      t.shape.map((size, j) => {
        const outSize = y.shape[j + offset];
        if (size === outSize) return dimExpr(j + offset);
        if (size !== 1) {
          errors.push(`Elementwise broadcast mismatch on ${ctx.node.opType}: operand axis ${j} size ${size} is incompatible with output size ${outSize}.`);
        }
        return constantExpr(0);
      }),
    );
  });
  if (errors.length > 0) return left(errors);
  return single(computation(ctx, { inputs: ops.right.inputs, outputs: [y], operandMaps: [...inputMaps, identityMap(rank)] }));
};

/** Loops (b, c, h, w); X and Y identity, the four per-channel vectors (scale, bias, mean, var) indexed by c. */
export const parseBatchNormalization: OperatorParser = (ctx) => {
  const present = presentInputs(ctx.node);
  if (present.length !== 5) return left([`BatchNormalization expects exactly 5 inputs, got ${present.length}.`]);
  const ops = operands(ctx, [0, 1, 2, 3, 4]);
  if (ops._tag === 'Left') return ops;
  const [x] = ops.right.inputs;
  if (x.shape.length !== 4) return left([`BatchNormalization with input rank ${x.shape.length} is not supported; only [N, C, H, W] is modelled.`]);
  const perChannel = affineMap(4, [dimExpr(1)]);
  return single(
    computation(ctx, {
      inputs: ops.right.inputs,
      outputs: ops.right.outputs,
      operandMaps: [identityMap(4), perChannel, perChannel, perChannel, perChannel, identityMap(4)],
    }),
    droppedOutputWarnings(ctx.node, 1),
  );
};

/**
 * A normalisation node: identity maps over the output rank on the data input only (LayerNormalization's
 * scale and bias are not costed) and the reduced axes as `reductionAxes`. The `axis` attribute is read
 * with ONNX's defaults (the reference never reads it and always reduces the last axis, Q14).
 */
export const parseNormalization: OperatorParser = (ctx) => {
  const ops = operands(ctx, [0]);
  if (ops._tag === 'Left') return ops;
  const [x] = ops.right.inputs;
  const [y] = ops.right.outputs;
  const rank = y.shape.length;
  const attrs = AttributeReader.of(ctx.node);
  const op = ctx.node.opType;
  // Softmax before opset 13 normalises the flattened trailing block starting at `axis` (default 1).
  const legacySoftmax = op === 'Softmax' && ctx.opsetVersion < 13;
  const rawAxis = attrs.int('axis', legacySoftmax ? 1 : -1);
  const p = op === 'LpNormalization' ? attrs.int('p', 2) : 2;
  if (attrs.errors.length > 0) return left(attrs.errors);
  const axis = normalizeAxis(rawAxis, rank);
  if (axis === undefined) return left([`${op} axis ${rawAxis} is out of range for rank ${rank}.`]);
  const throughLast = op === 'LayerNormalization' || legacySoftmax;
  const reductionAxes = throughLast ? Array.from({ length: rank - axis }, (_, i) => axis + i) : [axis];
  const warnings = [...droppedOutputWarnings(ctx.node, 1)];
  if (p !== 2) warnings.push(`LpNormalization with p=${p} is costed as an L2 normalisation (ReduceSumSquare, Sqrt, Div), as in the reference.`);
  return single(computation(ctx, { inputs: [x], outputs: [y], operandMaps: [identityMap(rank), identityMap(rank)], reductionAxes }), warnings);
};
