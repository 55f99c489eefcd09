/**
 * Gantt chart of one steady-state iteration of a fusion group: one row per compute core and per link or
 * bus, a bar per computation (on each of its cores) and per transfer (on each link of its route), the
 * timeslots as alternating bands with their numbers, and the start of the next iteration when iterations
 * overlap.
 */
import { GroupTimeline, RunTimeline, compactIds } from '../timeline';
import { QuantitativeAxis, bottomAxis, leftLabels, plotFrame, verticalGrid } from './draw/axis';
import { legend, withLegendsBelow } from './draw/legend';
import { linearScale } from './draw/scale';
import { Layer, titled } from './draw/svg';
import { AXIS_LABEL_LIMIT, LEGEND_LABEL_LIMIT, TABLEAU20, formatCycles, textWidth, truncate } from './theme';

const PLOT_WIDTH = 920;
const ROW_HEIGHT = 30;
const BAR_HEIGHT = ROW_HEIGHT - 10;

interface BarDatum {
  /** Index of the bar's row, top to bottom. */
  readonly row: number;
  readonly start: number;
  readonly end: number;
  readonly activity: string;
  readonly label: string;
}

/** Rows of one resource: activities that overlap inside the iteration go to extra rows. */
function laneRows<T extends { readonly start: number; readonly end: number }>(items: readonly T[]): T[][] {
  const lanes: T[][] = [];
  for (const item of [...items].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const lane = lanes.find((l) => l[l.length - 1].end <= item.start);
    if (lane) lane.push(item);
    else lanes.push([item]);
  }
  return lanes;
}

/** The chart, to be written as an SVG document (`svgDocument`). */
export function scheduleChart(run: RunTimeline, g: GroupTimeline): Layer {
  const period = Math.max(g.perIteration, 1);
  const pxPerCycle = PLOT_WIDTH / period;
  const coreDetail = new Map(run.cores.map((c) => [c.id, c.detail.replace(/ \(.*\)$/, '')]));
  const linkLabel = new Map(run.links.map((l) => [l.index, l.label]));
  const linkBandwidth = new Map(run.links.map((l) => [l.index, l.bandwidth]));
  const coreRowName = (ids: readonly number[]) =>
    `${ids.length > 1 ? `Cores ${compactIds(ids)}` : `Core ${ids[0]}`} · ${coreDetail.get(ids[0]) ?? ''}`;
  const linkRowName = (ids: readonly number[]) => {
    const bandwidth = `${linkBandwidth.get(ids[0]) ?? '?'} b/cycle`;
    if (ids.length === 1) return `${linkLabel.get(ids[0]) ?? `link ${ids[0]}`} · ${bandwidth}`;
    if (ids.length === 2) return `${ids.map((id) => linkLabel.get(id)).join(', ')} · ${bandwidth}`;
    return `${linkLabel.get(ids[0])} and ${ids.length - 1} more links · ${bandwidth}`;
  };

  const perResource = new Map<string, { start: number; end: number; activity: string; short: string }[]>();
  const add = (resource: string, start: number, end: number, activity: string, short: string) => {
    const items = perResource.get(resource) ?? [];
    items.push({ start, end, activity, short });
    perResource.set(resource, items);
  };
  for (const a of g.activities) {
    const end = a.start + a.duration;
    // A transfer's bar is labelled with the tensor it moves: shorter than `Transfer(<tensor>)`.
    if (a.kind === 'compute') for (const c of a.cores) add(`core:${c}`, a.start, end, a.name, a.name);
    else for (const l of a.links) add(`link:${l}`, a.start, end, a.name, a.tensor);
  }
  const activities = [...new Set(g.activities.filter((a) => a.kind === 'compute' || a.links.length > 0).map((a) => a.name))];
  // Resources with the same bars share a row (the cores of one split node, the links of one multicast).
  const merged = new Map<string, { kind: 'core' | 'link'; ids: number[]; items: { start: number; end: number; activity: string; short: string }[] }>();
  const resources: { kind: 'core' | 'link'; id: number }[] = [
    ...run.cores.filter((c) => perResource.has(`core:${c.id}`)).map((c) => ({ kind: 'core' as const, id: c.id })),
    ...run.links.filter((l) => perResource.has(`link:${l.index}`)).map((l) => ({ kind: 'link' as const, id: l.index })),
  ];
  for (const r of resources) {
    const items = perResource.get(`${r.kind}:${r.id}`) ?? [];
    const detail = r.kind === 'core' ? coreDetail.get(r.id) : linkBandwidth.get(r.id);
    const key = JSON.stringify([r.kind, detail, items.map((i) => [i.activity, i.start, i.end])]);
    const row = merged.get(key);
    if (row) row.ids.push(r.id);
    else merged.set(key, { kind: r.kind, ids: [r.id], items });
  }

  const rows: string[] = [];
  const bars: BarDatum[] = [];
  for (const { kind, ids, items } of merged.values()) {
    const name = kind === 'core' ? coreRowName(ids) : linkRowName(ids);
    laneRows(items).forEach((lane, i) => {
      const row = rows.length;
      rows.push(i === 0 ? name : `${name} (${i + 1})`);
      for (const item of lane) {
        const fits = textWidth(item.short, 10) + 6 <= (item.end - item.start) * pxPerCycle;
        bars.push({ row, start: item.start, end: item.end, activity: item.activity, label: fits ? item.short : '' });
      }
    });
  }
  const shownActivities = activities.filter((a) => bars.some((b) => b.activity === a));
  const colour = new Map(shownActivities.map((a, i) => [a, TABLEAU20[i % TABLEAU20.length]]));

  const height = Math.max(rows.length, 1) * ROW_HEIGHT;
  const x = linearScale([0, period], [0, PLOT_WIDTH]);
  const xAxis: QuantitativeAxis = { scale: x, format: 'grouped', title: 'cycles from the start of the iteration' };
  const plot = new Layer();
  plotFrame(plot, PLOT_WIDTH, height);
  verticalGrid(plot, xAxis, height);
  bottomAxis(plot, xAxis, height);
  leftLabels(plot, rows.map((label, i) => ({ label: truncate(label, 11, AXIS_LABEL_LIMIT), y: (i + 0.5) * ROW_HEIGHT })), height, { ticks: false });
  g.slots
    .filter((s) => s.latency > 0)
    .forEach((s, i) => {
      plot.rect(x(s.start), 0, x(s.start + s.latency) - x(s.start), height, `fill="${i % 2 === 0 ? '#ececec' : '#ffffff'}" opacity="0.55"`);
      if (textWidth(`s${s.slot}`, 10) + 4 <= s.latency * pxPerCycle) {
        plot.text(x(s.start + s.latency / 2), -3, `s${s.slot}`, { size: 10, color: '#555', anchor: 'middle', baseline: 'bottom' });
      }
    });
  for (const b of bars) {
    const top = (b.row + 0.5) * ROW_HEIGHT - BAR_HEIGHT / 2;
    plot.rect(x(b.start), top, x(b.end) - x(b.start), BAR_HEIGHT, `rx="2" fill="${colour.get(b.activity)}" stroke="#333" stroke-width="0.5"`);
  }
  for (const b of bars) plot.text(x(b.start) + 3, (b.row + 0.5) * ROW_HEIGHT, b.label, { size: 10, color: '#111', baseline: 'middle' });
  const overlaps = g.overlap > 0 && g.iterations > 1;
  if (overlaps) plot.line(x(g.step), 0, x(g.step), height, 'stroke="#c0392b" stroke-width="1.5" stroke-dasharray="6,4"');

  const entries = shownActivities.map((a) => ({ label: truncate(a, 11, LEGEND_LABEL_LIMIT), symbol: { kind: 'square' as const, fill: colour.get(a) ?? '#000', stroke: '#333' } }));
  const iterations = g.iterations === 1 ? '1 iteration' : `${formatCycles(g.iterations)} iterations, step ${formatCycles(g.step)} cycles`;
  return titled(
    withLegendsBelow(plot, [legend('computations and transfers', entries, 4)]),
    `Fusion group ${g.index}: one steady-state iteration (${formatCycles(g.perIteration)} cycles)`,
    [
      `${iterations}; group latency ${formatCycles(g.latency)} cycles.`,
      'Bars: the cycles the MILP charges each core and link; resources with the same bars share a row.',
      `Grey and white bands: timeslots s<n>${overlaps ? `; dashed red line: the next iteration starts (overlap ${formatCycles(g.overlap)} cycles)` : ''}.`,
    ],
    { offset: 22 },
  );
}
