import { Observable, OperatorFunction, defer, of } from 'rxjs';
import { mergeMap } from 'rxjs/operators';
import { ProgressSink } from './progress';

/**
 * Wraps one stage so that every snapshot passing through it reports `start` and `end` (or `error`)
 * with its wall time. Stages never log for themselves; like MLIR's pass instrumentation, timing and
 * progress are added from the outside. `groupOf` labels events of per-group stages.
 */
export function instrument<I, O>(
  stage: string,
  operator: OperatorFunction<I, O>,
  sink: ProgressSink,
  groupOf: (snapshot: I) => number | undefined = () => undefined,
): OperatorFunction<I, O> {
  return (source: Observable<I>) =>
    source.pipe(
      mergeMap((snapshot) =>
        defer(() => {
          const group = groupOf(snapshot);
          const started = performance.now();
          sink.emit({ type: 'stage', stage, phase: 'start', group });
          return new Observable<O>((subscriber) =>
            of(snapshot)
              .pipe(operator)
              .subscribe({
                next: (value) => subscriber.next(value),
                error: (err: unknown) => {
                  sink.emit({
                    type: 'stage',
                    stage,
                    phase: 'error',
                    group,
                    elapsedMs: performance.now() - started,
                    message: err instanceof Error ? err.message : String(err),
                  });
                  subscriber.error(err);
                },
                complete: () => {
                  sink.emit({ type: 'stage', stage, phase: 'end', group, elapsedMs: performance.now() - started });
                  subscriber.complete();
                },
              }),
          );
        }),
        1,
      ),
    );
}
