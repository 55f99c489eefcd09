/**
 * The files of a DSE run directory, built from a result (no I/O; `writeRunDirectory` writes them):
 *
 *   sweep.csv              one row per variant: status, latency, energy, Pareto/best flags, changes, mapping, reason
 *   sweep.json             the same rows with each variant's mapping data, the space and the skipped choices
 *   plots/sweep.vl.json    latency against energy, Pareto front highlighted, as a Vega-Lite spec (for any Vega-Lite viewer)
 *   plots/sweep.svg|png    the same chart drawn with Observable Plot (`dsePlotFiles`, asynchronous: they render in a worker)
 *   best/mapping.yaml      the winning mapping, usable with `stream-dse co --mapping`
 *   best/...               the winner's CO run directory, as the `co` command writes it
 */
import { writeMappingYaml } from '../../lib/mapping';
import { sweepChart, sweepCsv, sweepJson, sweepPlotSpec, toWritableVariantMapping } from '../../lib/dse';
import { ChartRenderer, ImageFormat, renderCharts } from '../../lib/report/plots';
import { inputFingerprint, runFiles } from '../co/outputs';
import { RunFiles } from '../run-directory';
import { DseResult } from './index';

export const SWEEP_PLOT_SPEC = 'plots/sweep.vl.json';

/** How many skipped choices sweep.json lists (their count is always given). */
const LISTED_SKIPS = 100;

export function sweepPlotTitle(hardware: string, workload: string): string {
  const stem = (file: string) => file.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  return `Mapping DSE: ${stem(workload)} on ${stem(hardware)}`;
}

export function dseFiles(result: DseResult, title: string): RunFiles {
  const files = new Map<string, string | Uint8Array>();
  files.set('sweep.csv', sweepCsv(result.table));
  const json = {
    ...sweepJson(result.table, result.results),
    space: result.space ?? null,
    skipped: { count: result.skipped.length, first: result.skipped.slice(0, LISTED_SKIPS) },
  };
  files.set('sweep.json', `${JSON.stringify(json, null, 2)}\n`);
  files.set(SWEEP_PLOT_SPEC, `${JSON.stringify(sweepPlotSpec(result.table, title), null, 2)}\n`);
  const best = result.best;
  if (best) {
    const meta = { dse_variant: best.index, changes: best.variant.changes, latency: best.latency ?? null, energy: best.energy ?? null };
    files.set('best/mapping.yaml', writeMappingYaml(toWritableVariantMapping(best.variant.mapping, meta)));
    if (result.bestRun && result.bestOptions) {
      for (const [relative, contents] of runFiles(result.bestRun, inputFingerprint(result.bestOptions))) files.set(`best/${relative}`, contents);
    }
  }
  return files;
}

/** The sweep plot's pictures under `plots/` (none when no variant has a schedule or no format is asked). */
export async function dsePlotFiles(result: DseResult, title: string, renderer: ChartRenderer, formats: readonly ImageFormat[]): Promise<RunFiles> {
  const files = new Map<string, string | Uint8Array>();
  if (formats.length === 0 || !result.table.rows.some((r) => r.status === 'ok')) return files;
  const [chart] = await renderCharts(renderer, [{ name: 'sweep', title, chart: sweepChart(result.table, title) }], formats);
  if (formats.includes('svg')) files.set('plots/sweep.svg', chart.svg);
  if (chart.png) files.set('plots/sweep.png', chart.png);
  return files;
}
