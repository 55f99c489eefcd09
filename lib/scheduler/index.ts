/**
 * The steady-state scheduler (reference-co-pipeline §9) and memory-access estimation (§11): from a
 * tiled fusion group to the TETRA MILP's input, and from its solution to final allocations and memory
 * traffic.
 */
export * from './routing';
export * from './transfer-graph';
export * from './dims';
export * from './ssis';
export * from './transfer-mapping';
export * from './timeslots';
export * from './steady-state';
export * from './problem';
export * from './memory-accesses';
export * from './results';
