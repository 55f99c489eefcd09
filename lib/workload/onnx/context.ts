/**
 * What an operator parser sees of one ONNX node, and what it returns. Parsers are pure functions: they
 * read typed tensors and constants through the context and return workload nodes or error messages
 * (the front end turns the messages into InputIssues naming the file and the node).
 */
import type { Either } from 'fp-ts/Either';
import type { OnnxNode, ShapeFunction } from '../../onnx';
import type { ComputationNode, FusionEdgeNode, Tensor } from '../model';

/**
 * How Gemm's `transA`/`transB` enter the operand maps (reference-surface §10.2 Q17).
 * `reference`: like the reference, ignore them (A read as [m,k], B as [k,n]) and warn — ResNet-18's
 * oracle values depend on it. `transposed`: the correct maps for transposed operands.
 */
export type GemmTransposeMode = 'reference' | 'transposed';

export interface OperatorParseOptions {
  readonly gemmTranspose: GemmTransposeMode;
}

export interface OperatorParseContext {
  /** Resolved node name (`Op<k>` for the k-th unnamed node). */
  readonly name: string;
  readonly node: OnnxNode;
  /** Default-domain opset version of the model. */
  readonly opsetVersion: number;
  readonly options: OperatorParseOptions;
  /** A tensor typed for the workload; `Left` says why it cannot be (unsupported element type, unknown shape). */
  tensor(name: string): Either<string, Tensor>;
  /** Values of an integer constant (INT64/INT32 initializer or Constant output); undefined otherwise. */
  constant(name: string): readonly number[] | undefined;
}

export type ParsedNode = ComputationNode | FusionEdgeNode;

export interface ParsedOperator {
  /** One or more nodes: a higher-level op may lower into several affine nodes. */
  readonly nodes: readonly ParsedNode[];
  readonly warnings?: readonly string[];
}

export type OperatorParser = (context: OperatorParseContext) => Either<readonly string[], ParsedOperator>;

export interface OperatorParserRegistration {
  readonly parse: OperatorParser;
  /** Output shapes for op types the built-in shape inference does not know (used when value_info is absent). */
  readonly inferShapes?: ShapeFunction;
}
