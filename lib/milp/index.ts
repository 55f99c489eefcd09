/**
 * The TETRA MILP of one fusion group (reference-co-pipeline.md §10): problem contract, formulation,
 * solve and results, infeasibility report.
 */
export * from './problem';
export * from './tables';
export * from './formulation';
export * from './result';
export * from './infeasibility';
export * from './solve';
