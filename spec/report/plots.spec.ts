/**
 * The pictures: every chart of every example in the matrix (the shipped hardware × {2-conv, SwiGLU with
 * the matrix's tiling}) renders to SVG without a Plot warning and without a truncated label; a few
 * render to PNG too, and the PNG text is drawn with the font the package ships.
 */
import * as fs from 'fs';
import { Resvg } from '@resvg/resvg-js';
import { runCharts } from '../../lib/report/plots';
import { categoryColours } from '../../lib/report/plots/figure';
import { RenderedChart, createChartRenderer, renderCharts } from '../../lib/report/plots/render';
import { PNG_ZOOM, pngOptions } from '../../lib/report/plots/rasterise';
import { sampleCharts } from '../../lib/report/plots/sample-charts';
import { CHART_KINDS } from '../../lib/report/plots/template';
import { layoutDag } from '../../lib/report/plots/workload-graph';
import { runTimeline } from '../../lib/report/timeline';
import { HARDWARE_DIR, SWIGLU, TWO_CONV, exampleCase, runExample } from './support/runs';

const MATRIX = fs
  .readdirSync(HARDWARE_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((hardware) => [exampleCase(hardware, TWO_CONV), exampleCase(hardware, SWIGLU)]);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const svgSize = (svg: string) => {
  const match = /<svg[^>]*\bwidth="(\d+(?:\.\d+)?)"[^>]*\bheight="(\d+(?:\.\d+)?)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
};

/** Core ids named by the schedule's row labels: `Core 5 · …`, `Cores 0–3, 6 · …`. */
function coresInRowLabels(svg: string): Set<number> {
  const ids = new Set<number>();
  for (const m of svg.matchAll(/>Cores? ([\d–, ]+) ·/g)) {
    for (const part of m[1].split(',')) {
      const [from, to] = part.trim().split('–').map(Number);
      for (let id = from; id <= (to ?? from); id++) ids.add(id);
    }
  }
  return ids;
}

const renderer = createChartRenderer();

describe('pictures of every matrix example', () => {
  it(`render to SVG: ${MATRIX.length} examples, the workload graph, per-node bars and per group schedule and memory`, async () => {
    expect(MATRIX).toHaveLength(16);
    for (const c of MATRIX) {
      const result = await runExample(c);
      const jobs = runCharts(runTimeline(result.accelerator, result.workload.name, result.groups), result);
      expect(jobs.map((j) => j.name)).toEqual([
        'workload-graph',
        'node-latency',
        ...result.groups.flatMap((g) => [`schedule-group-${g.index}`, `memory-group-${g.index}`]),
      ]);
      const charts: RenderedChart[] = await renderCharts(renderer, jobs, ['svg']);
      for (const chart of charts) {
        const where = `${c.id} ${chart.name}`;
        expect([where, chart.warnings]).toEqual([where, []]);
        expect(chart.svg.startsWith('<svg')).toBe(true);
        expect(chart.png).toBeUndefined();
        // Every label is whole: a label shortened to fit ends in an ellipsis.
        expect([where, chart.svg.includes('…')]).toEqual([where, false]);
        const size = svgSize(chart.svg);
        expect(size.width).toBeGreaterThan(300);
        expect(size.height).toBeGreaterThan(150);
      }
      const byName = new Map(charts.map((ch) => [ch.name, ch.svg]));
      for (const n of result.groups.flatMap((g) => g.group.nodes)) {
        expect(byName.get('workload-graph')).toContain(`>${n.name}<`);
        expect(byName.get('node-latency')).toContain(n.name);
      }
      for (const g of result.groups) {
        const rows = coresInRowLabels(byName.get(`schedule-group-${g.index}`) ?? '');
        for (const core of new Set(g.group.nodes.flatMap((n) => n.coreIds))) expect([c.id, core, rows.has(core)]).toEqual([c.id, core, true]);
      }
    }
  }, 120_000);
});

describe('sample charts (drawn by the build before it stores the picture bundle’s code cache)', () => {
  it('cover every kind of chart and draw without a warning', async () => {
    const samples = sampleCharts();
    expect(new Set(samples.map((c) => c.kind))).toEqual(new Set(CHART_KINDS));
    const charts = await renderCharts(renderer, samples.map((chart, i) => ({ name: `sample-${i}`, title: chart.kind, chart })), ['svg']);
    for (const chart of charts) {
      expect([chart.title, chart.warnings]).toEqual([chart.title, []]);
      expect(chart.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    }
  });
});

describe('PNG pictures', () => {
  it.each([exampleCase('tpu_like_quad_core.yaml', TWO_CONV), exampleCase('tpu_like_quad_core.yaml', 'resnet_dual_residual_1_8_16_16.onnx')])(
    '$id: PNGs at the SVG size times the PNG zoom',
    async (c) => {
      const result = await runExample(c);
      const jobs = runCharts(runTimeline(result.accelerator, result.workload.name, result.groups), result);
      const charts = await renderCharts(renderer, jobs, ['svg', 'png']);
      for (const chart of charts) {
        const png = chart.png;
        expect(png).toBeDefined();
        if (!png) continue;
        expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        const svg = svgSize(chart.svg);
        const size = pngSize(png);
        expect(Math.abs(size.width - PNG_ZOOM * svg.width)).toBeLessThanOrEqual(1);
        expect(Math.abs(size.height - PNG_ZOOM * svg.height)).toBeLessThanOrEqual(1);
      }
    },
    60_000,
  );

  it('draws text with the font shipped in dejavu-fonts-ttf, without system fonts', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><text x="4" y="22" font-family="DejaVu Sans" font-size="18">Core 0</text></svg>';
    const darkPixels = (options: ConstructorParameters<typeof Resvg>[1]) => {
      const pixels = new Resvg(svg, options).render().pixels;
      let dark = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && pixels[i] < 128) dark++;
      return dark;
    };
    const options = pngOptions();
    expect(darkPixels({ ...options, font: { ...options.font } })).toBeGreaterThan(100);
    // Without the shipped file there is no font at all: the text is what the shipped font draws.
    expect(darkPixels({ ...options, font: { loadSystemFonts: false, fontFiles: [] } })).toBe(0);
  });
});

describe('category colours', () => {
  it('give up to 40 tensors or activities of a group colours of their own, then repeat', () => {
    const colours = categoryColours(41);
    expect(new Set(colours.slice(0, 40)).size).toBe(40);
    expect(colours[40]).toBe(colours[0]);
  });
});

describe('layered DAG layout', () => {
  it('puts a node one layer below its deepest predecessor and routes long edges through every layer in between', () => {
    const layout = layoutDag(['a', 'b', 'c', 'd'], [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'a', to: 'c' },
      { from: 'c', to: 'd' },
    ], () => ({ width: 100, height: 40 }));
    expect(['a', 'b', 'c', 'd'].map((id) => layout.nodes.get(id)?.layer)).toEqual([0, 1, 2, 3]);
    const skip = layout.edges.find((e) => e.from === 'a' && e.to === 'c');
    expect(skip?.points).toHaveLength(3);
    const [a, c] = [layout.nodes.get('a'), layout.nodes.get('c')];
    expect(skip?.points[0]).toEqual([a?.x, (a?.y ?? 0) + 20]);
    expect(skip?.points[2]).toEqual([c?.x, (c?.y ?? 0) - 20]);
    // Nodes of one layer never overlap.
    const layout2 = layoutDag(['r', 'x', 'y', 'z'], [{ from: 'r', to: 'x' }, { from: 'r', to: 'y' }, { from: 'r', to: 'z' }], () => ({ width: 80, height: 30 }));
    const xs = ['x', 'y', 'z'].map((id) => layout2.nodes.get(id)?.x ?? 0).sort((p, q) => p - q);
    expect(xs[1] - xs[0]).toBeGreaterThanOrEqual(80);
    expect(xs[2] - xs[1]).toBeGreaterThanOrEqual(80);
  });
});
