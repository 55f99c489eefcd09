/**
 * Charts as fixed templates filled with data. Each kind of chart is one Vega-Lite spec whose structure
 * does not depend on the run: everything run-specific comes in through named datasets and signals
 * (titles, sizes, domains). The templates are compiled to Vega and parsed by vega once, ahead of time
 * (`compiled-templates.ts`, kept current by `spec/report/chart-templates.spec.ts`), and the renderer
 * keeps one view per template, so drawing a chart only updates that view's dataflow with the chart's
 * data: compiling a Vega-Lite spec, parsing the Vega spec and building a view's dataflow cost more than
 * that, and the first time several times more.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';

export type ChartKind = 'workload-graph' | 'node-stats' | 'schedule' | 'memory';
export const CHART_KINDS: readonly ChartKind[] = ['workload-graph', 'node-stats', 'schedule', 'memory'];

/** A chart as data for its kind's template. */
export interface TemplateChart {
  readonly kind: ChartKind;
  /** Values of the template's named datasets. */
  readonly datasets: Readonly<Record<string, readonly object[]>>;
  /** Values of the template's signals (its Vega-Lite params, `width`, `height`). */
  readonly signals: Readonly<Record<string, unknown>>;
}

const SIGNAL_MARKER = '\u0000signal:';

/**
 * Stands for signal `name` where Vega-Lite takes no expression (title subtitles, a scale's range):
 * `compileTemplate` replaces the marker, or an array holding only it, by `{signal: name}`.
 */
export function signalPlaceholder(name: string): string {
  return `${SIGNAL_MARKER}${name}`;
}

function replacePlaceholders(value: unknown): unknown {
  const signalOf = (v: unknown) => (typeof v === 'string' && v.startsWith(SIGNAL_MARKER) ? { signal: v.slice(SIGNAL_MARKER.length) } : undefined);
  const direct = signalOf(value);
  if (direct) return direct;
  if (Array.isArray(value)) {
    const only = value.length === 1 ? signalOf(value[0]) : undefined;
    return only ?? value.map(replacePlaceholders);
  }
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replacePlaceholders(v)]));
  return value;
}

/** Vega-Lite's `compile` and vega's `parse`, as the caller loaded them (the packages' ES modules load only outside Jest). */
export interface TemplateCompiler {
  compile(spec: TopLevelSpec): { readonly spec: object };
  parse(spec: object): object;
}

/**
 * A template compiled to Vega and parsed by vega into its runtime description (operators and the code
 * of their expressions: plain data, which a view is built from), placeholders turned into signals. Its
 * layout is recomputed on every run of its view (vega's `resize`): the renderer runs one view for every
 * chart of a kind, and without it a view keeps the size of its first chart.
 */
export function compileTemplate(compiler: TemplateCompiler, template: TopLevelSpec): object {
  const spec = replacePlaceholders(compiler.compile(template).spec) as { readonly autosize?: object };
  return compiler.parse({ ...spec, autosize: { type: 'pad', ...(spec.autosize ?? {}), resize: true } });
}
