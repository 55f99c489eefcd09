/**
 * Malformed or unsupported ONNX input: every case yields InputIssues naming the file and the node or
 * tensor at fault, never a thrown exception.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { attr, GraphSpec, twoConvGraph } from '../../inputs/workloads/builders';
import { InputIssue } from '../../lib/common/errors';
import { OnnxDataType, OnnxModel } from '../../lib/onnx';
import { loadWorkload, parseOnnxModel } from '../../lib/workload/onnx';
import { expectIssues, rawModelBytes, STREAM_INPUTS } from '../fixtures/onnx/models';

const FILE = 'broken.onnx';

/** Parses bytes; a thrown exception fails the spec by itself. */
function issuesOf(bytes: Uint8Array): readonly InputIssue[] {
  const issues = expectIssues(parseOnnxModel(bytes, FILE));
  for (const i of issues) expect(i.file).toBe(FILE);
  return issues;
}

function single(opType: string, inputs: GraphSpec['inputs'], attributes: NonNullable<GraphSpec['nodes'][number]['attributes']> = {}, extra: Partial<GraphSpec> = {}): GraphSpec {
  return {
    graphName: 'broken',
    opset: 17,
    inputs,
    nodes: [{ name: 'Bad', opType, inputs: inputs.map((i) => i.name), outputs: ['y'], attributes }],
    outputs: ['y'],
    ...extra,
  };
}

const x4 = (shape: readonly number[] = [1, 8, 16, 16]) => ({ name: 'x', elementType: 'bf16' as const, shape });
const w4 = (shape: readonly number[]) => ({ name: 'w', elementType: 'bf16' as const, shape });

/** Sets the ONNX element type of a graph input (for types the builders cannot express). */
const retypeInput = (name: string, elemType: number) => (m: OnnxModel): OnnxModel => ({
  ...m,
  graph: { ...m.graph, inputs: m.graph.inputs.map((v) => (v.name === name ? { ...v, elemType } : v)) },
});

const messages = (issues: readonly InputIssue[]) => issues.map((i) => `${i.path}: ${i.message}`);

describe('malformed ONNX input', () => {
  const twoConvBytes = readFileSync(join(STREAM_INPUTS, 'testing/workload/2conv_1_8_32_32_16_32_3.onnx'));

  it('empty file', () => {
    expect(messages(issuesOf(new Uint8Array()))).toEqual([': ONNX file is empty']);
  });

  it('truncated file', () => {
    const issues = issuesOf(twoConvBytes.subarray(0, Math.floor(twoConvBytes.length / 2)));
    expect(issues).toHaveLength(1);
    expect(issues[0].message).toMatch(/^cannot decode ONNX model \(truncated or corrupt file\)|no graph/);
  });

  it('random bytes', () => {
    let seed = 12345;
    const random = Uint8Array.from({ length: 512 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed & 0xff;
    });
    const issues = issuesOf(random);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0].message).toMatch(/truncated or corrupt|not an ONNX model|corrupt ONNX model/);
  });

  it('a text file is not an ONNX model', () => {
    const issues = issuesOf(Buffer.from('hello: this is yaml\n', 'utf8'));
    expect(issues[0].message).toMatch(/truncated or corrupt|not an ONNX model/);
  });

  it('missing file', () => {
    const result = loadWorkload('/nonexistent/model.onnx');
    expect(expectIssues(result)[0]).toMatchObject({ file: '/nonexistent/model.onnx', path: '' });
    expect(expectIssues(result)[0].message).toMatch(/^cannot read the ONNX file: .*ENOENT/);
  });

  it('unsupported operator', () => {
    const issues = issuesOf(rawModelBytes(single('Cos', [x4()])));
    expect(messages(issues)).toEqual(["node Bad: No parser registered for ONNX op type 'Cos'."]);
  });

  it('unsupported operator in an unnamed node is named Op0', () => {
    const spec = single('Cos', [x4()]);
    const issues = issuesOf(rawModelBytes({ ...spec, nodes: [{ ...spec.nodes[0], name: undefined }] }));
    expect(messages(issues)).toEqual(["node Op0: No parser registered for ONNX op type 'Cos'."]);
  });

  it('unsupported element type of a graph input (DOUBLE)', () => {
    const issues = issuesOf(rawModelBytes(single('Relu', [x4()]), retypeInput('x', OnnxDataType.DOUBLE)));
    expect(messages(issues)[0]).toBe("tensor x: tensor 'x' has unsupported element type DOUBLE");
  });

  it('INT64 activations are rejected naming the tensor', () => {
    const issues = issuesOf(rawModelBytes(single('Relu', [x4()]), retypeInput('x', OnnxDataType.INT64)));
    expect(messages(issues)[0]).toBe("tensor x: tensor 'x' has unsupported element type INT64");
  });

  it('a shape that cannot be inferred: Reshape whose shape is not a constant', () => {
    const spec: GraphSpec = {
      graphName: 'broken',
      opset: 17,
      inputs: [x4(), { name: 'target', elementType: 'i32', shape: [2] }],
      nodes: [{ name: 'Reshape1', opType: 'Reshape', inputs: ['x', 'target'], outputs: ['y'] }],
      outputs: ['y'],
    };
    const issues = issuesOf(rawModelBytes(spec));
    expect(messages(issues)).toEqual([
      "node Reshape1: Reshape node Reshape1: the shape of tensor 'y' cannot be inferred (output of node Reshape1): the target shape 'target' is not a constant (it must be an INT64 initializer or a Constant)",
    ]);
  });

  it('a graph input with a symbolic dimension', () => {
    const issues = issuesOf(
      rawModelBytes(single('Relu', [x4()]), (m) => ({
        ...m,
        graph: { ...m.graph, inputs: [{ name: 'x', elemType: OnnxDataType.BFLOAT16, dims: ['batch', 8, 16, 16] }] },
      })),
    );
    expect(messages(issues)).toEqual(["tensor x: graph input 'x' has symbolic or unknown dimensions [batch, 8, 16, 16]; give every dimension a number"]);
  });

  it('a cycle', () => {
    const spec: GraphSpec = {
      graphName: 'broken',
      opset: 17,
      inputs: [x4()],
      nodes: [
        { name: 'A', opType: 'Add', inputs: ['x', 'b_out'], outputs: ['a_out'] },
        { name: 'B', opType: 'Relu', inputs: ['a_out'], outputs: ['b_out'] },
      ],
      outputs: ['b_out'],
    };
    expect(messages(issuesOf(rawModelBytes(spec)))).toEqual(['node A: the graph has a cycle: A -> B -> A']);
  });

  it('a missing producer', () => {
    const spec: GraphSpec = {
      graphName: 'broken',
      opset: 17,
      inputs: [x4()],
      nodes: [{ name: 'Adder', opType: 'Add', inputs: ['x', 'ghost'], outputs: ['y'] }],
      outputs: ['y'],
    };
    expect(messages(issuesOf(rawModelBytes(spec)))).toEqual([
      "node Adder: input tensor 'ghost' of node Adder has no producer (it is not a graph input, an initializer or a node output)",
    ]);
  });

  it('two nodes producing the same tensor', () => {
    const spec: GraphSpec = {
      graphName: 'broken',
      opset: 17,
      inputs: [x4()],
      nodes: [
        { name: 'R1', opType: 'Relu', inputs: ['x'], outputs: ['y'] },
        { name: 'R2', opType: 'Relu', inputs: ['x'], outputs: ['y'] },
      ],
      outputs: ['y'],
    };
    expect(messages(issuesOf(rawModelBytes(spec)))).toEqual(["node R2: tensor 'y' is produced by both node R1 and node R2"]);
  });

  it('Conv with group != 1', () => {
    const issues = issuesOf(rawModelBytes(single('Conv', [x4(), w4([8, 4, 3, 3])], { group: attr.int(2), pads: attr.ints([1, 1, 1, 1]) })));
    expect(messages(issues)).toEqual(['node Bad: Conv node Bad: Conv with group=2 (grouped or depthwise convolution) is not supported; only group=1 is modelled.']);
  });

  it('Conv with dilations != 1', () => {
    const issues = issuesOf(rawModelBytes(single('Conv', [x4(), w4([8, 8, 3, 3])], { dilations: attr.ints([2, 2]), pads: attr.ints([2, 2, 2, 2]) })));
    expect(messages(issues)).toEqual(['node Bad: Conv node Bad: Conv with dilations [2, 2] is not supported; only dilations of 1 are modelled.']);
  });

  it('1-D convolution', () => {
    const issues = issuesOf(rawModelBytes(single('Conv', [x4([1, 8, 16]), w4([8, 8, 3])])));
    expect(messages(issues)).toEqual(['node Bad: Conv node Bad: 1D convolution is not supported yet.']);
  });

  it('1-D MatMul operand', () => {
    const issues = issuesOf(rawModelBytes(single('MatMul', [x4([16]), w4([16, 4])])));
    expect(messages(issues)).toEqual(['node Bad: MatMul node Bad: 1D MatMul (vector) operands are not supported; provide rank >= 2 tensors.']);
  });

  it('Slice whose index comes from a non-initializer', () => {
    const spec: GraphSpec = {
      graphName: 'broken',
      opset: 17,
      inputs: [x4(), { name: 'starts', elementType: 'i32', shape: [1] }],
      initializers: [{ name: 'ends', elementType: 'int64', values: [8] }],
      nodes: [{ name: 'Slicer', opType: 'Slice', inputs: ['x', 'starts', 'ends'], outputs: ['y'] }],
      outputs: ['y'],
    };
    const issues = issuesOf(rawModelBytes(spec));
    expect(messages(issues)).toEqual([
      "node Slicer: Slice node Slicer: the shape of tensor 'y' cannot be inferred (output of node Slicer): Slice starts 'starts' does not come from an initializer or Constant; only constant slice indices are supported",
    ]);
  });

  it('value_info that contradicts the inferred shape', () => {
    const issues = issuesOf(
      rawModelBytes(twoConvGraph(), (m) => ({
        ...m,
        graph: { ...m.graph, valueInfo: [{ name: 'conv1_out', elemType: OnnxDataType.BFLOAT16, dims: [1, 16, 30, 30] }] },
      })),
    );
    expect(messages(issues)).toEqual(["node Conv1: output tensor 'conv1_out' of node Conv1: inferred shape [1, 16, 32, 32] differs from the declared shape [1, 16, 30, 30]"]);
  });

  it('a graph output whose declared element type differs', () => {
    const issues = issuesOf(
      rawModelBytes(single('Relu', [x4()]), (m) => ({
        ...m,
        graph: { ...m.graph, outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, dims: [1, 8, 16, 16] }] },
      })),
    );
    expect(messages(issues)).toEqual(["node Bad: output tensor 'y' of node Bad: element type BFLOAT16 differs from the declared FLOAT"]);
  });

  it('MaxPool with ceil_mode=1', () => {
    const issues = issuesOf(rawModelBytes(single('MaxPool', [x4()], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), ceil_mode: attr.int(1) })));
    expect(messages(issues)).toEqual(['node Bad: MaxPool node Bad: MaxPool with ceil_mode=1 is not supported.']);
  });

  it('Gather with a scalar index', () => {
    const spec: GraphSpec = {
      graphName: 'broken',
      opset: 17,
      inputs: [x4([16, 32])],
      initializers: [{ name: 'index', elementType: 'int64', values: [3], shape: [] }],
      nodes: [{ name: 'Pick', opType: 'Gather', inputs: ['x', 'index'], outputs: ['y'] }],
      outputs: ['y'],
    };
    expect(messages(issuesOf(rawModelBytes(spec)))).toEqual([
      'node Pick: Gather node Pick: Gather with a scalar index (axis-removing) is not supported yet; use a 1-element index tensor to keep the axis.',
    ]);
  });

  it('incompatible broadcast', () => {
    const issues = issuesOf(rawModelBytes(single('Add', [x4([4, 8]), { name: 'z', elementType: 'bf16', shape: [3, 8] }])));
    expect(messages(issues)).toEqual([
      "node Bad: Add node Bad: the shape of tensor 'y' cannot be inferred (output of node Bad): shapes [4, 8] and [3, 8] cannot be broadcast",
    ]);
  });

  it('a Constant of an unsupported element type is rejected naming the node', () => {
    const spec: GraphSpec = {
      graphName: 'broken',
      opset: 17,
      inputs: [x4([4])],
      nodes: [
        { name: 'K', opType: 'Constant', inputs: [], outputs: ['k'], attributes: { value_floats: attr.floats([1, 2, 3, 4]) } },
        { name: 'Adder', opType: 'Add', inputs: ['x', 'k'], outputs: ['y'] },
      ],
      outputs: ['y'],
    };
    const bytes = rawModelBytes(spec, (m) => ({
      ...m,
      graph: {
        ...m.graph,
        nodes: m.graph.nodes.map((n) =>
          n.name === 'K' ? { ...n, attributes: { value: { type: 'tensor', value: { name: 'k', elemType: OnnxDataType.DOUBLE, dims: [4] } } } } : n,
        ),
      },
    }));
    const issues = issuesOf(bytes);
    expect(messages(issues)).toEqual(["node K: Constant node K: tensor 'k' has unsupported element type DOUBLE"]);
  });

  it('collects independent problems of several nodes at once', () => {
    const spec: GraphSpec = {
      graphName: 'broken',
      opset: 17,
      inputs: [x4()],
      initializers: [{ name: 'w', elementType: 'bf16', shape: [8, 4, 3, 3] }],
      nodes: [
        { name: 'C1', opType: 'Cos', inputs: ['x'], outputs: ['a'] },
        { name: 'Grouped', opType: 'Conv', inputs: ['x', 'w'], outputs: ['b'], attributes: { group: attr.int(2), pads: attr.ints([1, 1, 1, 1]) } },
        { name: 'AfterCos', opType: 'Relu', inputs: ['a'], outputs: ['c'] },
      ],
      outputs: ['b', 'c'],
    };
    const issues = issuesOf(rawModelBytes(spec));
    // The Relu after the unsupported Cos is skipped rather than reported again.
    expect(issues.map((i) => i.path)).toEqual(['node C1', 'node Grouped']);
  });
});
