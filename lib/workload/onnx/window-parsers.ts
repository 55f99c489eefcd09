/** Conv, MaxPool and GlobalAveragePool: the sliding-window operators. */
import { left } from 'fp-ts/Either';
import { AttributeReader, resolveWindowGeometry } from '../../onnx';
import { affineMap, dimExpr, sum, term } from './affine';
import type { OperatorParser } from './context';
import { computation, fmt, operands, single } from './parser-helpers';

/**
 * Loops (b, ox, oy, fx, fy, c, k) = d0..d6; input `[b, c, sy·oy + fy − pad_top, sx·ox + fx − pad_left]`,
 * weight `[k, c, fy, fx]`, output `[b, k, oy, ox]`. The bias input is not costed and is dropped.
 * Strides are read in ONNX's (height, width) order (the reference swaps them, reference-surface Q15).
 */
export const parseConv: OperatorParser = (ctx) => {
  const ops = operands(ctx, [0, 1]);
  if (ops._tag === 'Left') return ops;
  const [x, w] = ops.right.inputs;
  const [y] = ops.right.outputs;
  if (x.shape.length === 3) return left(['1D convolution is not supported yet.']);
  if (x.shape.length !== 4) return left([`Conv operator with input dimensionality ${x.shape.length} is not supported yet.`]);

  const attrs = AttributeReader.of(ctx.node);
  const group = attrs.int('group', 1);
  const dilations = attrs.ints('dilations');
  const geometry = resolveWindowGeometry(attrs, { inputSpatial: x.shape.slice(2), kernel: w.shape.slice(2), ceilMode: false });
  const errors = [...attrs.errors];
  if (group !== 1) errors.push(`Conv with group=${group} (grouped or depthwise convolution) is not supported; only group=1 is modelled.`);
  if (dilations && dilations.some((d) => d !== 1)) errors.push(`Conv with dilations ${fmt(dilations)} is not supported; only dilations of 1 are modelled.`);
  if (!geometry.ok) errors.push(...geometry.errors);
  if (errors.length > 0 || !geometry.ok) return left(errors);

  const [sy, sx] = geometry.geometry.strides;
  const [padTop, padLeft] = geometry.geometry.padsBegin;
  const [b, ox, oy, fx, fy, c, k] = [0, 1, 2, 3, 4, 5, 6];
  return single(
    computation(ctx, {
      inputs: [x, w],
      outputs: [y],
      operandMaps: [
        affineMap(7, [dimExpr(b), dimExpr(c), sum([term(oy, sy), term(fy)], -padTop), sum([term(ox, sx), term(fx)], -padLeft)]),
        affineMap(7, [dimExpr(k), dimExpr(c), dimExpr(fy), dimExpr(fx)]),
        affineMap(7, [dimExpr(b), dimExpr(k), dimExpr(oy), dimExpr(ox)]),
      ],
    }),
  );
};

/**
 * Loops (b, k, oy, ox, fy, fx) = d0..d5; input `[b, k, sy·oy + fy − pad_top, sx·ox + fx − pad_left]`,
 * output `[b, k, oy, ox]`; no weight operand. Asymmetric pads are accepted like Conv's (only the begin
 * pads enter the map), `kernel_shape` is checked against the extents, and ceil_mode/dilations are
 * rejected rather than silently mis-modelled (reference-surface Q18).
 */
export const parseMaxPool: OperatorParser = (ctx) => {
  const ops = operands(ctx, [0]);
  if (ops._tag === 'Left') return ops;
  const [x] = ops.right.inputs;
  const [y] = ops.right.outputs;
  if (x.shape.length !== 4) return left([`MaxPool with input rank ${x.shape.length} is not supported; only 2-D pooling over [N, C, H, W] is modelled.`]);

  const attrs = AttributeReader.of(ctx.node);
  const kernel = attrs.ints('kernel_shape');
  const ceilMode = attrs.int('ceil_mode', 0);
  const dilations = attrs.ints('dilations');
  const errors = [...attrs.errors];
  if (ceilMode !== 0) errors.push('MaxPool with ceil_mode=1 is not supported.');
  if (dilations && dilations.some((d) => d !== 1)) errors.push(`MaxPool with dilations ${fmt(dilations)} is not supported.`);
  if (ctx.node.outputs[1] !== undefined && ctx.node.outputs[1] !== '') errors.push("MaxPool's Indices output is not supported.");
  if (!kernel || kernel.length !== 2) errors.push("MaxPool requires a 2-element 'kernel_shape'.");
  if (errors.length > 0 || !kernel) return left(errors);

  const geometry = resolveWindowGeometry(attrs, { inputSpatial: x.shape.slice(2), kernel, ceilMode: false });
  if (!geometry.ok) return left(geometry.errors);
  const expected = [x.shape[0], x.shape[1], ...geometry.geometry.outputSpatial];
  if (fmt(expected) !== fmt(y.shape)) {
    return left([`kernel_shape ${fmt(kernel)} with the given strides and pads maps input ${fmt(x.shape)} to ${fmt(expected)}, but the output is ${fmt(y.shape)}.`]);
  }

  const [sy, sx] = geometry.geometry.strides;
  const [padTop, padLeft] = geometry.geometry.padsBegin;
  const [b, k, oy, ox, fy, fx] = [0, 1, 2, 3, 4, 5];
  return single(
    computation(ctx, {
      inputs: [x],
      outputs: [y],
      operandMaps: [
        affineMap(6, [dimExpr(b), dimExpr(k), sum([term(oy, sy), term(fy)], -padTop), sum([term(ox, sx), term(fx)], -padLeft)]),
        affineMap(6, [dimExpr(b), dimExpr(k), dimExpr(oy), dimExpr(ox)]),
      ],
    }),
  );
};

/** Loops (b, c, oh, ow, ih, iw) = d0..d5; input `[b, c, ih, iw]`, output `[b, c, oh, ow]`. */
export const parseGlobalAveragePool: OperatorParser = (ctx) => {
  const present = ctx.node.inputs.filter((i) => i !== '');
  if (present.length !== 1) return left([`GlobalAveragePool expects exactly one input, got ${present.length}.`]);
  const ops = operands(ctx, [0]);
  if (ops._tag === 'Left') return ops;
  const [x] = ops.right.inputs;
  const [y] = ops.right.outputs;
  if (x.shape.length !== 4) return left([`GlobalAveragePool with input rank ${x.shape.length} is not supported; only [N, C, H, W] is modelled.`]);
  return single(
    computation(ctx, {
      inputs: [x],
      outputs: [y],
      operandMaps: [affineMap(6, [dimExpr(0), dimExpr(1), dimExpr(4), dimExpr(5)]), affineMap(6, [dimExpr(0), dimExpr(1), dimExpr(2), dimExpr(3)])],
    }),
  );
};
