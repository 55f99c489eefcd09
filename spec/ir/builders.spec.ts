/**
 * The IR builders on inputs the golden matrix does not cover: layout-only ops (FusionEdge with its
 * `fusion_op_type`, Q45), normalisation nodes, hardware without core coordinates (nullable row/col,
 * Q43), AIE cores, links versus buses, and infeasibility reports without a quantified inequality.
 */
import * as path from 'path';
import { Either, isRight } from 'fp-ts/Either';
import { InfeasibilityReport } from '../../lib/milp/result';
import { LoadedIR, infeasibilityIR, loadAcceleratorIR, loadWorkloadIR } from '../../pipelines/ir';
import { documentProblems, documentType } from './support';

const ROOT = path.resolve(__dirname, '..', '..');
const workloadFile = (name: string) => path.join(ROOT, 'inputs', 'workloads', name);

function loaded<D>(result: Either<unknown, LoadedIR<D>>): D {
  if (!isRight(result)) throw new Error(`could not load: ${JSON.stringify(result.left)}`);
  return result.right.document;
}

describe('WorkloadIR', () => {
  const flatten = loaded(loadWorkloadIR(workloadFile('conv_relu_flatten_gemm_1_8_16_16_16_3_10.onnx')));
  const attention = loaded(loadWorkloadIR(workloadFile('attention_head.onnx')));

  it('decodes and validates for graphs with layout-only ops and normalisations', () => {
    expect(documentProblems(documentType('workload'), flatten)).toEqual([]);
    expect(documentProblems(documentType('workload'), attention)).toEqual([]);
  });

  it('keeps the FusionEdge op type (Q45) and gives layout-only ops no iteration space', () => {
    const node = flatten.nodes.find((n) => n.name === 'Flatten1')!;
    expect(node).toMatchObject({ node_type: 'FusionEdge', fusion_op_type: 'Flatten', dimensions: null, global_dim_indices: null, computation_type: null });
    expect(attention.nodes.find((n) => n.node_type === 'FusionEdge')?.fusion_op_type).toBe('Transpose');
    expect(flatten.nodes.filter((n) => n.node_type !== 'FusionEdge').every((n) => n.fusion_op_type === null)).toBe(true);
  });

  it('marks normalisations (declared reduction axes) as NormalizationNode', () => {
    expect(attention.nodes.filter((n) => n.node_type === 'NormalizationNode').map((n) => n.computation_type)).toEqual(['Softmax']);
  });

  it('operand_type is the element type; loops are D<i> with their global slots', () => {
    const conv = flatten.nodes.find((n) => n.name === 'Conv1')!;
    expect(conv.inputs.map((x) => x.operand_type)).toEqual(conv.inputs.map(() => expect.stringMatching(/^(f32|f16|bf16|i8|u8|i16|i32)$/)));
    expect(Object.keys(conv.dimensions!)).toEqual(['D0', 'D1', 'D2', 'D3', 'D4', 'D5', 'D6']);
    expect(conv.global_dim_indices).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(conv.global_dim_indices!.map((slot) => flatten.dimension_expressions[slot])).toEqual(expect.arrayContaining(['z0']));
  });

  it('one identity relation per merged global slot, and every merged slot shares its unique dim with its anchor', () => {
    expect(flatten.dimension_relations.length).toBe(flatten.dimension_expressions.length - flatten.num_unique_dimensions);
    for (const relation of flatten.dimension_relations) {
      const [, slot, anchor] = /^d(\d+) = d(\d+)$/.exec(relation)!;
      expect(flatten.dimension_expressions[Number(slot)]).toBe(flatten.dimension_expressions[Number(anchor)]);
    }
  });

  it('edges list their shared tensors; generations follow producers', () => {
    expect(flatten.edges.find((e) => e.source === 'Conv1' && e.target === 'Relu1')?.shared_tensors).toHaveLength(1);
    expect(flatten.num_edges).toBe(flatten.edges.length);
    expect(flatten.generations).toEqual({ input: 0, conv1_weight: 0, gemm1_weight: 0, Conv1: 1, Relu1: 2, Flatten1: 3, Gemm1: 4, output: 5 });
  });

  it('tensors: relevant dims and per-axis strides (the conv input is indexed by output and kernel dims)', () => {
    const conv = flatten.nodes.find((n) => n.name === 'Conv1')!;
    const input = flatten.tensors[conv.inputs[0].name];
    expect(input.shape).toEqual(conv.inputs[0].shape);
    expect(Object.keys(input.strides_per_dimension)).toEqual(input.relevant_dimensions);
    for (const strides of Object.values(input.strides_per_dimension)) expect(strides).toHaveLength(input.shape.length);
    // Height and width axes are sums of an output dim and a kernel dim: two dims per axis.
    const perAxis = input.shape.map((_, axis) => Object.values(input.strides_per_dimension).filter((s) => s[axis] !== 0).length);
    expect(perAxis.filter((n) => n === 2)).toHaveLength(2);
  });
});

describe('AcceleratorIR', () => {
  it('hardware without core_coordinates has null row/col ids instead of failing (Q43); a link appears once per direction', () => {
    const ir = loaded(loadAcceleratorIR(path.join(ROOT, 'spec', 'fixtures', 'hardware', 'two_core.yaml')));
    expect(documentProblems(documentType('accelerator'), ir)).toEqual([]);
    expect(ir.cores.map((c) => [c.id, c.row_id, c.col_id])).toEqual([
      [0, null, null],
      [1, null, null],
    ]);
    expect(ir.core_connectivity.map((c) => (c.type === 'link' ? [c.from_core, c.to_core, c.bandwidth] : c.type)).sort()).toEqual([
      [0, 1, 64],
      [1, 0, 64],
    ]);
  });

  it('a bus appears once with its members sorted; coordinates are carried; utilisation is a percentage', () => {
    const ir = loaded(loadAcceleratorIR(path.join(ROOT, 'inputs', 'hardware', 'tpu_like_quad_core.yaml')));
    const buses = ir.core_connectivity.flatMap((c) => (c.type === 'bus' ? [c.cores] : []));
    expect(buses).toHaveLength(1);
    expect(buses[0]).toEqual([...buses[0]].sort((a, b) => a - b));
    expect(ir.cores.every((c) => c.row_id !== null && c.col_id !== null)).toBe(true);
    expect(new Set(ir.cores.map((c) => c.utilization))).toEqual(new Set([100]));
  });

  it('AIE cores carry their tile memory and object-FIFO depth', () => {
    const ir = loaded(loadAcceleratorIR(path.join(ROOT, 'inputs', 'hardware', 'aie', 'single_core.yaml')));
    expect(documentProblems(documentType('accelerator'), ir)).toEqual([]);
    const tile = ir.cores.find((c) => c.type === 'compute')!;
    expect(tile.core_type).toBe('aie2.compute');
    expect(tile.extra_fields).toEqual({ memory: { capacity_bits: expect.any(Number), bandwidth_min: expect.any(Number), bandwidth_max: expect.any(Number) }, max_object_fifo_depth: expect.any(Number) });
  });
});

describe('infeasibility IR', () => {
  const structural: InfeasibilityReport = {
    feasible: false,
    schemaVersion: '1.0',
    status: 'infeasible',
    backend: 'highs',
    solver: 'HiGHS',
    group: 'group 0',
    level: 'build',
    iisAvailable: false,
    nature: 'structural',
    resources: [
      {
        resource: { kind: 'link', id: 0, label: 'fast', detail: 'link 0 → 1, 64 bits/cycle' },
        constraintKinds: ['link_exclusive'],
        reason: 'link over-subscribed',
        constraints: ['link[0,0]'],
        unmet: null,
      },
    ],
    conflicts: [{ title: 'Link over-subscribed', explanation: 'fast carries more than one transfer in slot 0: Transfer(a), Transfer(b).', constraints: ['link[0,0]'] }],
    unboundConstraints: [],
    summary: 'Infeasible mapping — structural conflict: Link over-subscribed. fast carries more than one transfer in slot 0: Transfer(a), Transfer(b). Involves fast.',
    modelSize: { variables: 4, constraints: 3, binaries: 2, integers: 2 },
  };

  it('a structural conflict without a quantified inequality decodes and validates', () => {
    const ir = infeasibilityIR(structural);
    expect(documentProblems(documentType('infeasibility'), ir)).toEqual([]);
    expect(ir).toMatchObject({ feasible: false, nature: 'structural', level: 'build', iis_available: false, resources: [{ unmet: null, reason: 'link over-subscribed' }] });
  });
});
