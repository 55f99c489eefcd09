import { buildCoreModel } from '../../lib/cost/core-model';
import { layerFromRecord } from '../../lib/cost/layer';
import { applyCapacityLimit, convertSpatialMapping } from '../../lib/cost/spatial';
import type { ZigzagCoreSpec } from '../../lib/hardware/model';
import { goldenCore } from '../fixtures/cost/golden';

const gemm = layerFromRecord({
  equation: 'O[d0][d2] = A[d0][d1] * B[d1][d2]',
  layer_type: 'Gemm',
  layer_dim_sizes: { D0: 48, D1: 64, D2: 32 },
  operand_precision: { A: 16, B: 16, O: 16, O_final: 16 },
  memory_operand_links: { A: 'I1', B: 'I2', O: 'O' },
});

/** tpu_like with a 2-element output register whose ports would allow 4 outputs per cycle. */
function smallAccumulatorCore(): ZigzagCoreSpec {
  const spec = goldenCore('examples/hardware/cores/tpu_like.yaml');
  return {
    ...spec,
    memories: spec.memories.map((m) =>
      m.name === 'rf_2B' ? { ...m, size: 32, ports: m.ports.map((p) => ({ ...p, bandwidthMin: 64, bandwidthMax: 64 })) } : m,
    ),
  };
}

describe('spatial mapping details', () => {
  it('capacity limit: shrinks the largest factor of the served non-irrelevant dims until one instance fits', () => {
    const core = buildCoreModel(smallAccumulatorCore());
    // D2 (served by rf_2B) carries m = 4 and n = 2 for O: 8 outputs, capacity 32 / 16 = 2.
    const limited = applyCapacityLimit(gemm, core, [[{ dim: 1, size: 32 }], [{ dim: 0, size: 4 }, { dim: 2, size: 2 }]]);
    // Factors in set order of {D0, D2}: D0 first; 4·2 → 3·2 → 2·2 → 1·2.
    expect(limited[1]).toEqual([
      { dim: 0, size: 1 },
      { dim: 2, size: 2 },
    ]);
    expect(limited[0]).toEqual([{ dim: 1, size: 32 }]);
  });

  it('capacity limit: equal old factors collide in the old → new map (reference quirk Q68)', () => {
    const core = buildCoreModel(smallAccumulatorCore());
    const limited = applyCapacityLimit(gemm, core, [[{ dim: 1, size: 32 }], [{ dim: 0, size: 2 }, { dim: 2, size: 2 }]]);
    // 2·2 → 1·2 fits; the map {2 → 1, 2 → 2} keeps the last write, so both stay 2.
    expect(limited[1]).toEqual([
      { dim: 0, size: 2 },
      { dim: 2, size: 2 },
    ]);
  });

  it('fractional and integer unrolls of non-dividing factors', () => {
    const core = buildCoreModel(goldenCore('examples/hardware/cores/eyeriss_like.yaml'));
    const conv = layerFromRecord({
      equation: 'O[d0][d1] = A[d0][d2] * B[d2][d1]',
      layer_dim_sizes: { D0: 32, D1: 48, D2: 8 },
      operand_precision: { A: 16, B: 16, O: 16, O_final: 16 },
      memory_operand_links: { A: 'I1', B: 'I2', O: 'O' },
    });
    const { fractional, integer } = convertSpatialMapping(conv, core, [[{ dim: 0, size: 14 }], [{ dim: 1, size: 12 }]]);
    expect(fractional[0][0].size).toBeCloseTo(32 / 3, 12);
    expect(integer[0][0].size).toBe(10);
    expect(fractional[1][0].size).toBe(12);
  });
});
