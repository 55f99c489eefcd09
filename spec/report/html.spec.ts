/** `report.html`: self-contained (inline SVGs, no scripts, no network), with the summary and links to the run's files. */
import { buildReportHtml, escapeHtml, scopeSvgIds } from '../../lib/report/html';
import { createChartRenderer, renderCharts, runCharts } from '../../lib/report/plots';
import { runTimeline } from '../../lib/report/timeline';
import { TWO_CONV, exampleCase, runExample } from './support/runs';

describe('report.html', () => {
  let html: string;
  beforeAll(async () => {
    const result = await runExample(exampleCase('tpu_like_quad_core.yaml', 'resnet_dual_residual_1_8_16_16.onnx'));
    const timeline = runTimeline(result.accelerator, result.workload.name, result.groups);
    const charts = await renderCharts(createChartRenderer(), runCharts(timeline, result), ['svg']);
    html = buildReportHtml({
      title: 'resnet <run>',
      timeline,
      summary: result.summary,
      inputs: [{ label: 'hardware', path: 'inputs/hardware/tpu_like_quad_core.yaml' }],
      charts,
      chartFiles: new Map(charts.map((c) => [c.name, [`plots/${c.name}.svg`]])),
      links: [
        { path: 'summary.yaml', description: 'totals' },
        { path: 'trace.json', description: 'trace' },
      ],
    });
  }, 60_000);

  it('is one offline document: pictures inlined as SVG, no scripts, no stylesheets or images from elsewhere', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // A picture is one SVG document (its parts are nested svg elements).
    expect((html.match(/<svg xmlns=/g) ?? []).length).toBe(6);
    expect(html).not.toMatch(/<script\b|<link\b|<img\b|<iframe\b|@import|\bsrc=/i);
    expect(html).not.toMatch(/(href|url)\s*[=(]\s*["']?https?:/i);
  });

  it('keeps element ids unique across the inlined pictures', () => {
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
  });

  it('shows the totals and per-group results and links the summary, the trace and each picture file', () => {
    expect(html).toContain('5,724 cycles');
    expect(html).toMatch(/<td class="text">0<\/td><td>2,862<\/td><td>50\.00 %/);
    expect(html).toContain('href="trace.json"');
    expect(html).toContain('href="summary.yaml"');
    expect(html).toContain('href="plots/schedule-group-1.svg"');
    expect(html).toContain('resnet &lt;run&gt;');
  });
});

describe('HTML helpers', () => {
  it('escapes text and scopes SVG ids with their references', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const svg = '<svg><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><use xlink:href="#clip1"/></g></svg>';
    expect(scopeSvgIds(svg, 'c3-')).toBe(
      '<svg><defs><clipPath id="c3-clip1"><rect/></clipPath></defs><g clip-path="url(#c3-clip1)"><use xlink:href="#c3-clip1"/></g></svg>',
    );
  });

  it('explains a report without pictures', async () => {
    const result = await runExample(exampleCase('tpu_like_quad_core.yaml', TWO_CONV));
    const html = buildReportHtml({
      title: 'x',
      timeline: runTimeline(result.accelerator, result.workload.name, result.groups),
      summary: result.summary,
      inputs: [],
      charts: [],
      chartFiles: new Map(),
      links: [],
      noChartsReason: 'Pictures were switched off (--no-plots).',
    });
    expect(html).toContain('Pictures were switched off (--no-plots).');
    expect(html).not.toContain('<svg');
  });
});
