/**
 * The solver thread (operators/solver-thread.ts): runs solved there equal runs solved in-process, a
 * failing thread falls back to in-process solving, the warm-up problem is still what the pipeline
 * builds for its example, and the PNGs it rasterises are the ones this thread would make.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SteadyStateOutcome, SteadyStateProblem, solveSteadyState } from '../../lib/milp';
import { CHART_FONT } from '../../lib/report/plots/figure';
import { outlineText, rasteriseOutlined } from '../../lib/report/plots/rasterise';
import { loadSolverBackend } from '../../lib/solver';
import { SolverThread, startSolverThread, wantsSolverThread } from '../../operators/solver-thread';
import { CoOptions, runCo } from '../../pipelines/co';

const REPO = path.resolve(__dirname, '..', '..');
const inputs = (...parts: string[]) => path.join(REPO, 'inputs', ...parts);

/** A stand-in thread that solves here and records what it was asked. */
function recordingThread(fail = false): Pick<SolverThread, 'solve'> & { readonly problems: SteadyStateProblem[] } {
  const problems: SteadyStateProblem[] = [];
  return {
    problems,
    async solve(problem, backend): Promise<SteadyStateOutcome> {
      problems.push(problem);
      if (fail) throw new Error('thread gone');
      return solveSteadyState(problem, await loadSolverBackend(backend));
    },
  };
}

const cases: { name: string; options: CoOptions }[] = [
  { name: 'two convolutions on the TPU-like quad core', options: { hardware: inputs('hardware', 'tpu_like_quad_core.yaml'), workload: inputs('workloads', '2conv_1_8_32_32_16_32_3.onnx') } },
  { name: 'an attention head on simba_small', options: { hardware: inputs('hardware', 'simba_small.yaml'), workload: inputs('workloads', 'attention_head.onnx') } },
];

describe('solver thread', () => {
  it('is started for co runs only', () => {
    expect(wantsSolverThread(['co', '--hardware', 'h.yaml'])).toBe(true);
    expect(wantsSolverThread(['co', '--help'])).toBe(false);
    expect(wantsSolverThread(['dse', '--hardware', 'h.yaml'])).toBe(false);
    expect(wantsSolverThread([])).toBe(false);
  });

  describe('gives the results of in-process solving', () => {
    let thread: SolverThread;
    beforeAll(() => {
      thread = startSolverThread();
    });
    afterAll(() => thread.close());

    it('solves a problem itself', async () => {
      const problem = JSON.parse(fs.readFileSync(path.join(REPO, 'operators', 'solver-warm-up.json'), 'utf8')) as SteadyStateProblem;
      const levels: string[] = [];
      const outcome = await thread.solve(problem, 'highs', (_level, _levels, name) => levels.push(name));
      const here = solveSteadyState(problem, await loadSolverBackend('highs'));
      expect(outcome.feasible && outcome.latencyTotal).toBe(here.feasible && here.latencyTotal);
      expect(levels.map((name) => name.split(' ')[0])).toEqual(['latency', 'offchip_traffic', 'buffering']);
      await expect(thread.solve(problem, 'no-such-backend')).rejects.toThrow(/unknown solver backend 'no-such-backend'/);
    }, 60_000);

    it('rasterises a picture as this thread would', async () => {
      const svg = outlineText(
        `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="white"/><text transform="translate(4,20)" font-family="${CHART_FONT}" font-size="12" fill="#000">latency 14,344</text></svg>`,
      );
      expect(Buffer.from(await thread.rasterise(svg))).toEqual(Buffer.from(await rasteriseOutlined(svg)));
      await expect(thread.rasterise('not svg')).rejects.toThrow();
    }, 60_000);

    it.each(cases)('$name', async ({ options }) => {
      const here = await runCo(options);
      const levels: string[] = [];
      let solvedThere = 0;
      const counting: Pick<SolverThread, 'solve'> = { solve: (...args) => thread.solve(...args).then((o) => (solvedThere++, o)) };
      const there = await runCo(options, (e) => e.type === 'items' && e.stage === 'allocation' && levels.push(e.status ?? ''), { solverThread: counting });
      expect(solvedThere).toBe(there.groups.length);
      expect(there.summary.total_latency).toBe(here.summary.total_latency);
      expect(there.groups.map((g) => ({ ...g.solution, solve: { ...g.solution.solve, solveTimeSeconds: 0, levels: [] } }))).toEqual(
        here.groups.map((g) => ({ ...g.solution, solve: { ...g.solution.solve, solveTimeSeconds: 0, levels: [] } })),
      );
      expect(levels.length).toBeGreaterThan(0);
    }, 60_000);
  });

  it('falls back to in-process solving when the thread fails', async () => {
    const { options } = cases[0];
    const failing = recordingThread(true);
    const result = await runCo(options, undefined, { solverThread: failing });
    expect(failing.problems.length).toBe(result.groups.length);
    expect(result.summary.total_latency).toBe((await runCo(options)).summary.total_latency);
  });

  it('warms up on the problem the pipeline builds for the first group of attention_head on simba_small', async () => {
    const recorder = recordingThread();
    await runCo(cases[1].options, undefined, { solverThread: recorder });
    const warmUp: unknown = JSON.parse(fs.readFileSync(path.join(REPO, 'operators', 'solver-warm-up.json'), 'utf8'));
    expect(warmUp).toEqual(JSON.parse(JSON.stringify(recorder.problems[0])));
  });
});
