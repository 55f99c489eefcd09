/**
 * Draws charts with Observable Plot into a linkedom document, on the thread that asks (`render.ts`):
 * each chart's SVG and, for a PNG, the same SVG with its text outlined (`rasterise.ts`).
 *
 * In a build, this file is bundled with Plot, d3 and linkedom into one script (tools/bundle-cli.js):
 * loading one file takes a fraction of loading their hundreds of ES modules. The build also stores V8's
 * compiled code of the bundle after drawing sample charts (`drawSamples`), which `render.ts` hands back
 * to V8 when it loads the bundle (lib/common/code-cache.ts): the bundle then starts without compiling,
 * and its first charts run without compiling Plot's drawing code either.
 */
import { axisX, barX, dot, frame, gridX, line, plot, rect, rectX, ruleX, ruleY, text, tickX } from '@observablehq/plot';
import { DOMParser } from 'linkedom';
import { drawChart } from './draw';
import { outlineText } from './rasterise';
import type { Kit, SvgDocument } from './figure';
import type { TemplateChart } from './template';
import { sampleCharts } from './sample-charts';

export interface DrawnPicture {
  readonly svg: string;
  /** When a PNG was asked for: the SVG with its text outlined, for `rasteriseOutlined`. */
  readonly outlined?: string;
  /** What Plot warned about while drawing (it warns on the console). */
  readonly warnings: readonly string[];
}

/** A document of one `html` element, made without parsing markup (the bundle can parse none, tools/bundle-cli.js). */
function emptyDocument(): SvgDocument {
  const document = new DOMParser().parseFromString('', 'text/html');
  document.appendChild(document.createElement('html'));
  return document as unknown as SvgDocument;
}

let kit: Kit | undefined;

/** `chart` drawn, with its text outlined too when `png` is set. Throws what drawing throws. */
export function drawPicture(chart: TemplateChart, png: boolean): DrawnPicture {
  kit ??= { Plot: { axisX, barX, dot, frame, gridX, line, plot, rect, rectX, ruleX, ruleY, text, tickX }, document: emptyDocument() };
  // Plot's warnings go with the picture, not to the console (stdout carries the CLI's results).
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  try {
    const svg = drawChart(kit, chart);
    return { svg, outlined: png ? outlineText(svg) : undefined, warnings };
  } finally {
    console.warn = warn;
  }
}

/** Draws the sample charts once, text outlined (the build runs this before storing the bundle's compiled code). */
export function drawSamples(): void {
  for (const chart of sampleCharts()) drawPicture(chart, true);
}
