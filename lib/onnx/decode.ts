/**
 * ONNX protobuf bytes -> the plain `OnnxModel` view. Pure: the caller reads the file.
 *
 * Decoding never throws: a truncated or corrupt file, or a structurally impossible model, becomes an
 * InputIssue naming the file (and the node or tensor when one is at fault).
 */
import { onnx } from 'onnx-proto';
import { Either, left, right } from 'fp-ts/Either';
import { InputIssue, issue } from '../common/errors';
import { OnnxDataType } from './element-types';
import type {
  OnnxAttributeValue,
  OnnxConstantTensor,
  OnnxDim,
  OnnxFunction,
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  OnnxOpsetImport,
  OnnxValueInfo,
} from './model';

/** protobufjs decodes int64 fields as `Long` objects when the `long` package is present. */
type Int64 = number | bigint | { toNumber(): number; toString(): string };

class DecodeFailure {
  constructor(
    readonly path: string,
    readonly message: string,
  ) {}
}

/** Conversion helpers report structural problems through this collector rather than by throwing. */
interface Problems {
  readonly list: DecodeFailure[];
}

function int64ToNumber(value: Int64 | null | undefined, what: string, path: string, problems: Problems): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'object' ? value.toNumber() : Number(value);
  if (!Number.isSafeInteger(n)) {
    problems.list.push(new DecodeFailure(path, `${what} ${String(value)} is outside the safe integer range`));
    return 0;
  }
  return n;
}

/** Attribute and tensor *values* (not dims) saturate: exporters write INT64_MAX as "to the end" in Slice. */
function int64ToSaturatedNumber(value: Int64 | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value.toString());
  return Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}

function bytesToString(bytes: Uint8Array | null | undefined): string {
  return bytes ? Buffer.from(bytes).toString('utf8') : '';
}

function has(message: object, field: string): boolean {
  // protobufjs only sets fields present on the wire on the instance; defaults live on the prototype.
  return Object.prototype.hasOwnProperty.call(message, field);
}

function convertValueInfo(v: onnx.IValueInfoProto, problems: Problems): OnnxValueInfo {
  const name = v.name ?? '';
  const tensorType = v.type?.tensorType;
  if (!tensorType) return { name };
  const elemType = tensorType.elemType ?? undefined;
  const shape = tensorType.shape;
  if (!shape) return { name, elemType };
  const dims: OnnxDim[] = (shape.dim ?? []).map((d, i) => {
    if (d.dimParam) return d.dimParam;
    if (d.dimValue !== null && d.dimValue !== undefined && has(d, 'dimValue')) {
      return int64ToNumber(d.dimValue, `dimension ${i}`, `tensor ${name}`, problems);
    }
    return null;
  });
  return { name, elemType, dims };
}

function readIntegerValues(t: onnx.ITensorProto, name: string, problems: Problems): readonly number[] | undefined {
  const type = t.dataType ?? 0;
  if (type !== OnnxDataType.INT64 && type !== OnnxDataType.INT32) return undefined;
  if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    const width = type === OnnxDataType.INT64 ? 8 : 4;
    if (raw.length % width !== 0) {
      problems.list.push(new DecodeFailure(`tensor ${name}`, `raw_data length ${raw.length} is not a multiple of ${width}`));
      return [];
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const values: number[] = [];
    for (let offset = 0; offset < raw.length; offset += width) {
      values.push(width === 8 ? int64ToSaturatedNumber(view.getBigInt64(offset, true)) : view.getInt32(offset, true));
    }
    return values;
  }
  if (type === OnnxDataType.INT64) {
    return (t.int64Data ?? []).map(int64ToSaturatedNumber);
  }
  return [...(t.int32Data ?? [])];
}

function convertTensor(t: onnx.ITensorProto, fallbackName: string, problems: Problems): OnnxConstantTensor {
  const name = t.name || fallbackName;
  const dims = (t.dims ?? []).map((d, i) => {
    const n = int64ToNumber(d, `dimension ${i}`, `tensor ${name}`, problems);
    if (n < 0) problems.list.push(new DecodeFailure(`tensor ${name}`, `dimension ${i} is negative (${n})`));
    return n;
  });
  const elemType = t.dataType ?? 0;
  const integerValues = readIntegerValues(t, name, problems);
  return integerValues === undefined ? { name, elemType, dims } : { name, elemType, dims, integerValues };
}

const AttributeType = onnx.AttributeProto.AttributeType;

function convertAttribute(a: onnx.IAttributeProto, problems: Problems): OnnxAttributeValue {
  let type = a.type ?? AttributeType.UNDEFINED;
  if (type === AttributeType.UNDEFINED) {
    // Files written before IR version 2 omit `type`; infer it from the field that is set.
    if ((a.ints ?? []).length > 0) type = AttributeType.INTS;
    else if ((a.floats ?? []).length > 0) type = AttributeType.FLOATS;
    else if ((a.strings ?? []).length > 0) type = AttributeType.STRINGS;
    else if (a.t) type = AttributeType.TENSOR;
    else if (has(a, 's')) type = AttributeType.STRING;
    else if (has(a, 'f')) type = AttributeType.FLOAT;
    else if (has(a, 'i')) type = AttributeType.INT;
  }
  switch (type) {
    case AttributeType.INT:
      return { type: 'int', value: int64ToSaturatedNumber(a.i) };
    case AttributeType.FLOAT:
      return { type: 'float', value: a.f ?? 0 };
    case AttributeType.STRING:
      return { type: 'string', value: bytesToString(a.s) };
    case AttributeType.INTS:
      return { type: 'ints', value: (a.ints ?? []).map(int64ToSaturatedNumber) };
    case AttributeType.FLOATS:
      return { type: 'floats', value: [...(a.floats ?? [])] };
    case AttributeType.STRINGS:
      return { type: 'strings', value: (a.strings ?? []).map(bytesToString) };
    case AttributeType.TENSOR:
      return { type: 'tensor', value: convertTensor(a.t ?? {}, a.name ?? '', problems) };
    default:
      return { type: 'unsupported', onnxType: AttributeType[type] ?? `attribute type ${type}` };
  }
}

function convertNode(n: onnx.INodeProto, problems: Problems): OnnxNode {
  const attributes: Record<string, OnnxAttributeValue> = {};
  for (const a of n.attribute ?? []) attributes[a.name ?? ''] = convertAttribute(a, problems);
  return {
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attributes,
  };
}

function convertOpsets(imports: readonly onnx.IOperatorSetIdProto[] | null | undefined, problems: Problems): OnnxOpsetImport[] {
  return (imports ?? []).map((o) => ({
    domain: o.domain ?? '',
    version: int64ToNumber(o.version, 'opset version', `opset_import ${o.domain ?? ''}`, problems),
  }));
}

function convertGraph(g: onnx.IGraphProto, problems: Problems): OnnxGraph {
  const nodes = (g.node ?? []).map((n) => convertNode(n, problems));
  nodes.forEach((n, i) => {
    if (n.opType === '') problems.list.push(new DecodeFailure(`node ${n.name || `#${i}`}`, 'node has no op_type'));
  });
  return {
    name: g.name ?? '',
    nodes,
    inputs: (g.input ?? []).map((v) => convertValueInfo(v, problems)),
    outputs: (g.output ?? []).map((v) => convertValueInfo(v, problems)),
    valueInfo: (g.valueInfo ?? []).map((v) => convertValueInfo(v, problems)),
    initializers: (g.initializer ?? []).map((t, i) => convertTensor(t, `initializer #${i}`, problems)),
  };
}

function convertFunction(f: onnx.IFunctionProto, problems: Problems): OnnxFunction {
  return {
    name: f.name ?? '',
    domain: f.domain ?? '',
    inputs: [...(f.input ?? [])],
    outputs: [...(f.output ?? [])],
    attributeNames: [...(f.attribute ?? [])],
    nodes: (f.node ?? []).map((n) => convertNode(n, problems)),
    opsetImports: convertOpsets(f.opsetImport, problems),
    docString: f.docString ?? '',
  };
}

/** Decodes ONNX protobuf bytes; `file` is only used to name the file in issues. */
export function decodeOnnxModel(bytes: Uint8Array, file: string): Either<InputIssue[], OnnxModel> {
  if (bytes.length === 0) return left([issue(file, '', 'ONNX file is empty')]);
  let proto: onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return left([issue(file, '', `cannot decode ONNX model (truncated or corrupt file): ${reason}`)]);
  }
  if (!proto.graph) {
    return left([issue(file, '', 'not an ONNX model: the file decodes but contains no graph (truncated or corrupt file?)')]);
  }
  const problems: Problems = { list: [] };
  const model: OnnxModel = {
    irVersion: int64ToNumber(proto.irVersion, 'ir_version', '', problems),
    producerName: proto.producerName ?? '',
    producerVersion: proto.producerVersion ?? '',
    docString: proto.docString ?? '',
    opsetImports: convertOpsets(proto.opsetImport, problems),
    graph: convertGraph(proto.graph, problems),
    functions: (proto.functions ?? []).map((f) => convertFunction(f, problems)),
  };
  if (problems.list.length > 0) {
    return left(problems.list.map((p) => issue(file, p.path, `corrupt ONNX model: ${p.message}`)));
  }
  return right(model);
}

