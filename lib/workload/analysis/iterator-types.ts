/**
 * Iterator types of a node's local dims (reference-co-pipeline §3.2, `derive_iterator_types`) and the
 * nonlinear-reduction dims the mapper must never split.
 */
import { AffineExpr, IterationSpaceNode, IteratorType } from '../model';

const isBareDim = (e: AffineExpr, dim: number): boolean =>
  e.terms.length === 1 && e.terms[0].dim === dim && e.terms[0].coef === 1 && e.constant === 0;

/** An input index `d + c` with c ≠ 0: a recurrence read such as `h[t − 1]`. */
const isOffsetRead = (e: AffineExpr, dim: number): boolean =>
  e.terms.length === 1 && e.terms[0].dim === dim && e.terms[0].coef === 1 && e.constant !== 0;

/**
 * SEQUENTIAL when some input reads the dim at an offset while an output writes it bare; else PARALLEL when
 * the dim indexes the last output; else REDUCTION. Transfer nodes have identity maps, so all PARALLEL.
 */
export function iteratorTypes(node: IterationSpaceNode): readonly IteratorType[] {
  const numDims = node.operandMaps[0]?.numDims ?? 0;
  const inputMaps = node.operandMaps.slice(0, node.inputs.length);
  const outputMaps = node.operandMaps.slice(node.inputs.length);
  const lastOutput = outputMaps[outputMaps.length - 1];
  const types: IteratorType[] = [];
  for (let d = 0; d < numDims; d++) {
    const written = outputMaps.some((m) => m.results.some((e) => isBareDim(e, d)));
    const readAtOffset = inputMaps.some((m) => m.results.some((e) => isOffsetRead(e, d)));
    if (written && readAtOffset) types.push('sequential');
    else if (lastOutput?.results.some((e) => e.terms.some((t) => t.dim === d && t.coef !== 0))) types.push('parallel');
    else types.push('reduction');
  }
  return types;
}

/**
 * Local dims whose reduction is nonlinear (max, softmax normaliser, ...): the declared reduction axes of
 * a normalisation node, or the REDUCTION dims of a sub-op of an expanded normalisation. Splitting such
 * a dim across cores or steady-state iterations would change the result.
 */
export function nonlinearReductionDims(node: IterationSpaceNode): readonly number[] {
  if (node.kind !== 'computation') return [];
  if (node.reductionAxes && node.reductionAxes.length > 0) return [...node.reductionAxes];
  if (node.fusedKernel === undefined) return [];
  return iteratorTypes(node).flatMap((t, d) => (t === 'reduction' ? [d] : []));
}
