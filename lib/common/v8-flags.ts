/**
 * Process-wide V8 flags the engine sets. V8 accepts compiled code from a code cache only under the
 * flags it was made with, so loading or making one (`loadBundle` in code-cache.ts, which the picture
 * renderer and tools/bundle-cli.js use) sets these first too, as loading HiGHS does: whichever thread
 * sets them first, the flags are the same when the cache is read.
 */
import * as v8 from 'v8';

/**
 * V8 recompiles a wasm function with TurboFan once it has run for roughly this many bytes of code. At
 * the default (1.8 M) a CO run's few small solves already send dozens of HiGHS's large functions to
 * background TurboFan jobs, which the solves are over long before, and node waits for them before the
 * process may exit (70-230 ms, more than the solves took). Ten times the budget keeps such runs on the
 * baseline code; long solves still tier their hot loops up early on. V8 reads the budget when it
 * compiles the module, so it is set before the first load; a budget given on node's command line wins.
 */
const WASM_TIERING_BUDGET = 18_000_000;

export function raiseWasmTieringBudget(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--wasm-tiering-budget') || arg.startsWith('--wasm_tiering_budget'))) return;
  v8.setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}

/**
 * Keeps V8 from optimising any more functions (it still makes baseline code): for the rest of a process
 * that is about to end. TurboFan optimises a function on a background thread once it has run for a
 * while, which pays back over a long computation; drawing a run's pictures and writing its files run
 * each piece of code briefly, and their optimised compiles (some thrown away again on deoptimisation)
 * cost more CPU than they save: drawing the sample charts once took 32 ms of CPU instead of 48, and on
 * a machine of few cores that is wall time. Drawing them 30 times over (180 charts), optimised code
 * starts to win again.
 */
export function stopOptimisingCompilers(): void {
  v8.setFlagsFromString('--max-opt=1');
}
