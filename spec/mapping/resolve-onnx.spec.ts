/**
 * Mappings resolved against workloads from the ONNX front end: the reference's hand mappings and the
 * package's shipped equivalents give the same node mappings.
 */
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { loadAccelerator } from '../../lib/hardware/accelerator';
import { Accelerator } from '../../lib/hardware/model';
import { loadMapping } from '../../lib/mapping/load';
import { NodeMapping, ResolvedMapping } from '../../lib/mapping/model';
import { resolveMapping } from '../../lib/mapping/resolve';
import { Workload } from '../../lib/workload/model';
import { loadWorkload } from '../../lib/workload/onnx/load';
import { STREAM_INPUTS } from '../support/reference';

const REF = STREAM_INPUTS;
const SHIPPED = path.join(__dirname, '..', '..', 'inputs');

function accelerator(file: string): Accelerator {
  const r = loadAccelerator(file);
  if (isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right.accelerator;
}
function workload(file: string): Workload {
  const r = loadWorkload(file);
  if (isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right.workload;
}
function resolve(mappingFile: string, w: Workload, a: Accelerator): ResolvedMapping {
  const spec = loadMapping(mappingFile);
  if (isLeft(spec)) throw new Error(JSON.stringify(spec.left));
  const r = resolveMapping(spec.right, w, a);
  if (isLeft(r)) throw new Error(r.left.map((i) => `${i.path}: ${i.message}`).join('\n'));
  expect(r.right.warnings).toEqual([]);
  return r.right.mapping;
}
/** What the (non-AIE) pipeline uses of a node mapping. */
const placement = ({ node, nodeType, coreAllocation, interCoreTiling }: NodeMapping) => ({ node, nodeType, coreAllocation, interCoreTiling });
const tiles = (m: ResolvedMapping) => m.fusedGroups.map((g) => ({ name: g.name, layers: g.layers, tiles: g.intraCoreTiling.map(({ node, dim, tile }) => ({ node, dim, tile })) }));

describe('mappings on ONNX workloads', () => {
  const tpu = () => accelerator(path.join(SHIPPED, 'hardware', 'tpu_like_quad_core.yaml'));

  it('2-conv: the reference hand mapping and the shipped one place both convs alike', () => {
    const w = workload(path.join(REF, 'testing/workload/2conv_1_8_32_32_16_32_3.onnx'));
    const reference = resolve(path.join(REF, 'testing/mapping/2conv_1_32_32_8_16_32_3.yaml'), w, tpu());
    const shipped = resolve(path.join(SHIPPED, 'mappings', '2conv_tpu_like_quad_core.yaml'), w, tpu());
    expect(shipped.nodes.map(placement)).toEqual([
      { node: 'Conv1', nodeType: 'Conv', coreAllocation: [0, 1, 2, 3], interCoreTiling: [{ dim: 6, split: 4 }] },
      { node: 'Conv2', nodeType: 'Conv', coreAllocation: [0, 1, 2, 3], interCoreTiling: [{ dim: 6, split: 4 }] },
    ]);
    expect(reference.nodes.map(placement)).toEqual(shipped.nodes.map(placement));
    expect(tiles(reference)).toEqual(tiles(shipped));
    expect(reference.runtimeArgs.map((a) => a.tensor)).toEqual(['input', 'weights_1', 'weights_2', 'output']);
  });

  it('ResNet-18: the reference mapping and the shipped one agree on all 48 computation nodes and 11 groups', () => {
    const w = workload(path.join(REF, 'examples/workload/resnet18.onnx'));
    const reference = resolve(path.join(REF, 'examples/mapping/resnet18_tpu_quad_core.yaml'), w, tpu());
    const shipped = resolve(path.join(SHIPPED, 'mappings', 'resnet18_tpu_like_quad_core.yaml'), w, tpu());
    expect(shipped.nodes).toHaveLength(48);
    expect(shipped.nodes.map(placement)).toEqual(reference.nodes.map(placement));
    expect(tiles(shipped)).toEqual(tiles(reference));
    const byType = (type: string) => [...new Set(shipped.nodes.filter((n) => n.nodeType === type).map((n) => JSON.stringify([n.coreAllocation, n.interCoreTiling])))];
    expect(byType('Conv')).toEqual([JSON.stringify([[0, 1, 2, 3], [{ dim: 6, split: 4 }]])]);
    expect(byType('Relu')).toEqual([JSON.stringify([[0, 1, 2, 3], [{ dim: 1, split: 4 }]])]);
    expect(byType('Add')).toEqual([JSON.stringify([[5], []])]);
    expect(byType('MaxPool')).toEqual([JSON.stringify([[4], []])]);
    expect(byType('Gemm')).toEqual([JSON.stringify([[0, 1, 2, 3], [{ dim: 2, split: 4 }]])]);
    expect(tiles(shipped)[0].tiles).toEqual([{ node: '/maxpool/MaxPool', dim: 2, tile: 1 }]);
  });

  it("examples/mapping/tpu_like_quad_core.yaml only fits a workload with a node literally named 'Conv'", () => {
    const w = workload(path.join(REF, 'testing/workload/2conv_1_8_32_32_16_32_3.onnx'));
    const spec = loadMapping(path.join(REF, 'examples/mapping/tpu_like_quad_core.yaml'));
    if (isLeft(spec)) throw new Error('rejected');
    const r = resolveMapping(spec.right, w, tpu());
    expect(isLeft(r) && r.left.map((i) => `${i.line} ${i.path}: ${i.message}`)).toEqual([
      "47 fused_groups[0].intra_core_tiling[0].dim: Fused group 'Fused_Group_1' tiles 'Conv.D0', but the workload has no computation node named 'Conv'.",
    ]);
  });

  it('SwiGLU on TPU v7 Ironwood: per-node entries resolve against the 41-core system', () => {
    const w = workload(path.join(REF, 'examples/workload/swiglu_64_128_256.onnx'));
    const ironwood = accelerator(path.join(REF, 'examples/hardware/tpu_v7_ironwood.yaml'));
    const m = resolve(path.join(REF, 'examples/mapping/swiglu_tpu_v7_fused.yaml'), w, ironwood);
    expect(m.nodes.map((n) => [n.node, n.coreAllocation.length, n.interCoreTiling])).toEqual([
      ['Gemm_Left', 32, [{ dim: 2, split: 32 }]],
      ['Gemm_Right', 32, [{ dim: 2, split: 32 }]],
      ['Silu', 4, [{ dim: 1, split: 4 }]],
      ['Elt_Mul', 4, [{ dim: 1, split: 4 }]],
      ['Gemm_Down', 32, [{ dim: 2, split: 32 }]],
    ]);
  });
});
