/**
 * Operator parsers by ONNX op type. Dispatch ignores the domain (the SwiGLU fixtures' `com.example.Silu`
 * is parsed as `Silu`), and a registered parser takes precedence over the built-in table, so a user can
 * override any operator or lower a higher-level op into several affine nodes (reference-surface §8.3).
 */
import type { ShapeFunction } from '../../onnx';
import type { OperatorParser, OperatorParserRegistration } from './context';
import { parseFusionEdge, parseGather, parseSlice } from './data-movement-parsers';
import { parseGemm, parseMatMul } from './linear-parsers';
import { parseBatchNormalization, parseElementwise, parseNormalization } from './pointwise-parsers';
import { parseConv, parseGlobalAveragePool, parseMaxPool } from './window-parsers';

export const ELEMENTWISE_OP_TYPES = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Relu', 'Silu', 'Gelu', 'Sigmoid', 'Tanh'] as const;
export const NORMALIZATION_OP_TYPES = ['Softmax', 'LpNormalization', 'LayerNormalization'] as const;
export const FUSION_EDGE_OP_TYPES = ['Flatten', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze'] as const;

/** The reference's lowering table (reference-surface §2.3). */
export const BUILT_IN_OPERATOR_PARSERS: ReadonlyMap<string, OperatorParser> = new Map<string, OperatorParser>([
  ['Conv', parseConv],
  ['Gemm', parseGemm],
  ['MatMul', parseMatMul],
  ['MaxPool', parseMaxPool],
  ['GlobalAveragePool', parseGlobalAveragePool],
  ['BatchNormalization', parseBatchNormalization],
  ['Slice', parseSlice],
  ['Gather', parseGather],
  ...ELEMENTWISE_OP_TYPES.map((op): [string, OperatorParser] => [op, parseElementwise]),
  ...NORMALIZATION_OP_TYPES.map((op): [string, OperatorParser] => [op, parseNormalization]),
  ...FUSION_EDGE_OP_TYPES.map((op): [string, OperatorParser] => [op, parseFusionEdge]),
]);

export class OperatorParserRegistry {
  private readonly registered = new Map<string, OperatorParserRegistration>();

  /** Registers (or replaces) the parser of `opType`; it wins over the built-in table. */
  register(opType: string, parser: OperatorParser | OperatorParserRegistration): void {
    this.registered.set(opType, typeof parser === 'function' ? { parse: parser } : parser);
  }

  unregister(opType: string): boolean {
    return this.registered.delete(opType);
  }

  /** Registered parser first, then the built-in one. */
  lookup(opType: string): OperatorParser | undefined {
    return this.registered.get(opType)?.parse ?? BUILT_IN_OPERATOR_PARSERS.get(opType);
  }

  /** Shape functions supplied with registered parsers, for the shape inference. */
  shapeFunctions(): ReadonlyMap<string, ShapeFunction> {
    const fns = new Map<string, ShapeFunction>();
    for (const [op, r] of this.registered) if (r.inferShapes) fns.set(op, r.inferShapes);
    return fns;
  }
}

/** The process-wide registry `registerOperatorParser` writes to and the front end reads by default. */
export const defaultOperatorParsers = new OperatorParserRegistry();

export function registerOperatorParser(opType: string, parser: OperatorParser | OperatorParserRegistration): void {
  defaultOperatorParsers.register(opType, parser);
}

export function unregisterOperatorParser(opType: string): boolean {
  return defaultOperatorParsers.unregister(opType);
}
