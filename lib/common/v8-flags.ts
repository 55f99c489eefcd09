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
