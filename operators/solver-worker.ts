/**
 * Worker-thread entry of the solver thread (operators/solver-thread.ts). It loads the default backend
 * at once and, unless a request is already waiting, solves a small warm-up problem, so that HiGHS's
 * wasm functions are compiled and the MILP code is warm before the run's first problem arrives; then
 * it solves requests one by one, reporting the lexicographic levels as it goes. Rasterisation requests
 * (a run's PNG pictures) are taken up at once: resvg renders and zlib compresses on libuv's pool, this
 * thread only lays each picture's rows out for zlib, one picture after another (lib/report/plots/png.ts).
 */
import { parentPort } from 'worker_threads';
import { solveSteadyState } from '../lib/milp/solve';
import type { SteadyStateProblem } from '../lib/milp/problem';
import { DEFAULT_SOLVER_BACKEND, loadSolverBackend } from '../lib/solver';
import type * as Rasterise from '../lib/report/plots/rasterise';
import type { SolverThreadReply, SolverThreadRequest } from './solver-thread';
import warmUpProblem from './solver-warm-up.json';

const port = parentPort;
if (!port) throw new Error('solver-worker runs as a worker thread');

/**
 * The first fusion group of `inputs/workloads/attention_head.onnx` on `inputs/hardware/simba_small.yaml`
 * (spec/operators/solver-thread.spec.ts keeps it equal to what the pipeline builds): small, but it
 * goes through the same HiGHS and MILP code as any run's problems.
 */
const WARM_UP_PROBLEM = warmUpProblem as unknown as SteadyStateProblem;

type SolveRequest = Extract<SolverThreadRequest, { type: 'solve' }>;

const queue: SolveRequest[] = [];
let ready = false;
let busy = false;

const reply = (message: SolverThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const failed = (id: number, err: unknown) => reply({ id, type: 'failed', message: err instanceof Error ? err.message : String(err) });

async function solveNext(): Promise<void> {
  if (!ready || busy) return;
  busy = true;
  try {
    for (let request = queue.shift(); request; request = queue.shift()) {
      const { id, problem, backend: name } = request;
      try {
        const backend = await loadSolverBackend(name);
        const outcome = solveSteadyState(problem, backend, { onLevel: (level, levels, levelName) => reply({ id, type: 'level', level, levels, name: levelName }) });
        reply({ id, type: 'solved', outcome });
      } catch (err) {
        failed(id, err);
      }
    }
  } finally {
    busy = false;
  }
}

// Loaded with the first picture: the run's solves come first.
const rasterise = () => require('../lib/report/plots/rasterise') as typeof Rasterise;

port.on('message', (request: SolverThreadRequest) => {
  if (request.type === 'rasterise') {
    const { id, svg } = request;
    Promise.resolve()
      .then(() => rasterise().rasteriseOutlined(svg))
      .then((png) => reply({ id, type: 'rasterised', png }, [png.buffer as ArrayBuffer]))
      .catch((err: unknown) => failed(id, err));
    return;
  }
  queue.push(request);
  void solveNext();
});

loadSolverBackend(DEFAULT_SOLVER_BACKEND)
  .then((backend) => {
    // A run that is already waiting gets its own problem solved first.
    if (queue.length === 0) solveSteadyState(WARM_UP_PROBLEM, backend);
  })
  .catch(() => undefined)
  .finally(() => {
    ready = true;
    void solveNext();
  });
