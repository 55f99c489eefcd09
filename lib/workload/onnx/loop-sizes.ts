/**
 * Loop sizes of one node, read off its operands as the reference does (reference-co-pipeline §3.5, on a
 * single node): a dim indexed bare by some operand (inputs first, then outputs) takes that axis's size,
 * first hit wins; a dim that only appears inside compound expressions (pooling windows) is solved from the
 * axis extent: `(axis − 1 − const − max of the other terms) // coef + 1`.
 *
 * Note the solve ignores padding, so a 3×3 stride-1 pad-1 MaxPool window comes out as 2, exactly as in
 * the reference's golden cost cases.
 */
import { Either, left, right } from 'fp-ts/Either';
import type { AffineExpr, ComputationNode, Tensor } from '../model';

export function nodeLoopSizes(node: Pick<ComputationNode, 'name' | 'inputs' | 'outputs' | 'operandMaps'>): Either<string, readonly number[]> {
  const numDims = node.operandMaps[0]?.numDims ?? 0;
  const sizes: (number | undefined)[] = new Array(numDims).fill(undefined);
  const operands: readonly Tensor[] = [...node.inputs, ...node.outputs];
  const accesses: { expr: AffineExpr; extent: number }[] = [];
  node.operandMaps.forEach((m, i) => m.results.forEach((expr, axis) => accesses.push({ expr, extent: operands[i].shape[axis] })));
  for (const { expr, extent } of accesses) {
    const [only] = expr.terms;
    if (expr.terms.length === 1 && only.coef === 1 && expr.constant === 0 && sizes[only.dim] === undefined) sizes[only.dim] = extent;
  }
  let progress = true;
  while (progress && sizes.some((s) => s === undefined)) {
    progress = false;
    for (const { expr, extent } of accesses) {
      const unknown = expr.terms.filter((t) => sizes[t.dim] === undefined);
      if (unknown.length !== 1 || unknown[0].coef <= 0) continue;
      const otherMax = expr.terms.filter((t) => t !== unknown[0]).reduce((s, t) => s + Math.max(0, t.coef * ((sizes[t.dim] as number) - 1)), 0);
      sizes[unknown[0].dim] = Math.floor((extent - 1 - expr.constant - otherMax) / unknown[0].coef) + 1;
      progress = true;
    }
  }
  const missing = sizes.findIndex((s) => s === undefined);
  if (missing >= 0) return left(`node ${node.name}: the size of loop d${missing} cannot be derived from its operands`);
  return right(sizes as number[]);
}
