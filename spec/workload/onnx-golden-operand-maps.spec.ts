/**
 * Operand maps and loop sizes of every operator case in golden/zigzag-cases.json: each case's Stream node
 * (op, attributes, operand shapes) is rebuilt as a one-node ONNX model with the builders' helper, parsed,
 * and compared with the maps the reference printed (output first, then inputs) and its full dim sizes.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { attr, GraphSpec } from '../../inputs/workloads/builders';
import type { OnnxAttributeValue } from '../../lib/onnx';
import { ComputationNode, ElementType, formatAffineMap } from '../../lib/workload/model';
import { nodeLoopSizes } from '../../lib/workload/onnx';
import { expectParsed, GOLDEN_DIR, parseSpec } from '../fixtures/onnx/models';

interface GoldenOperand {
  readonly shape: readonly number[];
  readonly dtype: string;
}

interface GoldenStreamNode {
  readonly onnx_op: string;
  readonly node_type: string;
  readonly attributes: Readonly<Record<string, readonly number[]>>;
  readonly inputs: readonly GoldenOperand[];
  readonly output: GoldenOperand;
  readonly num_dims: number;
  readonly full_dim_sizes: readonly number[];
  readonly operand_maps: readonly string[];
}

interface GoldenCase {
  readonly id: string;
  readonly stream_node: GoldenStreamNode;
}

const cases: readonly GoldenCase[] = JSON.parse(readFileSync(join(GOLDEN_DIR, 'zigzag-cases.json'), 'utf8')).cases;

function singleOperatorGraph(node: GoldenStreamNode): GraphSpec {
  const inputs = node.inputs.map((operand, i) => ({ name: `in${i}`, elementType: operand.dtype as ElementType, shape: operand.shape }));
  const attributes: Record<string, OnnxAttributeValue> = {};
  for (const [name, value] of Object.entries(node.attributes)) attributes[name] = attr.ints(value);
  return {
    graphName: 'single_operator',
    opset: 17,
    inputs,
    nodes: [{ name: 'Node', opType: node.onnx_op, inputs: inputs.map((i) => i.name), outputs: ['out'], attributes }],
    outputs: ['out'],
  };
}

describe('operand maps against golden/zigzag-cases.json', () => {
  it('covers every operator kind of the golden cases', () => {
    expect(new Set(cases.map((c) => c.stream_node.onnx_op))).toEqual(new Set(['Conv', 'Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'Silu', 'MaxPool', 'GlobalAveragePool']));
    expect(cases).toHaveLength(75);
  });

  it.each(cases.map((c) => [c.id, c.stream_node] as const))('%s', (_id, golden) => {
    const parsed = expectParsed(parseSpec(singleOperatorGraph(golden)));
    const [node] = parsed.workload.nodes.filter((n): n is ComputationNode => n.kind === 'computation');
    expect(node.type).toBe(golden.node_type);
    const maps = node.operandMaps.map(formatAffineMap);
    // The golden records print the output map first, then the inputs; ours are inputs first.
    expect([maps[maps.length - 1], ...maps.slice(0, -1)]).toEqual(golden.operand_maps);
    expect(node.operandMaps[0].numDims).toBe(golden.num_dims);
    expect(nodeLoopSizes(node)).toEqual({ _tag: 'Right', right: golden.full_dim_sizes });
    expect(node.outputs[0].shape).toEqual(golden.output.shape);
  });
});
