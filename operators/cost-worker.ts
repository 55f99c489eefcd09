/**
 * Worker-thread entry of the cost pool (operators/cost-pool.ts): runs the synchronous cost model on
 * one request. Piscina loads the compiled `dist/operators/cost-worker.js`; when running from the
 * TypeScript sources (specs), the pool loads `cost-worker.dev.cjs`, which compiles this file on the fly.
 */
import { computeCostEntry, type CostEntry, type CostRequest } from '../lib/cost/lut';

export interface CostTask {
  readonly request: CostRequest;
  readonly key: string;
}

export default function runCostTask(task: CostTask): CostEntry {
  return computeCostEntry(task.request, task.key);
}
