/** bin/stream-dse.js starts the picture renderer early only for a `co` run that draws pictures. */
import { prestartChartRenderer, takePrestartedRenderer, wantsPictures } from '../../pipelines/cli/prestart';

describe('prestarted picture renderer', () => {
  it('is wanted by co unless pictures are off or only help is asked for', () => {
    expect(wantsPictures(['co', '--hardware', 'h.yaml', '--workload', 'w.onnx'])).toBe(true);
    expect(wantsPictures(['co', '--formats', 'svg'])).toBe(true);
    expect(wantsPictures(['co', '--no-plots'])).toBe(false);
    expect(wantsPictures(['co', '--help'])).toBe(false);
    expect(wantsPictures(['validate', '--hardware', 'h.yaml'])).toBe(false);
    expect(wantsPictures([])).toBe(false);
  });

  it('is handed over once', async () => {
    prestartChartRenderer(['validate']);
    expect(takePrestartedRenderer()).toBeUndefined();
    prestartChartRenderer(['co']);
    const renderer = takePrestartedRenderer();
    expect(renderer).toBeDefined();
    expect(takePrestartedRenderer()).toBeUndefined();
    await renderer?.close();
  });
});
