/**
 * The `co` command's pictures render in a worker thread that loads Plot on the second core. The earlier
 * it starts, the more of that is done by the time the pipeline's results arrive: `bin/stream-dse.js`
 * starts it before the CLI's own modules load, when the command line asks for pictures, and the `co`
 * command takes it over instead of starting one of its own.
 */
// Only the renderer: bin loads this module for every command, before the CLI.
import { ChartRenderer, startChartRenderer } from '../../lib/report/plots/render';

let prestarted: ChartRenderer | undefined;

/** `co` without `--no-plots` (or help, which runs nothing). */
export function wantsPictures(argv: readonly string[]): boolean {
  return argv[0] === 'co' && !argv.some((a) => a === '--no-plots' || a === '--help' || a === '-h');
}

export function prestartChartRenderer(argv: readonly string[]): void {
  if (prestarted || !wantsPictures(argv)) return;
  prestarted = startChartRenderer();
}

/** The prestarted renderer, once; the caller closes it. */
export function takePrestartedRenderer(): ChartRenderer | undefined {
  const renderer = prestarted;
  prestarted = undefined;
  return renderer;
}
