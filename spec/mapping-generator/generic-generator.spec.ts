import { eligibleCores, gcdInterCoreSplit, shrinkAllocation } from '../../lib/mapping/generator/core-allocation';
import { generateGenericMapping, generateGroupMapping } from '../../lib/mapping/generator/generic-generator';
import { toMappingYamlData } from '../../lib/mapping/generator/model';
import { tileGenericMapping } from '../../lib/tiling/mapping-resolution';
import { expandNormalizations } from '../../lib/workload/analysis/normalization-expansion';
import { ComputationNode } from '../../lib/workload/model';
import { fakeAccelerator, fakeCore } from '../fixtures/tiling/accelerators';
import { elementwise, gemm, inEdge, outEdge, swiglu, tensor, twoConv, workload } from '../fixtures/tiling/workloads';

const conv1 = () => twoConv().nodes.find((n) => n.name === 'Conv1') as ComputationNode;

describe('core selection', () => {
  const acc = fakeAccelerator([
    fakeCore(0),
    fakeCore(1),
    fakeCore(4, { operatorTypes: ['MaxPool'] }),
    fakeCore(5, { operatorTypes: ['Mul', 'Silu'] }),
    fakeCore(6, { kind: 'offchip' }),
  ]);

  it('prefers cores that list the operator type, in core order', () => {
    const silu = swiglu().nodes.find((n) => n.name === 'Silu') as ComputationNode;
    expect(eligibleCores(silu, acc).cores.map((c) => c.id)).toEqual([5]);
  });

  it('else uses the unrestricted cores and never the off-chip core', () => {
    const r = eligibleCores(conv1(), acc);
    expect(r.cores.map((c) => c.id)).toEqual([0, 1]);
    expect(r.reason).toBe('generic');
  });

  it('falls back to every compute core with a warning when all cores are restricted', () => {
    const restricted = fakeAccelerator([fakeCore(2, { operatorTypes: ['Add'] }), fakeCore(3, { operatorTypes: ['Mul'] }), fakeCore(6, { kind: 'offchip' })]);
    const r = eligibleCores(conv1(), restricted);
    expect(r.cores.map((c) => c.id)).toEqual([2, 3]);
    expect(r.warning).toMatch(/Conv/);
  });
});

describe('inter-core split', () => {
  const convCandidates = [1, 32, 32, 3, 3, 8, 16].map((size, dim) => ({
    dim,
    size,
    iteratorType: ([3, 4, 5].includes(dim) ? 'reduction' : 'parallel') as 'parallel' | 'reduction',
  }));

  it('takes ox before oy on a size tie (stable sort, Q55)', () => {
    expect(gcdInterCoreSplit(convCandidates, 4)).toEqual([{ dim: 1, split: 4 }]);
  });

  it('factors 36 cores over ox, fx and fy (simba, §15.7)', () => {
    expect(gcdInterCoreSplit(convCandidates, 36)).toEqual([
      { dim: 1, split: 4 },
      { dim: 3, split: 3 },
      { dim: 4, split: 3 },
    ]);
  });

  it('does not split on a single core', () => {
    expect(gcdInterCoreSplit(convCandidates, 1)).toEqual([]);
  });

  it('shrinks to unused cores first, else to the first cores', () => {
    expect(shrinkAllocation([0, 1, 6, 2, 7, 3], 2, new Set([0, 1]))).toEqual([6, 2]);
    expect(shrinkAllocation([0, 1, 6], 2, new Set([0, 1, 6]))).toEqual([0, 1]);
    expect(shrinkAllocation([0, 1, 6], 2, new Set([0, 6]))).toEqual([0, 1]);
  });

  it('never splits a nonlinear-reduction dim across cores', () => {
    const x = tensor('x', [4, 64]);
    const y = tensor('y', [4, 64]);
    const softmax: ComputationNode = { ...elementwise('Softmax', 'Softmax', [x], y), reductionAxes: [1] };
    const acc = fakeAccelerator([fakeCore(0), fakeCore(1), fakeCore(2), fakeCore(3)]);
    const expanded = expandNormalizations(workload('sm', [inEdge(x), softmax, outEdge(y)]));
    const plan = generateGroupMapping(expanded, acc);
    // The 64-wide softmax axis is protected for every sub-op; only the 4 rows are split.
    for (const p of plan.nodes) expect(p.interCoreTiling).toEqual([{ dim: 0, split: 4 }]);
  });
});

describe('generic mapping generator', () => {
  it('maps the 2-conv chain on four generic cores with whole-layer tiling (§15.2)', () => {
    const acc = fakeAccelerator([fakeCore(0), fakeCore(1), fakeCore(2), fakeCore(3), fakeCore(5, { operatorTypes: ['Mul'] }), fakeCore(6, { kind: 'offchip' })]);
    const { groups } = generateGenericMapping(twoConv(), acc);
    expect(groups).toHaveLength(1);
    expect(groups[0].plan.intraCoreTilingSource).toBe('whole-layer');
    expect(toMappingYamlData(groups[0].plan.mapping)).toEqual({
      layers: [
        { name: 'Conv1', core_allocation: [[0, 1, 2, 3]], inter_core_tiling: [[{ dim: 'D1', split: 4 }]] },
        { name: 'Conv2', core_allocation: [[0, 1, 2, 3]], inter_core_tiling: [[{ dim: 'D1', split: 4 }]] },
      ],
      fused_groups: [{ name: 'Fused_Group_1', layers: ['Conv1', 'Conv2'], intra_core_tiling: [{ dim: 'Conv1.D0', tile: 1 }] }],
    });
  });

  it('keeps only caller intra-core entries of the group and falls back to whole layers without any', () => {
    const acc = fakeAccelerator([fakeCore(0)]);
    const withCaller = generateGroupMapping(twoConv(), acc, { intraCoreTiling: [{ dim: 'Other.D0', tile: 1 }, { dim: 'Conv2.D0', tile: 1 }] });
    expect(withCaller.mapping.fusedGroups[0].intraCoreTiling).toEqual([{ dim: 'Conv2.D0', tile: 1 }]);
    expect(withCaller.intraCoreTilingSource).toBe('caller');
    const foreign = generateGroupMapping(twoConv(), acc, { intraCoreTiling: [{ dim: 'Other.D0', tile: 1 }] });
    expect(foreign.mapping.fusedGroups[0].intraCoreTiling).toEqual([{ dim: 'Conv1.D0', tile: 1 }]);
    expect(foreign.intraCoreTilingSource).toBe('whole-layer');
  });

  describe('automatic fusion tiling', () => {
    // Gemm (64x16 · 16x32) → Relu: the intermediate [64, 32] is streamed along m (size 64 > n = 32).
    const a = tensor('a', [64, 16]);
    const w = tensor('w', [16, 32]);
    const mid = tensor('mid', [64, 32]);
    const out = tensor('out', [64, 32]);
    const chain = workload('chain', [inEdge(a), inEdge(w, true), gemm('G', a, w, mid), elementwise('R', 'Relu', [mid], out), outEdge(out)]);

    it('streams the largest parallel axis when the intermediate slice exceeds half the capacity', () => {
      // Budget = 16384 / 2 = 8192 bits = 512 bf16 elements: 16 rows of 32.
      const acc = fakeAccelerator([fakeCore(0, { capacity: 16384 })]);
      const plan = generateGroupMapping(chain, acc, { capacityTiler: { fillFraction: 1e9 } });
      expect(plan.intraCoreTilingSource).toBe('auto-fusion');
      expect(plan.mapping.fusedGroups[0].intraCoreTiling).toEqual([{ dim: 'G.D0', tile: 16 }]);
    });

    it('keeps whole layers when the intermediate fits', () => {
      const acc = fakeAccelerator([fakeCore(0)]);
      const plan = generateGroupMapping(chain, acc);
      expect(plan.intraCoreTilingSource).toBe('whole-layer');
      expect(plan.mapping.fusedGroups[0].intraCoreTiling).toEqual([{ dim: 'G.D0', tile: 64 }]);
    });

    it('does not stream a conv→conv intermediate (the consumer halo keeps it whole, Q56)', () => {
      const acc = fakeAccelerator([fakeCore(0, { capacity: 1024 })]);
      const plan = generateGroupMapping(twoConv(), acc, { capacityTiler: { fillFraction: 1e9 } });
      expect(plan.intraCoreTilingSource).toBe('whole-layer');
    });
  });
});

describe('capacity tiler', () => {
  // One 64x64x64 bf16 Gemm: A, B and O are 4096 elements each (196608 bits). Budget 100000 bits.
  const a = tensor('a', [64, 64]);
  const b = tensor('b', [64, 64]);
  const o = tensor('o', [64, 64]);
  const single = workload('gemm', [inEdge(a), inEdge(b, true), gemm('G', a, b, o), outEdge(o)]);
  const acc = fakeAccelerator([fakeCore(0, { capacity: 200000 })]);

  it('breaks equal-improvement ties by ascending unique-dim index (Q63)', () => {
    const plan = generateGroupMapping(single, acc);
    // Step 1: m, k and n all leave 8192 elements → z0 (m). Step 2: k and n both leave 5120 → z1 (k).
    expect(plan.capacity.steps.map((s) => [s.dim, s.tile])).toEqual([
      [0, 32],
      [1, 32],
    ]);
    expect(plan.mapping.fusedGroups[0].intraCoreTiling).toEqual([
      { dim: 'G.D0', tile: 32 },
      { dim: 'G.D1', tile: 32 },
    ]);
    expect(plan.capacity.overflowing).toBe(false);
    expect(plan.capacity.footprints[0].bits).toBe(5120 * 16);
  });

  it('leaves a fitting seed untouched', () => {
    const plan = generateGroupMapping(single, fakeAccelerator([fakeCore(0)]));
    expect(plan.capacity.steps).toEqual([]);
    expect(plan.mapping.fusedGroups[0].intraCoreTiling).toEqual([{ dim: 'G.D0', tile: 64 }]);
  });

  it('respects the steady-state tile limit and reports a group that cannot fit', () => {
    const plan = generateGroupMapping(single, fakeAccelerator([fakeCore(0, { capacity: 64 })]), { capacityTiler: { maxSteadyStateTiles: 8 } });
    const tiles = plan.intraCoreTiling.reduce((p, t) => p * (64 / t.tile), 1);
    expect(tiles).toBeLessThanOrEqual(8);
    expect(plan.capacity.overflowing).toBe(true);
    expect(plan.warnings.join('\n')).toMatch(/exceeds the memory budget/);
  });

  it('produces a mapping the tiling stage accepts', () => {
    const tiled = tileGenericMapping(generateGenericMapping(single, acc));
    expect(tiled[0].fusionSplits).toEqual([
      { dim: 0, splits: 2 },
      { dim: 1, splits: 2 },
    ]);
    expect(tiled[0].iterations).toBe(4);
  });
});
