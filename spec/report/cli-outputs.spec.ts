/**
 * What `co` writes besides the summary: trace.json, plots/ and report.html, and the output flags
 * `--no-plots`, `--formats` and `--quiet`; progress lines go to stderr only, never with `--json`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../support/cli';
import { HARDWARE_DIR, TWO_CONV, WORKLOAD_DIR } from './support/runs';
import { traceProblems } from './support/trace-rules';

const QUICK_START = ['co', '--hardware', path.join(HARDWARE_DIR, 'tpu_like_quad_core.yaml'), '--workload', path.join(WORKLOAD_DIR, TWO_CONV)];
const PICTURES = ['workload-graph', 'node-latency', 'schedule-group-0', 'memory-group-0'];

const run = runCli;

let output: string;
beforeEach(() => {
  output = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-outputs-'));
});
afterEach(() => fs.rmSync(output, { recursive: true, force: true }));

const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe('co run directory', () => {
  it('quick start: summary, trace, SVG and PNG pictures and the report; progress lines on stderr', async () => {
    const r = await run([...QUICK_START, '--output', output, '--experiment-id', 'qs']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Total latency: 14344\n  Group 0: 14344 (100.0%)');
    const runDir = path.join(output, 'qs');
    expect(files(runDir)).toEqual(['groups', 'plots', 'report.html', 'result.json', 'summary.yaml', 'trace.json']);
    expect(files(path.join(runDir, 'plots'))).toEqual(PICTURES.flatMap((p) => [`${p}.png`, `${p}.svg`]).sort());
    const trace = JSON.parse(fs.readFileSync(path.join(runDir, 'trace.json'), 'utf8'));
    expect(traceProblems(trace)).toEqual([]);
    expect(trace.otherData.total_latency_cycles).toBe(14344);
    const html = fs.readFileSync(path.join(runDir, 'report.html'), 'utf8');
    expect((html.match(/<svg xmlns=/g) ?? []).length).toBe(PICTURES.length);
    expect(html).toContain('href="plots/schedule-group-0.png"');
    // Plain lines (stderr is not a terminal here): a line as each step starts and ends.
    expect(r.err).toMatch(/\] group 0 · core costs …/);
    expect(r.err).toMatch(/\] group 0 · schedule \+ MILP done in [\d.]+ s/);
    expect(r.err).toMatch(/\] trace, pictures, report: 4\/4/);
  }, 60_000);

  it('--no-plots writes the trace and the report but no pictures', async () => {
    const r = await run([...QUICK_START, '--output', output, '--experiment-id', 'np', '--no-plots', '--quiet']);
    expect(r.code).toBe(0);
    expect(files(path.join(output, 'np'))).toEqual(['groups', 'report.html', 'result.json', 'summary.yaml', 'trace.json']);
    expect(fs.readFileSync(path.join(output, 'np', 'report.html'), 'utf8')).toContain('--no-plots');
  }, 60_000);

  it('--formats svg writes SVG only; --quiet prints no progress', async () => {
    const r = await run([...QUICK_START, '--output', output, '--experiment-id', 'svg', '--formats', 'svg', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(files(path.join(output, 'svg', 'plots'))).toEqual(PICTURES.map((p) => `${p}.svg`).sort());
  }, 60_000);

  it('--json prints the summary and no progress', async () => {
    const r = await run([...QUICK_START, '--output', output, '--experiment-id', 'json', '--json', '--formats', 'png']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).total_latency).toBe(14344);
    expect(r.err).toBe('');
    expect(files(path.join(output, 'json', 'plots'))).toEqual(PICTURES.map((p) => `${p}.png`).sort());
  }, 60_000);

  it('refuses an unknown picture format with exit code 2', async () => {
    const r = await run([...QUICK_START, '--output', output, '--formats', 'svg,gif']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown picture format 'gif' (known: svg, png)");
  });
});
