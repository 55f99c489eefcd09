/** Decoding ONNX bytes into the plain model view, and encoding it back. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { onnx } from 'onnx-proto';
import { decodeOnnxModel, elementTypeOf, encodeOnnxModel, isIndexDataType, OnnxDataType, OnnxModel, onnxDataTypeName, onnxDataTypeOf } from '../../lib/onnx';
import { STREAM_INPUTS } from '../fixtures/onnx/models';

function decoded(bytes: Uint8Array): OnnxModel {
  const m = decodeOnnxModel(bytes, 'm.onnx');
  if (m._tag === 'Left') throw new Error(m.left.map((i) => i.message).join('\n'));
  return m.right;
}

describe('decodeOnnxModel', () => {
  it('reads graph structure, attributes, value_info and int64 fields (Long) as plain numbers', () => {
    const m = decoded(readFileSync(join(STREAM_INPUTS, 'examples/workload/resnet18.onnx')));
    expect(m.irVersion).toBe(7);
    expect(m.opsetImports).toEqual([{ domain: '', version: 14 }]);
    expect(m.graph.nodes).toHaveLength(49);
    const stem = m.graph.nodes[0];
    expect(stem).toMatchObject({ name: '/conv1/Conv', opType: 'Conv', domain: '', inputs: ['input.1', 'onnx::Conv_193', 'onnx::Conv_194'] });
    expect(stem.attributes).toEqual({
      dilations: { type: 'ints', value: [1, 1] },
      group: { type: 'int', value: 1 },
      kernel_shape: { type: 'ints', value: [7, 7] },
      pads: { type: 'ints', value: [3, 3, 3, 3] },
      strides: { type: 'ints', value: [2, 2] },
    });
    expect(m.graph.nodes[48].attributes).toEqual({ alpha: { type: 'float', value: 1 }, beta: { type: 'float', value: 1 }, transB: { type: 'int', value: 1 } });
    expect(m.graph.inputs).toEqual([{ name: 'input.1', elemType: OnnxDataType.FLOAT, dims: [1, 3, 224, 224] }]);
    expect(m.graph.initializers[0]).toEqual({ name: 'fc.weight', elemType: OnnxDataType.FLOAT, dims: [1000, 512] });
    expect(m.graph.valueInfo).toHaveLength(48);
  });

  it('reads model-local functions', () => {
    const m = decoded(readFileSync(join(STREAM_INPUTS, 'testing/workload/swiglu_1_16_32.onnx')));
    expect(m.functions).toEqual([
      {
        name: 'Silu',
        domain: 'com.example',
        inputs: ['X'],
        outputs: ['Y'],
        attributeNames: [],
        nodes: [
          { name: 'Sigmoid_in_fn', opType: 'Sigmoid', domain: '', inputs: ['X'], outputs: ['S'], attributes: {} },
          { name: 'Mul_in_fn', opType: 'Mul', domain: '', inputs: ['X', 'S'], outputs: ['Y'], attributes: {} },
        ],
        opsetImports: [{ domain: '', version: 17 }],
        docString: 'SiLU(X) = X * Sigmoid(X)',
      },
    ]);
    expect(m.graph.nodes[2]).toMatchObject({ name: 'Silu', opType: 'Silu', domain: 'com.example' });
  });

  it('keeps the values of integer initializers, from int64_data and from little-endian raw_data', () => {
    const raw = Buffer.alloc(24);
    [1, -1, 9007199254740991].forEach((v, i) => raw.writeBigInt64LE(BigInt(v), 8 * i));
    const bytes = onnx.ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        initializer: [
          { name: 'listed', dataType: OnnxDataType.INT64, dims: [2], int64Data: [4, -1] },
          { name: 'raw', dataType: OnnxDataType.INT64, dims: [3], rawData: raw },
          { name: 'int32', dataType: OnnxDataType.INT32, dims: [2], int32Data: [7, 8] },
          { name: 'huge', dataType: OnnxDataType.INT64, dims: [1], int64Data: ['9223372036854775807' as unknown as number] },
        ],
      },
    }).finish();
    const init = decoded(bytes).graph.initializers;
    expect(init.map((t) => [t.name, t.integerValues])).toEqual([
      ['listed', [4, -1]],
      ['raw', [1, -1, 9007199254740991]],
      ['int32', [7, 8]],
      // INT64_MAX ("slice to the end") saturates instead of failing.
      ['huge', [Number.MAX_SAFE_INTEGER]],
    ]);
  });

  it('infers attribute types for files that omit AttributeProto.type', () => {
    const bytes = onnx.ModelProto.encode({
      graph: { name: 'g', node: [{ opType: 'Conv', input: ['x', 'w'], output: ['y'], attribute: [{ name: 'pads', ints: [1, 1, 1, 1] }, { name: 'group', i: 1 }] }] },
    }).finish();
    expect(decoded(bytes).graph.nodes[0].attributes).toEqual({ pads: { type: 'ints', value: [1, 1, 1, 1] }, group: { type: 'int', value: 1 } });
  });

  it('reports dimensions beyond the safe integer range as a corrupt model', () => {
    const bytes = onnx.ModelProto.encode({ graph: { name: 'g', initializer: [{ name: 'w', dataType: 1, dims: ['9223372036854775807' as unknown as number] }] } }).finish();
    const result = decodeOnnxModel(bytes, 'big.onnx');
    expect(result._tag === 'Left' && result.left.map((i) => [i.file, i.path])).toEqual([['big.onnx', 'tensor w']]);
  });

  it('round-trips through encodeOnnxModel', () => {
    const original = decoded(readFileSync(join(STREAM_INPUTS, 'testing/workload/swiglu_1_16_32.onnx')));
    const again = decoded(encodeOnnxModel(original));
    expect(again.graph).toEqual(original.graph);
    expect(again.functions).toEqual(original.functions);
  });
});

describe('element types', () => {
  it('maps the reference types plus FLOAT16 and UINT8 (Q19), and nothing else', () => {
    const mapped = Array.from({ length: 24 }, (_, code) => [onnxDataTypeName(code), elementTypeOf(code)]).filter(([, e]) => e !== undefined);
    expect(mapped).toEqual([
      ['FLOAT', 'f32'],
      ['UINT8', 'u8'],
      ['INT8', 'i8'],
      ['INT16', 'i16'],
      ['INT32', 'i32'],
      ['FLOAT16', 'f16'],
      ['BFLOAT16', 'bf16'],
    ]);
    expect(onnxDataTypeOf('bf16')).toBe(OnnxDataType.BFLOAT16);
    expect([isIndexDataType(OnnxDataType.INT64), isIndexDataType(OnnxDataType.INT32), isIndexDataType(OnnxDataType.INT8)]).toEqual([true, true, false]);
  });
});
