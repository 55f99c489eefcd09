/**
 * Normalisation expansion (reference-surface §2.4; generic pipeline only): every normalisation node with a
 * registered decomposition is replaced by affine sub-ops tagged `fused_kernel = "<type>:<name>"`.
 *
 * * Softmax → ReduceMax (over the reduction axes) → Exp(x, broadcast max) → ReduceSum → Div(exp, broadcast sum)
 * * LpNormalization → ReduceSumSquare → Sqrt → Div(x, broadcast norm)
 *
 * LayerNormalization / RMSNormalization have no decomposition and stay single nodes. The tag makes the
 * REDUCTION dims of the sub-ops nonlinear reductions, which the mapper never splits.
 *
 * Naming (not observable in any golden record): sub-op `<name>/<SubOpType>`, intermediate tensors
 * `<name>/max`, `<name>/exp`, `<name>/sum`, `<name>/sum_square`, `<name>/norm`; the last sub-op writes
 * the original output tensor so consumers are unchanged.
 */
import { AffineExpr, AffineMap, ComputationNode, Tensor, Workload, WorkloadNode } from '../model';
import { workloadOf } from './graph';

const bare = (d: number): AffineExpr => ({ terms: [{ dim: d, coef: 1 }], constant: 0 });
const zero: AffineExpr = { terms: [], constant: 0 };

function identityMap(rank: number): AffineMap {
  return { numDims: rank, results: Array.from({ length: rank }, (_, d) => bare(d)) };
}

/** Map of a reduced tensor: the reduction axes become constant 0 (a size-1 axis). */
function reducedMap(rank: number, reduced: ReadonlySet<number>): AffineMap {
  return { numDims: rank, results: Array.from({ length: rank }, (_, d) => (reduced.has(d) ? zero : bare(d))) };
}

function reducedTensor(name: string, like: Tensor, reduced: ReadonlySet<number>): Tensor {
  return { name, elementType: like.elementType, shape: like.shape.map((s, d) => (reduced.has(d) ? 1 : s)) };
}

function subOp(
  parent: ComputationNode,
  type: string,
  inputs: readonly Tensor[],
  output: Tensor,
  maps: readonly AffineMap[],
): ComputationNode {
  return {
    kind: 'computation',
    name: `${parent.name}/${type}`,
    type,
    inputs,
    outputs: [output],
    operandMaps: maps,
    fusedKernel: `${parent.type}:${parent.name}`,
  };
}

/** The reduction axes of a normalisation node (tensor axes = iteration dims, its maps being identities). */
function reductionAxesOf(node: ComputationNode): ReadonlySet<number> {
  const rank = node.outputs[0].shape.length;
  const axes = node.reductionAxes && node.reductionAxes.length > 0 ? node.reductionAxes : [rank - 1];
  return new Set(axes);
}

function expandSoftmax(node: ComputationNode): ComputationNode[] {
  const x = node.inputs[0];
  const y = node.outputs[0];
  const rank = y.shape.length;
  const reduced = reductionAxesOf(node);
  const id = identityMap(rank);
  const red = reducedMap(rank, reduced);
  const max = reducedTensor(`${node.name}/max`, x, reduced);
  const exp: Tensor = { name: `${node.name}/exp`, elementType: x.elementType, shape: [...y.shape] };
  const sum = reducedTensor(`${node.name}/sum`, x, reduced);
  return [
    subOp(node, 'ReduceMax', [x], max, [id, red]),
    subOp(node, 'Exp', [x, max], exp, [id, red, id]),
    subOp(node, 'ReduceSum', [exp], sum, [id, red]),
    subOp(node, 'Div', [exp, sum], y, [id, red, id]),
  ];
}

function expandLpNormalization(node: ComputationNode): ComputationNode[] {
  const x = node.inputs[0];
  const y = node.outputs[0];
  const rank = y.shape.length;
  const reduced = reductionAxesOf(node);
  const id = identityMap(rank);
  const red = reducedMap(rank, reduced);
  const sumSquare = reducedTensor(`${node.name}/sum_square`, x, reduced);
  const norm = reducedTensor(`${node.name}/norm`, x, reduced);
  // Sqrt iterates the reduced shape; its reduced axes are bare dims of size 1.
  return [
    subOp(node, 'ReduceSumSquare', [x], sumSquare, [id, red]),
    subOp(node, 'Sqrt', [sumSquare], norm, [id, id]),
    subOp(node, 'Div', [x, norm], y, [id, red, id]),
  ];
}

const DECOMPOSITIONS: Readonly<Record<string, (node: ComputationNode) => ComputationNode[]>> = {
  Softmax: expandSoftmax,
  LpNormalization: expandLpNormalization,
};

/** Whether `node` would be replaced by `expandNormalizations`. */
export function hasNormalizationDecomposition(node: WorkloadNode): node is ComputationNode {
  return node.kind === 'computation' && node.fusedKernel === undefined && node.type in DECOMPOSITIONS;
}

/**
 * ExpandNormalizationStage: the workload with every decomposable normalisation replaced in place by its
 * sub-ops. Returns the same object when there is nothing to expand (Conv/Gemm graphs).
 */
export function expandNormalizations(workload: Workload): Workload {
  if (!workload.nodes.some(hasNormalizationDecomposition)) return workload;
  const nodes = workload.nodes.flatMap((n): WorkloadNode[] => (hasNormalizationDecomposition(n) ? DECOMPOSITIONS[n.type](n) : [n]));
  return workloadOf(workload.name, nodes, workload.sourceFile);
}
