/**
 * The per-core ZigZag layer of single-node graphs against the 75 records of golden/zigzag-cases.json
 * (each the layer Stream built for one node with an optional inter-core split, or the error it raised).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tileFusionGroup } from '../../lib/tiling/tiling';
import { ComputationNode, ElementType } from '../../lib/workload/model';
import { parseAffineMap } from '../fixtures/tiling/affine-text';
import { GOLDEN_DIR, haveGolden } from '../fixtures/tiling/golden';
import { inEdge, outEdge, tensor, workload } from '../fixtures/tiling/workloads';

interface ZigzagCase {
  readonly id: string;
  readonly stream_node: {
    readonly node_type: string;
    readonly inputs: readonly { shape: number[]; dtype: ElementType }[];
    readonly output: { shape: number[]; dtype: ElementType };
    readonly inter_core_split: readonly [string, number][];
    /** Output first, then the inputs. */
    readonly operand_maps: readonly string[];
    readonly full_dim_sizes: readonly number[];
  };
  readonly layer: Record<string, unknown> | null;
  readonly layer_error?: string;
}

function cases(): ZigzagCase[] {
  if (!haveGolden) return [];
  return (JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, 'zigzag-cases.json'), 'utf8')) as { cases: ZigzagCase[] }).cases;
}

(haveGolden ? describe : describe.skip)('per-core ZigZag layer vs golden/zigzag-cases.json', () => {
  it.each(cases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const sn = c.stream_node;
    const inputs = sn.inputs.map((t, i) => tensor(`in${i}`, t.shape, t.dtype));
    const output = tensor('out', sn.output.shape, sn.output.dtype);
    const [outMap, ...inMaps] = sn.operand_maps.map(parseAffineMap);
    const node: ComputationNode = { kind: 'computation', name: 'node', type: sn.node_type, inputs, outputs: [output], operandMaps: [...inMaps, outMap] };
    const w = workload('single', [...inputs.map((t) => inEdge(t)), node, outEdge(output)]);
    const group = tileFusionGroup(w, {
      nodes: [{ node: 'node', coreIds: [0], interCoreTiling: sn.inter_core_split.map(([d, split]) => ({ dim: Number(d.slice(1)), split })) }],
      // Whole layer: one steady-state iteration.
      intraCoreTiling: [{ node: 'node', dim: 0, tile: sn.full_dim_sizes[0] / (sn.inter_core_split.find(([d]) => d === 'd0')?.[1] ?? 1) }],
    });
    expect(group.nodes[0].untiledDimSizes).toEqual(sn.full_dim_sizes);
    const request = group.costRequests[0];
    if (c.layer === null) {
      expect(request.layer).toBeUndefined();
      expect(request.layerError).toBeDefined();
    } else {
      expect(request.layer).toEqual(c.layer);
    }
  });
});
