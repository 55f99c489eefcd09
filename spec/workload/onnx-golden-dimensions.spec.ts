/**
 * End to end from ONNX: the workloads our front end builds from the matrix fixtures (the reference's
 * files and our regenerated ones) get exactly the golden dataflow order, global slots and unique dims
 * (golden/matrix.json, untiled group workload), and the expected iterator types.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { iterationSpaceNodesInDataflowOrder } from '../../lib/workload/analysis/graph';
import { iteratorTypes } from '../../lib/workload/analysis/iterator-types';
import { uniqueDimensions, uniqueDimName } from '../../lib/workload/analysis/unique-dimensions';
import { ComputationNode, Workload } from '../../lib/workload/model';
import { loadWorkload } from '../../lib/workload/onnx';
import { expectParsed, GOLDEN_DIR, SHIPPED_WORKLOADS_DIR, STREAM_INPUTS } from '../fixtures/onnx/models';

interface GoldenDimensionView {
  readonly global_slot_expressions: readonly string[];
  readonly global_slot_sizes: readonly number[];
  readonly nodes: readonly { readonly name: string; readonly dims: readonly string[]; readonly dim_sizes: readonly number[] }[];
}

const matrix = JSON.parse(readFileSync(join(GOLDEN_DIR, 'matrix.json'), 'utf8')) as {
  cells: { id: string; workload: string; groups: { unique_dimensions: { untiled_group_workload: GoldenDimensionView } }[] }[];
};

const golden = (prefix: string): GoldenDimensionView => {
  const cell = matrix.cells.find((c) => c.id.startsWith(prefix));
  if (!cell) throw new Error(`no matrix cell ${prefix}`);
  return cell.groups[0].unique_dimensions.untiled_group_workload;
};

function view(w: Workload) {
  const dims = uniqueDimensions(w);
  return {
    global_slot_expressions: dims.slots.map((s) => uniqueDimName(s.dim)),
    global_slot_sizes: dims.slotSizes,
    nodes: dims.nodes.map((n) => ({
      name: n.name,
      dims: (dims.nodeDims.get(n.name) ?? []).map(uniqueDimName),
      dim_sizes: (dims.nodeDims.get(n.name) ?? []).map((z) => dims.sizes[z]),
    })),
  };
}

const load = (path: string) => expectParsed(loadWorkload(path)).workload;

describe('front-end workloads against the golden unique dimensions', () => {
  it.each([
    ['two_conv', join(STREAM_INPUTS, 'built/two_conv_b1_c8_h32_w32_k16_k32_ks3_bf16__hardware_matrix.onnx')],
    ['two_conv', join(SHIPPED_WORKLOADS_DIR, '2conv_1_8_32_32_16_32_3.onnx')],
    ['swiglu', join(STREAM_INPUTS, 'built/swiglu_seq256_emb2048_hid8192_bf16__hardware_matrix.onnx')],
    ['swiglu', join(SHIPPED_WORKLOADS_DIR, 'swiglu_256_2048_8192.onnx')],
  ])('%s from %s', (prefix, path) => {
    const expected = golden(prefix);
    expect(view(load(path))).toEqual({
      global_slot_expressions: expected.global_slot_expressions,
      global_slot_sizes: expected.global_slot_sizes,
      nodes: expected.nodes.map((n) => ({ name: n.name, dims: n.dims, dim_sizes: n.dim_sizes })),
    });
  });

  it('SwiGLU dataflow order puts Silu before Gemm_Right, as the golden global slots do', () => {
    const w = load(join(STREAM_INPUTS, 'built/swiglu_seq256_emb2048_hid8192_bf16__hardware_matrix.onnx'));
    expect(iterationSpaceNodesInDataflowOrder(w).map((n) => n.name)).toEqual(['Gemm_Left', 'Silu', 'Gemm_Right', 'Elt_Mul', 'Gemm_Down']);
  });

  it('iterator types of front-end nodes', () => {
    const w = load(join(STREAM_INPUTS, 'examples/workload/resnet18.onnx'));
    const byType = (type: string) => w.nodes.find((n): n is ComputationNode => n.kind === 'computation' && n.type === type) as ComputationNode;
    expect(iteratorTypes(byType('Conv'))).toEqual(['parallel', 'parallel', 'parallel', 'reduction', 'reduction', 'reduction', 'parallel']);
    expect(iteratorTypes(byType('MaxPool'))).toEqual(['parallel', 'parallel', 'parallel', 'parallel', 'reduction', 'reduction']);
    expect(iteratorTypes(byType('GlobalAveragePool'))).toEqual(['parallel', 'parallel', 'parallel', 'parallel', 'reduction', 'reduction']);
    expect(iteratorTypes(byType('Gemm'))).toEqual(['parallel', 'reduction', 'parallel']);
    expect(iteratorTypes(byType('Add'))).toEqual(['parallel', 'parallel', 'parallel', 'parallel']);
  });
});
