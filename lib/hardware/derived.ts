/**
 * Quantities the scheduler and the MILP read off a core (reference-co-pipeline §4, reference-surface
 * §1.2.3): its top-level memory capacity and its maximum read/write bandwidth.
 */
import { Core, CoreSpec, MemorySpec, ZigzagCoreSpec } from './model';

type CoreOrSpec = Core | CoreSpec;

const specOf = (core: CoreOrSpec): CoreSpec => ('spec' in core ? core.spec : core);

/**
 * The memory ZigZag treats as the top of the I1 (activation) hierarchy: the last memory in file order
 * that holds I1. Undefined for a core whose memories never hold I1.
 */
export function topLevelMemory(core: ZigzagCoreSpec): MemorySpec | undefined {
  for (let i = core.memories.length - 1; i >= 0; i--) {
    if (core.memories[i].operands.includes('I1')) return core.memories[i];
  }
  return undefined;
}

/** Capacity in bits: ZigZag, size of the top memory holding I1 (0 if none does); AIE, the tile memory. */
export function topLevelMemoryCapacity(core: CoreOrSpec): number {
  const spec = specOf(core);
  if (spec.namespace === 'aie2') return spec.memory.capacity;
  return topLevelMemory(spec)?.size ?? 0;
}

/**
 * Bits per cycle: ZigZag, `bandwidth_max` of the first port of the top memory whose type is the
 * requested direction or `read_write` (0 if there is none); AIE, the tile's `bandwidth_max`.
 */
export function maxMemoryBandwidth(core: CoreOrSpec, direction: 'read' | 'write'): number {
  const spec = specOf(core);
  if (spec.namespace === 'aie2') return spec.memory.bandwidthMax;
  const port = topLevelMemory(spec)?.ports.find((p) => p.type === direction || p.type === 'read_write');
  return port?.bandwidthMax ?? 0;
}
