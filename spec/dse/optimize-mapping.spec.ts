/**
 * The DSE pipeline on real worker threads (from TypeScript sources through variant-worker.dev.cjs):
 * the winner and the sweep table do not depend on the concurrency, failing variants are results with
 * their reason, progress counts variants, and unsubscribing stops the workers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { Subscription, firstValueFrom, filter } from 'rxjs';
import { sweepChart } from '../../lib/dse';
import { DseEvent, DseResult, VariantPool, optimizeMapping, runOptimizeMapping } from '../../pipelines/dse';
import { dseFiles } from '../../pipelines/dse/outputs';
import { STREAM_INPUTS } from '../support/reference';
import { RESNET18, SWIGLU, SWIGLU_TILING, TWO_CONV, hardwareFile, workloadFile } from './support';

jest.setTimeout(120_000);

const TPU = hardwareFile('tpu_like_quad_core');
const swiglu = { hardware: TPU, workload: workloadFile(SWIGLU), intraCoreTiling: SWIGLU_TILING };

let pool: VariantPool;
beforeAll(() => {
  pool = new VariantPool({ threads: 2 });
});
afterAll(async () => {
  await pool.close();
});

describe('results do not depend on the concurrency', () => {
  let one: DseResult;
  let four: DseResult;
  beforeAll(async () => {
    const options = { ...swiglu, maxVariants: 12, seed: 3 };
    one = await runOptimizeMapping({ ...options, concurrency: 1 }, undefined, { pool });
    four = await runOptimizeMapping({ ...options, concurrency: 4 }, undefined, { pool });
  });

  it('the same best variant', () => {
    expect(one.best).toBeDefined();
    expect(four.best?.index).toBe(one.best?.index);
    expect(four.best?.latency).toBe(one.best?.latency);
  });

  it('the same sweep table, byte for byte', () => {
    expect(four.table).toEqual(one.table);
    const a = dseFiles(one, 'title');
    const b = dseFiles(four, 'title');
    for (const file of ['sweep.csv', 'sweep.json', 'plots/sweep.vl.json', 'best/mapping.yaml', 'best/groups/0/core_cost_lut.yaml']) {
      expect(b.get(file)).toEqual(a.get(file));
    }
  });

  it('the sweep chart: plain data for the ok variants, as the Vega-Lite spec has them', () => {
    const chart = sweepChart(one.table, 'title');
    expect(sweepChart(four.table, 'title')).toEqual(chart);
    expect(JSON.parse(JSON.stringify(chart))).toEqual(chart);
    const ok = one.table.rows.filter((r) => r.status === 'ok');
    expect(chart).toMatchObject({ kind: 'sweep', signals: { title: 'title', subtitle: `${ok.length} variants with a schedule of ${one.table.rows.length} explored` } });
    const points = chart.datasets.points as { variant: number; pareto: boolean; best: boolean; auto: boolean }[];
    expect(points.map((p) => [p.variant, p.pareto, p.best, p.auto])).toEqual(ok.map((r) => [r.variant, r.pareto, r.best, r.variant === 0]));
    const spec = JSON.parse(dseFiles(one, 'title').get('plots/sweep.vl.json') as string);
    expect(spec.data.values.map((v: { variant: number }) => v.variant)).toEqual(points.map((p) => p.variant));
    expect(spec.title.subtitle).toBe(chart.signals.subtitle);
  });

  it('the best is the first variant under (latency, energy, index) and the table lists every variant once', () => {
    expect(one.table.rows.map((r) => r.variant)).toEqual(one.results.map((_, i) => i));
    const ok = one.results.filter((r) => r.status === 'ok');
    const min = Math.min(...ok.map((r) => r.latency!));
    expect(one.best?.latency).toBe(min);
    expect(one.table.rows.filter((r) => r.best).map((r) => r.variant)).toEqual([one.best?.index]);
  });

  it("writes the winner's run directory as the co command does", () => {
    const files = dseFiles(one, 'title');
    expect(parse(files.get('best/summary.yaml') as string).total_latency).toBe(one.best?.latency);
    const mapping = parse(files.get('best/mapping.yaml') as string);
    expect(mapping.meta.dse_variant).toBe(one.best?.index);
    expect(mapping.fused_groups.length).toBeGreaterThan(0);
  });
});

describe('failing variants are results, not errors', () => {
  it('ResNet-18 on the TPU-like quad core under memory-capacity constraints: the sweep completes and lists every infeasible variant', async () => {
    const result = await runOptimizeMapping({ hardware: TPU, workload: RESNET18, maxVariants: 4 }, undefined, { pool });
    expect(result.results).toHaveLength(4);
    expect(result.results.every((r) => r.status === 'infeasible')).toBe(true);
    expect(result.results[0].reason).toMatch(/^group 0: Infeasible mapping — Core 4: tensors resident on Core 4 need 490\.0 KB/);
    expect(result.best).toBeUndefined();
    expect(result.table.rows.map((r) => [r.status, r.reason !== null])).toEqual(result.results.map(() => ['infeasible', true]));
  });

  it('explicit variants: a valid mapping next to invalid and malformed ones', async () => {
    const handMapping = parse(fs.readFileSync(path.join(STREAM_INPUTS, 'testing', 'mapping', '2conv_1_32_32_8_16_32_3.yaml'), 'utf8'));
    const layer = (name: string, cores: number[], splits: { dim: string; split: number }[]) => ({ name, core_allocation: [cores], inter_core_tiling: splits.length ? [splits] : [] });
    const group = (tiles: { dim: string; tile: number }[]) => [{ name: 'g', layers: ['Conv'], intra_core_tiling: tiles }];
    const variants = [
      handMapping,
      // A tile that does not divide its loop.
      { layers: [layer('Conv', [0, 1, 2, 3], [{ dim: 'D1', split: 4 }])], fused_groups: group([{ dim: 'Conv1.D2', tile: 5 }]) },
      // A core the accelerator does not have.
      { layers: [layer('Conv', [0, 9], [{ dim: 'D1', split: 2 }])], fused_groups: group([{ dim: 'Conv1.D0', tile: 1 }]) },
      'not a mapping',
    ];
    const result = await runOptimizeMapping({ hardware: TPU, workload: workloadFile(TWO_CONV), variants }, undefined, { pool });
    expect(result.results.map((r) => r.status)).toEqual(['ok', 'invalid', 'invalid', 'invalid']);
    expect(result.results[0].latency).toBe(14344);
    expect(result.results[1].reason).toMatch(/not divisible/);
    expect(result.results[2].reason).toMatch(/core 9/);
    expect(result.best?.index).toBe(0);
  });
});

describe('progress', () => {
  it('reports variants done of total with the best so far, each variant once, best changes in between', async () => {
    const events: DseEvent[] = [];
    const result = await runOptimizeMapping({ hardware: TPU, workload: workloadFile(TWO_CONV), maxVariants: 6 }, (e) => events.push(e), { pool });
    const items = events.flatMap((e) => (e.type === 'progress' && e.event.type === 'items' ? [e.event] : []));
    expect(items.map((i) => i.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(items.every((i) => i.total === 6 && i.stage === 'dse')).toBe(true);
    expect(items[5].status).toBe(`best #${result.best!.index}: latency ${result.best!.latency}`);
    expect(events.filter((e) => e.type === 'variant').map((e) => (e.type === 'variant' ? e.result.index : -1)).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const bests = events.flatMap((e) => (e.type === 'best' ? [e.result] : []));
    expect(bests[bests.length - 1].index).toBe(result.best!.index);
    const stages = new Set(events.flatMap((e) => (e.type === 'progress' && e.event.type === 'stage' ? [e.event.stage] : [])));
    expect(stages).toEqual(new Set(['parse-accelerator', 'parse-workload', 'variant-space', 'best-run']));
  });
});

describe('cancellation', () => {
  it('unsubscribing aborts the running variants: no pending task, no CPU used afterwards', async () => {
    const own = new VariantPool({ threads: 2 });
    try {
      let subscription: Subscription | undefined;
      const firstVariant = new Promise<void>((resolve) => {
        subscription = optimizeMapping({ ...swiglu, maxVariants: 200, seed: 1, concurrency: 2 }, { pool: own }).subscribe({
          next: (e) => e.type === 'variant' && resolve(),
        });
      });
      await firstVariant;
      expect(own.pending).toBeGreaterThan(0);
      subscription!.unsubscribe();
      await new Promise((r) => setTimeout(r, 100));
      expect(own.pending).toBe(0);
      await new Promise((r) => setTimeout(r, 200));
      const before = process.cpuUsage();
      await new Promise((r) => setTimeout(r, 1000));
      const used = process.cpuUsage(before);
      // Two busy workers would use about 2 s of CPU in this second.
      expect((used.user + used.system) / 1e6).toBeLessThan(0.3);
    } finally {
      await own.close();
    }
    expect(own.liveThreads).toBe(0);
  });

  it('unsubscribing a sweep with its own pool ends its threads', async () => {
    let subscription: Subscription | undefined;
    await new Promise<void>((resolve) => {
      subscription = optimizeMapping({ ...swiglu, maxVariants: 200, seed: 2, threads: 2 }).subscribe({ next: (e) => e.type === 'variant' && resolve() });
    });
    subscription!.unsubscribe();
    await new Promise((r) => setTimeout(r, 300));
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1e6).toBeLessThan(0.3);
  });

  it('an own pool is closed when the sweep ends', async () => {
    const events = optimizeMapping({ hardware: TPU, workload: workloadFile(TWO_CONV), maxVariants: 2, threads: 1 });
    const result = await firstValueFrom(events.pipe(filter((e) => e.type === 'result')));
    expect(result.type === 'result' && result.result.results).toHaveLength(2);
  });
});
