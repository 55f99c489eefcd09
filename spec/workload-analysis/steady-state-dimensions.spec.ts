/**
 * Unique dims of the golden steady-state graphs (with Transfer nodes): the scheduler re-derives dims after
 * inserting transfers, so the same analysis must reproduce the reference's renumbering there too.
 * The graphs are rebuilt from the golden `steady_state_graph` records, with the operator maps of the
 * hand-built fixtures.
 */
import { workloadOf } from '../../lib/workload/analysis/graph';
import { tensorDimensions } from '../../lib/workload/analysis/tensor-shape';
import { uniqueDimName, uniqueDimensions } from '../../lib/workload/analysis/unique-dimensions';
import { AffineMap, ComputationNode, Tensor, TransferNode, TransferType, Workload, WorkloadNode } from '../../lib/workload/model';
import { GoldenCase, handMappingCase, haveGolden, matrixCells, quickstartCase } from '../fixtures/tiling/golden';
import { bare, swiglu, twoConv } from '../fixtures/tiling/workloads';
import { dimensionView as viewOf } from '../fixtures/tiling/views';

interface GoldenTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly bits: number;
}
interface GoldenGraphNode {
  readonly name: string;
  readonly kind: 'in_edge' | 'out_edge' | 'transfer' | 'compute';
  readonly transfer_type?: TransferType;
  readonly inputs?: readonly GoldenTensor[];
  readonly outputs?: readonly GoldenTensor[];
}

const toTensor = (t: GoldenTensor, like?: Tensor): Tensor => ({
  name: t.name,
  shape: t.shape,
  elementType: like?.elementType ?? 'bf16',
});

const identity = (rank: number): AffineMap => ({ numDims: rank, results: Array.from({ length: rank }, (_, i) => bare(i)) });

function steadyStateWorkload(record: readonly GoldenGraphNode[], fixture: Workload): Workload {
  const compute = new Map(fixture.nodes.filter((n): n is ComputationNode => n.kind === 'computation').map((n) => [n.name, n]));
  const nodes: WorkloadNode[] = record.map((g): WorkloadNode => {
    switch (g.kind) {
      case 'in_edge':
        return { kind: 'in', name: g.name, output: toTensor(g.outputs![0]), isInitializer: false };
      case 'out_edge':
        return { kind: 'out', name: g.name, input: toTensor(g.inputs![0]) };
      case 'transfer': {
        const rank = g.inputs![0].shape.length;
        const node: TransferNode = {
          kind: 'transfer',
          name: g.name,
          transferType: g.transfer_type!,
          inputs: g.inputs!.map((t) => toTensor(t)),
          outputs: g.outputs!.map((t) => toTensor(t)),
          operandMaps: [identity(rank), ...g.outputs!.map(() => identity(rank))],
        };
        return node;
      }
      case 'compute': {
        const base = compute.get(g.name)!;
        return {
          ...base,
          inputs: g.inputs!.map((t, i) => toTensor(t, base.inputs[i])),
          outputs: g.outputs!.map((t, i) => toTensor(t, base.outputs[i])),
        };
      }
    }
  });
  return workloadOf(`${fixture.name}_steady_state`, nodes);
}

interface GraphGroup {
  readonly steady_state_graph: readonly GoldenGraphNode[];
  readonly ssis: { readonly tensors_outer_to_inner: Readonly<Record<string, readonly string[]>> };
}

function cases(): { name: string; record: GoldenCase; fixture: () => Workload }[] {
  const cells = matrixCells().map((c) => ({ name: c.id, record: c, fixture: c.id.startsWith('swiglu') ? () => swiglu() : twoConv }));
  return [...cells, { name: 'quickstart', record: quickstartCase(), fixture: twoConv }, { name: 'hand mapping', record: handMappingCase(), fixture: twoConv }];
}

(haveGolden ? describe : describe.skip)('unique dimensions of the golden steady-state graphs', () => {
  const all = haveGolden ? cases() : [];
  it.each(all.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const group = c.record.groups[0] as unknown as GraphGroup & (typeof c.record.groups)[0];
    const ssw = steadyStateWorkload(group.steady_state_graph, c.fixture());
    expect(viewOf(uniqueDimensions(ssw))).toEqual(group.unique_dimensions.steady_state_workload_with_transfers);
  });

  it.each(all.map((c) => [c.name, c] as const))('%s: tensor dims match the VARYING kernel loops of the golden tensor SSIS', (_name, c) => {
    const group = c.record.groups[0] as unknown as GraphGroup & (typeof c.record.groups)[0];
    const ssw = steadyStateWorkload(group.steady_state_graph, c.fixture());
    const ud = uniqueDimensions(ssw);
    for (const [tensorName, loops] of Object.entries(group.ssis.tensors_outer_to_inner)) {
      const varying = loops
        .filter((l) => l.startsWith('K(') && l.endsWith(',V)'))
        .map((l) => l.slice(2, l.indexOf(',')))
        .sort();
      expect([tensorName, tensorDimensions(ud, tensorName).map(uniqueDimName).sort()]).toEqual([tensorName, varying]);
    }
  });
});
