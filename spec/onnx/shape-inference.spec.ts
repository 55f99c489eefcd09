/** Our own ONNX shape inference: per-operator shapes, function bodies, value_info cross-checks. */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { right } from 'fp-ts/Either';
import { attr, bareOnnxModel, GraphSpec } from '../../inputs/workloads/builders';
import { decodeOnnxModel, inferShapes, InferredGraph, OnnxDataType, OnnxModel } from '../../lib/onnx';
import { STREAM_INPUTS } from '../fixtures/onnx/models';

function infer(model: OnnxModel, shapeFunctions?: Parameters<typeof inferShapes>[1]['shapeFunctions']): InferredGraph {
  const r = inferShapes(model, { file: 'm.onnx', shapeFunctions });
  if (r._tag === 'Left') throw new Error(r.left.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return r.right;
}

const bf16 = (name: string, shape: readonly number[]) => ({ name, elementType: 'bf16' as const, shape });

/** Shape of `y` for a single node `opType(inputs) -> y`. */
function outputShape(
  opType: string,
  inputs: GraphSpec['inputs'],
  attributes: NonNullable<GraphSpec['nodes'][number]['attributes']> = {},
  extra: Partial<GraphSpec> = {},
  nodeInputs: readonly string[] = inputs.map((i) => i.name),
): readonly number[] | string {
  const spec: GraphSpec = { graphName: 'g', opset: 17, inputs, nodes: [{ name: 'N', opType, inputs: nodeInputs, outputs: ['y'], attributes }], outputs: ['y'], ...extra };
  const inferred = infer(bareOnnxModel(spec));
  return inferred.tensors.get('y')?.shape ?? inferred.uninferred.get('y')?.reason ?? 'missing';
}

function onnxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? onnxFiles(join(dir, e)) : e.endsWith('.onnx') ? [join(dir, e)] : []));
}

describe('shape inference per operator', () => {
  it.each<[string, string, GraphSpec['inputs'], NonNullable<GraphSpec['nodes'][number]['attributes']>, readonly number[]]>([
    ['Conv, stride 2, pad 1', 'Conv', [bf16('x', [1, 3, 224, 224]), bf16('w', [64, 3, 7, 7])], { strides: attr.ints([2, 2]), pads: attr.ints([3, 3, 3, 3]) }, [1, 64, 112, 112]],
    ['Conv, SAME_LOWER', 'Conv', [bf16('x', [1, 3, 15, 15]), bf16('w', [4, 3, 4, 4])], { auto_pad: attr.string('SAME_LOWER'), strides: attr.ints([2, 2]) }, [1, 4, 8, 8]],
    ['Conv, dilated', 'Conv', [bf16('x', [1, 3, 16, 16]), bf16('w', [4, 3, 3, 3])], { dilations: attr.ints([2, 2]) }, [1, 4, 12, 12]],
    ['MaxPool', 'MaxPool', [bf16('x', [1, 64, 112, 112])], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) }, [1, 64, 56, 56]],
    ['MaxPool, ceil_mode', 'MaxPool', [bf16('x', [1, 1, 6, 6])], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), ceil_mode: attr.int(1) }, [1, 1, 3, 3]],
    ['GlobalAveragePool', 'GlobalAveragePool', [bf16('x', [2, 512, 7, 7])], {}, [2, 512, 1, 1]],
    ['Gemm', 'Gemm', [bf16('a', [4, 8]), bf16('b', [8, 16])], {}, [4, 16]],
    ['Gemm transA transB', 'Gemm', [bf16('a', [8, 4]), bf16('b', [16, 8])], { transA: attr.int(1), transB: attr.int(1) }, [4, 16]],
    ['MatMul 2-D', 'MatMul', [bf16('a', [4, 8]), bf16('b', [8, 16])], {}, [4, 16]],
    ['MatMul broadcast', 'MatMul', [bf16('a', [5, 1, 4, 8]), bf16('b', [3, 8, 16])], {}, [5, 3, 4, 16]],
    ['MatMul vector', 'MatMul', [bf16('a', [8]), bf16('b', [2, 8, 16])], {}, [2, 16]],
    ['Add broadcast', 'Add', [bf16('a', [2, 1, 8]), bf16('b', [3, 1])], {}, [2, 3, 8]],
    ['Pow', 'Pow', [bf16('a', [2, 3]), bf16('b', [])], {}, [2, 3]],
    ['Gelu', 'Gelu', [bf16('a', [2, 3])], {}, [2, 3]],
    ['BatchNormalization', 'BatchNormalization', [bf16('x', [1, 8, 4, 4]), bf16('s', [8]), bf16('b', [8]), bf16('m', [8]), bf16('v', [8])], {}, [1, 8, 4, 4]],
    ['Softmax', 'Softmax', [bf16('x', [4, 9])], { axis: attr.int(0) }, [4, 9]],
    ['LayerNormalization', 'LayerNormalization', [bf16('x', [4, 9]), bf16('s', [9])], {}, [4, 9]],
    ['Flatten axis 2', 'Flatten', [bf16('x', [2, 3, 4, 5])], { axis: attr.int(2) }, [6, 20]],
    ['Flatten axis 0', 'Flatten', [bf16('x', [2, 3])], { axis: attr.int(0) }, [1, 6]],
    ['Transpose default', 'Transpose', [bf16('x', [2, 3, 4])], {}, [4, 3, 2]],
    ['Transpose perm', 'Transpose', [bf16('x', [2, 3, 4])], { perm: attr.ints([1, 2, 0]) }, [3, 4, 2]],
    ['Squeeze all', 'Squeeze', [bf16('x', [1, 3, 1, 4])], {}, [3, 4]],
    ['Gather axis 1', 'Gather', [bf16('x', [5, 6, 7]), { name: 'i', elementType: 'i32', shape: [2, 3] }], { axis: attr.int(1) }, [5, 2, 3, 7]],
  ])('%s', (_label, op, inputs, attributes, expected) => {
    expect(outputShape(op, inputs, attributes)).toEqual(expected);
  });

  it('Reshape from an INT64 initializer, with 0 (copy) and -1 (inferred)', () => {
    const extra = { initializers: [{ name: 'shape', elementType: 'int64' as const, values: [0, -1, 4] }] };
    expect(outputShape('Reshape', [bf16('x', [2, 3, 8])], {}, extra, ['x', 'shape'])).toEqual([2, 6, 4]);
  });

  it('Slice with negative start, step and INT64_MAX end', () => {
    const extra = {
      initializers: [
        { name: 'starts', elementType: 'int64' as const, values: [-7] },
        { name: 'ends', elementType: 'int64' as const, values: [Number.MAX_SAFE_INTEGER] },
        { name: 'axes', elementType: 'int64' as const, values: [-1] },
        { name: 'steps', elementType: 'int64' as const, values: [3] },
      ],
    };
    expect(outputShape('Slice', [bf16('x', [4, 10])], {}, extra, ['x', 'starts', 'ends', 'axes', 'steps'])).toEqual([4, 3]);
  });

  it('Slice before opset 10 reads attributes', () => {
    expect(outputShape('Slice', [bf16('x', [4, 10])], { starts: attr.ints([1]), ends: attr.ints([-1]), axes: attr.ints([1]) }, { opset: 9 })).toEqual([4, 8]);
  });

  it('Unsqueeze with an initializer axes input', () => {
    const extra = { initializers: [{ name: 'axes', elementType: 'int64' as const, values: [0, -1] }] };
    expect(outputShape('Unsqueeze', [bf16('x', [3, 4])], {}, extra, ['x', 'axes'])).toEqual([1, 3, 4, 1]);
  });

  it('reasons for shapes that cannot be inferred', () => {
    expect(outputShape('Gemm', [bf16('a', [4, 8]), bf16('b', [7, 16])])).toBe('contraction sizes differ: A [4, 8] (transA=0) and B [7, 16] (transB=0)');
    expect(outputShape('Conv', [bf16('x', [1, 4, 8, 8]), bf16('w', [8, 3, 3, 3])])).toBe('input channels 4 do not match weight channels 3 x group 1');
    expect(outputShape('Reshape', [bf16('x', [2, 3])], {}, { initializers: [{ name: 's', elementType: 'int64', values: [4, 2] }] }, ['x', 's'])).toBe(
      'cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)',
    );
    expect(outputShape('Cos', [bf16('x', [2])])).toBe("no shape inference is known for op type 'Cos'");
  });

  it('infers a custom-domain op through its function body (SwiGLU Silu)', () => {
    const file = join(STREAM_INPUTS, 'testing/workload/swiglu_1_16_32.onnx');
    const decoded = decodeOnnxModel(readFileSync(file), file);
    if (decoded._tag === 'Left') throw new Error('decode');
    const withoutValueInfo: OnnxModel = { ...decoded.right, graph: { ...decoded.right.graph, valueInfo: [], outputs: [{ name: 'output' }] } };
    const inferred = infer(withoutValueInfo);
    expect(inferred.tensors.get('left_swished')).toEqual({ elemType: OnnxDataType.BFLOAT16, shape: [1, 32] });
    expect(inferred.tensors.get('output')).toEqual({ elemType: OnnxDataType.BFLOAT16, shape: [1, 16] });
  });

  it('registered shape functions take precedence', () => {
    const model = bareOnnxModel({ graphName: 'g', opset: 17, inputs: [bf16('x', [2, 3])], nodes: [{ name: 'N', opType: 'Relu', inputs: ['x'], outputs: ['y'] }], outputs: ['y'] });
    const inferred = infer(model, new Map([['Relu', () => right([{ elemType: OnnxDataType.FLOAT, shape: [6] }])]]));
    expect(inferred.tensors.get('y')).toEqual({ elemType: OnnxDataType.FLOAT, shape: [6] });
  });

  it('falls back to declared value_info when an op has no shape function', () => {
    const model = bareOnnxModel({ graphName: 'g', opset: 17, inputs: [bf16('x', [2, 3])], nodes: [{ name: 'N', opType: 'Cos', inputs: ['x'], outputs: ['y'] }], outputs: ['y'] });
    const declared: OnnxModel = { ...model, graph: { ...model.graph, outputs: [{ name: 'y', elemType: OnnxDataType.BFLOAT16, dims: [2, 3] }] } };
    expect(infer(declared).tensors.get('y')).toEqual({ elemType: OnnxDataType.BFLOAT16, shape: [2, 3] });
  });

  it('marks the consumers of an uninferable tensor as derived failures', () => {
    const model = bareOnnxModel({
      graphName: 'g',
      opset: 17,
      inputs: [bf16('x', [2, 3])],
      nodes: [
        { name: 'A', opType: 'Cos', inputs: ['x'], outputs: ['a'] },
        { name: 'B', opType: 'Relu', inputs: ['a'], outputs: ['b'] },
      ],
      outputs: ['b'],
    });
    const inferred = infer(model);
    expect(inferred.uninferred.get('a')).toMatchObject({ node: 'A', derived: false });
    expect(inferred.uninferred.get('b')).toMatchObject({ node: 'B', derived: true });
  });

  it('orders nodes topologically even when the file does not', () => {
    const model = bareOnnxModel({
      graphName: 'g',
      opset: 17,
      inputs: [bf16('x', [2])],
      nodes: [
        { name: 'Second', opType: 'Relu', inputs: ['a'], outputs: ['b'] },
        { name: 'First', opType: 'Relu', inputs: ['x'], outputs: ['a'] },
      ],
      outputs: ['b'],
    });
    expect(infer(model).nodeOrder).toEqual([1, 0]);
  });
});

describe('cross-check against the reference fixtures', () => {
  const files = onnxFiles(STREAM_INPUTS).map((f) => relative(STREAM_INPUTS, f));

  it.each(files)('%s: our shapes equal every declared value_info and output, and cover every tensor', (rel) => {
    const file = join(STREAM_INPUTS, rel);
    const decoded = decodeOnnxModel(readFileSync(file), file);
    if (decoded._tag === 'Left') throw new Error('decode');
    const model = decoded.right;
    // Inference without the declarations must reproduce them exactly.
    const stripped: OnnxModel = { ...model, graph: { ...model.graph, valueInfo: [], outputs: model.graph.outputs.map((o) => ({ name: o.name })) } };
    const inferred = infer(stripped);
    for (const v of [...model.graph.valueInfo, ...model.graph.outputs]) {
      expect([v.name, inferred.tensors.get(v.name)]).toEqual([v.name, { elemType: v.elemType, shape: v.dims }]);
    }
    expect(inferred.uninferred.size).toBe(0);
    // And inference with them finds no mismatch.
    expect(inferShapes(model, { file })._tag).toBe('Right');
  });
});
