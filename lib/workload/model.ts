/**
 * Immutable workload model: an affine dataflow graph, as the reference derives it from ONNX.
 *
 * Every computation node has its own iteration space `d0..d{n-1}` and one affine map per operand,
 * inputs first, then outputs. Affine expressions are sums of `coef * dim` plus a constant, which covers
 * every operator the reference lowers; terms keep the order in which the reference's expression tree
 * lists them (left operand first), because the cost model's partially-relevant dims depend on it.
 */

export type ElementType = 'f32' | 'f16' | 'bf16' | 'i8' | 'u8' | 'i16' | 'i32';

export const ELEMENT_BITS: Readonly<Record<ElementType, number>> = {
  f32: 32,
  f16: 16,
  bf16: 16,
  i8: 8,
  u8: 8,
  i16: 16,
  i32: 32,
};

export interface Tensor {
  readonly name: string;
  readonly elementType: ElementType;
  readonly shape: readonly number[];
}

export function tensorBits(t: Tensor): number {
  return t.shape.reduce((p, s) => p * s, 1) * ELEMENT_BITS[t.elementType];
}

export interface AffineTerm {
  readonly dim: number;
  readonly coef: number;
}

export interface AffineExpr {
  /** In expression-tree order; a dim appears at most once. */
  readonly terms: readonly AffineTerm[];
  readonly constant: number;
}

export interface AffineMap {
  readonly numDims: number;
  readonly results: readonly AffineExpr[];
}

export type IteratorType = 'parallel' | 'reduction' | 'sequential';

/** Graph input or initializer (non-INT64/INT32): produces one tensor. */
export interface InEdgeNode {
  readonly kind: 'in';
  readonly name: string;
  readonly output: Tensor;
  /** True for ONNX initializers (constant weights). */
  readonly isInitializer: boolean;
}

/** Graph output: consumes one tensor. */
export interface OutEdgeNode {
  readonly kind: 'out';
  readonly name: string;
  readonly input: Tensor;
}

/** Layout-only op (Flatten, Reshape, Transpose, Squeeze, Unsqueeze): a fusion-group boundary without an iteration space. */
export interface FusionEdgeNode {
  readonly kind: 'fusion-edge';
  readonly name: string;
  readonly opType: string;
  /** Only the first ONNX input is a data edge. */
  readonly input: Tensor;
  readonly outputs: readonly Tensor[];
}

export interface ComputationNode {
  readonly kind: 'computation';
  readonly name: string;
  /** Operator type, e.g. `Conv`, `Gemm`, `Silu` (the ONNX op type, or a decomposition's sub-op type). */
  readonly type: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** One map per operand: `inputs` first, then `outputs`; all share `numDims`. */
  readonly operandMaps: readonly AffineMap[];
  /** Declared reduction axes (iteration dims) of a normalisation node (Softmax, LayerNorm, ...). */
  readonly reductionAxes?: readonly number[];
  /** `"<OpType>:<name>"` tag on the sub-ops of an expanded normalisation. */
  readonly fusedKernel?: string;
  /** ONNX attributes kept for reporting and operator-specific rules. */
  readonly attributes?: Readonly<Record<string, number | string | readonly number[]>>;
}

export type TransferType = 'COMPUTE_TO_COMPUTE' | 'COMPUTE_TO_MEM' | 'MEM_TO_COMPUTE' | 'MEM_TO_MEM';

/**
 * Inserted by the steady-state scheduler between a producer and its consumers. It has an iteration
 * space of the tensor's rank with identity maps (input first, then one map per output), so unique-dim
 * merging treats it like any other iteration-space node.
 */
export interface TransferNode {
  readonly kind: 'transfer';
  readonly name: string;
  readonly transferType: TransferType;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly operandMaps: readonly AffineMap[];
}

export type WorkloadNode = InEdgeNode | OutEdgeNode | FusionEdgeNode | ComputationNode | TransferNode;

/** Nodes that own an iteration space (and so global and unique dims). */
export type IterationSpaceNode = ComputationNode | TransferNode;

export function hasIterationSpace(node: WorkloadNode): node is IterationSpaceNode {
  return node.kind === 'computation' || node.kind === 'transfer';
}

export interface WorkloadEdge {
  /** Producer and consumer node names. */
  readonly from: string;
  readonly to: string;
  readonly tensor: string;
}

export interface Workload {
  readonly name: string;
  /** In insertion order: graph inputs, initializers, then ONNX nodes in file order, then outputs. */
  readonly nodes: readonly WorkloadNode[];
  /** One edge per (consumer input tensor) from its unique producer, in consumer order. */
  readonly edges: readonly WorkloadEdge[];
  /** Absolute path of the ONNX file, if read from disk. */
  readonly sourceFile?: string;
}

export function nodeInputs(node: WorkloadNode): readonly Tensor[] {
  switch (node.kind) {
    case 'in':
      return [];
    case 'out':
    case 'fusion-edge':
      return [node.input];
    case 'computation':
    case 'transfer':
      return node.inputs;
  }
}

export function nodeOutputs(node: WorkloadNode): readonly Tensor[] {
  switch (node.kind) {
    case 'in':
      return [node.output];
    case 'out':
      return [];
    case 'fusion-edge':
    case 'computation':
    case 'transfer':
      return node.outputs;
  }
}

/** `(d0, d1) -> (d0, ((d1 + d2) + -1))`, the reference's printed form (used in golden records). */
export function formatAffineExpr(e: AffineExpr): string {
  if (e.terms.length === 0) return String(e.constant);
  const term = (t: AffineTerm) => (t.coef === 1 ? `d${t.dim}` : `(d${t.dim} * ${t.coef})`);
  let s = term(e.terms[0]);
  for (const t of e.terms.slice(1)) s = `(${s} + ${term(t)})`;
  if (e.constant !== 0) s = `(${s} + ${e.constant})`;
  return s;
}

export function formatAffineMap(m: AffineMap): string {
  const dims = Array.from({ length: m.numDims }, (_, i) => `d${i}`).join(', ');
  return `(${dims}) -> (${m.results.map(formatAffineExpr).join(', ')})`;
}
