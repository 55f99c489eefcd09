/**
 * The optimised search kernel (index-form allocator, boundary merge-down, typed-array cost model)
 * against the readable transcription in spec/fixtures/cost/readable-model.ts, over every loop
 * ordering of every golden case that reaches LOMA: same validity, same allocation, and bit-identical
 * latency_total2 and energy_total.
 */
import { buildCoreModel } from '../../lib/cost/core-model';
import { CostKernel } from '../../lib/cost/evaluate';
import { layerFromRecord } from '../../lib/cost/layer';
import {
  forEachOrdering,
  levelLoops,
  loopPrimeFactors,
  MemoryAllocator,
  stationaryBounds,
  temporalLoopSizes,
  type OrderingBuffers,
} from '../../lib/cost/loma';
import type { Loop } from '../../lib/cost/loops';
import { convertSpatialMapping, generateSpatialMapping, operandSpatial } from '../../lib/cost/spatial';
import { goldenCore, zigzagCases } from '../fixtures/cost/golden';
import { allocateOrdering, deriveOperandTemporal, evaluateCost, OrderingRejected } from '../fixtures/cost/readable-model';

const cases = zigzagCases().filter((c) => c.result !== undefined && c.layer !== null);

describe('search kernel vs readable model, every ordering', () => {
  for (const c of cases) {
    it(c.id, () => {
      const core = buildCoreModel(goldenCore(c.core_yaml));
      const layer = layerFromRecord(c.layer as NonNullable<typeof c.layer>);
      const { fractional, integer } = convertSpatialMapping(layer, core, generateSpatialMapping(layer, core).selected);
      const spatialF = layer.operands.map((op) => operandSpatial(layer, core, op, fractional));
      const spatialI = layer.operands.map((op) => operandSpatial(layer, core, op, integer));
      const lpfs = loopPrimeFactors(temporalLoopSizes(layer, fractional), c.loma_lpf_limit);
      const n = lpfs.length;
      const allocator = new MemoryAllocator(layer, core, spatialF.map((s) => s.levels), c.temporal_mapping_type, n);
      const kernel = new CostKernel(layer, core, spatialF, spatialI, n);
      const ordering: OrderingBuffers = { dims: new Int32Array(n), sizes: new Float64Array(n), length: n };
      const L = layer.operands.map((op) => core.hierarchy[op.memoryOperand].length);
      const allocated = L.map((l) => new Int32Array(l));
      const bounds = L.map((l) => new Int32Array(l));
      const stationary = new Float64Array(layer.operands.length);
      const irrelevant = layer.operands.map((op) => Uint8Array.from(op.irrelevant.map((x) => (x ? 1 : 0))));
      const ctx = { layer, core, spatialLevels: spatialF.map((s) => s.levels), mappingType: c.temporal_mapping_type };
      let mismatches = 0;
      let compared = 0;
      forEachOrdering(layer, lpfs, (indices) => {
        const loops: Loop[] = Array.from(indices, (i) => ({ ...lpfs[i] }));
        indices.forEach((i, k) => {
          ordering.dims[k] = lpfs[i].dim;
          ordering.sizes[k] = lpfs[i].size;
        });
        let readable: ReturnType<typeof allocateOrdering> | undefined;
        try {
          readable = allocateOrdering(ctx, loops);
        } catch (err) {
          if (!(err instanceof OrderingRejected)) throw err;
        }
        const ok = allocator.allocate(ordering, allocated);
        if (ok !== (readable !== undefined)) {
          mismatches++;
          return;
        }
        if (!readable) return;
        const fast = allocated.map((b) => levelLoops(ordering, b));
        if (JSON.stringify(fast) !== JSON.stringify(readable)) mismatches++;
        layer.operands.forEach((_, o) => {
          stationary[o] = stationaryBounds(irrelevant[o], ordering, allocated[o], L[o], bounds[o]);
        });
        kernel.evaluate(ordering, bounds, stationary, 1);
        const temporal = layer.operands.map((op, o) => deriveOperandTemporal(op.irrelevant, op.relevant, readable![o]));
        const slow = evaluateCost({ layer, core, spatialFractional: spatialF, spatialInteger: spatialI, temporal, cyclesPerOp: 1 });
        compared++;
        if (slow.latencyTotal2 !== kernel.latencyTotal2 || slow.energyTotal !== kernel.energyTotal) mismatches++;
      });
      expect({ mismatches, compared: compared > 0 }).toEqual({ mismatches: 0, compared: true });
    });
  }
});
