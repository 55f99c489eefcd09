import { Observable, OperatorFunction, defer, from, of } from 'rxjs';
import { concatMap, mergeMap, toArray } from 'rxjs/operators';
import { ProgressSink } from './progress';

/**
 * Wraps one stage so that every snapshot passing through it reports `start` and `end` (or `error`)
 * with the stage's own wall time. Stages never log for themselves; like MLIR's pass instrumentation,
 * timing and progress are added from the outside. `groupOf` labels events of per-group stages.
 *
 * A stage's outputs for one snapshot are gathered before they move on, so `end` is reported when the
 * stage itself is done rather than after the downstream stages that its outputs trigger.
 */
export function instrument<I, O>(
  stage: string,
  operator: OperatorFunction<I, O>,
  sink: ProgressSink,
  groupOf: (snapshot: I) => number | undefined = () => undefined,
): OperatorFunction<I, O> {
  return (source: Observable<I>) =>
    source.pipe(
      concatMap((snapshot) =>
        defer(() => {
          const group = groupOf(snapshot);
          const started = performance.now();
          const elapsedMs = () => performance.now() - started;
          sink.emit({ type: 'stage', stage, phase: 'start', group });
          return of(snapshot).pipe(
            operator,
            toArray(),
            mergeMap((outputs) => {
              sink.emit({ type: 'stage', stage, phase: 'end', group, elapsedMs: elapsedMs() });
              return from(outputs);
            }),
          ).pipe((inner) =>
            new Observable<O>((subscriber) =>
              inner.subscribe({
                next: (v) => subscriber.next(v),
                complete: () => subscriber.complete(),
                error: (err: unknown) => {
                  const message = err instanceof Error ? err.message : String(err);
                  sink.emit({ type: 'stage', stage, phase: 'error', group, elapsedMs: elapsedMs(), message });
                  subscriber.error(err);
                },
              }),
            ),
          );
        }),
      ),
    );
}
