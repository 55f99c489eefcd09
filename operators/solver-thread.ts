/**
 * The TETRA MILP on a worker thread. A CO run spends its first ≈ 100-250 ms parsing, mapping, tiling
 * and costing; a solver thread started when the CLI starts uses that time on the second core to load
 * HiGHS (wasm compile and start-up) and to solve a small warm-up problem, so that the run's own solves
 * find HiGHS's code compiled and its JavaScript warm instead of paying ≈ 50 ms for both on the main
 * thread. Solves are pure functions of the problem, so where they run never changes a result.
 *
 * Once the run is solved the thread is idle, and the `co` command has it rasterise the run's PNG
 * pictures (`rasterise`) while the main thread draws the rest and writes the run's files.
 *
 * `bin/stream-dse.js` starts the thread before the CLI bundle loads (`prestartSolverThread`); the `co`
 * command takes it over (`takePrestartedSolverThread`) and hands it to the pipeline. This module stays
 * a separate file next to the bundle (tools/bundle-cli.js), so both see the same instance, and imports
 * nothing at run time but node's own modules.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { SteadyStateProblem } from '../lib/milp/problem';
import type { SteadyStateOutcome } from '../lib/milp/result';

export type LevelListener = (level: number, levels: number, name: string) => void;

/** Solves steady-state problems, one at a time in request order, and rasterises pictures. */
export interface SolverThread {
  solve(problem: SteadyStateProblem, backend: string, onLevel?: LevelListener): Promise<SteadyStateOutcome>;
  /** An SVG with its text outlined as PNG bytes (lib/report/plots/rasterise.ts `rasteriseOutlined`). */
  rasterise(outlinedSvg: string): Promise<Uint8Array>;
  /** Stops the thread; pending requests fail. Idempotent. */
  close(): Promise<void>;
}

export type SolverThreadRequest =
  | { readonly id: number; readonly type: 'solve'; readonly problem: SteadyStateProblem; readonly backend: string }
  | { readonly id: number; readonly type: 'rasterise'; readonly svg: string };

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export type SolverThreadReply =
  | { readonly id: number; readonly type: 'level'; readonly level: number; readonly levels: number; readonly name: string }
  | { readonly id: number; readonly type: 'solved'; readonly outcome: SteadyStateOutcome }
  | { readonly id: number; readonly type: 'rasterised'; readonly png: Uint8Array }
  | { readonly id: number; readonly type: 'failed'; readonly message: string };

/** The worker entry: the bundled one, else the compiled one, else the TypeScript dev entry (specs). */
export function solverWorkerFile(): string {
  for (const name of ['solver-worker.bundle.js', 'solver-worker.js', 'solver-worker.dev.cjs']) {
    const file = path.join(__dirname, name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`solver worker entry not found next to ${__filename}; run \`npm run build\``);
}

interface Pending {
  /** Takes the reply's result: an outcome for a solve, PNG bytes for a rasterisation. */
  readonly resolve: (result: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly onLevel?: LevelListener;
}

export function startSolverThread(): SolverThread {
  const worker = new Worker(solverWorkerFile());
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closed: Promise<void> | undefined;
  let failure: Error | undefined;
  const settle = (id: number) => {
    const entry = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    return entry;
  };
  const failAll = (err: Error) => {
    failure ??= err;
    for (const id of [...pending.keys()]) settle(id)?.reject(err);
  };
  worker.on('message', (reply: SolverThreadReply) => {
    if (reply.type === 'level') pending.get(reply.id)?.onLevel?.(reply.level, reply.levels, reply.name);
    else if (reply.type === 'solved') settle(reply.id)?.resolve(reply.outcome);
    else if (reply.type === 'rasterised') settle(reply.id)?.resolve(reply.png);
    else settle(reply.id)?.reject(new Error(reply.message));
  });
  worker.on('error', (err) => failAll(err));
  worker.on('exit', () => failAll(new Error('the solver thread stopped')));
  // An idle solver thread never keeps the process alive; a pending request does. (After the listeners:
  // adding a 'message' listener refs the worker again.)
  worker.unref();
  const ask = <T>(request: WithoutId<SolverThreadRequest>, onLevel?: LevelListener): Promise<T> => {
    if (failure || closed) return Promise.reject(failure ?? new Error('the solver thread is closed'));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (result: unknown) => void, reject, onLevel });
      worker.ref();
      worker.postMessage({ ...request, id });
    });
  };
  return {
    solve: (problem, backend, onLevel) => ask<SteadyStateOutcome>({ type: 'solve', problem, backend }, onLevel),
    rasterise: (svg) => ask<Uint8Array>({ type: 'rasterise', svg }),
    close() {
      closed ??= worker.terminate().then(() => undefined);
      return closed;
    },
  };
}

let prestarted: SolverThread | undefined;

/** A `co` run (not its help) solves MILPs. */
export function wantsSolverThread(argv: readonly string[]): boolean {
  return argv[0] === 'co' && !argv.some((a) => a === '--help' || a === '-h');
}

export function prestartSolverThread(argv: readonly string[]): void {
  if (prestarted || !wantsSolverThread(argv)) return;
  prestarted = startSolverThread();
}

/** The prestarted thread, once; the caller closes it. */
export function takePrestartedSolverThread(): SolverThread | undefined {
  const thread = prestarted;
  prestarted = undefined;
  return thread;
}
