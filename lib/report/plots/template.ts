/**
 * Charts as data. Each kind of chart is a fixed drawing (its `draw…` function, in the picture bundle
 * with Observable Plot) filled with the chart's data: named datasets and values (titles, sizes,
 * domains). Charts are plain data, so the drawing code stays in its own bundle, loaded with the first
 * picture, and a spec can check them without drawing.
 */
export type ChartKind = 'workload-graph' | 'node-stats' | 'schedule' | 'memory' | 'sweep';
export const CHART_KINDS: readonly ChartKind[] = ['workload-graph', 'node-stats', 'schedule', 'memory', 'sweep'];

/** A chart as data for its kind's drawing. */
export interface TemplateChart {
  readonly kind: ChartKind;
  /** The chart's datasets, by name. */
  readonly datasets: Readonly<Record<string, readonly object[]>>;
  /** The chart's single values (titles, sizes, domains), by name. */
  readonly signals: Readonly<Record<string, unknown>>;
}
