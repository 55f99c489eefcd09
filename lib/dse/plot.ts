/**
 * The sweep's explored points as a chart: latency against energy for every variant that has a schedule,
 * the Pareto front highlighted and joined by a step line, the best variant and the auto mapping
 * (variant 0) marked. Two forms of the same chart:
 *
 *   sweepChart     chart data for lib/report/plots, which draws it (SVG/PNG) with Observable Plot
 *                  (`drawSweep`, lib/report/plots/sweep.ts)
 *   sweepPlotSpec  a Vega-Lite spec (plain JSON, `plots/sweep.vl.json`) to open in any Vega-Lite viewer,
 *                  with tooltips; nothing here imports Vega-Lite
 */
import type { TemplateChart } from '../report/plots/template';
import { SweepRow, SweepTable } from './results';

/** The font lib/report/plots ships for headless rendering. */
const FONT = 'DejaVu Sans';

/** A sweep variant as the chart shows it. */
export interface SweepPoint {
  readonly variant: number;
  readonly latency: number;
  readonly energy: number;
  readonly pareto: boolean;
  readonly best: boolean;
  /** Variant 0: the auto mapping the sweep departs from. */
  readonly auto: boolean;
  /** Departures from the auto mapping, `; `-separated ('auto mapping' for variant 0). */
  readonly changes: string;
}

/**
 * The slice of a Vega-Lite top-level spec that `sweepPlotSpec` writes: plain JSON (the chart's layers
 * are not typed further; a Vega-Lite viewer validates them against `$schema`).
 */
export interface VegaLiteSpec {
  readonly $schema: string;
  readonly title: { readonly text: string; readonly subtitle: string };
  readonly width: number;
  readonly height: number;
  readonly config: Readonly<Record<string, unknown>>;
  readonly data: { readonly values: readonly object[] };
  readonly layer: readonly Readonly<Record<string, unknown>>[];
}

type OkRow = SweepRow & { readonly latency: number; readonly energy: number };

function sweepPoints(table: SweepTable): SweepPoint[] {
  return table.rows
    .filter((r): r is OkRow => r.status === 'ok' && r.latency !== null && r.energy !== null)
    .map((r) => ({
      variant: r.variant,
      latency: r.latency,
      energy: r.energy,
      pareto: r.pareto,
      best: r.best,
      auto: r.variant === 0,
      changes: r.changes.length > 0 ? r.changes.join('; ') : 'auto mapping',
    }));
}

/** `24 variants with a schedule of 24 explored`. */
function sweepSubtitle(points: number, explored: number): string {
  return `${points} ${points === 1 ? 'variant' : 'variants'} with a schedule of ${explored} explored`;
}

/** The chart's data for `drawSweep`: the variants that have a schedule, the title and subtitle. */
export function sweepChart(table: SweepTable, title: string): TemplateChart {
  const points = sweepPoints(table);
  return {
    kind: 'sweep',
    datasets: { points },
    signals: { title, subtitle: sweepSubtitle(points.length, table.rows.length), explored: table.rows.length },
  };
}

export function sweepPlotSpec(table: SweepTable, title: string): VegaLiteSpec {
  const values = sweepPoints(table).map((p) => ({
    variant: p.variant,
    latency: p.latency,
    energy: p.energy,
    front: p.pareto ? 'Pareto front' : 'dominated',
    best: p.best,
    auto: p.auto,
    changes: p.changes,
  }));
  // Latencies of a sweep span orders of magnitude: a log axis keeps the good end readable.
  const x = { field: 'latency', type: 'quantitative', title: 'latency (cycles, log scale)', scale: { type: 'log' }, axis: { format: '~s' } } as const;
  const y = { field: 'energy', type: 'quantitative', title: 'on-core energy (pJ)', scale: { zero: false }, axis: { format: '~s' } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: sweepSubtitle(values.length, table.rows.length) },
    width: 560,
    height: 360,
    config: { font: FONT },
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 45 },
        encoding: {
          x,
          y,
          color: { field: 'front', type: 'nominal', title: null, scale: { domain: ['Pareto front', 'dominated'], range: ['#d62728', '#9ecae1'] } },
          tooltip: [
            { field: 'variant', type: 'quantitative' },
            { field: 'latency', type: 'quantitative' },
            { field: 'energy', type: 'quantitative' },
            { field: 'changes', type: 'nominal' },
          ],
        },
      },
      {
        transform: [{ filter: "datum.front === 'Pareto front'" }],
        mark: { type: 'line', interpolate: 'step-after', color: '#d62728', strokeWidth: 1.5 },
        encoding: { x, y, order: { field: 'latency', type: 'quantitative' } },
      },
      {
        transform: [{ filter: 'datum.best' }],
        mark: { type: 'point', shape: 'diamond', size: 220, filled: false, color: 'black', strokeWidth: 2 },
        encoding: { x, y },
      },
      {
        transform: [{ filter: 'datum.best' }],
        mark: { type: 'text', align: 'left', dx: 10, dy: -8, fontWeight: 'bold' },
        encoding: { x, y, text: { value: 'best' } },
      },
      {
        transform: [{ filter: 'datum.auto' }],
        mark: { type: 'point', shape: 'square', size: 160, filled: false, color: '#555', strokeWidth: 1.5 },
        encoding: { x, y },
      },
      {
        transform: [{ filter: 'datum.auto' }],
        mark: { type: 'text', align: 'left', dx: 10, dy: 10, color: '#555' },
        encoding: { x, y, text: { value: 'auto mapping' } },
      },
    ],
  };
}
