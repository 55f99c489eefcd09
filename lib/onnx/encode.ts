/**
 * The plain `OnnxModel` view -> ONNX protobuf bytes, for the workload builders.
 *
 * Initializers are written without weight data (only integer values, which carry shapes and indices),
 * as the reference's builders do, so the files stay tiny. Encoding is deterministic: fields are written
 * in field-number order and lists in the order given.
 */
import { onnx } from 'onnx-proto';
import { OnnxDataType } from './element-types';
import type { OnnxAttributeValue, OnnxConstantTensor, OnnxFunction, OnnxModel, OnnxNode, OnnxValueInfo } from './model';

const AttributeType = onnx.AttributeProto.AttributeType;

function encodeTensor(t: OnnxConstantTensor): onnx.ITensorProto {
  const proto: onnx.ITensorProto = { dims: [...t.dims], dataType: t.elemType, name: t.name };
  if (t.integerValues && t.integerValues.length > 0) {
    if (t.elemType === OnnxDataType.INT64) proto.int64Data = [...t.integerValues];
    else proto.int32Data = [...t.integerValues];
  }
  return proto;
}

function encodeAttribute(name: string, a: OnnxAttributeValue): onnx.IAttributeProto {
  switch (a.type) {
    case 'int':
      return { name, i: a.value, type: AttributeType.INT };
    case 'float':
      return { name, f: a.value, type: AttributeType.FLOAT };
    case 'string':
      return { name, s: Buffer.from(a.value, 'utf8'), type: AttributeType.STRING };
    case 'ints':
      return { name, ints: [...a.value], type: AttributeType.INTS };
    case 'floats':
      return { name, floats: [...a.value], type: AttributeType.FLOATS };
    case 'strings':
      return { name, strings: a.value.map((s) => Buffer.from(s, 'utf8')), type: AttributeType.STRINGS };
    case 'tensor':
      return { name, t: encodeTensor(a.value), type: AttributeType.TENSOR };
    case 'unsupported':
      throw new Error(`cannot encode attribute ${name} of unsupported type ${a.onnxType}`);
  }
}

function encodeNode(n: OnnxNode): onnx.INodeProto {
  const proto: onnx.INodeProto = {
    input: [...n.inputs],
    output: [...n.outputs],
    opType: n.opType,
    attribute: Object.entries(n.attributes).map(([name, a]) => encodeAttribute(name, a)),
  };
  if (n.name !== '') proto.name = n.name;
  if (n.domain !== '') proto.domain = n.domain;
  return proto;
}

function encodeValueInfo(v: OnnxValueInfo): onnx.IValueInfoProto {
  const tensorType: onnx.TypeProto.ITensor = {};
  if (v.elemType !== undefined) tensorType.elemType = v.elemType;
  if (v.dims !== undefined) {
    tensorType.shape = {
      dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
    };
  }
  return { name: v.name, type: { tensorType } };
}

function encodeFunction(f: OnnxFunction): onnx.IFunctionProto {
  const proto: onnx.IFunctionProto = {
    name: f.name,
    input: [...f.inputs],
    output: [...f.outputs],
    attribute: [...f.attributeNames],
    node: f.nodes.map(encodeNode),
    opsetImport: f.opsetImports.map((o) => ({ domain: o.domain, version: o.version })),
    domain: f.domain,
  };
  if (f.docString !== '') proto.docString = f.docString;
  return proto;
}

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const proto: onnx.IModelProto = {
    irVersion: model.irVersion,
    opsetImport: model.opsetImports.map((o) => ({ domain: o.domain, version: o.version })),
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    graph: {
      node: model.graph.nodes.map(encodeNode),
      name: model.graph.name,
      initializer: model.graph.initializers.map(encodeTensor),
      input: model.graph.inputs.map(encodeValueInfo),
      output: model.graph.outputs.map(encodeValueInfo),
      valueInfo: model.graph.valueInfo.map(encodeValueInfo),
    },
    functions: model.functions.map(encodeFunction),
  };
  if (model.docString !== '') proto.docString = model.docString;
  return onnx.ModelProto.encode(onnx.ModelProto.create(proto)).finish();
}
