import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileCostStore } from '../../lib/cost/cost-store';
import { computeCostEntry, costRequestKey, CostLut, COST_MODEL_VERSION, type CostEntry, type CostRequest } from '../../lib/cost/lut';
import { goldenComputationNode, goldenCore, goldenInterCoreSplit, zigzagCases } from '../fixtures/cost/golden';

function request(id: string, overrides: Partial<CostRequest['options']> = {}): CostRequest {
  const c = zigzagCases().find((x) => x.id === id);
  if (!c) throw new Error(`no case ${id}`);
  return {
    node: goldenComputationNode(c),
    core: goldenCore(c.core_yaml),
    options: { dimSizes: c.stream_node.full_dim_sizes, interCoreSplit: goldenInterCoreSplit(c), lpfLimit: 6, temporalMappingType: c.temporal_mapping_type, ...overrides },
  };
}

const CONV = 'golden3.8.5:tpu_like/conv_k16_c8_32x32_f3_s1_p1_16b';
const GEMM = 'golden3.8.5:tpu_like/gemm_m64_k64_n64_16b';

function countingLut(dir: string): { lut: CostLut; searches: () => number } {
  let searches = 0;
  const lut = new CostLut({
    store: new FileCostStore(dir),
    compute: (req, key) => {
      searches++;
      return computeCostEntry(req, key);
    },
  });
  return { lut, searches: () => searches };
}

describe('cost LUT', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-lut-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keys include the lpf limit, the temporal mapping type and the model version (Q72 fixed)', () => {
    const base = costRequestKey(request(CONV));
    expect(costRequestKey(request(CONV))).toBe(base);
    expect(costRequestKey(request(CONV, { lpfLimit: 8 }))).not.toBe(base);
    expect(costRequestKey(request(CONV, { temporalMappingType: 'even' }))).not.toBe(base);
    expect(costRequestKey(request(GEMM))).not.toBe(base);
  });

  it('memoises in memory', () => {
    const { lut, searches } = countingLut(dir);
    const a = lut.get(request(CONV));
    const b = lut.get(request(CONV));
    expect(b).toBe(a);
    expect(a.latencyTotal).toBe(9288);
    expect(searches()).toBe(1);
    expect(lut.statistics).toEqual({ memoryHits: 1, storeHits: 0, computed: 1 });
  });

  it('a second run of the same inputs hits the disk cache and does no mapping search', () => {
    const first = countingLut(dir);
    const computed = [CONV, GEMM].map((id) => first.lut.get(request(id)));
    expect(first.searches()).toBe(2);

    const second = countingLut(dir); // a fresh table over the same directory, as in a new run
    const cached = [CONV, GEMM].map((id) => second.lut.get(request(id)));
    expect(second.searches()).toBe(0);
    expect(second.lut.statistics).toEqual({ memoryHits: 0, storeHits: 2, computed: 0 });
    expect(cached).toEqual(computed);
    expect(cached[0].record.stream_core_cost_entry.latency_total).toBe(9288);
  });

  it('drops entries written by another cost-model version', () => {
    const first = countingLut(dir);
    const entry = first.lut.get(request(CONV));
    const stale = new FileCostStore(dir, 'some older model');
    expect(stale.read(entry.key)).toBeUndefined();
    expect(fs.readdirSync(dir).filter((f) => f !== 'version.json')).toEqual([]);
    const again = new FileCostStore(dir, COST_MODEL_VERSION);
    expect(again.read(entry.key)).toBeUndefined();
  });

  it('treats a damaged entry file as a miss', () => {
    const store = new FileCostStore(dir);
    const entry: CostEntry = computeCostEntry(request(GEMM));
    store.write(entry.key, entry);
    fs.writeFileSync(path.join(dir, `${entry.key}.json`), '{not json');
    expect(store.read(entry.key)).toBeUndefined();
  });
});
