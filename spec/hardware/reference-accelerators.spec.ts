/**
 * Every hardware YAML of the reference gets the reference's verdict, and the built core graph has the
 * reference's shape (reference-surface §1.1, §1.4; reference-co-pipeline §4, Q3/Q53/Q54).
 */
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { AcceleratorOptions, LoadedAccelerator, loadAccelerator } from '../../lib/hardware/accelerator';
import { maxMemoryBandwidth, topLevelMemoryCapacity } from '../../lib/hardware/derived';
import { Accelerator } from '../../lib/hardware/model';
import { STREAM_INPUTS } from '../support/reference';

const REF = STREAM_INPUTS;
const refFile = (rel: string) => path.join(REF, rel);

function load(rel: string, options: AcceleratorOptions = {}): LoadedAccelerator {
  const r = loadAccelerator(refFile(rel), options);
  if (isLeft(r)) throw new Error(r.left.map((i) => `${i.file}:${i.line} ${i.path}: ${i.message}`).join('\n'));
  return r.right;
}
const accel = (rel: string, options: AcceleratorOptions = {}): Accelerator => load(rel, options).accelerator;
const linkOf = (a: Accelerator, from: number, to: number) => {
  const edge = a.edges.find((e) => e.from === from && e.to === to);
  if (!edge) throw new Error(`no edge ${from}->${to}`);
  return a.links[edge.link];
};

describe('reference accelerator files: verdicts', () => {
  const accepted: [string, number, AcceleratorOptions][] = [
    ['examples/hardware/eyeriss_like_single_core.yaml', 4, {}],
    ['examples/hardware/eyeriss_like_dual_core.yaml', 5, {}],
    ['examples/hardware/eyeriss_like_quad_core.yaml', 7, {}],
    ['examples/hardware/tpu_like_quad_core.yaml', 7, {}],
    ['examples/hardware/simba_small.yaml', 5, {}],
    ['examples/hardware/simba.yaml', 37, {}],
    ['examples/hardware/fusemax.yaml', 3, { inputsRoot: REF }],
    ['examples/hardware/meta_prototype_dual_core_simd_offchip.yaml', 5, {}],
    ['examples/hardware/tpu_v7_ironwood.yaml', 41, {}],
    ['aie/hardware/single_core.yaml', 3, {}],
    ['aie/hardware/single_col.yaml', 6, {}],
    ['aie/hardware/whole_array.yaml', 21, {}],
    ['aie/hardware/whole_array_strix.yaml', 41, {}],
    ['testing/hardware/single_testing_core_offchip.yaml', 2, {}],
    ['testing/hardware/dual_testing_core_offchip.yaml', 3, { inputsRoot: REF }],
    ['testing/hardware/quad_testing_core_offchip.yaml', 5, {}],
    ['testing/hardware/simple_example_hw.yaml', 5, { searchPaths: [refFile('examples/hardware')] }],
    ['testing/hardware/tpu_like_quad_core.yaml', 7, {}],
  ];

  it.each(accepted)('accepts %s with %i cores in the graph', (rel, cores, options) => {
    expect(accel(rel, options).cores).toHaveLength(cores);
  });

  it('rejects the obsolete testing/shared/dual_testing_core_offchip.yaml, naming the fields', () => {
    const r = loadAccelerator(refFile('testing/shared/dual_testing_core_offchip.yaml'));
    if (!isLeft(r)) throw new Error('expected rejection');
    expect(r.left.map((i) => [i.path, i.message, i.line])).toEqual([
      ['graph', "unknown field 'graph'", 8],
      ['offchip_core_id', "required field 'offchip_core_id' is missing", 1],
      ['core_connectivity', "required field 'core_connectivity' is missing", 1],
      ['cores', 'expected a map, got a list', 2],
    ]);
    expect(r.left.every((i) => i.file === refFile('testing/shared/dual_testing_core_offchip.yaml'))).toBe(true);
  });

  it('does not resolve repository-relative or out-of-tree core references from the working directory (Q8)', () => {
    const fusemax = loadAccelerator(refFile('examples/hardware/fusemax.yaml'));
    if (!isLeft(fusemax)) throw new Error('expected rejection');
    expect(fusemax.left[0]).toMatchObject({ path: 'cores[0]', line: 5 });
    expect(fusemax.left[0].message).toMatch(/^Core with filename `stream\/inputs\/examples\/hardware\/cores\/fusemax_array.yaml` not found\. Looked in: /);

    const simple = loadAccelerator(refFile('testing/hardware/simple_example_hw.yaml'));
    if (!isLeft(simple)) throw new Error('expected rejection');
    expect(simple.left.map((i) => i.path)).toEqual(['cores[0]', 'cores[1]']);
    expect(simple.left[0].message).toContain('Core with filename `meta_prototype.yaml` not found');
    expect(simple.left[0].message).toContain(refFile('testing/hardware/cores/meta_prototype.yaml'));
  });

  it('keeps the legacy input-tree walk behind an option, with a warning', () => {
    const { accelerator, warnings } = load('testing/hardware/simple_example_hw.yaml', { inputsRoot: REF, legacyTreeSearch: true });
    expect(accelerator.cores.find((c) => c.id === 0)?.sourceFile).toBe(refFile('examples/hardware/cores/meta_prototype.yaml'));
    const walkWarnings = warnings.filter((w) => w.message.includes('input-tree search'));
    expect(walkWarnings.map((w) => w.path)).toEqual(['cores[0]', 'cores[1]']);
  });
});

describe('reference accelerator files: core graph', () => {
  it('tpu_like_quad_core: every directed edge carries the single 128-bit bus (Q53)', () => {
    const { accelerator: a, warnings } = load('examples/hardware/tpu_like_quad_core.yaml');
    expect(a.name).toBe('tpu_like_quad_core');
    expect(a.cores.map((c) => c.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(a.offchipCoreId).toBe(6);
    expect(a.links).toEqual([
      { index: 0, kind: 'bus', cores: [0, 1, 2, 3, 4, 5, 6], bandwidth: 128, unitEnergyCost: 0, bidirectional: true, connectivityIndex: 12 },
    ]);
    expect(a.edges).toHaveLength(42);
    expect(a.edges.every((e) => e.link === 0)).toBe(true);
    // First-definition order: the 0-1 link pair comes first, the bus adds 5→6-style pairs last.
    expect(a.edges.slice(0, 4).map((e) => [e.from, e.to])).toEqual([[0, 1], [1, 0], [1, 2], [2, 1]]);
    expect(a.cores.map((c) => [c.col, c.row])).toEqual([[0, 0], [1, 0], [1, 1], [0, 1], [2, 0], [2, 1], [1, 2]]);
    expect(a.cores.map((c) => c.coreType)).toEqual(['zigzag.compute', 'zigzag.compute', 'zigzag.compute', 'zigzag.compute', 'zigzag.compute', 'zigzag.compute', 'zigzag.offchip']);
    expect(a.cores.map((c) => c.spec.name)).toEqual(['tpu_like', 'tpu_like', 'tpu_like', 'tpu_like', 'pooling', 'simd', 'offchip']);
    expect(a.nbSharedMemGroups).toBe(7);
    expect(a.droppedCoreIds).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ path: 'core_connectivity[12]', severity: 'warning', line: 69 });
    expect(warnings[0].message).toMatch(/^bus core_connectivity\[12\] shadows the links core_connectivity\[0\], .*core_connectivity\[11\]/);
  });

  it('tpu_like_quad_core: capacities and bandwidths per core', () => {
    const a = accel('examples/hardware/tpu_like_quad_core.yaml');
    expect(a.cores.map((c) => [topLevelMemoryCapacity(c), maxMemoryBandwidth(c, 'read'), maxMemoryBandwidth(c, 'write')])).toEqual([
      [16777216, 2048, 2048],
      [16777216, 2048, 2048],
      [16777216, 2048, 2048],
      [16777216, 2048, 2048],
      [1048576, 576, 512],
      [1048576, 512, 512],
      [1e10, 64, 64],
    ]);
  });

  it('simba: core order by first appearance in the edge list (Q54), mesh and DRAM links at 256, no bus', () => {
    const a = accel('examples/hardware/simba.yaml');
    expect(a.cores.map((c) => c.id)).toEqual([0, 1, 6, 2, 7, 3, 8, 4, 9, 5, 10, 11, ...Array.from({ length: 25 }, (_, i) => i + 12)]);
    expect(a.links).toHaveLength(132);
    expect(a.links.every((l) => l.kind === 'link' && l.bandwidth === 256 && !l.bidirectional)).toBe(true);
    expect(a.edges).toHaveLength(132);
    for (let column = 0; column < 6; column++) {
      const down = linkOf(a, 36, column);
      const up = linkOf(a, column, 36);
      expect([down.sender, down.receiver, down.bandwidth]).toEqual([36, column, 256]);
      expect([up.sender, up.receiver, up.bandwidth]).toEqual([column, 36, 256]);
      expect(down.index).not.toBe(up.index);
    }
    expect(a.edges.some((e) => e.from === 36 && e.to === 6)).toBe(false);
    expect(a.offchipCoreId).toBe(36);
  });

  it('simba_small and eyeriss_like_quad_core: the final bus shadows every link', () => {
    const small = accel('examples/hardware/simba_small.yaml');
    expect(small.links.map((l) => [l.kind, l.bandwidth, l.cores])).toEqual([['bus', 128, [0, 1, 2, 3, 4]]]);
    const eyeriss = accel('examples/hardware/eyeriss_like_quad_core.yaml');
    expect(eyeriss.links.map((l) => [l.kind, l.bandwidth])).toEqual([['bus', 128]]);
    expect(eyeriss.edges).toHaveLength(42);
    const single = accel('examples/hardware/eyeriss_like_single_core.yaml');
    expect(single.links.map((l) => [l.kind, l.bandwidth])).toEqual([['bus', 64]]);
  });

  it('fusemax: memory sharing group, accelerator-level energy default, two point-to-point links', () => {
    const a = accel('examples/hardware/fusemax.yaml', { inputsRoot: REF });
    expect(a.name).toBe('quad_core');
    expect(a.cores.map((c) => c.id)).toEqual([0, 2, 1]);
    expect(a.cores.map((c) => [c.id, c.sharedMemoryGroupId])).toEqual([[0, 0], [2, 2], [1, 0]]);
    expect(a.nbSharedMemGroups).toBe(2);
    expect(a.coreMemorySharing).toEqual([[0, 1]]);
    expect(a.links.map((l) => [l.sender, l.receiver, l.bandwidth, l.unitEnergyCost])).toEqual([
      [0, 2, 512, 512],
      [2, 0, 512, 512],
      [1, 2, 512, 512],
      [2, 1, 512, 512],
    ]);
    expect(a.cores.map((c) => c.spec.name)).toEqual(['generic_array', 'offchip', 'vec']);
  });

  it('testing tpu_like_quad_core: explicit per-connection energy, 512-bit bus', () => {
    const a = accel('testing/hardware/tpu_like_quad_core.yaml');
    expect(a.links.map((l) => [l.kind, l.bandwidth, l.unitEnergyCost])).toEqual([['bus', 512, 0]]);
    expect(a.cores.every((c) => c.col === undefined && c.row === undefined)).toBe(true);
  });

  it('single_testing_core_offchip: one link gives two directed edges with their own link objects', () => {
    const a = accel('testing/hardware/single_testing_core_offchip.yaml');
    expect(a.edges).toEqual([{ from: 0, to: 1, link: 0 }, { from: 1, to: 0, link: 1 }]);
    expect(a.links.map((l) => [l.kind, l.sender, l.receiver, l.bandwidth, l.cores])).toEqual([
      ['link', 0, 1, 64, [0, 1]],
      ['link', 1, 0, 64, [1, 0]],
    ]);
  });

  it('tpu_v7_ironwood: per-TensorCore buses, VMEM links shadowed by the HBM bus, technology node', () => {
    const { accelerator: a, warnings } = load('examples/hardware/tpu_v7_ironwood.yaml');
    expect(a.technologyNode).toBe('n3');
    expect(a.links.map((l) => [l.kind, l.bandwidth, l.connectivityIndex])).toEqual([
      ['bus', 416974, 0],
      ['bus', 416974, 1],
      ['bus', 416974, 2],
      ['bus', 416974, 3],
      ['bus', 107345, 7],
    ]);
    expect(linkOf(a, 19, 29).bandwidth).toBe(107345);
    expect(warnings.map((w) => w.path)).toEqual(['core_connectivity[7]']);
    expect(a.cores.find((c) => c.id === 9)?.coreType).toBe('zigzag.memory');
  });

  it('AIE whole_array: unconnected shims are dropped with a warning (Q3), coordinates become col/row', () => {
    const { accelerator: a, warnings } = load('aie/hardware/whole_array.yaml');
    expect(a.droppedCoreIds).toEqual([6, 12, 18]);
    expect(a.cores.map((c) => c.id)).not.toContain(6);
    expect(a.cores.slice(0, 7).map((c) => c.id)).toEqual([0, 1, 2, 3, 4, 5, 7]);
    expect(warnings.map((w) => w.message)).toEqual([
      'cores 6, 12, 18 appear in no `core_connectivity` entry and are dropped from the core graph (reference behaviour)',
    ]);
    const tile = a.cores.find((c) => c.id === 9)!;
    expect([tile.col, tile.row, tile.coreType]).toEqual([1, 3, 'aie2.compute']);
    expect(a.links.every((l) => l.bandwidth === 64)).toBe(true);
    expect(a.links).toHaveLength(64);
    const strix = accel('aie/hardware/whole_array_strix.yaml');
    expect(strix.droppedCoreIds).toEqual([6, 12, 18, 24, 30, 36, 42]);
    expect(strix.cores.filter((c) => c.coreType === 'aie2.compute')).toHaveLength(32);
    expect(strix.cores.filter((c) => c.coreType === 'aie2.memory')).toHaveLength(8);
    expect(strix.cores.filter((c) => c.coreType === 'aie2.shim').map((c) => c.id)).toEqual([0]);
  });

  it('AIE cores: capacities and bandwidths', () => {
    const a = accel('aie/hardware/single_core.yaml');
    expect(a.cores.map((c) => [c.coreType, topLevelMemoryCapacity(c), maxMemoryBandwidth(c, 'read'), maxMemoryBandwidth(c, 'write')])).toEqual([
      ['aie2.shim', 1e10, 128, 128],
      ['aie2.memory', 2097152, 768, 768],
      ['aie2.compute', 524288, 512, 512],
    ]);
  });

  it('cores sharing a file share one parsed spec and record their source file', () => {
    const a = accel('examples/hardware/simba.yaml');
    expect(a.cores[0].spec).toBe(a.cores[1].spec);
    expect(a.cores[0].sourceFile).toBe(refFile('examples/hardware/cores/simba_chiplet.yaml'));
    expect(a.sourceFile).toBe(refFile('examples/hardware/simba.yaml'));
  });
});
