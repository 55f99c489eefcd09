/**
 * Plain, immutable view of an ONNX model: only what the workload front end needs (graph structure,
 * attributes, tensor types and shapes, and the values of small integer constants such as Reshape shapes
 * and Slice indices). Weight values are never kept.
 */

/** A dimension as declared in a value_info: a number, a symbolic name, or unknown. */
export type OnnxDim = number | string | null;

export interface OnnxValueInfo {
  readonly name: string;
  /** ONNX `TensorProto.DataType` code; undefined when the type is missing or not a tensor type. */
  readonly elemType?: number;
  /** Undefined when the shape is not declared at all. */
  readonly dims?: readonly OnnxDim[];
}

/**
 * An initializer or a `Constant` value: type and dims, plus the element values when the tensor is an
 * integer tensor (INT64/INT32), because shape-like operands (Reshape shape, Slice starts, Squeeze axes)
 * are read from them.
 */
export interface OnnxConstantTensor {
  readonly name: string;
  readonly elemType: number;
  readonly dims: readonly number[];
  /** Element values of INT64/INT32 tensors (empty when the file carries no data). */
  readonly integerValues?: readonly number[];
}

export type OnnxAttributeValue =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensor'; readonly value: OnnxConstantTensor }
  /** Graphs, sparse tensors, type protos: carried only so that a parser can name them in an error. */
  | { readonly type: 'unsupported'; readonly onnxType: string };

export interface OnnxNode {
  /** As written in the file; may be empty (the workload front end names unnamed nodes `Op<k>`). */
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  /** Empty strings stand for omitted optional inputs/outputs, as in ONNX. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, OnnxAttributeValue>>;
}

export interface OnnxOpsetImport {
  readonly domain: string;
  readonly version: number;
}

/** A model-local function (e.g. the SwiGLU fixtures' `com.example.Silu`). */
export interface OnnxFunction {
  readonly name: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributeNames: readonly string[];
  readonly nodes: readonly OnnxNode[];
  readonly opsetImports: readonly OnnxOpsetImport[];
  readonly docString: string;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly valueInfo: readonly OnnxValueInfo[];
  readonly initializers: readonly OnnxConstantTensor[];
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString: string;
  readonly opsetImports: readonly OnnxOpsetImport[];
  readonly graph: OnnxGraph;
  readonly functions: readonly OnnxFunction[];
}

/** Default-domain opset version; `undefined` when the model does not import the default domain. */
export function defaultOpsetVersion(imports: readonly OnnxOpsetImport[]): number | undefined {
  return imports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
}


/**
 * Names the front end gives to the graph's nodes: a node's own name, or `Op<k>` for the k-th unnamed node
 * (the counter advances only on unnamed nodes, as in the reference).
 */
export function resolvedNodeNames(nodes: readonly OnnxNode[]): readonly string[] {
  let unnamed = 0;
  return nodes.map((n) => (n.name !== '' ? n.name : `Op${unnamed++}`));
}
