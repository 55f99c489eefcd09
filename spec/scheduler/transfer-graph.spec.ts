import { buildTransferGraph } from '../../lib/scheduler/transfer-graph';
import { dataflowOrder } from '../../lib/workload/analysis/graph';
import { exampleAccelerator, sketchAccelerator } from '../fixtures/scheduler/accelerators';
import { allocationsOf, goldenCases, graphView, workloadOf } from '../fixtures/scheduler/golden';
import { twoConv } from '../fixtures/scheduler/workloads';

describe('buildTransferGraph against the golden steady-state graphs', () => {
  for (const c of goldenCases()) {
    it(c.id, () => {
      const ssw = buildTransferGraph(workloadOf(c), allocationsOf(c), exampleAccelerator(c.hardware));
      expect(graphView(ssw.workload, c.group.steady_state_graph.map((n) => n.name))).toEqual(c.group.steady_state_graph);
    });
  }
});

describe('buildTransferGraph with memory cores', () => {
  const accelerator = sketchAccelerator(
    'with-memory',
    { 0: { kind: 'compute', col: 0 }, 1: { kind: 'compute', col: 1 }, 2: { kind: 'memory', col: 0 }, 3: { kind: 'offchip' } },
    3,
    [{ type: 'bus', cores: [0, 1, 2, 3], bandwidth: 64 }],
  );
  const ssw = buildTransferGraph(twoConv(), new Map([['Conv1', [0, 1]], ['Conv2', [0, 1]]]), accelerator);
  const transfers = ssw.workload.nodes.filter((n) => n.kind === 'transfer');

  it('stages re-read constant inputs and the graph output through the memory cores', () => {
    expect(transfers.map((t) => [t.name, t.kind === 'transfer' ? t.transferType : '', t.kind === 'transfer' ? t.outputs.map((o) => o.name) : []])).toEqual([
      ['Transfer(input)', 'MEM_TO_MEM', ['input_1']],
      ['Transfer(input_1)', 'MEM_TO_COMPUTE', ['input_2']],
      ['Transfer(weights_1)', 'MEM_TO_MEM', ['weights_1_1']],
      ['Transfer(weights_1_1)', 'MEM_TO_COMPUTE', ['weights_1_2']],
      ['Transfer(conv1_out)', 'COMPUTE_TO_COMPUTE', ['conv1_out_1']],
      ['Transfer(weights_2)', 'MEM_TO_MEM', ['weights_2_1']],
      ['Transfer(weights_2_1)', 'MEM_TO_COMPUTE', ['weights_2_2']],
      ['Transfer(output_1)', 'COMPUTE_TO_MEM', ['output_2']],
      ['Transfer(output_2)', 'MEM_TO_MEM', ['output']],
    ]);
    expect(ssw.transfers.find((r) => r.transfer === 'Transfer(input)')?.staging).toBe('input');
    expect(ssw.transfers.find((r) => r.transfer === 'Transfer(output_1)')?.staging).toBe('output');
  });

  it('keeps the graph acyclic and in dataflow order', () => {
    expect(dataflowOrder(ssw.workload).map((n) => n.name).slice(0, 4)).toEqual(['input', 'Transfer(input)', 'Transfer(input_1)', 'weights_1']);
  });
});
