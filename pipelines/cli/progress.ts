/**
 * Renders the pipelines' typed progress events on stderr (stdout carries results): progress bars on a
 * terminal, plain log lines otherwise (CI logs, pipes), nothing with `--quiet` or `--json`.
 *
 * Bars use cli-progress: one bar for the run (steps finished out of the steps known so far) and one per
 * running step, which fills with the step's `items` events (cost evaluations, MILP levels, groups). The
 * pipeline computes synchronously inside a step, so cli-progress's own redraw timer may not get a turn;
 * every event therefore redraws directly, at most every `REDRAW_MS`, and always when a step starts or
 * ends, so a long step shows up as soon as it starts.
 */
import { MultiBar, SingleBar } from 'cli-progress';
import { ProgressEvent } from '../../operators/progress';
import { CliIO } from './io';

export type ProgressMode = 'bars' | 'lines' | 'none';

export function progressMode(options: { readonly quiet?: boolean; readonly json?: boolean; readonly tty: boolean }): ProgressMode {
  if (options.quiet || options.json) return 'none';
  return options.tty ? 'bars' : 'lines';
}

export interface ProgressReporter {
  readonly onEvent: (event: ProgressEvent) => void;
  /** Removes the bars (call before printing results); idempotent. */
  stop(): void;
}

const STAGE_LABELS: Readonly<Record<string, string>> = {
  'parse-accelerator': 'parse accelerator',
  'parse-workload': 'parse workload',
  'parse-mapping': 'parse mapping',
  'generate-mapping': 'generate mapping',
  tiling: 'tiling',
  'core-costs': 'core costs',
  allocation: 'schedule + MILP',
  statistics: 'statistics',
  groups: 'fusion groups',
  report: 'trace, pictures, report',
};

/** Steps the CO pipelines run before the fusion groups fan out, and per group. */
const FRONT_STEPS = 4;
const GROUP_STEPS = 3;
/** The CLI writes the trace, pictures and report after the pipeline. */
const REPORT_STEPS = 1;
const REDRAW_MS = 80;
/** Log lines about one step's items at most this often (plus its last item). */
const LINE_ITEMS_MS = 1000;

const stageLabel = (stage: string) => STAGE_LABELS[stage] ?? stage;
const taskLabel = (stage: string, group?: number) => (group === undefined ? stageLabel(stage) : `group ${group} · ${stageLabel(stage)}`);
const taskKey = (stage: string, group?: number) => `${group ?? '-'}:${stage}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const silentReporter: ProgressReporter = { onEvent: () => undefined, stop: () => undefined };

/** Plain lines: a line when a step starts and when it ends, and a throttled line for its items. */
export function lineReporter(io: CliIO, now: () => number = () => performance.now()): ProgressReporter {
  const started = now();
  const lastItems = new Map<string, number>();
  const stamp = () => `[${seconds(now() - started).padStart(7)}]`;
  return {
    onEvent(e) {
      if (e.type === 'warning') {
        io.err(`warning: ${taskLabel(e.stage, e.group)}: ${e.message}`);
        return;
      }
      if (e.type === 'items') {
        const key = taskKey(e.stage, e.group);
        const last = lastItems.get(key);
        if (e.done < e.total && last !== undefined && now() - last < LINE_ITEMS_MS) return;
        lastItems.set(key, now());
        io.err(`${stamp()} ${taskLabel(e.stage, e.group)}: ${e.done}/${e.total}${e.status ? ` (${e.status})` : ''}`);
        return;
      }
      const label = taskLabel(e.stage, e.group);
      if (e.phase === 'start') io.err(`${stamp()} ${label} …`);
      else if (e.phase === 'end') io.err(`${stamp()} ${label} done in ${seconds(e.elapsedMs ?? 0)}`);
      else io.err(`${stamp()} ${label} failed${e.message ? `: ${e.message}` : ''}`);
    },
    stop: () => undefined,
  };
}

interface BarPayload {
  readonly label: string;
  readonly detail: string;
}

/** Terminal bars on `stream` (a TTY). */
export function barReporter(stream: NodeJS.WritableStream, now: () => number = () => performance.now()): ProgressReporter {
  const started = now();
  const multibar = new MultiBar({
    stream,
    format: ' {label} {bar} {detail}',
    barsize: 28,
    hideCursor: true,
    clearOnComplete: true,
    stopOnComplete: false,
    linewrap: false,
    autopadding: true,
    fps: 1000 / REDRAW_MS,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    gracefulExit: true,
  });
  const payload = (label: string, detail: string): BarPayload => ({ label: label.padEnd(32), detail });
  let groups = 0;
  let finished = 0;
  const total = () => FRONT_STEPS + GROUP_STEPS * Math.max(groups, 1) + REPORT_STEPS;
  const run: SingleBar = multibar.create(total(), 0, payload('run', ''));
  const tasks = new Map<string, SingleBar>();
  let lastDraw = 0;
  let stopped = false;

  const redraw = (force: boolean) => {
    const t = now();
    run.setTotal(total());
    run.update(finished, payload('run', `${finished}/${total()} steps · ${seconds(t - started)}`));
    if (force || t - lastDraw >= REDRAW_MS) {
      lastDraw = t;
      multibar.update();
    }
  };
  const task = (stage: string, group?: number) => {
    const key = taskKey(stage, group);
    const existing = tasks.get(key);
    if (existing) return existing;
    const bar = multibar.create(1, 0, payload(taskLabel(stage, group), ''));
    tasks.set(key, bar);
    return bar;
  };

  return {
    onEvent(e) {
      if (stopped) return;
      if (e.group !== undefined) groups = Math.max(groups, e.group + 1);
      if (e.type === 'warning') {
        multibar.log(`warning: ${taskLabel(e.stage, e.group)}: ${e.message}\n`);
        redraw(true);
        return;
      }
      if (e.type === 'items') {
        if (e.stage === 'groups') groups = Math.max(groups, e.total);
        const bar = task(e.stage, e.group);
        bar.setTotal(Math.max(e.total, 1));
        bar.update(e.done, payload(taskLabel(e.stage, e.group), `${e.done}/${e.total}${e.status ? ` · ${e.status}` : ''}`));
        redraw(false);
        return;
      }
      if (e.phase === 'start') {
        task(e.stage, e.group);
      } else {
        const key = taskKey(e.stage, e.group);
        const bar = tasks.get(key);
        if (bar) multibar.remove(bar);
        tasks.delete(key);
        finished += 1;
        if (e.phase === 'error') multibar.log(`${taskLabel(e.stage, e.group)} failed${e.message ? `: ${e.message}` : ''}\n`);
      }
      redraw(true);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      multibar.stop();
    },
  };
}

export function createProgressReporter(mode: ProgressMode, io: CliIO, tty?: NodeJS.WritableStream): ProgressReporter {
  if (mode === 'none') return silentReporter;
  if (mode === 'bars' && tty) return barReporter(tty);
  return lineReporter(io);
}
