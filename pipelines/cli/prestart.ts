/**
 * `bin/stream-dse.js` used to start the picture renderer here, before the CLI loaded, so vega could
 * load and warm up while a `co` run computed. A run's pictures no longer go through vega
 * (lib/report/plots draws them directly, faster than vega could even load), so there is nothing to
 * start: these stay, doing nothing, until bin stops calling them.
 */
import type { ChartRenderer } from '../../lib/report/plots';

export function prestartChartRenderer(_argv: readonly string[]): void {
  // nothing to start
}

/** No renderer is ever prestarted. */
export function takePrestartedRenderer(): ChartRenderer | undefined {
  return undefined;
}
