/**
 * The core capacities the golden adapter takes from `memory_occupancy` are the hardware's: the top
 * memory holding I1 of each ZigZag core and the off-chip core's memory, read from the shipped YAML
 * with the hardware front end. This is how the scheduler will fill `CoreResource.capacityBits`.
 *
 * Per system (bits): eyeriss-like 8 388 608, TPU-like 16 777 216, simba 2 097 152, SIMD 1 048 576,
 * off-chip 10¹⁰ (fusemax 10¹⁶).
 */
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { loadAccelerator } from '../../lib/hardware/accelerator';
import { topLevelMemoryCapacity } from '../../lib/hardware/derived';
import { goldenCases, goldenProblem } from './support/golden';
import { STREAM_INPUTS } from '../support/reference';

const INPUTS = STREAM_INPUTS;

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  it('uses the capacities and core kinds of the hardware description', () => {
    const loaded = loadAccelerator(path.join(INPUTS, c.hardware), { inputsRoot: INPUTS, legacyTreeSearch: true });
    if (isLeft(loaded)) throw new Error(loaded.left.map((i) => i.message).join('\n'));
    const byId = new Map(loaded.right.accelerator.cores.map((core) => [core.id, core]));
    for (const core of goldenProblem(c).cores) {
      const hw = byId.get(core.id);
      expect(hw).toBeDefined();
      expect({ id: core.id, kind: hw!.spec.kind, capacityBits: topLevelMemoryCapacity(hw!) }).toEqual({
        id: core.id,
        kind: core.kind,
        capacityBits: core.capacityBits,
      });
    }
  });
});
