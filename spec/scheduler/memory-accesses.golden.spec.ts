/**
 * Memory-access estimation against the golden `memory_accesses`, with the golden reuse stops (reuse
 * levels are a solver choice; the estimate is a function of them).
 */
import { estimateMemoryAccesses } from '../../lib/scheduler/memory-accesses';
import { scheduleSteadyState } from '../../lib/scheduler/steady-state';
import { goldenCases, goldenSchedulerInput, memoryAccessesView } from '../fixtures/scheduler/golden';

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  it('estimates the golden memory accesses from the golden reuse stops', () => {
    const input = goldenSchedulerInput(c);
    const schedule = scheduleSteadyState(input);
    const reuseStops = new Map(c.group.tensor_reuse.map((t) => [t.tensor, t.reuse_stop_level]));
    expect(memoryAccessesView(estimateMemoryAccesses(schedule, input.accelerator, { reuseStops }))).toEqual(c.group.memory_accesses);
  });
});
