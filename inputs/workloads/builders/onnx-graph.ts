/**
 * Declarative ONNX graph descriptions and the one function that turns them into model bytes: weights
 * without data (only shapes matter; integer shape/index initializers keep their values), shapes of every
 * intermediate and output tensor filled in by our own shape inference and written as value_info, and a
 * deterministic encoding (same description, same bytes).
 */
import { Either, left, right } from 'fp-ts/Either';
import { InputIssue } from '../../../lib/common/errors';
import {
  encodeOnnxModel,
  inferShapes,
  OnnxAttributeValue,
  OnnxConstantTensor,
  OnnxDataType,
  onnxDataTypeOf,
  OnnxFunction,
  OnnxModel,
  OnnxNode,
  OnnxOpsetImport,
  OnnxValueInfo,
} from '../../../lib/onnx';
import type { ElementType } from '../../../lib/workload/model';

export interface ValueSpec {
  readonly name: string;
  readonly elementType: ElementType;
  readonly shape: readonly number[];
}

/** A weight (data cleared) or an integer constant (`int64`, values kept: Reshape shapes, Slice indices, axes). */
export type InitializerSpec =
  | { readonly name: string; readonly elementType: ElementType; readonly shape: readonly number[] }
  | { readonly name: string; readonly elementType: 'int64'; readonly values: readonly number[]; readonly shape?: readonly number[] };

export interface NodeSpec {
  readonly opType: string;
  /** Omit for an unnamed node (the front end names it `Op<k>`). */
  readonly name?: string;
  readonly domain?: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, OnnxAttributeValue>>;
}

export interface GraphSpec {
  readonly graphName: string;
  readonly docString?: string;
  readonly producerName?: string;
  /** Default-domain opset. */
  readonly opset: number;
  readonly extraOpsetImports?: readonly OnnxOpsetImport[];
  readonly inputs: readonly ValueSpec[];
  readonly initializers?: readonly InitializerSpec[];
  readonly nodes: readonly NodeSpec[];
  /** Graph output tensor names; their types and shapes are inferred. */
  readonly outputs: readonly string[];
  readonly functions?: readonly OnnxFunction[];
}

/** Attribute constructors (ONNX distinguishes INT from FLOAT, which a JS number cannot). */
export const attr = {
  int: (value: number): OnnxAttributeValue => ({ type: 'int', value }),
  float: (value: number): OnnxAttributeValue => ({ type: 'float', value }),
  string: (value: string): OnnxAttributeValue => ({ type: 'string', value }),
  ints: (value: readonly number[]): OnnxAttributeValue => ({ type: 'ints', value }),
  floats: (value: readonly number[]): OnnxAttributeValue => ({ type: 'floats', value }),
};

/** ONNX IR version written by the builders (model-local functions need IR >= 8). */
export const BUILDER_IR_VERSION = 8;

function initializerTensor(spec: InitializerSpec): OnnxConstantTensor {
  if (spec.elementType === 'int64') {
    return { name: spec.name, elemType: OnnxDataType.INT64, dims: spec.shape ?? [spec.values.length], integerValues: spec.values };
  }
  return { name: spec.name, elemType: onnxDataTypeOf(spec.elementType), dims: spec.shape };
}

function node(spec: NodeSpec): OnnxNode {
  return {
    name: spec.name ?? '',
    opType: spec.opType,
    domain: spec.domain ?? '',
    inputs: spec.inputs,
    outputs: spec.outputs,
    attributes: spec.attributes ?? {},
  };
}

/** The described model as written, without running shape inference (no value_info, untyped outputs). */
export function bareOnnxModel(spec: GraphSpec): OnnxModel {
  return {
    irVersion: BUILDER_IR_VERSION,
    producerName: spec.producerName ?? 'stream-dse-ts',
    producerVersion: '1.0',
    docString: spec.docString ?? '',
    opsetImports: [{ domain: '', version: spec.opset }, ...(spec.extraOpsetImports ?? [])],
    graph: {
      name: spec.graphName,
      nodes: spec.nodes.map(node),
      inputs: spec.inputs.map((v) => ({ name: v.name, elemType: onnxDataTypeOf(v.elementType), dims: v.shape })),
      outputs: spec.outputs.map((name) => ({ name })),
      valueInfo: [],
      initializers: (spec.initializers ?? []).map(initializerTensor),
    },
    functions: spec.functions ?? [],
  };
}

/** The described model with value_info and output types filled in by shape inference. */
export function buildOnnxModel(spec: GraphSpec): Either<InputIssue[], OnnxModel> {
  const bare = bareOnnxModel(spec);
  const inferred = inferShapes(bare, { file: `<builder ${spec.graphName}>` });
  if (inferred._tag === 'Left') return inferred;
  const unknown = [...inferred.right.uninferred.entries()];
  if (unknown.length > 0) {
    return left(unknown.map(([t, why]) => ({ file: `<builder ${spec.graphName}>`, path: `node ${why.node}`, message: `tensor '${t}': ${why.reason}` })));
  }
  const typed = (name: string): OnnxValueInfo => {
    const t = inferred.right.tensors.get(name);
    return t ? { name, elemType: t.elemType, dims: t.shape } : { name };
  };
  const outputNames = new Set(spec.outputs);
  const intermediates = spec.nodes.flatMap((n) => n.outputs).filter((o) => o !== '' && !outputNames.has(o));
  return right({
    ...bare,
    graph: { ...bare.graph, outputs: spec.outputs.map(typed), valueInfo: intermediates.map(typed) },
  });
}

export function encodeGraph(spec: GraphSpec): Either<InputIssue[], Uint8Array> {
  const model = buildOnnxModel(spec);
  return model._tag === 'Left' ? model : right(encodeOnnxModel(model.right));
}
