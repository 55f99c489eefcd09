/**
 * The worker pool that evaluates DSE variants: piscina threads, each running the whole CO pipeline on
 * one variant at a time, so a sweep with concurrency k really uses k cores. Worker loading follows the
 * cost pool's convention (operators/cost-pool.ts): the compiled sibling `variant-worker.js`, else the
 * TypeScript dev entry. Aborting a task's signal cancels it; a running task's thread is terminated.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Piscina } from 'piscina';
import { Observable, Unsubscribable } from 'rxjs';
import type { VariantOutcome, VariantTask } from './variant-worker';

export interface VariantPoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly threads?: number;
  /** Worker entry file; default: `defaultVariantWorkerFile()`. */
  readonly workerFile?: string;
}

/** The compiled worker next to this module, or the dev entry when running from TypeScript sources. */
export function defaultVariantWorkerFile(): string {
  const compiled = path.join(__dirname, 'variant-worker.js');
  if (fs.existsSync(compiled)) return compiled;
  const dev = path.join(__dirname, 'variant-worker.dev.cjs');
  if (fs.existsSync(dev)) return dev;
  throw new Error(`DSE worker entry not found next to ${__filename}; run \`npm run build\``);
}

export class VariantPool implements Unsubscribable {
  private readonly pool: Piscina<VariantTask, VariantOutcome>;
  private inFlight = 0;
  private closed?: Promise<void>;

  constructor(options: VariantPoolOptions = {}) {
    const threads = Math.max(1, options.threads ?? os.availableParallelism());
    this.pool = new Piscina<VariantTask, VariantOutcome>({
      filename: options.workerFile ?? defaultVariantWorkerFile(),
      // Threads start with the first tasks and none is kept in reserve: an aborted task's thread is
      // not replaced, so cancelling a sweep leaves nothing running. Idle ones stay a while for the next sweep.
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 5000,
    });
  }

  get threads(): number {
    return this.pool.options.maxThreads;
  }

  /** Tasks submitted and not yet settled (running or queued). */
  get pending(): number {
    return this.inFlight;
  }

  /** Live worker threads. */
  get liveThreads(): number {
    return this.pool.threads.length;
  }

  /** Evaluates one variant on a worker; aborting `signal` cancels it (and ends its thread if it runs). */
  evaluate(task: VariantTask, signal?: AbortSignal): Promise<VariantOutcome> {
    this.inFlight++;
    return this.pool.run(task, signal ? { signal } : {}).finally(() => this.inFlight--);
  }

  /** One evaluation as an observable: unsubscribing aborts the task. */
  evaluate$(task: VariantTask): Observable<VariantOutcome> {
    return new Observable<VariantOutcome>((subscriber) => {
      const abort = new AbortController();
      this.evaluate(task, abort.signal).then(
        (outcome) => {
          subscriber.next(outcome);
          subscriber.complete();
        },
        (err: unknown) => {
          if (!abort.signal.aborted) subscriber.error(err);
        },
      );
      return () => abort.abort();
    });
  }

  /** Stops the worker threads (pending tasks are rejected); idempotent. */
  close(): Promise<void> {
    this.closed ??= this.pool.destroy();
    return this.closed;
  }

  /** `using()` resource teardown. */
  unsubscribe(): void {
    void this.close();
  }
}
