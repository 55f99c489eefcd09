/**
 * Malformed accelerator files: every problem is reported (accumulated, not fail-fast) with the file,
 * the field path and, for YAML files, the line (reference-surface §1.1 messages, §10.1 fixes).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isLeft, isRight } from 'fp-ts/Either';
import { InputIssue } from '../../lib/common/errors';
import { loadAccelerator, parseAccelerator } from '../../lib/hardware/accelerator';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'hardware');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accel-spec-'));
  fs.symlinkSync(path.join(FIXTURES, 'cores'), path.join(dir, 'cores'));
});

function writeAccelerator(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function rejected(name: string, text: string): { file: string; issues: readonly InputIssue[] } {
  const file = writeAccelerator(name, text);
  const r = loadAccelerator(file);
  if (!isLeft(r)) throw new Error(`${name} was accepted`);
  for (const i of r.left) expect(i.severity).not.toBe('warning');
  return { file, issues: r.left };
}

const summary = (issues: readonly InputIssue[]) => issues.map((i) => `${i.line ?? '-'} ${i.path}: ${i.message}`);

const BASE = fs.readFileSync(path.join(FIXTURES, 'two_core.yaml'), 'utf8');

describe('malformed accelerator files', () => {
  it('accepts the base fixture (and .yml files, Q2)', () => {
    expect(isRight(loadAccelerator(path.join(FIXTURES, 'two_core.yaml')))).toBe(true);
    const yml = writeAccelerator('two_core.yml', BASE);
    expect(isRight(loadAccelerator(yml))).toBe(true);
  });

  it('rejects a file that is not YAML by its extension', () => {
    const file = writeAccelerator('two_core.txt', BASE);
    const r = loadAccelerator(file);
    expect(isLeft(r) && r.left[0].message).toBe('expected a YAML accelerator file (.yaml or .yml)');
  });

  it('reports a missing accelerator file', () => {
    const r = loadAccelerator(path.join(dir, 'nope.yaml'));
    expect(isLeft(r) && r.left[0]).toMatchObject({ file: path.join(dir, 'nope.yaml'), message: 'cannot read file: file not found' });
  });

  it('YAML syntax error: file, line and column', () => {
    const { file, issues } = rejected('syntax.yaml', 'name: x\ncores:\n  0: mini_compute.yaml\n  1: [unclosed\n');
    expect(issues[0]).toMatchObject({ file });
    expect(issues[0].message).toMatch(/^YAML syntax error: /);
    expect(issues[0].line).toBeGreaterThanOrEqual(4);
    expect(issues[0].column).toBeDefined();
  });

  it('missing and wrong-typed top-level fields, unknown top-level keys', () => {
    const { issues } = rejected('fields.yaml', BASE.replace('name: two_core\n', 'label: two_core\n').replace('offchip_core_id: 1', "offchip_core_id: one"));
    expect(summary(issues)).toEqual([
      "2 label: unknown field 'label'",
      "2 name: required field 'name' is missing",
      "6 offchip_core_id: expected an integer ≥ 0, got string 'one'",
    ]);
  });

  it('unknown core id in a connection', () => {
    const { issues } = rejected('unknown_id.yaml', BASE.replace('cores: [0, 1]', 'cores: [0, 7]'));
    expect(summary(issues)).toEqual(['9 core_connectivity[0].cores: `core_connectivity[0].cores` contains unknown core id. (unknown: 7)']);
  });

  it('bandwidth ≤ 0 and negative energy', () => {
    const zero = rejected('bw0.yaml', BASE.replace('bandwidth: 64', 'bandwidth: 0'));
    expect(summary(zero.issues)).toEqual(['10 core_connectivity[0].bandwidth: `core_connectivity[0].bandwidth` must be > 0.']);
    const negative = rejected('bwneg.yaml', BASE.replace('bandwidth: 64', 'bandwidth: -5\n    unit_energy_cost: -1'));
    expect(summary(negative.issues)).toEqual([
      '10 core_connectivity[0].bandwidth: `core_connectivity[0].bandwidth` must be > 0.',
      '11 core_connectivity[0].unit_energy_cost: `core_connectivity[0].unit_energy_cost` must be ≥ 0.',
    ]);
  });

  it('a wrong-typed bandwidth', () => {
    const { issues } = rejected('bwtype.yaml', BASE.replace('bandwidth: 64', 'bandwidth: wide'));
    expect(summary(issues)).toEqual(["10 core_connectivity[0].bandwidth: expected a number, got string 'wide'"]);
  });

  it('missing core file, naming every place looked in', () => {
    const { file, issues } = rejected('missing_core.yaml', BASE.replace('0: mini_compute.yaml', '0: no_such_core.yaml'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file, path: 'cores[0]', line: 4 });
    expect(issues[0].message).toBe(
      `Core with filename \`no_such_core.yaml\` not found. Looked in: ${path.join(dir, 'cores', 'no_such_core.yaml')}, ${path.join(dir, 'no_such_core.yaml')}.`,
    );
  });

  it('a core reference with forbidden characters', () => {
    const { issues } = rejected('bad_ref.yaml', BASE.replace('0: mini_compute.yaml', '0: "cores/mini compute.yaml"'));
    expect(issues[0]).toMatchObject({ path: 'cores[0]', line: 4 });
    expect(issues[0].message).toMatch(/^expected a core file reference/);
  });

  it('unknown core type/namespace in a core file', () => {
    const { file, issues } = rejected('gpu.yaml', BASE.replace('0: mini_compute.yaml', '0: gpu_core.yaml'));
    expect(summary(issues)).toEqual([
      "3 type: Core 'gpu_core.yaml' has unsupported type 'gpu.compute'. Supported types: aie2.compute, aie2.memory, aie2.offchip, aie2.shim, zigzag.compute, zigzag.memory, zigzag.offchip, zigzag.shim",
      '4 cores[0]: User-given core gpu_core.yaml cannot be validated.',
      "4 cores[0]: Core 0 has unknown namespace 'gpu'. Allowed namespaces: ['aie2', 'zigzag']",
    ]);
    expect(issues[0].file).toBe(path.join(dir, 'cores', 'gpu_core.yaml'));
    expect(issues[1].file).toBe(file);
  });

  it('an inline core with a bare unknown type has no namespace prefix', () => {
    const r = parseAccelerator(
      { name: 'x', cores: { 0: { name: 'c', type: 'gpu' }, 1: 'mini_offchip.yaml' }, offchip_core_id: 1, core_connectivity: [{ cores: [0, 1], bandwidth: 1 }] },
      { file: 'inline.yaml', baseDir: FIXTURES },
    );
    if (!isLeft(r)) throw new Error('accepted');
    expect(r.left.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "cores[0].type: Core 'core 0' has unsupported type 'gpu'. Supported types: aie2.compute, aie2.memory, aie2.offchip, aie2.shim, zigzag.compute, zigzag.memory, zigzag.offchip, zigzag.shim",
      'cores[0]: User-given core core 0 cannot be validated.',
      "cores[0]: Core 0 has type 'gpu' without a namespace prefix. Use '<namespace>.<kind>', e.g. 'zigzag.compute'.",
    ]);
  });

  it('inline core errors point into the accelerator file', () => {
    const text = BASE.replace(
      '0: mini_compute.yaml',
      '0:\n    name: inline\n    memories: {}\n    operational_array:\n      dimensions: [D1]\n      sizes: [x]',
    );
    const { file, issues } = rejected('inline_bad.yaml', text);
    expect(issues.map((i) => [i.file, i.line, i.path, i.message])).toEqual([
      [file, 9, 'cores[0].operational_array.sizes[0]', "expected an integer ≥ 0, got string 'x'"],
      [file, 4, 'cores[0]', 'User-given core core 0 cannot be validated.'],
    ]);
  });

  it('mixed namespaces (Q6)', () => {
    const { issues } = rejected('mixed.yaml', BASE.replace('0: mini_compute.yaml', '0: mini_aie_tile.yaml').replace('offchip_core_id: 1', 'offchip_core_id: 1\ncore_coordinates:\n  0: [0, 2]\n  1: [0, 0]'));
    expect(summary(issues)).toEqual([
      "3 cores: All cores in an accelerator must share the same namespace, but found multiple namespaces: ['aie2', 'zigzag']. Mix-namespace accelerators are not supported.",
    ]);
  });

  it('aie2 systems need coordinates (and, Q5, for every connected core)', () => {
    const aie = 'name: aie\ncores:\n  0: mini_aie_shim.yaml\n  1: mini_aie_tile.yaml\n  2: mini_aie_tile.yaml\noffchip_core_id: 0\ncore_connectivity:\n  - {cores: [0, 1], bandwidth: 64}\n  - {cores: [1, 2], bandwidth: 64}\n';
    const none = rejected('aie_none.yaml', aie);
    expect(summary(none.issues)).toEqual([
      "1 core_coordinates: aie2 accelerators require a 'core_coordinates' section that maps every core id to its physical [col, row] position on the AIE array. Add 'core_coordinates' to your hardware YAML.",
    ]);
    const partial = rejected('aie_partial.yaml', aie + 'core_coordinates:\n  0: [0, 0]\n');
    expect(summary(partial.issues)).toEqual([
      '10 core_coordinates: aie2 cores 1, 2 appear in `core_connectivity` but have no entry in `core_coordinates`; every connected aie2 core needs its [col, row] position.',
    ]);
    const complete = writeAccelerator('aie_ok.yaml', aie + 'core_coordinates:\n  0: [0, 0]\n  1: [0, 2]\n  2: [0, 3]\n');
    expect(isRight(loadAccelerator(complete))).toBe(true);
  });

  it('malformed coordinates', () => {
    const { issues } = rejected('coords.yaml', BASE + 'core_coordinates:\n  0: [1]\n  5: [0, 0]\n');
    expect(summary(issues)).toEqual([
      '12 core_coordinates[0]: Invalid coordinates for core id 0: [1].',
      '13 core_coordinates[5]: Invalid coordinates for core id 5: [0,0].',
    ]);
  });

  it('a link with three cores, and a connection without cores (Q4)', () => {
    const { issues } = rejected(
      'link3.yaml',
      BASE.replace('0: mini_compute.yaml', '0: mini_compute.yaml\n  2: mini_compute.yaml').replace('cores: [0, 1]', 'cores: [0, 1, 2]') + '  - type: bus\n    bandwidth: 8\n',
    );
    expect(summary(issues)).toEqual([
      "10 core_connectivity[0].cores: Invalid connection type 'link' for connection [0, 1, 2]. Expected exactly 2 cores for a link.",
      "12 core_connectivity[1].cores: required field 'cores' is missing",
    ]);
  });

  it('core ids: empty map, non-integer ids, gaps, unknown offchip core', () => {
    const empty = rejected('empty.yaml', 'name: x\ncores: {}\noffchip_core_id: 0\ncore_connectivity: []\n');
    expect(summary(empty.issues)).toEqual([
      '2 cores: `cores` must not be empty',
      '3 offchip_core_id: offchip_core_id does not correspond to any entry in `cores`.',
    ]);
    const gaps = rejected('gaps.yaml', BASE.replace('1: mini_offchip.yaml', '2: mini_offchip.yaml\n  a: mini_compute.yaml').replace('offchip_core_id: 1', 'offchip_core_id: 2').replace('cores: [0, 1]', 'cores: [0, 2]'));
    expect(summary(gaps.issues)).toEqual(['6 cores.a: Invalid core id in `cores`: id is not a positive integer.'].concat([]));
    const holes = rejected('holes.yaml', BASE.replace('1: mini_offchip.yaml', '2: mini_offchip.yaml').replace('offchip_core_id: 1', 'offchip_core_id: 2').replace('cores: [0, 1]', 'cores: [0, 2]'));
    expect(summary(holes.issues)).toEqual(['3 cores: Invalid core id in `cores`: not all core ids in range are in use.']);
  });

  it('memory sharing: connected sharers (fixed wording, Q9) and unequal top-level memories', () => {
    const text = BASE.replace('1: mini_offchip.yaml', '1: mini_offchip.yaml\n  2: mini_compute_big.yaml') + '  - {cores: [0, 2], bandwidth: 8}\n  - {cores: [2, 1], bandwidth: 8}\ncore_memory_sharing:\n  - "0, 2"\n  - "0"\n';
    const { issues } = rejected('sharing.yaml', text);
    expect(summary(issues)).toEqual([
      '15 core_memory_sharing[0]: Cores that share memory must not be explicitly connected in `core_connectivity`: cores 0, 2 are connected by core_connectivity[1].',
      '15 core_memory_sharing[0]: Some cores that were specified as having shared memory have non-identical top level memories. Top-level capacities (bits) of cores 0, 2: 65536, 131072.',
      "16 core_memory_sharing[1]: expected a list of core ids like '0, 1', got string '0'",
    ]);
  });

  it('memory aliases must name declared memories', () => {
    const { issues } = rejected('alias.yaml', BASE + 'memory_aliases:\n  - ["0.sram", "1.hbm"]\n  - ["0.sram", "9.sram"]\n');
    expect(summary(issues)).toEqual([
      "12 memory_aliases[0][1]: `memory_aliases` entry '1.hbm' names memory 'hbm', which core 1 does not declare. Known: ['dram'].",
      "13 memory_aliases[1][1]: `memory_aliases` entry '9.sram' names core 9, which `cores` does not declare.",
    ]);
  });

  it('an off-chip core in no connection cannot be dropped', () => {
    const { issues } = rejected('offchip_alone.yaml', BASE.replace('0: mini_compute.yaml', '0: mini_compute.yaml\n  2: mini_compute.yaml').replace('cores: [0, 1]', 'cores: [0, 2]'));
    expect(summary(issues)).toEqual([
      '7 offchip_core_id: offchip core 1 appears in no `core_connectivity` entry, so it would be dropped from the core graph; connect it to the cores that use off-chip memory.',
    ]);
  });

  it('accumulates every problem instead of stopping at the first', () => {
    const text = 'name: 5\ncores:\n  0: mini_compute.yaml\n  1: missing.yaml\noffchip_core_id: 3\nunit_energy_cost: -2\ncore_connectivity:\n  - {cores: [0, 9], bandwidth: 0}\n  - {type: ring, cores: [0, 1], bandwidth: 1}\n';
    const { issues } = rejected('many.yaml', text);
    expect(issues.map((i) => i.path)).toEqual([
      'name',
      'unit_energy_cost',
      'offchip_core_id',
      'cores[1]',
      'core_connectivity[0].cores',
      'core_connectivity[0].bandwidth',
      'core_connectivity[1].type',
    ]);
    expect(issues.every((i) => i.line !== undefined)).toBe(true);
  });

  it('warns, without failing, when a core is dropped or a bus shadows a link', () => {
    const text = BASE.replace('1: mini_offchip.yaml', '1: mini_offchip.yaml\n  2: mini_compute.yaml') + '  - {type: bus, cores: [1, 0], bandwidth: 128}\n';
    const r = loadAccelerator(writeAccelerator('warn.yaml', text));
    if (isLeft(r)) throw new Error('rejected');
    expect(r.right.warnings.map((w) => [w.severity, w.path, w.message])).toEqual([
      ['warning', 'core_connectivity[1]', expect.stringMatching(/^bus core_connectivity\[1\] shadows the link core_connectivity\[0\]/)],
      ['warning', 'core_connectivity', 'core 2 appears in no `core_connectivity` entry and is dropped from the core graph (reference behaviour)'],
    ]);
    expect(r.right.accelerator.cores.map((c) => c.id)).toEqual([0, 1]);
    expect(r.right.accelerator.edges).toEqual([{ from: 0, to: 1, link: 0 }, { from: 1, to: 0, link: 0 }]);
    expect(r.right.accelerator.links[0]).toMatchObject({ kind: 'bus', cores: [1, 0], bandwidth: 128 });
  });

  it('in-memory objects without a home directory need search paths for core references', () => {
    const data = { name: 'x', cores: { 0: 'mini_compute.yaml', 1: 'mini_offchip.yaml' }, offchip_core_id: 1, core_connectivity: [{ cores: [0, 1], bandwidth: 8 }] };
    const homeless = parseAccelerator(data);
    expect(isLeft(homeless) && homeless.left.map((i) => i.message)).toEqual([
      'Core with filename `mini_compute.yaml` not found. Looked in: nowhere (no accelerator directory and no search paths).',
      'Core with filename `mini_offchip.yaml` not found. Looked in: nowhere (no accelerator directory and no search paths).',
    ]);
    const found = parseAccelerator(data, undefined, { searchPaths: [FIXTURES] });
    expect(isRight(found)).toBe(true);
  });
});
