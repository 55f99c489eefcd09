/**
 * The structural rules a Chrome / Perfetto JSON trace must follow to open cleanly in ui.perfetto.dev,
 * checked at the nanoseconds Perfetto's importer computes (it truncates `µs × 1000`):
 *
 *  - the document decodes with the trace codec; `displayTimeUnit` and the clock are stated;
 *  - every event has a name, complete events a category, times are finite and non-negative;
 *  - every thread that has events is named, and so is the process;
 *  - complete events on one thread nest perfectly (a slice starting inside another ends inside it);
 *  - every counter's samples are strictly increasing in time, with finite non-negative values.
 */
import { isLeft } from 'fp-ts/Either';
import { ChromeTrace, ChromeTraceCodec, CompleteEvent, CounterEvent, perfettoImportedNs } from '../../../lib/report/trace';

export function traceProblems(document: unknown): string[] {
  const decoded = ChromeTraceCodec.decode(document);
  if (isLeft(decoded)) return [`does not decode: ${decoded.left.length} codec errors`];
  const trace: ChromeTrace = decoded.right;
  const problems: string[] = [];
  if (!(trace.otherData.clock_hz > 0)) problems.push('no clock in otherData');

  const threadNames = new Set<string>();
  const processNames = new Set<number>();
  const slices = new Map<string, CompleteEvent[]>();
  const counters = new Map<string, CounterEvent[]>();
  for (const e of trace.traceEvents) {
    if (e.name.trim() === '') problems.push(`unnamed ${e.ph} event`);
    if (e.ph === 'M') {
      if (e.name === 'thread_name') threadNames.add(`${e.pid}/${e.tid}`);
      if (e.name === 'process_name') processNames.add(e.pid);
      continue;
    }
    if (!Number.isFinite(e.ts) || e.ts < 0) problems.push(`${e.name}: bad ts ${e.ts}`);
    if (e.ph === 'X') {
      if (!Number.isFinite(e.dur) || e.dur < 0) problems.push(`${e.name}: bad dur ${e.dur}`);
      if (e.cat.trim() === '') problems.push(`${e.name}: no category`);
      const key = `${e.pid}/${e.tid}`;
      slices.set(key, [...(slices.get(key) ?? []), e]);
    } else {
      counters.set(e.name, [...(counters.get(e.name) ?? []), e]);
      for (const [series, value] of Object.entries(e.args)) {
        if (!Number.isFinite(value) || value < 0) problems.push(`${e.name}.${series}: bad value ${value}`);
      }
    }
  }

  for (const [thread, events] of slices) {
    if (!threadNames.has(thread)) problems.push(`thread ${thread} has no thread_name`);
    if (!processNames.has(Number(thread.split('/')[0]))) problems.push(`process of ${thread} has no process_name`);
    const spans = events
      .map((e) => {
        const start = perfettoImportedNs(e.ts);
        return { name: e.name, start, end: start + perfettoImportedNs(e.dur) };
      })
      .sort((a, b) => a.start - b.start || b.end - a.end);
    const open: { name: string; end: number }[] = [];
    for (const s of spans) {
      while (open.length > 0 && open[open.length - 1].end <= s.start) open.pop();
      const parent = open[open.length - 1];
      if (parent && s.end > parent.end) problems.push(`thread ${thread}: ${s.name} [${s.start}, ${s.end}) overlaps ${parent.name} ending at ${parent.end}`);
      open.push(s);
    }
  }

  for (const [name, samples] of counters) {
    for (let i = 1; i < samples.length; i++) {
      if (!(samples[i].ts > samples[i - 1].ts)) problems.push(`counter ${name}: sample ${i} at ${samples[i].ts} after ${samples[i - 1].ts}`);
    }
  }
  return problems;
}
