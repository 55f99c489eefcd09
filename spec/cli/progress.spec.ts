/** Terminal rendering of progress events: which mode when, plain lines, and bars on a TTY. */
import { Writable } from 'stream';
import { ProgressEvent } from '../../operators/progress';
import { barReporter, lineReporter, progressMode } from '../../pipelines/cli/progress';

/** A run's events as the CO pipeline emits them (one group, three cost evaluations, three MILP levels). */
const RUN: readonly ProgressEvent[] = [
  { type: 'stage', stage: 'parse-accelerator', phase: 'start' },
  { type: 'stage', stage: 'parse-accelerator', phase: 'end', elapsedMs: 12 },
  { type: 'items', stage: 'groups', done: 0, total: 1 },
  { type: 'stage', stage: 'core-costs', phase: 'start', group: 0 },
  { type: 'items', stage: 'core-costs', group: 0, done: 0, total: 3, status: 'cost evaluations' },
  { type: 'items', stage: 'core-costs', group: 0, done: 1, total: 3, status: 'Conv1 on core 0' },
  { type: 'items', stage: 'core-costs', group: 0, done: 2, total: 3, status: 'Conv1 on core 1' },
  { type: 'items', stage: 'core-costs', group: 0, done: 3, total: 3, status: 'Conv2 on core 0' },
  { type: 'stage', stage: 'core-costs', phase: 'end', group: 0, elapsedMs: 250 },
  { type: 'stage', stage: 'allocation', phase: 'start', group: 0 },
  { type: 'items', stage: 'allocation', group: 0, done: 0, total: 3, status: 'MILP level 1/3: latency' },
  { type: 'warning', stage: 'allocation', group: 0, message: 'slow' },
  { type: 'stage', stage: 'allocation', phase: 'error', group: 0, elapsedMs: 40, message: 'infeasible' },
];

describe('progress mode', () => {
  it('bars on a terminal, lines otherwise, nothing with --quiet or --json', () => {
    expect(progressMode({ tty: true })).toBe('bars');
    expect(progressMode({ tty: false })).toBe('lines');
    expect(progressMode({ tty: true, quiet: true })).toBe('none');
    expect(progressMode({ tty: false, json: true })).toBe('none');
  });
});

describe('plain lines', () => {
  it('a line when a step starts and ends, item lines throttled to one a second plus the last', () => {
    const lines: string[] = [];
    let now = 0;
    const reporter = lineReporter({ out: () => undefined, err: (t) => lines.push(t) }, () => now);
    for (const e of RUN) {
      reporter.onEvent(e);
      now += 100;
    }
    expect(lines).toEqual([
      '[  0.0 s] parse accelerator …',
      '[  0.1 s] parse accelerator done in 0.0 s',
      '[  0.2 s] fusion groups: 0/1',
      '[  0.3 s] group 0 · core costs …',
      '[  0.4 s] group 0 · core costs: 0/3 (cost evaluations)',
      '[  0.7 s] group 0 · core costs: 3/3 (Conv2 on core 0)',
      '[  0.8 s] group 0 · core costs done in 0.3 s',
      '[  0.9 s] group 0 · schedule + MILP …',
      '[  1.0 s] group 0 · schedule + MILP: 0/3 (MILP level 1/3: latency)',
      'warning: group 0 · schedule + MILP: slow',
      '[  1.2 s] group 0 · schedule + MILP failed: infeasible',
    ]);
  });
});

describe('bars on a terminal', () => {
  it('draws a run bar and a bar per running step as events arrive, and clears them at the end', () => {
    const chunks: string[] = [];
    const tty = Object.assign(
      new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          chunks.push(chunk.toString());
          done();
        },
      }),
      { isTTY: true, columns: 120, rows: 40 },
    );
    let now = 0;
    const reporter = barReporter(tty, () => now);
    for (const e of RUN.slice(0, 7)) {
      reporter.onEvent(e);
      now += 200;
    }
    const drawn = chunks.join('');
    expect(drawn).toContain('group 0 · core costs');
    expect(drawn).toContain('2/3 · Conv1 on core 1');
    expect(drawn).toMatch(/run\s+█*░+ 1\/8 steps/);
    reporter.stop();
    reporter.stop();
    reporter.onEvent(RUN[8]);
  });
});
