/**
 * ResNet-18 on tpu_like_quad_core (reference-co-pipeline §18.4; no golden latency): the generic path finds
 * 9 cut points and, with the Flatten fusion edge, 11 groups; the shipped 11-group fixed mapping splits the
 * same way on the hand-mapping path (Q27 fix).
 */
import { Either, isLeft } from 'fp-ts/Either';
import { InputIssue, formatIssue } from '../../lib/common/errors';
import { loadAccelerator } from '../../lib/hardware';
import { loadMapping, resolveMapping } from '../../lib/mapping';
import { generateGenericMapping } from '../../lib/mapping/generator/generic-generator';
import { tileGenericMapping, tileWithResolvedMapping } from '../../lib/tiling/mapping-resolution';
import { expandNormalizations } from '../../lib/workload/analysis/normalization-expansion';
import { loadWorkload } from '../../lib/workload/onnx';
import { STREAM_INPUTS_DIR, haveGolden, inputPath } from '../fixtures/tiling/golden';

function right<T>(e: Either<readonly InputIssue[], T>): T {
  if (isLeft(e)) throw new Error(e.left.map(formatIssue).join('\n'));
  return e.right;
}

(haveGolden ? describe : describe.skip)('ResNet-18 on tpu_like_quad_core', () => {
  const workload = haveGolden ? right(loadWorkload(inputPath('examples/workload/resnet18.onnx'))).workload : undefined!;
  const accelerator = haveGolden
    ? right(loadAccelerator(inputPath('examples/hardware/tpu_like_quad_core.yaml'), { inputsRoot: STREAM_INPUTS_DIR })).accelerator
    : undefined!;

  it('generic path: 9 cut points, 11 groups, every group tiles within 1024 steady-state iterations', () => {
    const generated = generateGenericMapping(expandNormalizations(workload), accelerator);
    expect(generated.cutPoints).toEqual([
      '/maxpool/MaxPool',
      ...['layer1', 'layer2', 'layer3', 'layer4'].flatMap((l) => [`/${l}/${l}.0/relu_1/Relu`, `/${l}/${l}.1/relu_1/Relu`]),
    ]);
    expect(generated.groups).toHaveLength(11);
    const tiled = tileGenericMapping(generated);
    for (const g of tiled) expect(g.iterations).toBeLessThanOrEqual(1024);
    // MaxPool and GlobalAveragePool go to the pooling core, Add and Relu to the SIMD core.
    const coresOf = (name: string) => generated.groups.flatMap((g) => g.plan.nodes).find((p) => p.node.name === name)!.coreIds;
    expect(coresOf('/maxpool/MaxPool')).toEqual([4]);
    expect(coresOf('/avgpool/GlobalAveragePool')).toEqual([4]);
    expect(coresOf('/layer1/layer1.0/Add')).toEqual([5]);
    expect(coresOf('/fc/Gemm')).toEqual([0, 1, 2, 3]);
  });

  it('hand-mapping path: the 11-group fixed mapping pairs each fused group with its block', () => {
    const mapping = right(resolveMapping(right(loadMapping(inputPath('examples/mapping/resnet18_tpu_quad_core.yaml'))), workload, accelerator)).mapping;
    const tiled = tileWithResolvedMapping(workload, mapping);
    expect(tiled.map((g) => g.mapping.intraCoreTiling[0].node)).toEqual(mapping.fusedGroups.map((g) => g.intraCoreTiling[0].node));
    expect(tiled.map((g) => g.iterations)).toEqual([56, 56, 56, 28, 28, 14, 14, 7, 7, 1, 1]);
  });
});
