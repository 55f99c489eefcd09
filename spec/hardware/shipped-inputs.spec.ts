/**
 * The package's own example hardware (inputs/hardware) describes the same systems as the reference's
 * example and AIE files: same cores, memories, core order, links and per-pair bandwidths. Names are
 * compared only where we did not correct them.
 */
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { LoadedAccelerator, loadAccelerator } from '../../lib/hardware/accelerator';
import { Accelerator, CoreSpec } from '../../lib/hardware/model';
import { STREAM_INPUTS } from '../support/reference';

const REF = STREAM_INPUTS;
const SHIPPED = path.join(__dirname, '..', '..', 'inputs', 'hardware');

function load(file: string, options = {}): LoadedAccelerator {
  const r = loadAccelerator(file, options);
  if (isLeft(r)) throw new Error(r.left.map((i) => `${i.file}:${i.line} ${i.path}: ${i.message}`).join('\n'));
  return r.right;
}

const withoutName = (spec: CoreSpec) => {
  const { name: _name, ...rest } = spec;
  return rest;
};

/** Everything that can change a result, independent of labels and of dead (shadowed) connections. */
function structure(a: Accelerator) {
  const linkOf = (i: number) => {
    const { index: _index, connectivityIndex: _c, ...rest } = a.links[i];
    return rest;
  };
  return {
    cores: a.cores.map((c) => ({ id: c.id, coreType: c.coreType, col: c.col, row: c.row, group: c.sharedMemoryGroupId, spec: withoutName(c.spec) })),
    droppedCoreIds: a.droppedCoreIds,
    offchipCoreId: a.offchipCoreId,
    unitEnergyCost: a.unitEnergyCost,
    links: a.links.map((_, i) => linkOf(i)),
    edges: [...a.edges].map((e) => ({ from: e.from, to: e.to, link: linkOf(e.link) })).sort((x, y) => x.from - y.from || x.to - y.to),
    coreMemorySharing: a.coreMemorySharing,
    nbSharedMemGroups: a.nbSharedMemGroups,
  };
}

const systems: [string, string, string][] = [
  ['eyeriss_like_single_core.yaml', 'examples/hardware/eyeriss_like_single_core.yaml', 'eyeriss_like_single_core'],
  ['eyeriss_like_dual_core.yaml', 'examples/hardware/eyeriss_like_dual_core.yaml', 'eyeriss_like_dual_core'],
  ['eyeriss_like_quad_core.yaml', 'examples/hardware/eyeriss_like_quad_core.yaml', 'eyeriss_like_quad_core'],
  ['tpu_like_quad_core.yaml', 'examples/hardware/tpu_like_quad_core.yaml', 'tpu_like_quad_core'],
  ['simba_small.yaml', 'examples/hardware/simba_small.yaml', 'simba_small'],
  ['simba.yaml', 'examples/hardware/simba.yaml', 'simba'],
  ['fusemax.yaml', 'examples/hardware/fusemax.yaml', 'fusemax'],
  ['meta_prototype_dual_core_simd_offchip.yaml', 'examples/hardware/meta_prototype_dual_core_simd_offchip.yaml', 'meta_prototype_dual_core_simd_offchip'],
  ['aie/single_core.yaml', 'aie/hardware/single_core.yaml', 'single_core'],
  ['aie/single_col.yaml', 'aie/hardware/single_col.yaml', 'single_col'],
  ['aie/whole_array.yaml', 'aie/hardware/whole_array.yaml', 'whole_array'],
  ['aie/whole_array_strix.yaml', 'aie/hardware/whole_array_strix.yaml', 'whole_array_strix'],
];

describe('shipped example hardware', () => {
  it.each(systems)('%s describes the same system as the reference %s', (ours, reference, name) => {
    const shipped = load(path.join(SHIPPED, ours));
    const original = load(path.join(REF, reference), { inputsRoot: REF });
    expect(shipped.accelerator.name).toBe(name);
    expect(structure(shipped.accelerator)).toEqual(structure(original.accelerator));
    // Core order is the reference's, not merely the same set.
    expect(shipped.accelerator.cores.map((c) => c.id)).toEqual(original.accelerator.cores.map((c) => c.id));
  });

  it.each(systems)('%s validates without options and warns only about declared-but-unused AIE shims', (ours) => {
    const { accelerator, warnings } = load(path.join(SHIPPED, ours));
    expect(accelerator.sourceFile).toBe(path.join(SHIPPED, ours));
    for (const core of accelerator.cores) expect(core.sourceFile?.startsWith(SHIPPED)).toBe(true);
    if (ours.startsWith('aie/whole_array')) {
      expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^cores 6, 12, 18(, 24, 30, 36, 42)? appear in no `core_connectivity` entry/)]);
    } else {
      expect(warnings).toEqual([]);
    }
  });

  it('resolves core files relative to the accelerator file, whatever the working directory', () => {
    const before = process.cwd();
    try {
      process.chdir(require('os').tmpdir());
      for (const [ours] of systems) expect(load(path.join(SHIPPED, ours)).accelerator.cores.length).toBeGreaterThan(0);
    } finally {
      process.chdir(before);
    }
  });

  it('core files carry their own names', () => {
    const fusemax = load(path.join(SHIPPED, 'fusemax.yaml')).accelerator;
    expect(fusemax.cores.map((c) => c.spec.name)).toEqual(['fusemax_array', 'fusemax_dram', 'fusemax_vec']);
    const tpu = load(path.join(SHIPPED, 'tpu_like_quad_core.yaml')).accelerator;
    expect([...new Set(tpu.cores.map((c) => c.spec.name))]).toEqual(['tpu_like', 'pooling', 'simd', 'offchip']);
  });
});
