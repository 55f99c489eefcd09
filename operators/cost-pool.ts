/**
 * Parallel cost estimation: a pool of worker threads (piscina) that runs the per-core cost model on
 * many (node, core) pairs, in front of the cost LUT. A request is looked up first (memory, then the
 * persistent store); identical requests in flight share one computation; misses run in the pool
 * with bounded concurrency. Results never depend on the concurrency: every entry is a pure function
 * of its request.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Piscina } from 'piscina';
import { costRequestKey, CostLut, type CostEntry, type CostRequest } from '../lib/cost/lut';
import type { CostTask } from './cost-worker';

export interface CostPoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly maxThreads?: number;
  /** Table in front of the pool; default: an in-memory table. */
  readonly lut?: CostLut;
  /** Worker entry file; default: the compiled sibling `cost-worker.js`, else the TypeScript dev entry. */
  readonly workerFile?: string;
}

/** The compiled worker next to this module, or the dev entry when running from TypeScript sources. */
export function defaultCostWorkerFile(): string {
  const compiled = path.join(__dirname, 'cost-worker.js');
  if (fs.existsSync(compiled)) return compiled;
  const dev = path.join(__dirname, 'cost-worker.dev.cjs');
  if (fs.existsSync(dev)) return dev;
  throw new Error(`cost worker entry not found next to ${__filename}; run \`npm run build\``);
}

export class CostPool {
  readonly lut: CostLut;
  private readonly pool: Piscina<CostTask, CostEntry>;
  /** Identical requests in flight share one task, aborted only when every caller has aborted. */
  private readonly inFlight = new Map<string, { readonly task: Promise<CostEntry>; readonly controller: AbortController; waiting: number }>();

  constructor(options: CostPoolOptions = {}) {
    this.lut = options.lut ?? new CostLut();
    const threads = Math.max(1, options.maxThreads ?? os.availableParallelism());
    this.pool = new Piscina<CostTask, CostEntry>({
      filename: options.workerFile ?? defaultCostWorkerFile(),
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 2000,
    });
  }

  get threads(): number {
    return this.pool.options.maxThreads;
  }

  /** The cost entry of one request: from the table, or computed on a worker thread. */
  estimate(request: CostRequest, signal?: AbortSignal): Promise<CostEntry> {
    const key = costRequestKey(request);
    const known = this.lut.lookup(key);
    if (known) return Promise.resolve(known);
    let shared = this.inFlight.get(key);
    if (!shared) {
      const controller = new AbortController();
      const task = this.pool
        .run({ request, key }, { signal: controller.signal })
        .then((entry) => {
          this.lut.insert(entry);
          return entry;
        })
        .finally(() => this.inFlight.delete(key));
      shared = { task, controller, waiting: 0 };
      this.inFlight.set(key, shared);
    }
    const job = shared;
    job.waiting++;
    if (!signal) return job.task;
    return new Promise<CostEntry>((resolve, reject) => {
      const onAbort = (): void => {
        job.waiting--;
        if (job.waiting === 0) job.controller.abort();
        reject(signal.reason ?? new Error('aborted'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      job.task.then(
        (entry) => {
          signal.removeEventListener('abort', onAbort);
          resolve(entry);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }

  /** Entries for many requests, in request order; at most `concurrency` tasks are queued at once. */
  async estimateAll(requests: readonly CostRequest[], concurrency: number = this.threads, signal?: AbortSignal): Promise<CostEntry[]> {
    const results = new Array<CostEntry>(requests.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < requests.length) {
        const i = next++;
        results[i] = await this.estimate(requests[i], signal);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, requests.length)) }, lane));
    return results;
  }

  /** Stops the worker threads (pending tasks are rejected). */
  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
