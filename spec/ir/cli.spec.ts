/**
 * `stream-dse ir`: prints each IR kind and view as JSON that decodes and validates, selects fusion groups,
 * prints schemas, exits 2 with a clear message on bad input and 3 with the infeasibility IR on an
 * infeasible run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';
import { documentProblems, documentType } from './support';

const ROOT = path.resolve(__dirname, '..', '..');
const HARDWARE = path.join(ROOT, 'inputs', 'hardware', 'tpu_like_quad_core.yaml');
const WORKLOAD = path.join(ROOT, 'inputs', 'workloads', '2conv_1_8_32_32_16_32_3.onnx');
const MAPPING = path.join(ROOT, 'inputs', 'mappings', '2conv_tpu_like_quad_core.yaml');
/** One 8 KB compute core: the 2-conv tensors cannot fit, so the MILP is infeasible. */
const TINY_HARDWARE = path.join(ROOT, 'spec', 'fixtures', 'hardware', 'two_core.yaml');

const run = (...args: string[]) => runCli(['ir', ...args]);

function json(text: string): unknown {
  return JSON.parse(text);
}

describe('stream-dse ir', () => {
  it('--kind workload prints the WorkloadIR of the ONNX model', async () => {
    const r = await run('--kind', 'workload', '--workload', WORKLOAD);
    expect(r.code).toBe(0);
    const document = json(r.out) as { nodes: { name: string }[] };
    expect(documentProblems(documentType('workload'), document)).toEqual([]);
    expect(document.nodes.map((n) => n.name)).toEqual(expect.arrayContaining(['Conv1', 'Conv2']));
  });

  it.each([
    ['workload', 'algorithmic', ['--workload', WORKLOAD]],
    ['workload', 'compiler', ['--workload', WORKLOAD]],
    ['accelerator', null, ['--hardware', HARDWARE]],
    ['accelerator', 'hardware', ['--hardware', HARDWARE]],
    ['accelerator', 'compiler', ['--hardware', HARDWARE]],
  ] as const)('--kind %s --view %s prints that document', async (kind, view, inputs) => {
    const r = await run('--kind', kind, ...(view ? ['--view', view] : []), ...inputs);
    expect(r.code).toBe(0);
    expect(documentProblems(documentType(kind, view), json(r.out))).toEqual([]);
  });

  it('--kind allocation runs the pipeline and prints one AllocationIR per fusion group', async () => {
    const r = await run('--kind', 'allocation', '--hardware', HARDWARE, '--workload', WORKLOAD);
    expect(r.code).toBe(0);
    const documents = json(r.out) as { group_index: number; latency: { total: number } }[];
    expect(documents.map((d) => [d.group_index, d.latency.total])).toEqual([[0, 14344]]);
    expect(documentProblems(documentType('allocation'), documents[0])).toEqual([]);
  });

  it('--group N --view V prints one view of one group', async () => {
    const r = await run('--kind', 'allocation', '--hardware', HARDWARE, '--workload', WORKLOAD, '--group', '0', '--view', 'performance');
    expect(r.code).toBe(0);
    expect(documentProblems(documentType('allocation', 'performance'), json(r.out))).toEqual([]);
  });

  it('with a hand-written mapping, the compiler view names its fused group and carries its runtime arguments', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-ir-mapping-'));
    const mapping = path.join(dir, 'mapping.yaml');
    const text = fs.readFileSync(MAPPING, 'utf8').replace('name: Fused_Group_1', 'name: Both_Convs');
    fs.writeFileSync(mapping, `${text}\nruntime_args:\n  input:\n    layout: '(d0, d1, d2, d3) -> (d0, d2, d3, d1)'\n  output: {}\n`);
    const r = await run('--kind', 'allocation', '--hardware', HARDWARE, '--workload', WORKLOAD, '--mapping', mapping, '--group', '0', '--view', 'compiler');
    expect(r.code).toBe(0);
    const view = json(r.out) as { fused_groups: { name: string; layers: string[] }[]; runtime_args: Record<string, string> };
    expect(documentProblems(documentType('allocation', 'compiler'), view)).toEqual([]);
    expect(view.fused_groups.map((g) => [g.name, g.layers])).toEqual([['Both_Convs', ['Conv1', 'Conv2']]]);
    expect(view.runtime_args).toEqual({ input: '(d0, d1, d2, d3) -> (d0, d2, d3, d1)' });
  });

  it('an infeasible run prints the infeasibility IR and exits with 3', async () => {
    const r = await run('--kind', 'allocation', '--hardware', TINY_HARDWARE, '--workload', WORKLOAD);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^infeasible: Infeasible mapping — Core 0/);
    const report = json(r.out) as { feasible: boolean; nature: string; resources: { unmet: { family: string } | null }[] };
    expect(documentProblems(documentType('infeasibility'), report)).toEqual([]);
    expect([report.feasible, report.nature, report.resources[0].unmet?.family]).toEqual([false, 'capacity', 'memory_capacity']);
  });

  it.each([
    [['--kind', 'allocation', '--view', 'performance'], 'stream/allocation_ir/v1/performance_view'],
    [['--kind', 'workload'], 'stream/workload_ir/v1'],
    [['--kind', 'infeasibility'], 'stream/infeasibility/v1'],
  ])('%j --schema prints the JSON Schema without reading inputs', async (args, id) => {
    const r = await run(...args, '--schema');
    expect(r.code).toBe(0);
    expect((json(r.out) as { $id: string }).$id).toBe(id);
  });

  describe('bad input exits with 2 and says what is wrong', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-ir-'));
      fs.writeFileSync(path.join(dir, 'broken.yaml'), 'name: x\ncores: {}\n');
    });

    it.each([
      ['no input for the kind', ['--kind', 'workload'], /--kind workload needs --workload/],
      ['allocation without a workload', ['--kind', 'allocation', '--hardware', HARDWARE], /needs --hardware <file> and --workload <file>/],
      ['an unknown kind', ['--kind', 'mapping', '--workload', WORKLOAD], /mapping.*(choices|Allowed)/i],
      ['a view of another kind', ['--kind', 'workload', '--view', 'performance', '--workload', WORKLOAD], /--view 'performance' does not exist for --kind workload \(views: algorithmic, compiler\)/],
      ['--group outside allocation', ['--kind', 'workload', '--group', '0', '--workload', WORKLOAD], /--group applies to --kind allocation only/],
      ['a group that is not a number', ['--kind', 'allocation', '--group', 'first', '--hardware', HARDWARE, '--workload', WORKLOAD], /fusion group index/],
      ['an unknown solver backend', ['--kind', 'allocation', '--backend', 'cplex', '--hardware', HARDWARE, '--workload', WORKLOAD], /--backend 'cplex' is not a registered solver backend \(registered: highs/],
      ['a missing workload file', ['--kind', 'workload', '--workload', '/no/such/model.onnx'], /model\.onnx/],
      ['the infeasibility kind without --schema', ['--kind', 'infeasibility'], /--kind allocation prints for an infeasible run/],
    ])('%s', async (_name, args, message) => {
      const r = await run(...args);
      expect({ code: r.code, stdout: r.out }).toEqual({ code: 2, stdout: '' });
      expect(r.err).toMatch(message);
    });

    it('a malformed hardware file names the file and field', async () => {
      const r = await run('--kind', 'accelerator', '--hardware', path.join(dir, 'broken.yaml'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/broken\.yaml/);
      expect(r.err).toMatch(/cores|offchip_core_id|core_connectivity/);
    });

    it('a fusion group the run does not have', async () => {
      const r = await run('--kind', 'allocation', '--group', '3', '--hardware', HARDWARE, '--workload', WORKLOAD);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--group 3: the run has 1 fusion group\(s\) \(0 to 0\)/);
    });
  });
});
