/**
 * Memory cores (no golden record exercises them): the 2-conv on tpu_v7_ironwood, whose VMEM cores stage
 * constant inputs and the graph output. Structural checks of §9.1-§9.2 plus a feasible MILP.
 */
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { solveSteadyState } from '../../lib/milp';
import { loadSolverBackend } from '../../lib/solver';
import { generateGenericMapping } from '../../lib/mapping/generator/generic-generator';
import { toSteadyStateProblem } from '../../lib/scheduler/problem';
import { scheduleSteadyState, schedulerInputOf } from '../../lib/scheduler/steady-state';
import { combinations } from '../../lib/scheduler/transfer-mapping';
import { tileGenericMapping } from '../../lib/tiling/mapping-resolution';
import { loadWorkload } from '../../lib/workload/onnx';
import { STREAM_INPUTS, exampleAccelerator } from '../fixtures/scheduler/accelerators';

describe('combinations', () => {
  it('lists k-subsets in itertools order', () => {
    expect(combinations([9, 19, 29, 39], 2)).toEqual([
      [9, 19],
      [9, 29],
      [9, 39],
      [19, 29],
      [19, 39],
      [29, 39],
    ]);
    expect(combinations([1, 2], 3)).toEqual([]);
  });
});

describe('2-conv on tpu_v7_ironwood (VMEM memory cores)', () => {
  const parsed = loadWorkload(path.join(STREAM_INPUTS, 'built/two_conv_b1_c8_h32_w32_k16_k32_ks3_bf16__hardware_matrix.onnx'));
  if (isLeft(parsed)) throw new Error('2-conv fixture does not parse');
  const accelerator = exampleAccelerator('examples/hardware/tpu_v7_ironwood.yaml');
  const [group] = tileGenericMapping(generateGenericMapping(parsed.right.workload, accelerator));
  const schedule = scheduleSteadyState(schedulerInputOf(group, accelerator));
  const mapping = (name: string) => schedule.transfers.find((t) => t.transfer === name);

  it('stages constant inputs and the output through the memory cores', () => {
    expect(schedule.transfers.map((t) => [t.transfer, t.transferType])).toEqual([
      ['Transfer(input)', 'MEM_TO_MEM'],
      ['Transfer(input_1)', 'MEM_TO_COMPUTE'],
      ['Transfer(weights_1)', 'MEM_TO_MEM'],
      ['Transfer(weights_1_1)', 'MEM_TO_COMPUTE'],
      ['Transfer(conv1_out)', 'COMPUTE_TO_COMPUTE'],
      ['Transfer(weights_2)', 'MEM_TO_MEM'],
      ['Transfer(weights_2_1)', 'MEM_TO_COMPUTE'],
      ['Transfer(output_1)', 'COMPUTE_TO_MEM'],
      ['Transfer(output_2)', 'MEM_TO_MEM'],
    ]);
  });

  it('offers one placement per memory-core combination and one route per placement pair', () => {
    // The input tile does not span Conv1's split dim, so one memory core suffices: four choices.
    expect(mapping('Transfer(input)')?.destinationAllocations).toEqual([[9], [19], [29], [39]]);
    expect(mapping('Transfer(input_1)')?.sourceAllocations).toEqual([[9], [19], [29], [39]]);
    expect(mapping('Transfer(input_1)')?.routes).toHaveLength(4);
    // The output spans Conv2's 32-way split over four columns: all four VMEMs at once.
    expect(mapping('Transfer(output_1)')?.destinationAllocations).toEqual([[9, 19, 29, 39]]);
    expect(mapping('Transfer(output_2)')?.destinationAllocations).toEqual([[40]]);
  });

  it('gives a feasible MILP with real placement and route choices', async () => {
    const highs = await loadSolverBackend('highs');
    const problem = toSteadyStateProblem(schedule, accelerator, { label: 'tpu_v7', lutLatencies: new Map(group.nodes.map((n) => [n.name, 1000])) });
    expect(problem.tensors.find((t) => t.name === 'input_1')?.placements).toHaveLength(4);
    const outcome = solveSteadyState(problem, highs);
    expect(outcome.feasible).toBe(true);
  });
});
