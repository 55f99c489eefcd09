/**
 * The cost pool on real worker threads (from TypeScript sources through cost-worker.dev.cjs):
 * entries equal the synchronous model's, do not depend on the concurrency, and go through the LUT.
 */
import { firstValueFrom, of } from 'rxjs';
import { computeCostEntry, CostLut, type CostRequest } from '../../lib/cost/lut';
import { CostPool } from '../../operators/cost-pool';
import { estimateCosts } from '../../operators/cost-estimation';
import { goldenComputationNode, goldenCore, goldenInterCoreSplit, zigzagCases } from '../fixtures/cost/golden';

const requests: CostRequest[] = zigzagCases()
  .filter((c) => /tpu_like|simd|fusemax/.test(c.core_yaml))
  .slice(0, 10)
  .map((c) => ({
    node: goldenComputationNode(c),
    core: goldenCore(c.core_yaml),
    options: { dimSizes: c.stream_node.full_dim_sizes, interCoreSplit: goldenInterCoreSplit(c), temporalMappingType: c.temporal_mapping_type, lpfLimit: 6 },
  }));

describe('cost pool (worker threads)', () => {
  jest.setTimeout(60000);
  let pool: CostPool;
  beforeAll(() => {
    pool = new CostPool({ maxThreads: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('gives the synchronous results, in request order, whatever the concurrency', async () => {
    const expected = requests.map((r) => computeCostEntry(r));
    const serial = new CostPool({ maxThreads: 2, lut: new CostLut() });
    try {
      const one = await serial.estimateAll(requests, 1);
      expect(one).toEqual(expected);
    } finally {
      await serial.close();
    }
    const many = await pool.estimateAll(requests, 4);
    expect(many).toEqual(expected);
  });

  it('answers repeated requests from the table', async () => {
    const before = pool.lut.statistics;
    const again = await pool.estimateAll(requests, 2);
    expect(again.map((e) => e.latencyTotal)).toEqual(requests.map((r) => computeCostEntry(r).latencyTotal));
    expect(pool.lut.statistics.computed).toBe(before.computed);
  });

  it('runs as an RxJS operator', async () => {
    const fresh = new CostPool({ maxThreads: 2 });
    try {
      const entries = await firstValueFrom(of(requests).pipe(estimateCosts(fresh, { concurrency: 3 })));
      expect(entries.map((e) => e.key)).toEqual(requests.map((r) => computeCostEntry(r).key));
    } finally {
      await fresh.close();
    }
  });
});
