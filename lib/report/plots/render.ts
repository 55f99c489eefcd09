/**
 * Renders charts: SVG drawn by Observable Plot on a linkedom document (`picture-drawing.ts`), on the
 * thread that asks; for a PNG the SVG with its text outlined there, which resvg rasterises on libuv's
 * pool (`rasterise.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as CodeCache from '../../common/code-cache';
import type * as PictureDrawing from './picture-drawing';
import type * as Rasterise from './rasterise';
import type { TemplateChart } from './template';

export type ImageFormat = 'svg' | 'png';
export const IMAGE_FORMATS: readonly ImageFormat[] = ['svg', 'png'];

/** A picture to draw: a chart's data and where it goes. */
export interface ChartJob {
  /** File stem under `plots/`, e.g. `schedule-group-0`. */
  readonly name: string;
  readonly title: string;
  readonly chart: TemplateChart;
}

export interface RenderedChart {
  readonly name: string;
  readonly title: string;
  readonly svg: string;
  /** Present when PNG output was asked for. */
  readonly png?: Uint8Array;
  /** What Plot warned about while drawing (empty for a well-formed chart). */
  readonly warnings: readonly string[];
}

export interface ChartRenderer {
  /** Draws `job` before returning; the promise settles when its PNG, if asked for, is made too. */
  render(job: ChartJob, options: { readonly png: boolean }): Promise<RenderedChart>;
}

/** SVG with its text outlined (`outlineText`) → PNG bytes. */
export type Rasteriser = (outlinedSvg: string) => Promise<Uint8Array>;

type Drawing = typeof PictureDrawing;

/**
 * The drawing code: in a build, its bundle with the bundle's code cache (`picture-drawing.ts`); from
 * sources (specs), the module itself.
 */
function loadDrawing(): Drawing {
  const bundle = path.join(__dirname, 'picture-drawing.bundle.js');
  if (!fs.existsSync(bundle)) return require('./picture-drawing') as Drawing;
  const { loadBundle } = require('../../common/code-cache') as typeof CodeCache;
  return loadBundle(bundle).exports as unknown as Drawing;
}

let drawing: Drawing | undefined;

/**
 * A renderer that draws on the calling thread, loading Plot (≈ 10 ms) with the first picture, and has
 * each PNG rasterised by `rasterise`: by default on libuv's pool, answered on this thread
 * (`rasteriseOutlined`); the `co` command hands that to its solver thread, which is idle by then, so
 * the PNG steps do not wait for this thread to finish drawing.
 */
export function createChartRenderer(options: { readonly rasterise?: Rasteriser } = {}): ChartRenderer {
  const rasteriser = options.rasterise ?? ((svg: string) => (require('./rasterise') as typeof Rasterise).rasteriseOutlined(svg));
  return {
    async render(job, { png }) {
      let picture: PictureDrawing.DrawnPicture;
      try {
        drawing ??= loadDrawing();
        picture = drawing.drawPicture(job.chart, png);
      } catch (err) {
        throw new Error(`rendering ${job.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      const chart = { name: job.name, title: job.title, svg: picture.svg, warnings: picture.warnings };
      return picture.outlined === undefined ? chart : { ...chart, png: await rasteriser(picture.outlined) };
    },
  };
}

/** Renders every job on one renderer, drawn in order; `onRendered` counts them as their PNGs finish. */
export async function renderCharts(
  renderer: ChartRenderer,
  jobs: readonly ChartJob[],
  formats: readonly ImageFormat[],
  onRendered: (chart: RenderedChart) => void = () => undefined,
): Promise<RenderedChart[]> {
  const png = formats.includes('png');
  return Promise.all(
    jobs.map((job) =>
      renderer.render(job, { png }).then((chart) => {
        onRendered(chart);
        return chart;
      }),
    ),
  );
}
