/**
 * Operator lowering beyond the golden cases: the reference-surface §10.2 fixes and reproductions
 * (Q13–Q23), the operators the golden cases do not cover, and the parser registry.
 */
import { left, right } from 'fp-ts/Either';
import { attr, GraphSpec } from '../../inputs/workloads/builders';
import { ComputationNode, formatAffineMap, Workload } from '../../lib/workload/model';
import {
  affineMap,
  dimExpr,
  identityMap,
  nodeLoopSizes,
  OperatorParser,
  OperatorParserRegistry,
  parseOnnxModel,
  registerOperatorParser,
  unregisterOperatorParser,
} from '../../lib/workload/onnx';
import { expectIssues, expectParsed, parseSpec, rawModelBytes } from '../fixtures/onnx/models';

const computations = (w: Workload) => w.nodes.filter((n): n is ComputationNode => n.kind === 'computation');
const only = (w: Workload): ComputationNode => {
  const [n] = computations(w);
  return n;
};
const maps = (n: ComputationNode) => n.operandMaps.map(formatAffineMap);
const sizes = (n: ComputationNode) => nodeLoopSizes(n);

function singleNode(
  opType: string,
  inputs: GraphSpec['inputs'],
  attributes: NonNullable<GraphSpec['nodes'][number]['attributes']> = {},
  extra: Partial<GraphSpec> = {},
  nodeInputs: readonly string[] = inputs.map((i) => i.name),
): GraphSpec {
  return { graphName: 'single', opset: 17, inputs, nodes: [{ name: 'N', opType, inputs: nodeInputs, outputs: ['y'], attributes }], outputs: ['y'], ...extra };
}
const bf16 = (name: string, shape: readonly number[]) => ({ name, elementType: 'bf16' as const, shape });

describe('Conv', () => {
  it('reads strides as (height, width), unlike the reference (Q15)', () => {
    const w = expectParsed(parseSpec(singleNode('Conv', [bf16('x', [1, 4, 32, 16]), bf16('w', [8, 4, 3, 3])], { strides: attr.ints([2, 1]) }))).workload;
    expect(maps(only(w))[0]).toBe('(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, ((d2 * 2) + d4), (d1 + d3))');
    expect(sizes(only(w))).toEqual(right([1, 14, 15, 3, 3, 4, 8]));
  });

  it('accepts asymmetric pads; only the begin pads enter the map as offsets', () => {
    const w = expectParsed(parseSpec(singleNode('Conv', [bf16('x', [1, 4, 16, 16]), bf16('w', [8, 4, 3, 3])], { pads: attr.ints([2, 0, 0, 1]) }))).workload;
    expect(maps(only(w))[0]).toBe('(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, ((d2 + d4) + -2), (d1 + d3))');
    expect(only(w).outputs[0].shape).toEqual([1, 8, 16, 15]);
  });

  it('resolves auto_pad SAME_UPPER into begin pads', () => {
    const w = expectParsed(parseSpec(singleNode('Conv', [bf16('x', [1, 4, 16, 16]), bf16('w', [8, 4, 3, 3])], { auto_pad: attr.string('SAME_UPPER') }))).workload;
    expect(maps(only(w))[0]).toBe('(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, ((d2 + d4) + -1), ((d1 + d3) + -1))');
  });

  it('drops the bias operand', () => {
    const w = expectParsed(parseSpec(singleNode('Conv', [bf16('x', [1, 4, 8, 8]), bf16('w', [8, 4, 1, 1]), bf16('b', [8])]))).workload;
    expect(only(w).inputs.map((t) => t.name)).toEqual(['x', 'w']);
    expect(w.nodes.filter((n) => n.kind === 'in').map((n) => n.name)).toEqual(['x', 'w', 'b']);
  });
});

describe('MaxPool (Q18)', () => {
  it('accepts asymmetric pads like Conv', () => {
    const spec = singleNode('MaxPool', [bf16('x', [1, 4, 16, 16])], { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 0, 1, 1]) });
    const w = expectParsed(parseSpec(spec)).workload;
    expect(maps(only(w))).toEqual(['(d0, d1, d2, d3, d4, d5) -> (d0, d1, (((d2 * 2) + d4) + -1), ((d3 * 2) + d5))', '(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)']);
    expect(only(w).outputs[0].shape).toEqual([1, 4, 8, 8]);
  });

  it('rejects dilations != 1', () => {
    const spec = singleNode('MaxPool', [bf16('x', [1, 4, 16, 16])], { kernel_shape: attr.ints([2, 2]), dilations: attr.ints([2, 2]) });
    expect(expectIssues(parseSpec(spec)).map((i) => i.message)).toEqual(['MaxPool node N: MaxPool with dilations [2, 2] is not supported.']);
  });
});

describe('Gemm (Q17)', () => {
  const gemm = (transA: number, transB: number) =>
    singleNode('Gemm', [bf16('a', transA ? [32, 16] : [16, 32]), bf16('b', transB ? [8, 32] : [32, 8])], { transA: attr.int(transA), transB: attr.int(transB) });

  it('reproduces the reference by default: transposition ignored, with a warning', () => {
    const parsed = expectParsed(parseSpec(gemm(1, 1)));
    expect(maps(only(parsed.workload))).toEqual(['(d0, d1, d2) -> (d0, d1)', '(d0, d1, d2) -> (d1, d2)', '(d0, d1, d2) -> (d0, d2)']);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).toMatchObject({ file: 'single.onnx', path: 'node N', severity: 'warning' });
    expect(parsed.warnings[0].message).toContain('transA=1 and transB=1');
  });

  it("gives the transposed maps with gemmTranspose: 'transposed'", () => {
    const parsed = expectParsed(parseSpec(gemm(1, 1), { gemmTranspose: 'transposed' }));
    expect(maps(only(parsed.workload))).toEqual(['(d0, d1, d2) -> (d1, d0)', '(d0, d1, d2) -> (d2, d1)', '(d0, d1, d2) -> (d0, d2)']);
    expect(sizes(only(parsed.workload))).toEqual(right([16, 32, 8]));
    expect(parsed.warnings).toEqual([]);
  });

  it('no warning without transposition', () => {
    expect(expectParsed(parseSpec(gemm(0, 0))).warnings).toEqual([]);
  });
});

describe('MatMul', () => {
  it('broadcasts batch axes right-aligned; size-1 batch axes read at constant 0', () => {
    const w = expectParsed(parseSpec(singleNode('MatMul', [bf16('a', [2, 1, 64, 32]), bf16('b', [3, 32, 16])]))).workload;
    expect(only(w).outputs[0].shape).toEqual([2, 3, 64, 16]);
    expect(maps(only(w))).toEqual([
      '(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)',
      '(d0, d1, d2, d3, d4) -> (d1, d4, d3)',
      '(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)',
    ]);
    expect(sizes(only(w))).toEqual(right([2, 3, 64, 16, 32]));
  });
});

describe('normalisations (Q14, Q23)', () => {
  it('Softmax reads its axis attribute', () => {
    const w = expectParsed(parseSpec(singleNode('Softmax', [bf16('x', [4, 8, 16])], { axis: attr.int(1) }))).workload;
    expect(only(w).reductionAxes).toEqual([1]);
    expect(maps(only(w))).toEqual(['(d0, d1, d2) -> (d0, d1, d2)', '(d0, d1, d2) -> (d0, d1, d2)']);
  });

  it('Softmax defaults to the last axis from opset 13, and to the trailing block from axis 1 before', () => {
    expect(only(expectParsed(parseSpec(singleNode('Softmax', [bf16('x', [4, 8, 16])]))).workload).reductionAxes).toEqual([2]);
    expect(only(expectParsed(parseSpec({ ...singleNode('Softmax', [bf16('x', [4, 8, 16])]), opset: 11 })).workload).reductionAxes).toEqual([1, 2]);
  });

  it('LayerNormalization reduces axis..rank-1 and drops scale and bias', () => {
    const w = expectParsed(parseSpec(singleNode('LayerNormalization', [bf16('x', [2, 16, 64]), bf16('scale', [64]), bf16('bias', [64])], { axis: attr.int(-2) }))).workload;
    expect(only(w).reductionAxes).toEqual([1, 2]);
    expect(only(w).inputs.map((t) => t.name)).toEqual(['x']);
  });

  it('LpNormalization with p != 2 is kept as L2, with a warning', () => {
    const parsed = expectParsed(parseSpec(singleNode('LpNormalization', [bf16('x', [8, 32])], { p: attr.int(1), axis: attr.int(0) })));
    expect(only(parsed.workload).reductionAxes).toEqual([0]);
    expect(parsed.warnings.map((i) => i.message)).toEqual([
      'LpNormalization node N: LpNormalization with p=1 is costed as an L2 normalisation (ReduceSumSquare, Sqrt, Div), as in the reference.',
    ]);
  });

  it('BatchNormalization indexes its four per-channel vectors by the channel loop', () => {
    const inputs = [bf16('x', [1, 8, 4, 4]), bf16('scale', [8]), bf16('bias', [8]), bf16('mean', [8]), bf16('var', [8])];
    const w = expectParsed(parseSpec(singleNode('BatchNormalization', inputs))).workload;
    expect(maps(only(w))).toEqual([
      '(d0, d1, d2, d3) -> (d0, d1, d2, d3)',
      '(d0, d1, d2, d3) -> (d1)',
      '(d0, d1, d2, d3) -> (d1)',
      '(d0, d1, d2, d3) -> (d1)',
      '(d0, d1, d2, d3) -> (d1)',
      '(d0, d1, d2, d3) -> (d0, d1, d2, d3)',
    ]);
  });
});

describe('elementwise broadcast', () => {
  it('right-aligns lower-rank operands and reads size-1 axes at constant 0', () => {
    const w = expectParsed(parseSpec(singleNode('Mul', [bf16('x', [2, 8, 16]), bf16('s', [8, 1])]))).workload;
    expect(maps(only(w))).toEqual(['(d0, d1, d2) -> (d0, d1, d2)', '(d0, d1, d2) -> (d1, 0)', '(d0, d1, d2) -> (d0, d1, d2)']);
  });
});

describe('Slice and Gather', () => {
  it('Slice reads constant indices: start + step·p on sliced axes, negative starts shifted', () => {
    const spec: GraphSpec = {
      graphName: 'single',
      opset: 17,
      inputs: [bf16('x', [8, 32])],
      initializers: [
        { name: 'starts', elementType: 'int64', values: [-28] },
        { name: 'ends', elementType: 'int64', values: [32] },
        { name: 'axes', elementType: 'int64', values: [1] },
        { name: 'steps', elementType: 'int64', values: [2] },
      ],
      nodes: [{ name: 'N', opType: 'Slice', inputs: ['x', 'starts', 'ends', 'axes', 'steps'], outputs: ['y'] }],
      outputs: ['y'],
    };
    const w = expectParsed(parseSpec(spec)).workload;
    expect(only(w).outputs[0].shape).toEqual([8, 14]);
    expect(maps(only(w))).toEqual(['(d0, d1) -> (d0, ((d1 * 2) + 4))', '(d0, d1) -> (d0, d1)']);
    expect(w.nodes.filter((n) => n.kind === 'in').map((n) => n.name)).toEqual(['x']);
  });

  it('Gather walks the whole source axis with an extra last loop and reads its axis attribute', () => {
    const spec: GraphSpec = {
      graphName: 'single',
      opset: 17,
      inputs: [bf16('table', [16, 100])],
      initializers: [{ name: 'idx', elementType: 'int64', values: [1, 2, 3] }],
      nodes: [{ name: 'N', opType: 'Gather', inputs: ['table', 'idx'], outputs: ['y'], attributes: { axis: attr.int(1) } }],
      outputs: ['y'],
    };
    const w = expectParsed(parseSpec(spec)).workload;
    expect(maps(only(w))).toEqual(['(d0, d1, d2) -> (d0, d2)', '(d0, d1, d2) -> (d0, d1)']);
    expect(sizes(only(w))).toEqual(right([16, 3, 100]));
  });
});

describe('graph construction', () => {
  it('one OutEdge per graph output (Q13)', () => {
    const spec: GraphSpec = {
      graphName: 'two_outputs',
      opset: 17,
      inputs: [bf16('x', [4, 4])],
      nodes: [
        { name: 'R', opType: 'Relu', inputs: ['x'], outputs: ['r'] },
        { name: 'T', opType: 'Tanh', inputs: ['r'], outputs: ['t'] },
      ],
      outputs: ['r', 't'],
    };
    const w = expectParsed(parseSpec(spec)).workload;
    expect(w.nodes.filter((n) => n.kind === 'out').map((n) => n.name)).toEqual(['r', 't']);
    expect(w.edges).toContainEqual({ from: 'R', to: 'r', tensor: 'r' });
  });

  it('an initializer also listed as a graph input is a single InEdge (Q20)', () => {
    const spec: GraphSpec = {
      graphName: 'dup',
      opset: 17,
      inputs: [bf16('x', [4, 4]), bf16('w', [4, 4])],
      initializers: [{ name: 'w', elementType: 'bf16', shape: [4, 4] }],
      nodes: [{ name: 'M', opType: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
      outputs: ['y'],
    };
    const w = expectParsed(parseSpec(spec)).workload;
    expect(w.nodes.filter((n) => n.kind === 'in')).toEqual([
      { kind: 'in', name: 'x', output: { name: 'x', elementType: 'bf16', shape: [4, 4] }, isInitializer: false },
      { kind: 'in', name: 'w', output: { name: 'w', elementType: 'bf16', shape: [4, 4] }, isInitializer: true },
    ]);
  });

  it('a float Constant becomes a constant InEdge; an integer Constant feeds shapes only (Q21)', () => {
    const spec: GraphSpec = {
      graphName: 'constants',
      opset: 17,
      inputs: [{ name: 'x', elementType: 'f32', shape: [2, 8] }],
      nodes: [
        { name: 'Scale', opType: 'Constant', inputs: [], outputs: ['scale'], attributes: { value_floats: attr.floats([1, 2, 3, 4, 5, 6, 7, 8]) } },
        { name: 'Mul1', opType: 'Mul', inputs: ['x', 'scale'], outputs: ['scaled'] },
        { name: 'Shape', opType: 'Constant', inputs: [], outputs: ['shape'], attributes: { value_ints: attr.ints([16]) } },
        { name: 'Reshape1', opType: 'Reshape', inputs: ['scaled', 'shape'], outputs: ['y'] },
      ],
      outputs: ['y'],
    };
    const w = expectParsed(parseSpec(spec)).workload;
    expect(w.nodes.map((n) => `${n.kind}:${n.name}`)).toEqual(['in:x', 'in:scale', 'computation:Mul1', 'fusion-edge:Reshape1', 'out:y']);
    expect(w.nodes[1]).toMatchObject({ isInitializer: true, output: { elementType: 'f32', shape: [8] } });
    expect(w.nodes[4]).toMatchObject({ input: { shape: [16] } });
  });

  it('Squeeze/Unsqueeze axes from an attribute (opset < 13) or an initializer (opset >= 13)', () => {
    const old: GraphSpec = {
      graphName: 'axes',
      opset: 11,
      inputs: [bf16('x', [4, 1, 8])],
      nodes: [
        { name: 'Sq', opType: 'Squeeze', inputs: ['x'], outputs: ['s'], attributes: { axes: attr.ints([1]) } },
        { name: 'Un', opType: 'Unsqueeze', inputs: ['s'], outputs: ['y'], attributes: { axes: attr.ints([0]) } },
      ],
      outputs: ['y'],
    };
    const current: GraphSpec = {
      ...old,
      opset: 17,
      initializers: [
        { name: 'sq_axes', elementType: 'int64', values: [1] },
        { name: 'un_axes', elementType: 'int64', values: [0] },
      ],
      nodes: [
        { name: 'Sq', opType: 'Squeeze', inputs: ['x', 'sq_axes'], outputs: ['s'] },
        { name: 'Un', opType: 'Unsqueeze', inputs: ['s', 'un_axes'], outputs: ['y'] },
      ],
    };
    for (const spec of [old, current]) {
      const w = expectParsed(parseSpec(spec)).workload;
      expect(w.nodes.filter((n) => n.kind === 'fusion-edge').map((n) => n.name)).toEqual(['Sq', 'Un']);
      expect(w.nodes[w.nodes.length - 1]).toMatchObject({ kind: 'out', input: { shape: [1, 4, 8] } });
    }
  });

  it('float16 and uint8 tensors are supported (Q19)', () => {
    const w = expectParsed(
      parseSpec({
        graphName: 'types',
        opset: 17,
        inputs: [{ name: 'a', elementType: 'f16', shape: [4] }, { name: 'b', elementType: 'u8', shape: [4] }],
        nodes: [
          { name: 'R', opType: 'Relu', inputs: ['a'], outputs: ['ra'] },
          { name: 'S', opType: 'Relu', inputs: ['b'], outputs: ['rb'] },
        ],
        outputs: ['ra', 'rb'],
      }),
    ).workload;
    expect(computations(w).map((n) => n.outputs[0].elementType)).toEqual(['f16', 'u8']);
  });
});

describe('operator parser registry', () => {
  const fusedGelu: OperatorParser = (ctx) => {
    const x = ctx.tensor(ctx.node.inputs[0]);
    const y = ctx.tensor(ctx.node.outputs[0]);
    if (x._tag === 'Left' || y._tag === 'Left') return left(['operands not typed']);
    const rank = x.right.shape.length;
    const mid = { ...y.right, name: `${ctx.name}_tanh` };
    const node = (name: string, type: string, input: typeof mid, output: typeof mid): ComputationNode => ({
      kind: 'computation',
      name,
      type,
      inputs: [input],
      outputs: [output],
      operandMaps: [identityMap(rank), identityMap(rank)],
    });
    return right({ nodes: [node(`${ctx.name}_a`, 'Tanh', x.right, mid), node(`${ctx.name}_b`, 'Mul', mid, y.right)] });
  };

  it('a registered parser lowers one op into several nodes, with its own shape function', () => {
    const registry = new OperatorParserRegistry();
    registry.register('FastGelu', { parse: fusedGelu, inferShapes: (q) => (q.inputs[0] ? right([q.inputs[0]]) : left('no input')) });
    const spec = singleNode('FastGelu', [bf16('x', [4, 8])], {}, { extraOpsetImports: [{ domain: 'com.vendor', version: 1 }] });
    const withDomain: GraphSpec = { ...spec, nodes: [{ ...spec.nodes[0], domain: 'com.vendor' }] };
    // Written without value_info: the registered shape function supplies the output shape.
    const bytes = rawModelBytes(withDomain);
    const w = expectParsed(parseOnnxModel(bytes, 'custom.onnx', { parsers: registry })).workload;
    expect(computations(w).map((n) => `${n.name}:${n.type}`)).toEqual(['N_a:Tanh', 'N_b:Mul']);
    expect(w.edges).toEqual([
      { from: 'x', to: 'N_a', tensor: 'x' },
      { from: 'N_a', to: 'N_b', tensor: 'N_tanh' },
      { from: 'N_b', to: 'y', tensor: 'y' },
    ]);
    expect(expectIssues(parseOnnxModel(bytes, 'custom.onnx')).map((i) => i.message)).toEqual(["No parser registered for ONNX op type 'FastGelu'."]);
  });

  it('a registered parser takes precedence over the built-in one (process-wide registry)', () => {
    const reluAsIdentity: OperatorParser = (ctx) => {
      const x = ctx.tensor(ctx.node.inputs[0]);
      const y = ctx.tensor(ctx.node.outputs[0]);
      if (x._tag === 'Left' || y._tag === 'Left') return left(['operands not typed']);
      return right({
        nodes: [{ kind: 'computation', name: ctx.name, type: 'CustomRelu', inputs: [x.right], outputs: [y.right], operandMaps: [affineMap(1, [dimExpr(0)]), affineMap(1, [dimExpr(0)])] }],
      });
    };
    registerOperatorParser('Relu', reluAsIdentity);
    try {
      const w = expectParsed(parseSpec(singleNode('Relu', [bf16('x', [8])]))).workload;
      expect(only(w).type).toBe('CustomRelu');
    } finally {
      unregisterOperatorParser('Relu');
    }
    expect(only(expectParsed(parseSpec(singleNode('Relu', [bf16('x', [8])]))).workload).type).toBe('Relu');
  });
});
