/**
 * Solver facade: a solver-independent linear model, backends behind a registry, and the
 * lexicographic solve the TETRA MILP needs. `highs` is registered by default.
 */
import { loadHighsBackend } from './highs-backend';
import { isSolverBackendRegistered, registerSolverBackend } from './registry';

export * from './model';
export * from './backend';
export * from './registry';
export * from './lexicographic';
export { createHighsBackend, loadHighsBackend, loadHighsRuntime } from './highs-backend';

export const DEFAULT_SOLVER_BACKEND = 'highs';

if (!isSolverBackendRegistered('highs')) {
  registerSolverBackend({
    name: 'highs',
    description: 'HiGHS MILP solver compiled to wasm (npm package `highs`), persistent sparse model',
    load: loadHighsBackend,
  });
}
