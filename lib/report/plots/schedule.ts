/**
 * Gantt chart of one steady-state iteration of a fusion group: one row per compute core and per link or
 * bus, a bar per computation (on each of its cores) and per transfer (on each link of its route), the
 * timeslots as alternating bands with their numbers, and the start of the next iteration when iterations
 * overlap.
 */
import { GroupTimeline, RunTimeline, compactIds } from '../timeline';
import { Kit, categoryColours, figure, headerBlock, legendBlock, plotBlock, textWidth } from './figure';
import { TemplateChart } from './template';
import { formatCycles } from './theme';

const PLOT_WIDTH = 920;
const ROW_HEIGHT = 30;
const BAR_LABEL_SIZE = 10;

interface BarDatum {
  readonly resource: string;
  /** Position of the bar's row, top to bottom. */
  readonly rowOrder: number;
  readonly start: number;
  readonly end: number;
  readonly activity: string;
  /** Position of the activity in the legend (and so its colour). */
  readonly activityOrder: number;
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

export function scheduleChart(run: RunTimeline, g: GroupTimeline): TemplateChart {
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
  const activityOrder = new Map(activities.map((a, i) => [a, i]));
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

  const bars: BarDatum[] = [];
  let rowOrder = 0;
  for (const { kind, ids, items } of merged.values()) {
    const name = kind === 'core' ? coreRowName(ids) : linkRowName(ids);
    laneRows(items).forEach((lane, i) => {
      const row = i === 0 ? name : `${name} (${i + 1})`;
      for (const item of lane) {
        const fits = textWidth(item.short, BAR_LABEL_SIZE) + 6 <= (item.end - item.start) * pxPerCycle;
        bars.push({ resource: row, rowOrder, start: item.start, end: item.end, activity: item.activity, activityOrder: activityOrder.get(item.activity) ?? 0, label: fits ? item.short : '' });
      }
      rowOrder += 1;
    });
  }

  const slots = g.slots
    .filter((s) => s.latency > 0)
    .map((s, i) => ({
      start: s.start,
      end: s.start + s.latency,
      band: i % 2,
      label: textWidth(`s${s.slot}`, BAR_LABEL_SIZE) + 4 <= s.latency * pxPerCycle ? `s${s.slot}` : '',
      mid: s.start + s.latency / 2,
    }));
  const overlaps = g.overlap > 0 && g.iterations > 1;
  const iterations = g.iterations === 1 ? '1 iteration' : `${formatCycles(g.iterations)} iterations, step ${formatCycles(g.step)} cycles`;
  return {
    kind: 'schedule',
    signals: {
      chartTitle: `Fusion group ${g.index}: one steady-state iteration (${formatCycles(g.perIteration)} cycles)`,
      chartSubtitle: [
        `${iterations}; group latency ${formatCycles(g.latency)} cycles.`,
        'Bars: the cycles the MILP charges each core and link; resources with the same bars share a row.',
        `Grey and white bands: timeslots s<n>${overlaps ? `; dashed red line: the next iteration starts (overlap ${formatCycles(g.overlap)} cycles)` : ''}.`,
      ],
      period,
      rows: [...new Set(bars.map((b) => b.resource))],
      activities,
    },
    datasets: { slots, bars, nextIteration: overlaps ? [{ at: g.step }] : [] },
  };
}

interface SlotDatum {
  readonly start: number;
  readonly end: number;
  readonly band: number;
  readonly label: string;
  readonly mid: number;
}

/**
 * Rows are resources top to bottom in `rowOrder`, colours follow the activities' order in the group;
 * the timeslots are bands behind the bars with their numbers above the plot.
 */
export function drawSchedule(kit: Kit, chart: TemplateChart): string {
  const { Plot } = kit;
  const rows = chart.signals.rows as readonly string[];
  const activities = chart.signals.activities as readonly string[];
  const slots = chart.datasets.slots as readonly SlotDatum[];
  const bars = chart.datasets.bars as readonly BarDatum[];
  const colours = categoryColours(Math.max(1, activities.length));
  const marginLeft = Math.ceil(Math.max(40, ...rows.map((r) => textWidth(r)))) + 14;
  const [marginTop, marginBottom] = [18, 40];
  const body = plotBlock(kit, {
    width: marginLeft + PLOT_WIDTH + 12,
    height: marginTop + rows.length * ROW_HEIGHT + marginBottom,
    marginLeft,
    marginRight: 12,
    marginTop,
    marginBottom,
    x: { domain: [0, chart.signals.period as number], label: 'cycles from the start of the iteration', labelAnchor: 'center', labelArrow: 'none', labelOffset: 34, tickFormat: ',~f', ticks: 8, grid: true },
    y: { domain: rows, label: null, tickSize: 0, padding: 0 },
    color: { domain: activities, range: colours },
    marks: [
      Plot.rectX(slots.filter((s) => s.band === 0), { x1: 'start', x2: 'end', fill: '#ececec', fillOpacity: 0.55 }),
      Plot.text(slots, { x: 'mid', text: 'label', frameAnchor: 'top', lineAnchor: 'bottom', dy: -3, fontSize: BAR_LABEL_SIZE, fill: '#555' }),
      Plot.frame({ stroke: '#ccc' }),
      Plot.barX(bars, { y: 'resource', x1: 'start', x2: 'end', fill: 'activity', stroke: '#333', strokeWidth: 0.5, rx: 2, insetTop: 5, insetBottom: 5 }),
      Plot.text(bars, { y: 'resource', x: 'start', text: 'label', textAnchor: 'start', dx: 3, fontSize: BAR_LABEL_SIZE, fill: '#111' }),
      Plot.ruleX(chart.datasets.nextIteration, { x: 'at', stroke: '#c0392b', strokeDasharray: '6,4', strokeWidth: 1.5 }),
    ],
  });
  const header = headerBlock(kit, { title: chart.signals.chartTitle as string, subtitle: chart.signals.chartSubtitle as string[] }, body.width);
  const legend = legendBlock(
    kit,
    { title: 'computations and transfers', entries: activities.map((label, i) => ({ label, color: colours[i] })), maxColumns: 4 },
    body.width - marginLeft,
  );
  return figure(kit, [header, body, { ...legend, indent: marginLeft }], [10, 14]);
}
