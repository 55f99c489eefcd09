/**
 * The variant space (lib/dse): variant 0 is the auto mapping, every enumerated variant is a mapping the
 * hand-mapping path tiles without complaint, allocations are consistent (Π splits = #cores, splits
 * divide their loops), the orders are deterministic and lazy, and ranking is a total order.
 */
import { isRight } from 'fp-ts/Either';
import { loadAccelerator } from '../../lib/hardware';
import { generateGenericMapping } from '../../lib/mapping/generator/generic-generator';
import { toMappingYamlData } from '../../lib/mapping/generator/model';
import { tileWithMapping } from '../../lib/tiling/mapping-resolution';
import { loadWorkload } from '../../lib/workload/onnx';
import { uniqueDimensions } from '../../lib/workload/analysis/unique-dimensions';
import { Accelerator } from '../../lib/hardware/model';
import { Workload } from '../../lib/workload/model';
import {
  Variant,
  VariantSpace,
  better,
  buildVariantSpace,
  compareOutcomes,
  enumerateVariants,
  neighbourhoodOrder,
  paretoFront,
  randomOrder,
  seededRandom,
  sweepCsv,
  sweepTable,
  toMappingData,
} from '../../lib/dse';
import { RESNET18, SWIGLU, SWIGLU_TILING, TWO_CONV, hardwareFile, workloadFile } from './support';

const hardware = hardwareFile;

function load(hw: string, wl: string): { accelerator: Accelerator; workload: Workload } {
  const a = loadAccelerator(hw);
  const w = loadWorkload(workloadFile(wl));
  if (!isRight(a) || !isRight(w)) throw new Error('inputs do not load');
  return { accelerator: a.right.accelerator, workload: w.right.workload };
}

function variants(space: VariantSpace, maxVariants: number, order: 'neighbourhood' | 'random' = 'neighbourhood', seed = 0): Variant[] {
  return [...enumerateVariants(space, { maxVariants, order, seed })].flatMap((i) => (i.kind === 'variant' ? [i.variant] : []));
}

describe('variant 0 is the auto mapping', () => {
  it.each([
    ['tpu_like_quad_core', TWO_CONV, undefined],
    ['simba', TWO_CONV, undefined],
    ['tpu_like_quad_core', SWIGLU, SWIGLU_TILING],
    ['meta_prototype_dual_core_simd_offchip', SWIGLU, SWIGLU_TILING],
  ] as const)('%s, %s', (hw, wl, tiling) => {
    const { accelerator, workload } = load(hardware(hw), wl);
    const space = buildVariantSpace(workload, accelerator, { intraCoreTiling: tiling });
    const generic = generateGenericMapping(workload, accelerator, { intraCoreTiling: tiling });
    expect(generic.groups).toHaveLength(1);
    const [v0] = variants(space, 1);
    expect(v0.changes).toEqual([]);
    expect(toMappingData(v0.mapping)).toEqual(toMappingYamlData(generic.groups[0].plan.mapping));
  });

  it('ResNet-18: one fused group per fusion group (11), each with the auto tiling of its group', () => {
    const { accelerator, workload } = load(hardware('tpu_like_quad_core'), RESNET18);
    const space = buildVariantSpace(workload, accelerator);
    expect(space.granularity).toBe('operator-type');
    const generic = generateGenericMapping(workload, accelerator);
    const data = toMappingData(variants(space, 1)[0].mapping);
    expect(data.fused_groups).toHaveLength(11);
    expect(data.fused_groups.map((g) => g.intra_core_tiling)).toEqual(generic.groups.map((g) => toMappingYamlData(g.plan.mapping).fused_groups[0].intra_core_tiling));
    expect(data.layers).toEqual(generic.groups.flatMap((g) => toMappingYamlData(g.plan.mapping).layers));
    expect(tileWithMapping(workload, data)).toHaveLength(11);
  });
});

describe('enumerated variants are valid mappings', () => {
  const cases = [
    ['tpu_like_quad_core', SWIGLU, SWIGLU_TILING, 'neighbourhood'],
    ['tpu_like_quad_core', SWIGLU, SWIGLU_TILING, 'random'],
    ['simba_small', TWO_CONV, undefined, 'random'],
    ['eyeriss_like_quad_core', TWO_CONV, undefined, 'neighbourhood'],
  ] as const;
  it.each(cases)('%s, %s (%#)', (hw, wl, tiling, order) => {
    const { accelerator, workload } = load(hardware(hw), wl);
    const space = buildVariantSpace(workload, accelerator, { intraCoreTiling: tiling });
    const dims = uniqueDimensions(workload);
    const found = variants(space, 40, order, 11);
    expect(found.length).toBe(40);
    for (const v of found) {
      for (const layer of v.mapping.layers) {
        const loops = dims.nodeDims.get(layer.node)!;
        expect(layer.interCoreTiling.reduce((p, s) => p * s.split, 1)).toBe(layer.coreIds.length);
        for (const s of layer.interCoreTiling) expect(dims.sizes[loops[s.dim]] % s.split).toBe(0);
        expect(new Set(layer.coreIds).size).toBe(layer.coreIds.length);
      }
      // The hand-mapping path accepts it: fusion splits divide, groups match, nothing is left unmapped.
      expect(() => tileWithMapping(workload, toMappingData(v.mapping))).not.toThrow();
    }
    expect(new Set(found.map((v) => JSON.stringify(v.mapping))).size).toBe(found.length);
  });

  it('explores core sets, splits, tiles and cuts', () => {
    const { accelerator, workload } = load(hardware('tpu_like_quad_core'), SWIGLU);
    const space = buildVariantSpace(workload, accelerator, { intraCoreTiling: SWIGLU_TILING });
    const kinds = new Set(space.axes.filter((a) => a.options.length > 1).map((a) => a.kind));
    expect(kinds).toEqual(new Set(['allocation', 'tile', 'cuts']));
    const gemm = space.axes.find((a) => a.name === 'Gemm_Left')!;
    expect(gemm.kind === 'allocation' && gemm.options.map((o) => o.nodes[0].coreIds.length)).toEqual(expect.arrayContaining([1, 2, 4]));
    const sampled = variants(space, 200, 'random', 5);
    expect(sampled.some((v) => v.mapping.fusedGroups.length > 1)).toBe(true);
  });
});

describe('enumeration order', () => {
  it('neighbourhood: the base, then one departure at a time, then two', () => {
    const radices = [3, 1, 2, 4];
    const vectors = [...neighbourhoodOrder(radices)];
    expect(vectors).toHaveLength(3 * 2 * 4);
    expect(new Set(vectors.map((v) => v.join())).size).toBe(vectors.length);
    const distance = (v: number[]) => v.filter((d) => d !== 0).length;
    expect(vectors.map(distance)).toEqual([...vectors.map(distance)].sort((a, b) => a - b));
    expect(vectors.slice(0, 7).map((v) => v.join())).toEqual(['0,0,0,0', '1,0,0,0', '2,0,0,0', '0,0,1,0', '0,0,0,1', '0,0,0,2', '0,0,0,3']);
  });

  it('random: the base first, every vector once, the same for the same seed', () => {
    const radices = [3, 5, 2];
    const a = [...randomOrder(radices, 42)].map((v) => v.join());
    expect(a[0]).toBe('0,0,0');
    expect(new Set(a).size).toBe(30);
    expect([...randomOrder(radices, 42)].map((v) => v.join())).toEqual(a);
    expect([...randomOrder(radices, 43)].map((v) => v.join())).not.toEqual(a);
  });

  it('random order samples spaces beyond 2^53 lazily', () => {
    const radices = Array.from({ length: 40 }, () => 7);
    const first = randomOrder(radices, 1);
    const picked = Array.from({ length: 5 }, () => first.next().value as number[]);
    expect(picked.every((v) => v.length === 40 && v.every((d) => d >= 0 && d < 7))).toBe(true);
  });

  it('the same options enumerate the same variants', () => {
    const { accelerator, workload } = load(hardware('tpu_like_quad_core'), SWIGLU);
    const a = variants(buildVariantSpace(workload, accelerator, { intraCoreTiling: SWIGLU_TILING }), 30, 'random', 9);
    const b = variants(buildVariantSpace(workload, accelerator, { intraCoreTiling: SWIGLU_TILING }), 30, 'random', 9);
    expect(b).toEqual(a);
  });

  it('seeded PRNG: reproducible, in range', () => {
    const r1 = seededRandom(7);
    const r2 = seededRandom(7);
    const xs = Array.from({ length: 100 }, () => r1.nextBelow(10n));
    expect(Array.from({ length: 100 }, () => r2.nextBelow(10n))).toEqual(xs);
    expect(xs.every((x) => x >= 0n && x < 10n)).toBe(true);
    expect(new Set(xs).size).toBe(10);
  });
});

describe('ranking', () => {
  const r = (index: number, status: 'ok' | 'infeasible', latency?: number, energy?: number) => ({ index, status, latency, energy });

  it('is a total order: ok first, then latency, energy, index', () => {
    const outcomes = [r(4, 'ok', 10, 5), r(1, 'infeasible'), r(2, 'ok', 10, 5), r(3, 'ok', 10, 4), r(0, 'ok', 12, 1)];
    expect([...outcomes].sort(compareOutcomes).map((o) => o.index)).toEqual([3, 2, 4, 0, 1]);
    // Any arrival order reduces to the same winner.
    const winner = (list: typeof outcomes) => list.reduce<(typeof outcomes)[number] | undefined>((best, o) => better(best, o), undefined)?.index;
    expect(winner(outcomes)).toBe(3);
    expect(winner([...outcomes].reverse())).toBe(3);
    expect(winner([r(1, 'infeasible')])).toBeUndefined();
  });

  it('Pareto front over (latency, energy)', () => {
    const front = paretoFront([r(0, 'ok', 10, 9), r(1, 'ok', 12, 5), r(2, 'ok', 12, 6), r(3, 'ok', 20, 5), r(4, 'ok', 30, 1), r(5, 'infeasible'), r(6, 'ok', 10, 9)]);
    expect([...front].sort()).toEqual([0, 1, 4, 6]);
  });

  it('sweep CSV quotes fields with commas and lists failures with their reason', () => {
    const variant = (index: number): Variant => ({
      index,
      choice: [],
      changes: index === 0 ? [] : ['Conv1: cores 0,1'],
      mapping: { layers: [{ node: 'Conv1', coreIds: [0, 1], interCoreTiling: [{ dim: 1, split: 2 }] }], fusedGroups: [{ name: 'F', layers: ['Conv1'], intraCoreTiling: [{ node: 'Conv1', dim: 0, tile: 1 }] }] },
    });
    const table = sweepTable(
      [
        { index: 1, status: 'infeasible', variant: variant(1), reason: 'group 0: short, by "a lot"' },
        { index: 0, status: 'ok', latency: 5, energy: 2, variant: variant(0) },
      ],
      0,
    );
    const lines = sweepCsv(table).trim().split('\n');
    expect(lines[0]).toBe('variant,status,latency,energy,pareto,best,changes,mapping_summary,reason');
    expect(lines[1]).toBe('0,ok,5,2,true,true,,"Conv1@0,1:D1×2 | {Conv1}: Conv1.D0=1",');
    expect(lines[2]).toBe('1,infeasible,,,false,false,"Conv1: cores 0,1","Conv1@0,1:D1×2 | {Conv1}: Conv1.D0=1","group 0: short, by ""a lot"""');
  });
});
