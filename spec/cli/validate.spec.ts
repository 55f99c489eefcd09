/**
 * The CLI contract for bad input: every malformed file makes `stream-dse validate` exit with code 2 and
 * print an error that names the file and the field or node, never a stack trace. The messages
 * themselves are specified by the front ends' own specs; this table checks the contract end to end.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { attr, twoConvGraph } from '../../inputs/workloads/builders';
import { runCli } from '../support/cli';
import { modelBytes, rawModelBytes } from '../fixtures/onnx/models';

const ROOT = path.resolve(__dirname, '..', '..');
const HARDWARE = path.join(ROOT, 'inputs', 'hardware', 'tpu_like_quad_core.yaml');
const WORKLOAD = path.join(ROOT, 'inputs', 'workloads', '2conv_1_8_32_32_16_32_3.onnx');
const CORES = path.join(ROOT, 'spec', 'fixtures', 'hardware', 'cores');
const BASE_ACCELERATOR = fs.readFileSync(path.join(ROOT, 'spec', 'fixtures', 'hardware', 'two_core.yaml'), 'utf8');
const BASE_CORE = fs.readFileSync(path.join(CORES, 'mini_compute.yaml'), 'utf8');
const BASE_MAPPING = fs.readFileSync(path.join(ROOT, 'inputs', 'mappings', '2conv_tpu_like_quad_core.yaml'), 'utf8');

const run = runCli;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-validate-'));
  fs.mkdirSync(path.join(dir, 'cores'));
  for (const f of fs.readdirSync(CORES)) fs.copyFileSync(path.join(CORES, f), path.join(dir, 'cores', f));
});

/** Replaces `from` in `text`, failing loudly if the base file no longer contains it. */
function edit(text: string, from: string | RegExp, to: string): string {
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`edit did not apply: ${from}`);
  return edited;
}

type Case = readonly [name: string, kind: 'hardware' | 'core' | 'mapping' | 'workload', contents: string | Uint8Array, mentions: RegExp];

const hardwareCases: Case[] = [
  ['YAML syntax error', 'hardware', 'name: x\ncores:\n  0: [unclosed\n', /:\d+:\d+/],
  ['not a mapping at the root', 'hardware', '- just\n- a list\n', /expected|must/i],
  ['missing name', 'hardware', edit(BASE_ACCELERATOR, /^name: two_core\n/m, ''), /name/],
  ['missing cores', 'hardware', edit(BASE_ACCELERATOR, /cores:\n  0: mini_compute.yaml\n  1: mini_offchip.yaml\n/, ''), /cores/],
  ['empty cores map', 'hardware', edit(BASE_ACCELERATOR, /cores:\n  0: mini_compute.yaml\n  1: mini_offchip.yaml\n/, 'cores: {}\n'), /cores/],
  ['offchip id unknown', 'hardware', edit(BASE_ACCELERATOR, 'offchip_core_id: 1', 'offchip_core_id: 7'), /offchip_core_id/],
  ['offchip id wrong type', 'hardware', edit(BASE_ACCELERATOR, 'offchip_core_id: 1', 'offchip_core_id: one'), /offchip_core_id/],
  ['core ids not 0..N-1', 'hardware', edit(BASE_ACCELERATOR, '1: mini_offchip.yaml', '5: mini_offchip.yaml'), /cores/],
  ['missing core file', 'hardware', edit(BASE_ACCELERATOR, 'mini_compute.yaml', 'no_such_core.yaml'), /no_such_core/],
  ['link to a missing core', 'hardware', edit(BASE_ACCELERATOR, 'cores: [0, 1]', 'cores: [0, 9]'), /core_connectivity\[0\]\.cores/],
  ['zero bandwidth', 'hardware', edit(BASE_ACCELERATOR, 'bandwidth: 64', 'bandwidth: 0'), /core_connectivity\[0\]\.bandwidth/],
  ['bandwidth wrong type', 'hardware', edit(BASE_ACCELERATOR, 'bandwidth: 64', 'bandwidth: fast'), /core_connectivity\[0\]\.bandwidth/],
  ['connection without cores', 'hardware', edit(BASE_ACCELERATOR, '    cores: [0, 1]\n', ''), /core_connectivity\[0\]/],
  ['link with three cores', 'hardware', edit(BASE_ACCELERATOR, 'cores: [0, 1]', 'cores: [0, 1, 1]'), /core_connectivity\[0\]/],
  ['unknown connection type', 'hardware', edit(BASE_ACCELERATOR, 'type: link', 'type: wormhole'), /core_connectivity\[0\]\.type/],
  ['unknown top-level key', 'hardware', `${BASE_ACCELERATOR}frequency_mhz: 800\n`, /frequency_mhz/],
  ['negative unit energy', 'hardware', `${BASE_ACCELERATOR}unit_energy_cost: -1\n`, /unit_energy_cost/],
  ['bad memory sharing entry', 'hardware', `${BASE_ACCELERATOR}core_memory_sharing: ["0"]\n`, /core_memory_sharing/],
];

const coreCases: Case[] = [
  ['core: unknown type', 'core', edit(BASE_CORE, /^type: .*$/m, 'type: zigzag.gpu'), /type/],
  ['core: missing memories', 'core', edit(BASE_CORE, /^memories:/m, 'memories_typo:'), /memories/],
  ['core: size wrong type', 'core', edit(BASE_CORE, /size: \d+/, 'size: big'), /size/],
  ['core: bad served dimension', 'core', edit(BASE_CORE, /served_dimensions: \[[^\]]*\]/, 'served_dimensions: [D9]'), /D9|served/],
  ['core: bad port allocation', 'core', edit(BASE_CORE, /allocation: \[[^\]]*\]/, 'allocation: ["I3, fh"]'), /allocation/],
];

const mappingCases: Case[] = [
  ['mapping: YAML syntax error', 'mapping', 'layers:\n  - name: [oops\n', /:\d+:\d+/],
  ['mapping: root is a string', 'mapping', 'hello\n', /layers/],
  ['mapping: no layers', 'mapping', 'fused_groups: []\n', /layers/],
  ['mapping: unknown node in fused group', 'mapping', edit(BASE_MAPPING, /layers: \[Conv1, Conv2\]/, 'layers: [Conv1, Conv9]'), /Conv9/],
  ['mapping: unknown core', 'mapping', edit(BASE_MAPPING, /core_allocation: \[\[0, 1, 2, 3\]\]/, 'core_allocation: [[0, 1, 2, 42]]'), /42/],
  ['mapping: split not positive', 'mapping', edit(BASE_MAPPING, /split: 4/, 'split: 0'), /split/],
  ['mapping: dim out of range', 'mapping', edit(BASE_MAPPING, /dim: D6/, 'dim: D17'), /D17/],
  ['mapping: node matches no entry', 'mapping', BASE_MAPPING.replace(/name: Conv2/g, 'name: ConvX'), /Conv2|ConvX/],
  ['mapping: legacy flat core_allocation', 'mapping', edit(BASE_MAPPING, /core_allocation: \[\[0, 1, 2, 3\]\]/, 'core_allocation: [0, 1, 2, 3]'), /core_allocation/],
  ['mapping: two allocation groups', 'mapping', edit(BASE_MAPPING, /core_allocation: \[\[0, 1, 2, 3\]\]/, 'core_allocation: [[0, 1], [2, 3]]'), /core_allocation/],
  ['mapping: intra tile not positive', 'mapping', edit(BASE_MAPPING, /tile: 1/, 'tile: -2'), /tile/],
];

const twoConv = twoConvGraph();
const conv1 = (patch: Partial<(typeof twoConv.nodes)[number]>) => ({
  ...twoConv,
  nodes: twoConv.nodes.map((n) => (n.name === 'Conv1' ? { ...n, ...patch } : n)),
});
const validOnnx = modelBytes(twoConv);

const workloadCases: Case[] = [
  ['onnx: empty file', 'workload', new Uint8Array(), /empty/],
  ['onnx: truncated', 'workload', validOnnx.subarray(0, Math.floor(validOnnx.length / 2)), /truncated|corrupt|graph/],
  ['onnx: text instead of protobuf', 'workload', Buffer.from('name: not onnx\n'), /truncated|corrupt|ONNX/],
  ['onnx: unsupported operator', 'workload', rawModelBytes(conv1({ opType: 'Cos' })), /Conv1|Cos/],
  ['onnx: grouped conv', 'workload', rawModelBytes(conv1({ attributes: { ...twoConv.nodes[0].attributes, group: attr.int(2) } })), /Conv1/],
  ['onnx: dilated conv', 'workload', rawModelBytes(conv1({ attributes: { ...twoConv.nodes[0].attributes, dilations: attr.ints([2, 2]) } })), /Conv1/],
  ['onnx: missing producer', 'workload', rawModelBytes(conv1({ inputs: ['nowhere', ...twoConv.nodes[0].inputs.slice(1)] })), /nowhere|Conv1/],
  ['onnx: cycle', 'workload', rawModelBytes(conv1({ inputs: ['output', ...twoConv.nodes[0].inputs.slice(1)] })), /cycl|Conv/],
];

const CASES: readonly Case[] = [...hardwareCases, ...coreCases, ...mappingCases, ...workloadCases];

function argsFor(kind: Case[1], file: string): string[] {
  switch (kind) {
    case 'hardware':
      return ['validate', '--hardware', file];
    case 'core': {
      const accelerator = path.join(dir, `${path.basename(file, '.yaml')}_system.yaml`);
      fs.writeFileSync(accelerator, BASE_ACCELERATOR.replace('mini_compute.yaml', path.basename(file)));
      return ['validate', '--hardware', accelerator];
    }
    case 'mapping':
      return ['validate', '--hardware', HARDWARE, '--workload', WORKLOAD, '--mapping', file];
    case 'workload':
      return ['validate', '--workload', file];
  }
}

describe('stream-dse validate on malformed input', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES.map((c, i) => [c[0], i] as const))('%s: exit 2, names the file and the field, no stack trace', async (_name, index) => {
    const [, kind, contents, mentions] = CASES[index];
    const extension = kind === 'workload' ? 'onnx' : 'yaml';
    const file = path.join(dir, ...(kind === 'core' ? ['cores'] : []), `case_${index}.${extension}`);
    fs.writeFileSync(file, contents);
    const { code, out, err } = await run(argsFor(kind, file));
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toContain(`case_${index}`);
    expect(err).toMatch(mentions);
    expect(err).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  });

  it('describes valid inputs and exits 0, as text and as JSON', async () => {
    const text = await run(['validate', '--hardware', HARDWARE, '--workload', WORKLOAD]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('hardware tpu_like_quad_core: 7 cores, off-chip core 6');
    expect(text.out).toContain('Conv2 (Conv) loops D0=1 D1=32 D2=32 D3=3 D4=3 D5=16 D6=32');

    const json = await run(['validate', '--hardware', HARDWARE, '--json']);
    const parsed = JSON.parse(json.out);
    expect(parsed.hardware.cores.map((c: { id: number }) => c.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(parsed.hardware.links).toEqual([{ kind: 'bus', cores: [0, 1, 2, 3, 4, 5, 6], bandwidth: 128, in_use: true }]);
  });

  it('asks for at least one input', async () => {
    expect((await run(['validate'])).code).toBe(2);
  });
});
