/**
 * bin/stream-dse.js, as users run it (the built CLI bundle): it prestarts threads for `co`, which then
 * solves and rasterises on its solver thread and, once solved, stops V8's optimising compilers; a `co`
 * command line that never runs (a usage error) must still let the process end. Needs `npm run build`
 * (CI builds on install); skipped without a build.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'bin', 'stream-dse.js');
const built = fs.existsSync(path.join(REPO, 'dist', 'cli.js'));

(built ? describe : describe.skip)('bin/stream-dse.js', () => {
  it.each([
    ['an unknown option', ['co', '--bogus']],
    ['missing required options', ['co', '--json']],
    ['a missing option argument, with pictures', ['co', '--hardware', 'x.yaml', '--workload', 'y.onnx', '--inputs-root']],
  ])('ends with exit code 2 on %s', (_name, args) => {
    const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(2);
  });

  it('runs the quick start: its latency, and a run directory with the summary, trace, report and pictures', () => {
    const output = fs.mkdtempSync(path.join(os.tmpdir(), 'bin-co-'));
    try {
      const args = ['co', '--hardware', 'inputs/hardware/tpu_like_quad_core.yaml', '--workload', 'inputs/workloads/2conv_1_8_32_32_16_32_3.onnx', '--output', output, '--experiment-id', 'quick', '--no-cost-cache', '--quiet'];
      const run = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^Total latency: 14344\n/);
      const runDir = path.join(output, 'quick');
      expect(fs.readdirSync(runDir).sort()).toEqual(expect.arrayContaining(['plots', 'report.html', 'summary.yaml', 'trace.json']));
      const pictures = fs.readdirSync(path.join(runDir, 'plots')).sort();
      expect(pictures).toEqual(['memory-group-0', 'node-latency', 'schedule-group-0', 'workload-graph'].flatMap((stem) => [`${stem}.png`, `${stem}.svg`]));
      const png = fs.readFileSync(path.join(runDir, 'plots', 'memory-group-0.png'));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    } finally {
      fs.rmSync(output, { recursive: true, force: true });
    }
  });
});
