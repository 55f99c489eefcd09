/**
 * Memory-access estimation against the golden `memory_accesses`, with the golden reuse stops (reuse
 * levels are a solver choice; the estimate is a function of them).
 */
import { MemoryAccesses, estimateMemoryAccesses } from '../../lib/scheduler/memory-accesses';
import { scheduleSteadyState } from '../../lib/scheduler/steady-state';
import { GoldenMemoryAccesses, goldenCases, goldenSchedulerInput } from '../fixtures/scheduler/golden';

const asGolden = (m: MemoryAccesses): GoldenMemoryAccesses => ({
  cores: m.cores.map((c) => ({
    core_id: c.coreId,
    core_name: c.coreName,
    kind: c.kind,
    is_offchip: c.isOffchip,
    read_bandwidth: c.readBandwidth,
    write_bandwidth: c.writeBandwidth,
    read: c.read,
    write: c.write,
    total: c.total,
    tensors: c.tensors.map((t) => ({ tensor: t.tensor, read: t.read, write: t.write, size_bits: t.sizeBits })),
  })),
});

describe.each(goldenCases().map((c) => [c.id, c] as const))('%s', (_id, c) => {
  it('estimates the golden memory accesses from the golden reuse stops', () => {
    const input = goldenSchedulerInput(c);
    const schedule = scheduleSteadyState(input);
    const reuseStops = new Map(c.group.tensor_reuse.map((t) => [t.tensor, t.reuse_stop_level]));
    expect(asGolden(estimateMemoryAccesses(schedule, input.accelerator, { reuseStops }))).toEqual(c.group.memory_accesses);
  });
});
