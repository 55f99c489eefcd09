import { buildCoreModel } from '../../lib/cost/core-model';
import { CostModelError } from '../../lib/cost/errors';
import { estimateNodeCost } from '../../lib/cost/estimate';
import { layerFromComputationNode, layerToRecord } from '../../lib/cost/layer';
import type { AffineExpr, ComputationNode, Tensor } from '../../lib/workload/model';
import { goldenCore } from '../fixtures/cost/golden';

const t = (shape: number[]): Tensor => ({ name: `t${shape.join('x')}`, elementType: 'bf16', shape });
const dim = (d: number, coef = 1): AffineExpr => ({ terms: [{ dim: d, coef }], constant: 0 });
const node = (inputs: Tensor[], output: Tensor, maps: AffineExpr[][], numDims: number, type = 'Test'): ComputationNode => ({
  kind: 'computation',
  name: 'n',
  type,
  inputs,
  outputs: [output],
  operandMaps: maps.map((results) => ({ numDims, results })),
});

describe('layer construction from computation nodes', () => {
  const kindOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
      return undefined;
    } catch (err) {
      return err instanceof CostModelError ? err.kind : 'other';
    }
  };

  it('rejects the index expressions the reference cannot express', () => {
    const constant: AffineExpr = { terms: [], constant: 0 };
    const scaled = dim(0, 2);
    const three: AffineExpr = { terms: [dim(0).terms[0], dim(1).terms[0], dim(2).terms[0]], constant: 0 };
    const positive: AffineExpr = { terms: [dim(0).terms[0], dim(1).terms[0]], constant: 1 };
    for (const e of [constant, scaled, three, positive]) {
      const n = node([t([8, 8]), t([8, 8])], t([8, 8]), [[e, dim(1)], [dim(0), dim(1)], [dim(0), dim(1)]], 3);
      expect(kindOf(() => layerFromComputationNode(n, { dimSizes: [8, 8, 8] }))).toBe('unsupported-index-expression');
    }
  });

  it('treats a single dim with an offset (recurrence) as the plain dim', () => {
    const offset: AffineExpr = { terms: [{ dim: 0, coef: 1 }], constant: -1 };
    const n = node([t([8, 8]), t([8, 8])], t([8, 8]), [[offset, dim(1)], [dim(0), dim(1)], [dim(0), dim(1)]], 2, 'Add');
    expect(layerToRecord(layerFromComputationNode(n, { dimSizes: [8, 8] })).equation).toBe('O[d0][d1] = A[d0][d1] * B[d0][d1]');
  });

  it('divides a dim by its inter-core split only when the split divides it', () => {
    const n = node([t([64, 48]), t([48, 30])], t([64, 30]), [[dim(0), dim(1)], [dim(1), dim(2)], [dim(0), dim(2)]], 3, 'Gemm');
    const record = layerToRecord(layerFromComputationNode(n, { interCoreSplit: [[0, 4], [2, 4]] }));
    expect(record.layer_dim_sizes).toEqual({ D0: 16, D1: 48, D2: 30 });
  });

  it('falls back (flagged, no crash) for nodes whose operands the core has no memories for', () => {
    const core = buildCoreModel(goldenCore('examples/hardware/cores/tpu_like.yaml'));
    const c = (d: number) => [dim(d)];
    const bn = node([t([1, 8, 4, 4]), t([8]), t([8]), t([8]), t([8])], t([1, 8, 4, 4]), [[dim(0), dim(1), dim(2), dim(3)], c(1), c(1), c(1), c(1), [dim(0), dim(1), dim(2), dim(3)]], 4, 'BatchNormalization');
    const result = estimateNodeCost(bn, core);
    expect(result).toMatchObject({ fallback: true, energyTotal: 0, latencyTotal: 1, failure: { kind: 'memory-operand-mismatch' } });
  });

  it('falls back for broadcast inputs, flagged as a deliberate difference', () => {
    const core = buildCoreModel(goldenCore('examples/hardware/cores/tpu_like.yaml'));
    const zero: AffineExpr = { terms: [], constant: 0 };
    const add = node([t([1, 64, 28, 28]), t([1, 64, 1, 1])], t([1, 64, 28, 28]), [[dim(0), dim(1), dim(2), dim(3)], [dim(0), dim(1), zero, zero], [dim(0), dim(1), dim(2), dim(3)]], 4, 'Add');
    const result = estimateNodeCost(add, core);
    expect(result).toMatchObject({ fallback: true, latencyTotal: 49, energyTotal: 0, failure: { kind: 'unsupported-index-expression', deliberateDifference: true } });
  });

  it('multiplies only the fallback by 4 for lower-case silu/sigmoid/exp types', () => {
    const core = buildCoreModel(goldenCore('examples/hardware/cores/simd.yaml'));
    const silu = node([t([1, 32, 16, 16])], t([1, 32, 16, 16]), [[dim(0), dim(1), dim(2), dim(3)], [dim(0), dim(1), dim(2), dim(3)]], 4, 'Silu');
    expect(estimateNodeCost(silu, core).latencyTotal).toBe(Math.ceil(8192 / 64) * 4);
  });
});
