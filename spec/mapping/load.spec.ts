/**
 * Mapping files: the reference's verdict on every shipped mapping (reference-surface §1.4.4), the parsed
 * contents, and malformed inputs with file, field path and line (§1.3.5, §10.3 Q25/Q26/Q29/Q31).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isLeft } from 'fp-ts/Either';
import { InputIssue } from '../../lib/common/errors';
import { loadMapping, loadMappingDetailed, parseMapping } from '../../lib/mapping/load';
import { MappingSpec } from '../../lib/mapping/model';
import { STREAM_INPUTS } from '../support/reference';

const REF = STREAM_INPUTS;

function load(file: string): MappingSpec {
  const r = loadMapping(file);
  if (isLeft(r)) throw new Error(r.left.map((i) => `${i.line} ${i.path}: ${i.message}`).join('\n'));
  return r.right;
}

const withoutOrigins = <T>(value: T): T => JSON.parse(JSON.stringify(value, (k, v) => (k === 'origin' ? undefined : v)));

describe('reference mapping files: verdicts', () => {
  const valid = [
    'examples/mapping/resnet18_tpu_quad_core.yaml',
    'examples/mapping/swiglu_tpu_v7_fused.yaml',
    'examples/mapping/swiglu_tpu_v7_layer_by_layer.yaml',
    'examples/mapping/tpu_like_quad_core.yaml',
    'testing/mapping/2conv_1_32_32_8_16_32_3.yaml',
  ];
  const legacy = [
    'examples/mapping/array_and_vec.yaml',
    'examples/mapping/simba.yaml',
    'examples/mapping/simba_small.yaml',
    'examples/mapping/simba_small_fixed.yaml',
    'examples/mapping/tpu_like_quad_core_resnet18_fixed_split.yaml',
    'aie/mapping/swiglu_128_128_256.yaml',
    'aie/mapping/swiglu_128_128_256_32.yaml',
    'aie/mapping/swiglu_32_32_32.yaml',
  ];

  it('covers every mapping file of the reference inputs', () => {
    const all = ['examples/mapping', 'testing/mapping', 'aie/mapping'].flatMap((d) => fs.readdirSync(path.join(REF, d)).filter((f) => f.endsWith('.yaml')).map((f) => `${d}/${f}`));
    expect([...valid, ...legacy].sort()).toEqual(all.sort());
  });

  it.each(valid)('accepts %s', (rel) => {
    const r = loadMappingDetailed(path.join(REF, rel));
    if (isLeft(r)) throw new Error(JSON.stringify(r.left, null, 1));
    expect(r.right.warnings).toEqual([]);
  });

  it.each(legacy)('rejects %s as a legacy mapping, naming the fields', (rel) => {
    const file = path.join(REF, rel);
    const r = loadMapping(file);
    if (!isLeft(r)) throw new Error('accepted');
    const legacyIssues = r.left.filter((i) => i.message.startsWith('legacy mapping format:'));
    expect(legacyIssues.length).toBeGreaterThan(0);
    // Everything else is a duplicate YAML key (tpu_like_quad_core_resnet18_fixed_split.yaml has one).
    expect(r.left.filter((i) => !legacyIssues.includes(i)).every((i) => i.message.startsWith('duplicate key'))).toBe(true);
    for (const i of r.left) {
      expect(i.file).toBe(file);
      expect(i.line).toBeDefined();
      expect(i.path).toMatch(/^\[\d+\]\./);
    }
  });

  it('names each legacy shape (Q31)', () => {
    const fixed = loadMapping(path.join(REF, 'examples/mapping/simba_small_fixed.yaml'));
    if (!isLeft(fixed)) throw new Error('accepted');
    expect(fixed.left.slice(0, 4).map((i) => [i.path, i.line, i.message.split(';')[0]])).toEqual([
      ['[0].core_allocation', 2, 'legacy mapping format: flat `core_allocation` (a list of core ids)'],
      ['[0].intra_core_tiling', 4, 'legacy mapping format: `intra_core_tiling` on a layer entry'],
      ['[0].core_allocation_is_fixed', 3, 'legacy mapping format: `core_allocation_is_fixed` is no longer supported'],
      ['[0].inter_core_tiling[0]', 7, "legacy mapping format: string tiling 'K, *'"],
    ]);
    const aie = loadMapping(path.join(REF, 'aie/mapping/swiglu_128_128_256.yaml'));
    if (!isLeft(aie)) throw new Error('accepted');
    expect(aie.left.find((i) => i.path === '[0].kernel')?.message).toBe('legacy mapping format: `kernel` without `kwargs`; write `kernel: {name: <kernel>, kwargs: {...}}`');
    const duplicate = loadMapping(path.join(REF, 'examples/mapping/tpu_like_quad_core_resnet18_fixed_split.yaml'));
    if (!isLeft(duplicate)) throw new Error('accepted');
    expect(duplicate.left[0]).toMatchObject({ path: '[31].core_allocation_is_fixed', line: 97 });
  });
});

describe('reference mapping files: contents', () => {
  it('2conv: layers, one fused group, explicit kernel, runtime args', () => {
    const m = load(path.join(REF, 'testing/mapping/2conv_1_32_32_8_16_32_3.yaml'));
    expect(withoutOrigins(m.layers)).toEqual([
      { name: 'Conv1', coreAllocation: [0, 1, 2, 3], interCoreTiling: [{ dim: 6, split: 4 }], kernel: { name: 'conv', kwargs: {} } },
      { name: 'Conv2', coreAllocation: [0, 1, 2, 3], interCoreTiling: [{ dim: 6, split: 4 }], kernel: { name: 'conv', kwargs: {} } },
    ]);
    expect(withoutOrigins(m.fusedGroups)).toEqual([{ name: 'Fused_Group_1', layers: ['Conv1', 'Conv2'], intraCoreTiling: [{ node: 'Conv1', dim: 0, tile: 1 }] }]);
    expect(Object.keys(m.runtimeArgs)).toEqual(['input', 'weights_1', 'weights_2', 'output']);
    expect(m.layers[1].origin).toEqual({ path: 'layers[1]', line: 14, column: 3 });
  });

  it('tpu_like_quad_core: type entries, entries without a split, no kernel unless given (Q30)', () => {
    const m = load(path.join(REF, 'examples/mapping/tpu_like_quad_core.yaml'));
    expect(m.layers.map((l) => [l.name, l.coreAllocation, l.interCoreTiling.map((s) => `D${s.dim}x${s.split}`)])).toEqual([
      ['Conv', [0, 1, 2, 3], ['D6x4']],
      ['Gemm', [0, 1, 2, 3], ['D2x4']],
      ['Pool', [4], []],
      ['MaxPool', [4], []],
      ['AveragePool', [4], []],
      ['GlobalAveragePool', [4], []],
      ['Add', [5], []],
      ['Relu', [0, 1, 2, 3], ['D3x4']],
    ]);
    expect(m.layers.every((l) => l.kernel === undefined)).toBe(true);
    expect(m.runtimeArgs).toEqual({});
  });

  it('resnet18: eleven fused groups with node-qualified tilings split on the last dot', () => {
    const m = load(path.join(REF, 'examples/mapping/resnet18_tpu_quad_core.yaml'));
    expect(m.fusedGroups).toHaveLength(11);
    expect(withoutOrigins(m.fusedGroups[0])).toEqual({ name: 'Group_0_Frontend', layers: ['Conv', 'Relu', 'MaxPool'], intraCoreTiling: [{ node: '/maxpool/MaxPool', dim: 2, tile: 1 }] });
    expect(m.fusedGroups[4].intraCoreTiling[0].node).toBe('/layer2/layer2.1/conv2/Conv');
  });

  it('swiglu fused: several intra-core tiles in one group', () => {
    const m = load(path.join(REF, 'examples/mapping/swiglu_tpu_v7_fused.yaml'));
    expect(m.fusedGroups[0].intraCoreTiling.map((t) => `${t.node}.D${t.dim}=${t.tile}`)).toEqual(['Gemm_Left.D0=256', 'Gemm_Left.D1=512', 'Gemm_Right.D1=512', 'Gemm_Down.D1=16']);
    expect(m.layers[0].coreAllocation).toHaveLength(32);
  });

  it('a bare list is the layers list with no fused groups', () => {
    const r = parseMapping([{ name: 'Conv', core_allocation: [[0]] }], 'inline.yaml');
    if (isLeft(r)) throw new Error('rejected');
    expect(r.right.mapping.fusedGroups).toEqual([]);
    expect(r.right.mapping.layers.map((l) => l.name)).toEqual(['Conv']);
  });

  it('keeps a DSE meta block and ignores other top-level keys', () => {
    const r = parseMapping({ layers: [{ name: 'Conv', core_allocation: [[0]] }], meta: { idx: 3 }, fused_groups: null }, 'inline.yaml');
    if (isLeft(r)) throw new Error('rejected');
    expect(r.right.mapping.meta).toEqual({ idx: 3 });
    expect(r.right.mapping.fusedGroups).toEqual([]);
  });
});

describe('malformed mapping files', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapping-spec-'));
  });
  const rejected = (name: string, text: string): { file: string; issues: readonly InputIssue[] } => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const r = loadMapping(file);
    if (!isLeft(r)) throw new Error(`${name} was accepted`);
    for (const i of r.left) expect(i.file).toBe(file);
    return { file, issues: r.left };
  };
  const summary = (issues: readonly InputIssue[]) => issues.map((i) => `${i.line ?? '-'} ${i.path}: ${i.message}`);
  const GOOD = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'mapping', 'two_conv.yaml'), 'utf8');

  it('the base fixture is valid', () => {
    expect(isLeft(loadMapping(path.join(__dirname, '..', 'fixtures', 'mapping', 'two_conv.yaml')))).toBe(false);
  });

  it('YAML syntax error', () => {
    const { issues } = rejected('syntax.yaml', 'layers:\n  - name: Conv\n    core_allocation: [[0, 1]\n');
    expect(issues[0].message).toMatch(/^YAML syntax error/);
    expect(issues[0].line).toBeGreaterThanOrEqual(3);
  });

  it('root that is neither a map nor a list; a map without layers', () => {
    expect(summary(rejected('scalar.yaml', 'just text\n').issues)).toEqual(["1 : Mapping file must be a mapping with a top-level 'layers' list."]);
    expect(summary(rejected('nolayers.yaml', 'fused_groups: []\n').issues)).toEqual(["1 : Mapping file must contain a 'layers' entry."]);
  });

  it('missing name and core_allocation are reported with their position (Q25)', () => {
    const text = GOOD.replace('  - name: Conv1\n    core_allocation: [[0, 1]]', '  - core_allocation: [[0, 1]]').replace('    core_allocation: [[0, 1, 2, 3]]\n', '');
    const { issues } = rejected('missing.yaml', text);
    expect(summary(issues)).toEqual([
      "3 layers[0].name: layer entry is missing 'name' (a node name or operator type)",
      "5 layers[1].core_allocation: layer 'Conv2' is missing 'core_allocation' (one core group, e.g. [[0, 1]])",
      "10 fused_groups[0].layers: Fused group 'Fused_Group_1' references unknown layers ['Conv1']",
    ]);
  });

  it('more than one core-allocation group or inter-core tiling is a load-time error (Q26)', () => {
    const { issues } = rejected('groups.yaml', GOOD.replace('core_allocation: [[0, 1]]\n    inter_core_tiling: [[{dim: D6, split: 2}]]', 'core_allocation: [[0, 1], [2, 3]]\n    inter_core_tiling: [[{dim: D6, split: 2}], [{dim: D5, split: 2}]]'));
    expect(summary(issues)).toEqual([
      "4 layers[0].core_allocation: layer 'Conv1' has 2 core-allocation groups; only one group per layer is supported",
      "5 layers[0].inter_core_tiling: layer 'Conv1' has 2 inter-core tilings; only one (matching its single core group) is supported",
    ]);
  });

  it('bad splits: zero, non-D dims, wrong entry types', () => {
    const { issues } = rejected('splits.yaml', GOOD.replace('[[{dim: D6, split: 2}]]', '[[{dim: K, split: 0}, 7]]').replace('inter_core_tiling: [[{dim: D6, split: 4}]]', 'inter_core_tiling: [{dim: D6, split: 4}]'));
    expect(summary(issues)).toEqual([
      "5 layers[0].inter_core_tiling[0][0].dim: Unsupported inter_core_tiling dimension format: 'K' for layer 'Conv1'; expected 'D<n>'",
      "5 layers[0].inter_core_tiling[0][0].split: Layer 'Conv1' split must be a positive integer; got 0.",
      '5 layers[0].inter_core_tiling[0][1]: Invalid inter_core_tiling entry type: int. Expected dict.',
      '8 layers[1].inter_core_tiling[0]: Invalid inter_core_tiling entry type: dict',
    ]);
  });

  it('wrong-typed core ids and unknown layer keys', () => {
    const { issues } = rejected('types.yaml', GOOD.replace('core_allocation: [[0, 1]]', 'core_allocation: [[0, one]]\n    priority: 3'));
    expect(summary(issues)).toEqual([
      "5 layers[0].priority: The following layer restrictions apply: unknown field 'priority'",
      "4 layers[0].core_allocation[0][1]: expected an integer ≥ 0, got string 'one'",
    ]);
  });

  it('fused groups: missing name, unknown layers, bad tiles', () => {
    const { issues } = rejected('fused.yaml', GOOD.replace('  - name: Fused_Group_1\n', '  - layers: [Conv1, Conv3]\n').replace('    layers: [Conv1, Conv2]\n', '').replace('{dim: Conv1.D0, tile: 1}', '{dim: Conv1.K, tile: -1}'));
    expect(summary(issues)).toEqual([
      '11 fused_groups[0].name: FusedGroup name must be provided',
      "11 fused_groups[0].layers: Fused group 'fused_groups[0]' references unknown layers ['Conv3']",
      "13 fused_groups[0].intra_core_tiling[0].dim: Fused group 'fused_groups[0]' intra_core_tiling dim 'Conv1.K' must be '<NodeName>.D<n>'",
      "13 fused_groups[0].intra_core_tiling[0].tile: Fused group 'fused_groups[0]' tile must be a positive integer; got -1.",
    ]);
  });

  it('runtime args are validated at load time (Q29)', () => {
    const { issues } = rejected('runtime.yaml', GOOD + 'runtime_args:\n  input: 3\n  weights: {layout: "(d0, d1) -> (d1, d2)"}\n  output: {stride: 2}\n');
    expect(summary(issues)).toEqual([
      '16 runtime_args.input: Runtime args for tensor input must be a dict.',
      "17 runtime_args.weights.layout: layout '(d0, d1) -> (d1, d2)' of tensor weights is not a valid affine map: 'd2' is not one of its dims",
      "18 runtime_args.output.stride: unknown field 'stride'",
    ]);
  });

  it('a kernel needs a name and kwargs', () => {
    const { issues } = rejected('kernel.yaml', GOOD.replace("    inter_core_tiling: [[{dim: D6, split: 4}]]\n", "    inter_core_tiling: [[{dim: D6, split: 4}]]\n    kernel: {kwargs: {}}\n"));
    expect(summary(issues)).toEqual(["9 layers[1].kernel.name: required field 'name' is missing"]);
  });

  it('legacy flat core_allocation in a new-style file', () => {
    const { issues } = rejected('flat.yaml', GOOD.replace('core_allocation: [[0, 1]]', 'core_allocation: [0, 1]'));
    expect(summary(issues)).toEqual([
      '4 layers[0].core_allocation: legacy mapping format: flat `core_allocation` (a list of core ids); the current format is a list with one core group, e.g. `core_allocation: [[0, 1, 2, 3]]`',
    ]);
  });

  it('warns when a later entry repeats an earlier name (it can never match)', () => {
    const r = loadMappingDetailed(path.join(__dirname, '..', 'fixtures', 'mapping', 'two_conv.yaml'));
    if (isLeft(r)) throw new Error('rejected');
    const text = GOOD.replace('  - name: Conv2', '  - name: Conv1');
    const file = path.join(dir, 'repeat.yaml');
    fs.writeFileSync(file, text.replace("layers: [Conv1, Conv2]", 'layers: [Conv1]'));
    const repeated = loadMappingDetailed(file);
    if (isLeft(repeated)) throw new Error(JSON.stringify(repeated.left));
    expect(repeated.right.warnings.map((w) => `${w.line} ${w.path}: ${w.message}`)).toEqual([
      "6 layers[1].name: layer entry 'Conv1' repeats the name of layers[0]; only the first one in file order is ever used",
    ]);
  });
});
