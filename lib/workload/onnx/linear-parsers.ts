/** Gemm and MatMul. */
import { left } from 'fp-ts/Either';
import { AttributeReader } from '../../onnx';
import type { AffineExpr } from '../model';
import { affineMap, constantExpr, dimExpr } from './affine';
import type { OperatorParser } from './context';
import { computation, fmt, operands, presentInputs, single } from './parser-helpers';

/**
 * Loops (m, k, n) = d0..d2; A `[m, k]`, B `[k, n]`, Y `[m, n]`; the bias C is not costed and is dropped.
 * With transA/transB set, the default reproduces the reference, which ignores them (so ResNet-18's
 * classifier weight, stored [n, k], is read as [k, n]) and warns; `gemmTranspose: 'transposed'` gives
 * the correct maps.
 */
export const parseGemm: OperatorParser = (ctx) => {
  if (presentInputs(ctx.node).length < 2) return left(['Gemm requires at least 2 inputs (A and B).']);
  const ops = operands(ctx, [0, 1]);
  if (ops._tag === 'Left') return ops;
  const [a, b] = ops.right.inputs;
  const [y] = ops.right.outputs;
  if (a.shape.length !== 2 || b.shape.length !== 2) return left([`Gemm operands must be 2-D, got A ${fmt(a.shape)} and B ${fmt(b.shape)}.`]);
  const attrs = AttributeReader.of(ctx.node);
  const transA = attrs.int('transA', 0) !== 0;
  const transB = attrs.int('transB', 0) !== 0;
  if (attrs.errors.length > 0) return left(attrs.errors);

  const [m, k, n] = [0, 1, 2];
  const transposed = ctx.options.gemmTranspose === 'transposed';
  const warnings: string[] = [];
  if ((transA || transB) && !transposed) {
    const which = [transA ? 'transA=1' : '', transB ? 'transB=1' : ''].filter((s) => s !== '').join(' and ');
    warnings.push(
      `Gemm has ${which}, but its operand maps ignore the transposition as the reference does (A read as [m, k], B as [k, n]); ` +
        "parse with gemmTranspose: 'transposed' for the correct maps.",
    );
  }
  const aMap = transposed && transA ? [dimExpr(k), dimExpr(m)] : [dimExpr(m), dimExpr(k)];
  const bMap = transposed && transB ? [dimExpr(n), dimExpr(k)] : [dimExpr(k), dimExpr(n)];
  return single(
    computation(ctx, {
      inputs: [a, b],
      outputs: [y],
      operandMaps: [affineMap(3, aMap), affineMap(3, bMap), affineMap(3, [dimExpr(m), dimExpr(n)])],
    }),
    warnings,
  );
};

/**
 * Loops (batch..., m, n, k): p batch dims (output rank − 2), then m, n and the contraction k last.
 * Batch axes broadcast numpy-style, right-aligned: an operand batch axis equal to the output's and ≠ 1
 * indexes the batch dim, any other (size-1) axis is read at constant 0.
 */
export const parseMatMul: OperatorParser = (ctx) => {
  const present = presentInputs(ctx.node);
  if (present.length !== 2) return left([`MatMul expects exactly 2 inputs, got ${present.length}.`]);
  const ops = operands(ctx, [0, 1]);
  if (ops._tag === 'Left') return ops;
  const [a, b] = ops.right.inputs;
  const [y] = ops.right.outputs;
  if (a.shape.length < 2 || b.shape.length < 2) return left(['1D MatMul (vector) operands are not supported; provide rank >= 2 tensors.']);
  if (a.shape[a.shape.length - 1] !== b.shape[b.shape.length - 2]) {
    return left([`MatMul contraction sizes differ: A ${fmt(a.shape)} and B ${fmt(b.shape)}.`]);
  }
  const batchRank = y.shape.length - 2;
  const numDims = batchRank + 3;
  const [m, n, k] = [batchRank, batchRank + 1, batchRank + 2];
  const batchAxes = (shape: readonly number[]): AffineExpr[] => {
    const own = shape.length - 2;
    return shape.slice(0, own).map((size, j) => {
      const outAxis = j + batchRank - own;
      return size === y.shape[outAxis] && size !== 1 ? dimExpr(outAxis) : constantExpr(0);
    });
  };
  const outBatch = Array.from({ length: batchRank }, (_, i) => dimExpr(i));
  return single(
    computation(ctx, {
      inputs: [a, b],
      outputs: [y],
      operandMaps: [
        affineMap(numDims, [...batchAxes(a.shape), dimExpr(m), dimExpr(k)]),
        affineMap(numDims, [...batchAxes(b.shape), dimExpr(k), dimExpr(n)]),
        affineMap(numDims, [...outBatch, dimExpr(m), dimExpr(n)]),
      ],
    }),
  );
};
