/** Draws a chart of any kind as SVG: the picture bundle's dispatch. */
import type { Kit } from './figure';
import { drawMemory } from './memory';
import { drawNodeStats } from './node-stats';
import { drawSchedule } from './schedule';
import { drawSweep } from './sweep';
import { ChartKind, TemplateChart } from './template';
import { drawWorkloadGraph } from './workload-graph';

const DRAWINGS: Readonly<Record<ChartKind, (kit: Kit, chart: TemplateChart) => string>> = {
  'workload-graph': drawWorkloadGraph,
  'node-stats': drawNodeStats,
  schedule: drawSchedule,
  memory: drawMemory,
  sweep: drawSweep,
};

export function drawChart(kit: Kit, chart: TemplateChart): string {
  const draw = DRAWINGS[chart.kind];
  if (!draw) throw new Error(`no chart kind ${String(chart.kind)}`);
  return draw(kit, chart);
}
