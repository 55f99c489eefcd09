/**
 * Typed progress events, emitted next to results by every pipeline. Renderers (progress bars on a TTY,
 * plain log lines otherwise) and library users subscribe to the same stream.
 */
export type ProgressEvent =
  | {
      readonly type: 'stage';
      readonly stage: string;
      readonly phase: 'start' | 'end' | 'error';
      /** Fusion group index, when the stage runs per group. */
      readonly group?: number;
      readonly elapsedMs?: number;
      readonly message?: string;
    }
  | {
      /** Item i of n inside a stage (cost evaluations, MILP levels, DSE variants). */
      readonly type: 'items';
      readonly stage: string;
      readonly done: number;
      readonly total: number;
      readonly group?: number;
      readonly status?: string;
    }
  | {
      readonly type: 'warning';
      readonly stage: string;
      readonly message: string;
      readonly group?: number;
    };

export interface ProgressSink {
  emit(event: ProgressEvent): void;
}

export const silentProgress: ProgressSink = { emit: () => undefined };
