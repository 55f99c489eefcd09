/**
 * A run's pictures drawn as their inputs become final: the workload graph drawn when the run is tiled
 * is the one the finished run would draw, and the pictures come back in `runCharts` order.
 */
import { RunPictures, createChartRenderer, runCharts } from '../../lib/report/plots';
import { renderCharts } from '../../lib/report/plots/render';
import { runTimeline } from '../../lib/report/timeline';
import { TWO_CONV, exampleCase, runExample } from './support/runs';

const renderer = createChartRenderer();

describe('pictures of a run', () => {
  it('reuse the workload graph drawn at tiling time and come back in runCharts order', async () => {
    const result = await runExample(exampleCase('tpu_like_quad_core.yaml', TWO_CONV));
    const timeline = runTimeline(result.accelerator, result.workload.name, result.groups);
    const pictures = new RunPictures(renderer);
    pictures.drawGraph(result, ['svg', 'png']);
    const rendered: string[] = [];
    const charts = await pictures.drawAll(timeline, result, ['svg', 'png'], (chart) => rendered.push(chart.name));
    const expected = await renderCharts(renderer, runCharts(timeline, result), ['svg']);
    expect(charts.map((c) => c.name)).toEqual(expected.map((c) => c.name));
    // Counted as each is done, in whatever order their PNGs finish.
    expect([...rendered].sort()).toEqual(expected.map((c) => c.name).sort());
    expect(charts.map((c) => c.svg)).toEqual(expected.map((c) => c.svg));
    for (const chart of charts) expect(chart.png?.length).toBeGreaterThan(1000);
  }, 60_000);

  it('draw the finished run’s graph when the one drawn early shows something else', async () => {
    const result = await runExample(exampleCase('tpu_like_quad_core.yaml', TWO_CONV));
    const timeline = runTimeline(result.accelerator, result.workload.name, result.groups);
    const pictures = new RunPictures(renderer);
    pictures.drawGraph({ workload: { ...result.workload, name: 'another workload' }, groups: result.groups }, ['svg']);
    const [graph] = await pictures.drawAll(timeline, result, ['svg']);
    expect(graph.svg).toContain(`Workload ${result.workload.name}:`);
    expect(graph.svg).not.toContain('another workload');
  }, 60_000);

  it('come out the same when charts of other runs were drawn in between', async () => {
    const chartsOf = async (hardware: string) => {
      const result = await runExample(exampleCase(hardware, TWO_CONV));
      return renderCharts(renderer, runCharts(runTimeline(result.accelerator, result.workload.name, result.groups), result), ['svg']);
    };
    const first = await chartsOf('eyeriss_like_quad_core.yaml');
    await chartsOf('simba.yaml');
    const again = await chartsOf('eyeriss_like_quad_core.yaml');
    again.forEach((chart, i) => expect([chart.name, chart.svg]).toEqual([first[i].name, first[i].svg]));
    for (const chart of again) expect([chart.name, chart.warnings]).toEqual([chart.name, []]);
  }, 60_000);
});
