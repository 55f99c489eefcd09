/**
 * `report.html`: one self-contained page per run that reads offline — the summary as tables, every
 * picture inlined as SVG, and links to the run directory's other files (summary, trace, per-group
 * files, PNGs). No scripts, no fonts or styles from the network.
 */
import { Summary } from './summary';
import { RunTimeline } from './timeline';
import { RenderedChart } from './plots/render';
import { formatCycles } from './plots/theme';

export interface ReportLink {
  /** Relative to the run directory. */
  readonly path: string;
  readonly description: string;
}

export interface ReportInput {
  /** The run's name (the experiment id). */
  readonly title: string;
  readonly timeline: RunTimeline;
  readonly summary: Summary;
  /** Input files as the user named them. */
  readonly inputs: readonly { readonly label: string; readonly path: string }[];
  readonly charts: readonly RenderedChart[];
  /** Files written per chart stem (e.g. `plots/schedule-group-0.png`), for the links under each picture. */
  readonly chartFiles: ReadonlyMap<string, readonly string[]>;
  readonly links: readonly ReportLink[];
  /** Why there are no pictures, when there are none. */
  readonly noChartsReason?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * Element ids of an SVG made unique within the page: every picture is rendered on its own, so two of them
 * may both define `clip1`, and a `url(#clip1)` in the second would then use the first one's clip path.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/((?:xlink:)?href)="#([^"]+)"/g, (_, attr: string, id: string) => `${attr}="#${prefix}${id}"`);
}

const STYLE = `
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1.5rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
h3 { font-size: 1.05rem; margin-top: 1.6rem; }
.muted { color: #555; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .92rem; }
th, td { border: 1px solid #d0d0d0; padding: .3rem .6rem; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; }
td.text, th.text { text-align: left; }
.headline { display: flex; gap: 2.5rem; flex-wrap: wrap; margin: 1rem 0; }
.headline div { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 6px; padding: .6rem 1rem; }
.headline b { display: block; font-size: 1.35rem; }
figure { margin: 1.2rem 0 2rem; }
figure > svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9rem; color: #444; margin-top: .3rem; }
code { background: #f4f4f4; padding: 0 .25rem; border-radius: 3px; }
ul { padding-left: 1.3rem; }
`;

const number = formatCycles;
const percent = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);

function summaryTables(input: ReportInput): string {
  const s = input.summary;
  const groups = Object.entries(s.groups);
  const rows = groups
    .map(([key, g]) => {
      const index = key.replace('group_', '');
      return `<tr><td class="text">${escapeHtml(index)}</td><td>${number(g.latency)}</td><td>${g.percentage.toFixed(2)} %</td><td>${number(
        g.latency_per_iteration,
      )}</td><td>${number(g.iterations)}</td><td>${number(g.overlap)}</td><td>${percent(g.mac_spatial_utilization)}</td><td>${percent(
        g.end_to_end_mac_utilization,
      )}</td><td class="text">${escapeHtml(g.solve.status)} (${escapeHtml(g.solve.backend)}, ${g.solve.solve_time_s.toFixed(3)} s)</td><td>${g.wall_time_s.toFixed(
        2,
      )}</td></tr>`;
    })
    .join('\n');
  const energy = s.total_energy !== undefined ? `<div>on-core energy<b>${number(s.total_energy)} pJ</b></div>` : '';
  return `
<div class="headline">
  <div>total latency<b>${number(s.total_latency)} cycles</b></div>
  <div>fusion groups<b>${groups.length}</b></div>
  ${energy}
  <div>wall time<b>${s.total_wall_time_s.toFixed(2)} s</b></div>
</div>
<table>
<tr><th class="text">group</th><th>latency (cycles)</th><th>share</th><th>per iteration (cycles)</th><th>iterations</th><th>overlap (cycles)</th><th>MAC spatial util.</th><th>end-to-end MAC util.</th><th class="text">MILP</th><th>wall time (s)</th></tr>
${rows}
</table>`;
}

function resourcesTable(timeline: RunTimeline): string {
  const rows = timeline.groups
    .flatMap((g) =>
      g.memory.map((m) => {
        const core = timeline.cores.find((c) => c.id === m.coreId);
        const share = m.capacityBits > 0 ? `${((100 * m.allocatedBits) / m.capacityBits).toFixed(2)} %` : 'n/a';
        return `<tr><td class="text">${g.index}</td><td class="text">${escapeHtml(core ? `${core.label} · ${core.detail}` : `Core ${m.coreId}`)}</td><td>${number(
          m.allocatedBits / 8,
        )}</td><td>${number(m.capacityBits / 8)}</td><td>${share}</td></tr>`;
      }),
    )
    .join('\n');
  return `<table>
<tr><th class="text">group</th><th class="text">core</th><th>MILP reservation (bytes)</th><th>capacity (bytes)</th><th>used</th></tr>
${rows}
</table>`;
}

function figures(input: ReportInput): string {
  if (input.charts.length === 0) return `<p class="muted">${escapeHtml(input.noChartsReason ?? 'No pictures were rendered.')}</p>`;
  return input.charts
    .map((chart, i) => {
      const files = (input.chartFiles.get(chart.name) ?? []).map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f.split('.').pop() ?? f)}</a>`).join(' · ');
      return `<figure id="${escapeHtml(chart.name)}">
${scopeSvgIds(chart.svg, `chart${i}-`)}
<figcaption>${escapeHtml(chart.title)}${files ? ` — ${files}` : ''}</figcaption>
</figure>`;
    })
    .join('\n');
}

export function buildReportHtml(input: ReportInput): string {
  const t = input.timeline;
  const inputs = input.inputs.map((i) => `<li>${escapeHtml(i.label)}: <code>${escapeHtml(i.path)}</code></li>`).join('\n');
  const links = input.links.map((l) => `<li><a href="${escapeHtml(l.path)}"><code>${escapeHtml(l.path)}</code></a> — ${escapeHtml(l.description)}</li>`).join('\n');
  const contents = input.charts.map((c) => `<li><a href="#${escapeHtml(c.name)}">${escapeHtml(c.title)}</a></li>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} — stream-dse report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(t.workload)} on ${escapeHtml(t.accelerator)}</h1>
<p class="muted">Run <code>${escapeHtml(input.title)}</code> of stream-dse-ts (Stream's constraint-optimisation flow). Latencies are in clock cycles.</p>
<ul>
${inputs}
</ul>
<h2>Summary</h2>
${summaryTables(input)}
<h3>Memory reserved per core</h3>
${resourcesTable(t)}
<h2>Files</h2>
<ul>
${links}
</ul>
<p class="muted">The trace opens in the Perfetto UI (<code>https://ui.perfetto.dev</code>, “Open trace file”; the file is read in the browser, not uploaded) or in <code>chrome://tracing</code>.
One track per core and per link or bus; groups run back to back; 1 cycle is drawn as 1 ns.</p>
<h2>Pictures</h2>
<ul>
${contents}
</ul>
${figures(input)}
</body>
</html>
`;
}
