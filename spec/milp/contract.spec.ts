/**
 * The `SteadyStateProblem` contract is meant to be filled straight from the steady-state scheduler's
 * data. These assignments fail to compile if the scheduler's SSIS variables or route plans stop being
 * usable as the MILP's `IterationVariable` / `TransferRoute` (type-only imports; nothing runs).
 */
import type { IterationVariable, SteadyStateIterationSpace, TransferRoute, TransferType } from '../../lib/milp';
import type { MulticastPathPlan } from '../../lib/scheduler/routing';
import type { IterationVariable as SchedulerIterationVariable, SteadyStateIterationSpace as SchedulerSpace } from '../../lib/scheduler/ssis';
import type { TransferType as WorkloadTransferType } from '../../lib/workload/model';

type Assignable<From, To> = From extends To ? true : false;

const variableFits: Assignable<SchedulerIterationVariable, IterationVariable> = true;
const spaceFits: Assignable<SchedulerSpace, SteadyStateIterationSpace> = true;
const routeFits: Assignable<MulticastPathPlan, TransferRoute> = true;
const transferTypeFits: Assignable<WorkloadTransferType, TransferType> = true;

describe('SteadyStateProblem contract', () => {
  it('accepts the scheduler’s SSIS, route plans and transfer types as they are', () => {
    expect([variableFits, spaceFits, routeFits, transferTypeFits]).toEqual([true, true, true, true]);
  });
});
