/**
 * The chart writer: scales and tick labels as d3 (and so vega) makes them, greedy label thinning on
 * bottom axes, legends in columns, and pictures that hold everything drawn (nothing clipped).
 */
import { Resvg } from '@resvg/resvg-js';
import { runCharts } from '../../lib/report/plots';
import { QuantitativeAxis, bottomAxis } from '../../lib/report/plots/draw/axis';
import { legend } from '../../lib/report/plots/draw/legend';
import { linearScale, niceDomain, tickFormatter, ticks } from '../../lib/report/plots/draw/scale';
import { Layer, svgDocument, titled } from '../../lib/report/plots/draw/svg';
import { pngOptions, textOutliner } from '../../lib/report/plots/render';
import { runTimeline } from '../../lib/report/timeline';
import { TWO_CONV, exampleCase, runExample } from './support/runs';

describe('scales', () => {
  it('tick like d3: steps of 1, 2 or 5 × 10^k', () => {
    expect(ticks(0, 14344, 8)).toEqual([0, 2000, 4000, 6000, 8000, 10000, 12000, 14000]);
    expect(ticks(0, 90, 8)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(ticks(0, 4.5, 8)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
    expect(ticks(0, 0.003, 3)).toEqual([0, 0.001, 0.002, 0.003]);
  });

  it('extend domains to whole steps like d3 nice', () => {
    expect(niceDomain(0, 83.3)).toEqual([0, 90]);
    expect(niceDomain(0, 4656)).toEqual([0, 5000]);
    expect(niceDomain(0, 0.37)).toEqual([0, 0.4]);
  });

  it('format tick labels: grouped thousands, one SI prefix per axis, whole numbers', () => {
    expect([0, 2000, 14000].map(tickFormatter('grouped', 2000, 14000))).toEqual(['0', '2,000', '14,000']);
    expect([0, 0.5, 4.5].map(tickFormatter('grouped', 0.5, 4.5))).toEqual(['0.0', '0.5', '4.5']);
    expect([0, 500, 1000, 4500].map(tickFormatter('si', 500, 5000))).toEqual(['0k', '0.5k', '1k', '4.5k']);
    expect([0, 2e6].map(tickFormatter('si', 1e6, 9e6))).toEqual(['0M', '2M']);
    expect([0, 25, 100].map(tickFormatter('integer', 25, 100))).toEqual(['0', '25', '100']);
  });
});

describe('axes and legends', () => {
  it('leave out bottom-axis labels that would overlap the one before, keeping the ends flush', () => {
    const axis: QuantitativeAxis = { scale: linearScale([0, 1_000_000], [0, 120]), format: 'grouped', tickCount: 10 };
    const layer = new Layer();
    bottomAxis(layer, axis, 50);
    const labels = [...layer.markup().matchAll(/text-anchor="(\w+)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(labels.length).toBeLessThan(ticks(0, 1_000_000, 10).length);
    expect(labels[0]).toEqual(['start', '0']);
  });

  it('lay entries out in columns as wide as their widest entry', () => {
    const square = (fill: string) => ({ kind: 'square' as const, fill });
    const l = legend('kinds', [
      { label: 'a', symbol: square('#111') },
      { label: 'a much longer label', symbol: square('#222') },
      { label: 'b', symbol: square('#333') },
    ], 2);
    const positions = [...l.markup().matchAll(/<g transform="translate\(([\d.]+),([\d.]+)\)">/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(positions).toHaveLength(3);
    expect(positions[0]).toEqual([0, 17]);
    expect(positions[2][0]).toBe(0);
    expect(positions[2][1]).toBeGreaterThan(positions[0][1]);
    expect(positions[1][0]).toBeGreaterThan(17);
  });

  it('put a title above everything drawn, at its left edge', () => {
    const content = new Layer().rect(-30, 10, 100, 40, 'fill="#000"');
    const t = titled(content, 'Title', ['subtitle']);
    expect(t.extent.x1).toBe(-30);
    expect(t.extent.y1).toBeLessThan(10 - 12 - 15);
  });
});

describe('pictures', () => {
  it('hold everything drawn: the outermost pixels of every quick-start chart are background', async () => {
    const result = await runExample(exampleCase('tpu_like_quad_core.yaml', TWO_CONV));
    for (const chart of runCharts(runTimeline(result.accelerator, result.workload.name, result.groups), result)) {
      const image = new Resvg(chart.svg, pngOptions()).render();
      const { width, height, pixels } = image;
      const inked: string[] = [];
      const check = (x: number, y: number) => {
        const i = 4 * (y * width + x);
        if (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250) inked.push(`${x},${y}`);
      };
      for (let x = 0; x < width; x++) [0, 1, height - 2, height - 1].forEach((y) => check(x, y));
      for (let y = 0; y < height; y++) [0, 1, width - 2, width - 1].forEach((x) => check(x, y));
      expect([chart.name, inked.slice(0, 5)]).toEqual([chart.name, []]);
    }
  });

  it('write text as text for the SVG file and as outlines for rasterising', () => {
    const content = new Layer().text(0, 0, 'Core 0', { size: 11 });
    expect(svgDocument(content)).toContain('>Core 0</text>');
    const outlined = svgDocument(content, textOutliner());
    expect(outlined).not.toContain('<text');
    expect(outlined).toMatch(/<path transform="translate\(0,0\) scale\(0\.00537\d*\)" fill="#000" d="M0 0m\d+ -\d+/);
  });
});
