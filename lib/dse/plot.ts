/**
 * The sweep's explored points as a Vega-Lite chart: latency against energy for every variant that has a
 * schedule, the Pareto front highlighted and joined by a step line, the best variant and the auto
 * mapping (variant 0) marked. Render it
 * with lib/report/plots (SVG/PNG) or any Vega-Lite viewer.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { SweepTable } from './results';

/** The font lib/report/plots ships for headless rendering. */
const FONT = 'DejaVu Sans';

export function sweepPlotSpec(table: SweepTable, title: string): TopLevelSpec {
  const values = table.rows
    .filter((r) => r.status === 'ok' && r.latency !== null && r.energy !== null)
    .map((r) => ({
      variant: r.variant,
      latency: r.latency,
      energy: r.energy,
      front: r.pareto ? 'Pareto front' : 'dominated',
      best: r.best,
      auto: r.variant === 0,
      changes: r.changes.length > 0 ? r.changes.join('; ') : 'auto mapping',
    }));
  // Latencies of a sweep span orders of magnitude: a log axis keeps the good end readable.
  const x = { field: 'latency', type: 'quantitative', title: 'latency (cycles, log scale)', scale: { type: 'log' }, axis: { format: '~s' } } as const;
  const y = { field: 'energy', type: 'quantitative', title: 'on-core energy (pJ)', scale: { zero: false }, axis: { format: '~s' } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `${values.length} variants with a schedule of ${table.rows.length} explored` },
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
