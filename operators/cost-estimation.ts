/**
 * RxJS face of the cost pool: each incoming batch of (node, core) requests becomes its cost entries,
 * in request order. Requests fan out with `mergeMap` under a concurrency bound; the result never
 * depends on that bound. Unsubscribing aborts the batch's outstanding worker tasks.
 */
import { defer, from, Observable, type OperatorFunction } from 'rxjs';
import { map, mergeMap, toArray } from 'rxjs/operators';
import type { CostEntry, CostRequest } from '../lib/cost/lut';
import type { CostPool } from './cost-pool';

export interface CostEstimationOptions {
  /** Requests in flight at once; default: the pool's thread count. */
  readonly concurrency?: number;
}

/** One request → its entry, on the pool; unsubscribing aborts the worker task. */
export function estimateOnPool(pool: CostPool, request: CostRequest): Observable<CostEntry> {
  return new Observable<CostEntry>((subscriber) => {
    const abort = new AbortController();
    let settled = false;
    pool.estimate(request, abort.signal).then(
      (entry) => {
        settled = true;
        subscriber.next(entry);
        subscriber.complete();
      },
      (err: unknown) => {
        settled = true;
        if (!abort.signal.aborted) subscriber.error(err);
      },
    );
    return () => {
      if (!settled) abort.abort();
    };
  });
}

/** Batch of requests → entries in the same order. */
export function estimateCosts(pool: CostPool, options: CostEstimationOptions = {}): OperatorFunction<readonly CostRequest[], CostEntry[]> {
  const concurrency = options.concurrency ?? pool.threads;
  return (source) =>
    source.pipe(
      mergeMap(
        (requests) =>
          from(requests.map((request, index) => ({ request, index }))).pipe(
            mergeMap(({ request, index }) => defer(() => estimateOnPool(pool, request)).pipe(map((entry) => ({ entry, index }))), concurrency),
            toArray(),
            map((done) => done.sort((a, b) => a.index - b.index).map((d) => d.entry)),
          ),
        1,
      ),
    );
}
