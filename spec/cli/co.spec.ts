/** The `co` command end to end, in-process: output lines, run directory, JSON mode, reuse, exit codes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { runCli } from '../support/cli';
import { inputFingerprint } from '../../pipelines/co/outputs';

const ROOT = path.resolve(__dirname, '..', '..');
const input = (...parts: string[]) => path.join(ROOT, ...parts);
const TPU = input('inputs', 'hardware', 'tpu_like_quad_core.yaml');
const TWO_CONV = input('inputs', 'workloads', '2conv_1_8_32_32_16_32_3.onnx');

const run = runCli;

let output: string;
beforeEach(() => {
  output = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-co-'));
});

describe('stream-dse co', () => {
  it('quick start: prints the total and group latencies and writes the run directory', async () => {
    const r = await run(['co', '--hardware', TPU, '--workload', TWO_CONV, '--output', output]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Total latency: 14344\n  Group 0: 14344 (100.0%)');
    const runDir = path.join(output, 'tpu_like_quad_core-2conv_1_8_32_32_16_32_3-constraint_optimization');
    expect(fs.readFileSync(path.join(runDir, 'summary.yaml'), 'utf8')).toMatch(/^total_latency: 14344\.0\n/);
    const mapping = parse(fs.readFileSync(path.join(runDir, 'groups', '0', 'mapping.yaml'), 'utf8'));
    expect(mapping.layers.map((l: { name: string }) => l.name)).toEqual(['Conv1', 'Conv2']);
    const costs = parse(fs.readFileSync(path.join(runDir, 'groups', '0', 'core_cost_lut.yaml'), 'utf8'));
    expect(costs.nodes.map((n: { cores: { latency_total: number }[] }) => n.cores[0].latency_total)).toEqual([2376, 4656]);
    expect(fs.readdirSync(output).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('--json prints the summary with the reference key names and nothing else', async () => {
    const r = await run(['co', '--hardware', TPU, '--workload', TWO_CONV, '--output', output, '--experiment-id', 'x', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.total_latency).toBe(14344);
    expect(summary.group_latencies).toEqual({ 0: 14344 });
    expect(summary.groups.group_0.lexicographic_objectives).toEqual({ latency_level: 14350, offchip_traffic_level: 2019328, buffering_level: 10 });
  });

  it('--skip-if-exists reuses a finished run with the same inputs and reruns when an option changes', async () => {
    const args = ['co', '--hardware', TPU, '--workload', TWO_CONV, '--output', output, '--experiment-id', 'reuse'];
    await run(args);
    const summaryFile = path.join(output, 'reuse', 'summary.yaml');
    fs.writeFileSync(summaryFile, 'edited');
    const reused = await run([...args, '--skip-if-exists']);
    expect(reused.err).toContain('reusing the finished run');
    expect(reused.out).toBe('Total latency: 14344\n  Group 0: 14344 (100.0%)');
    expect(fs.readFileSync(summaryFile, 'utf8')).toBe('edited');

    const changed = await run([...args, '--skip-if-exists', '--mapping-type', 'even']);
    expect(changed.err).not.toContain('reusing');
    expect(fs.readFileSync(summaryFile, 'utf8')).not.toBe('edited');
  });

  it('runs a hand-written mapping and reports its total latency (the reference leaves it unset)', async () => {
    const r = await run(['co', '--hardware', TPU, '--workload', TWO_CONV, '--mapping', input('inputs', 'mappings', '2conv_tpu_like_quad_core.yaml'), '--output', output, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).total_latency).toBe(14344);
  });

  it('takes the intra-core tiling option', async () => {
    const r = await run([
      'co', '--hardware', TPU, '--workload', input('inputs', 'workloads', 'swiglu_256_2048_8192.onnx'), '--output', output, '--json',
      '--intra-core-tiling', 'Gemm_Left.D1=128,Gemm_Down.D2=128,Gemm_Left.D2=32,Gemm_Left.D0=16',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).total_latency).toBe(103546916);
  });

  it('an infeasible schedule exits 3 naming the core, what it needs and what it has, and writes the report', async () => {
    const r = await run(['co', '--hardware', input('spec', 'fixtures', 'hardware', 'two_core.yaml'), '--workload', TWO_CONV, '--output', output, '--experiment-id', 'tight']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/Core 0: tensors resident on Core 0 need [\d.]+ KB, but the on-chip memory of Core 0 is 8\.0 KB \(short by [\d.]+ KB\)/);
    const report = JSON.parse(fs.readFileSync(path.join(output, 'tight', 'infeasibility_report.json'), 'utf8'));
    expect(report).toMatchObject({ feasible: false, nature: 'capacity' });
    expect(r.err).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('bad input exits 2 with the issue, and bad option values are refused', async () => {
    const missing = await run(['co', '--hardware', TPU, '--workload', path.join(output, 'none.onnx'), '--output', output]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('none.onnx');
    expect((await run(['co', '--hardware', TPU, '--workload', TWO_CONV, '--intra-core-tiling', 'Conv1=3'])).code).toBe(2);
    expect((await run(['co', '--hardware', TPU, '--workload', TWO_CONV, '--mapping-type', 'odd'])).code).toBe(2);
    expect((await run(['co', '--workload', TWO_CONV])).code).toBe(2);
    const backend = await run(['co', '--hardware', TPU, '--workload', TWO_CONV, '--output', output, '--backend', 'cplex']);
    expect(backend.code).toBe(2);
    expect(backend.err).toContain("unknown solver backend 'cplex' (registered: highs)");
  });
});

describe('input fingerprint', () => {
  const base = { hardware: TPU, workload: TWO_CONV };

  it('tells apart options that differ only inside nested values, and ignores key order', () => {
    const a = inputFingerprint({ ...base, intraCoreTiling: [{ dim: 'Conv1.D0', tile: 1 }] });
    const b = inputFingerprint({ ...base, intraCoreTiling: [{ dim: 'Conv1.D0', tile: 2 }] });
    expect(a).not.toBe(b);
    expect(inputFingerprint({ ...base, intraCoreTiling: [{ tile: 1, dim: 'Conv1.D0' }] })).toBe(a);
    expect(inputFingerprint({ ...base, groupConcurrency: 4 })).toBe(inputFingerprint(base));
  });
});
