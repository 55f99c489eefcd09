/** The `dse` command in-process: JSON summary, run directory, plain output, exit codes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { runCli } from '../support/cli';
import { RESNET18, TWO_CONV, hardwareFile, workloadFile } from './support';

jest.setTimeout(120_000);

const TPU = hardwareFile('tpu_like_quad_core');

const run = runCli;

let output: string;
beforeEach(() => {
  output = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-dse-'));
});

describe('stream-dse dse', () => {
  it('--json prints one object and writes the sweep and the best run', async () => {
    const r = await run(['dse', '--hardware', TPU, '--workload', workloadFile(TWO_CONV), '--max-variants', '5', '--concurrency', '2', '--threads', '2', '--seed', '4', '--output', output, '--json', '--cost-cache', path.join(output, 'cache')]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({ variants_evaluated: 5, failed: 0 });
    expect(typeof summary.best_variant).toBe('number');
    expect(typeof summary.best_latency).toBe('number');
    const runDir = path.join(output, 'tpu_like_quad_core-2conv_1_8_32_32_16_32_3-dse');
    expect(summary.output).toBe(runDir);
    const csv = fs.readFileSync(path.join(runDir, 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(6);
    const json = JSON.parse(fs.readFileSync(path.join(runDir, 'sweep.json'), 'utf8'));
    expect(json.best_variant).toBe(summary.best_variant);
    expect(json.variants[0].mapping.layers.map((l: { name: string }) => l.name)).toEqual(['Conv1', 'Conv2']);
    expect(parse(fs.readFileSync(path.join(runDir, 'best', 'summary.yaml'), 'utf8')).total_latency).toBe(summary.best_latency);
    expect(fs.existsSync(path.join(runDir, 'best', 'mapping.yaml'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(runDir, 'plots', 'sweep.vl.json'), 'utf8')).data.values).toHaveLength(5);
    const svg = fs.readFileSync(path.join(runDir, 'plots', 'sweep.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    for (const text of ['5 variants with a schedule of 5 explored', 'latency (cycles, log scale)', 'on-core energy (pJ)', '>best<', 'Pareto front']) expect(svg).toContain(text);
    expect(fs.readFileSync(path.join(runDir, 'plots', 'sweep.png')).subarray(1, 4).toString()).toBe('PNG');
    // The winner's run directory is the co command's: summary, cost tables, trace, pictures, report.
    for (const file of ['summary.yaml', 'trace.json', 'report.html', 'groups/0/core_cost_lut.yaml', 'plots/schedule-group-0.svg']) {
      expect(fs.existsSync(path.join(runDir, 'best', file))).toBe(true);
    }
    expect(fs.readdirSync(path.join(output, 'cache')).length).toBeGreaterThan(1);
  });

  it('plain output: the best variant on stdout, progress on stderr', async () => {
    const r = await run(['dse', '--hardware', TPU, '--workload', workloadFile(TWO_CONV), '--max-variants', '3', '--threads', '1', '--output', output, '--no-plots', '--no-cost-cache']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Best variant #\d+: latency \d+/);
    expect(r.out).toMatch(/3 variants evaluated, 0 without a schedule/);
    const runDir = path.join(output, 'tpu_like_quad_core-2conv_1_8_32_32_16_32_3-dse');
    expect(fs.readdirSync(path.join(runDir, 'plots'))).toEqual(['sweep.vl.json']);
    expect(fs.existsSync(path.join(runDir, 'best', 'trace.json'))).toBe(true);
    expect(fs.existsSync(path.join(runDir, 'best', 'report.html'))).toBe(true);
    expect(r.err).toMatch(/dse: 3\/3 \(best #\d+: latency \d+\)/);
  });

  it('exit code 3 when no variant has a schedule; the sweep is still written', async () => {
    const r = await run(['dse', '--hardware', TPU, '--workload', RESNET18, '--max-variants', '2', '--threads', '1', '--output', output, '--json', '--no-plots', '--no-cost-cache']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ variants_evaluated: 2, failed: 2, best_variant: null, best_latency: null });
    const rows = fs.readFileSync(path.join(output, 'tpu_like_quad_core-resnet18-dse', 'sweep.csv'), 'utf8').trim().split('\n');
    expect(rows.slice(1).every((row) => row.includes(',infeasible,'))).toBe(true);
  });

  it('exit code 2 for bad inputs and bad options', async () => {
    expect((await run(['dse', '--hardware', TPU, '--workload', '/nonexistent.onnx', '--output', output])).code).toBe(2);
    expect((await run(['dse', '--hardware', TPU, '--workload', workloadFile(TWO_CONV), '--max-variants', '0'])).code).toBe(2);
    expect((await run(['dse', '--hardware', TPU, '--workload', workloadFile(TWO_CONV), '--order', 'sideways'])).code).toBe(2);
  });
});
