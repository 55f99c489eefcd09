/** Helpers shared by the built-in operator parsers. */
import { Either, left, right } from 'fp-ts/Either';
import type { OnnxNode } from '../../onnx';
import type { ComputationNode, Tensor } from '../model';
import type { OperatorParseContext, ParsedOperator } from './context';

export interface Operands {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
}

/** The typed tensors at the given input and output positions, or every reason some of them cannot be typed. */
export function operands(
  ctx: OperatorParseContext,
  inputPositions: readonly number[],
  outputPositions: readonly number[] = [0],
): Either<readonly string[], Operands> {
  const errors: string[] = [];
  const pick = (names: readonly string[], positions: readonly number[], role: string): Tensor[] =>
    positions.flatMap((p) => {
      const name = names[p];
      if (name === undefined || name === '') {
        errors.push(`${ctx.node.opType} is missing its ${role} ${p}`);
        return [];
      }
      const t = ctx.tensor(name);
      if (t._tag === 'Left') {
        errors.push(t.left);
        return [];
      }
      return [t.right];
    });
  const inputs = pick(ctx.node.inputs, inputPositions, 'input');
  const outputs = pick(ctx.node.outputs, outputPositions, 'output');
  return errors.length > 0 ? left(errors) : right({ inputs, outputs });
}

/** Present (non-empty) inputs of a node. */
export function presentInputs(node: OnnxNode): readonly string[] {
  return node.inputs.filter((name) => name !== '');
}

/** ONNX attributes in the form ComputationNode keeps for reporting (tensor/graph attributes left out). */
export function keptAttributes(node: OnnxNode): Readonly<Record<string, number | string | readonly number[]>> {
  const kept: Record<string, number | string | readonly number[]> = {};
  for (const [name, a] of Object.entries(node.attributes)) {
    if (a.type === 'int' || a.type === 'float' || a.type === 'string' || a.type === 'ints' || a.type === 'floats') kept[name] = a.value;
  }
  return kept;
}

export function computation(
  ctx: OperatorParseContext,
  fields: Pick<ComputationNode, 'inputs' | 'outputs' | 'operandMaps'> & Partial<Pick<ComputationNode, 'reductionAxes' | 'type'>>,
): ComputationNode {
  const attributes = keptAttributes(ctx.node);
  const node: ComputationNode = {
    kind: 'computation',
    name: ctx.name,
    type: fields.type ?? ctx.node.opType,
    inputs: fields.inputs,
    outputs: fields.outputs,
    operandMaps: fields.operandMaps,
    ...(fields.reductionAxes !== undefined ? { reductionAxes: fields.reductionAxes } : {}),
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
  };
  return node;
}

export function single(node: ComputationNode, warnings: readonly string[] = []): Either<readonly string[], ParsedOperator> {
  return right(warnings.length > 0 ? { nodes: [node], warnings } : { nodes: [node] });
}

export const fmt = (values: readonly number[]): string => `[${values.join(', ')}]`;

/** Warnings for non-empty outputs a parser does not model (e.g. LayerNormalization's Mean). */
export function droppedOutputWarnings(node: OnnxNode, kept: number): readonly string[] {
  return node.outputs
    .slice(kept)
    .filter((o) => o !== '')
    .map((o) => `${node.opType} output '${o}' is not modelled and is dropped from the workload`);
}
